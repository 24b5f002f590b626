// The chat page in a real browser (headless Chromium), next to plain TCP clients on the same
// server: PROTOCOL.md "Web front end" as a person meets it. The page is read through its roles:
// the `log` (one list item per server line, as text) and the text field named `Message`.
import { afterEach, describe, expect, it } from 'vitest';
import { closeAllWebSockets } from './helpers/browser-socket.ts';
import { browserPerFile, signIn, type ChatPage } from './helpers/browser.ts';
import { destroyAllClients, joinAs, startServer, type LineClient, type TestServer } from './helpers/tcp.ts';

const browser = browserPerFile();
const pages: ChatPage[] = [];
const servers: TestServer[] = [];

async function start(): Promise<{ server: TestServer; url: string }> {
  const server = await startServer({ webPort: 0 });
  servers.push(server);
  const web = server.running.listeners.find((l) => l.name === 'web');
  if (web === undefined) throw new Error('no web listener');
  return { server, url: `http://127.0.0.1:${web.port}/` };
}

async function page(url: string, name: string): Promise<ChatPage> {
  const chat = await signIn(browser(), url, name);
  pages.push(chat);
  return chat;
}

afterEach(async () => {
  const errors = pages.flatMap((p) => p.errors);
  await Promise.all(pages.splice(0).map((p) => p.close()));
  closeAllWebSockets();
  destroyAllClients();
  await Promise.all(servers.splice(0).map((s) => s.close()));
  expect(errors, 'errors in the page').toEqual([]);
});

/** Reads TCP lines until `last`; returns them all. */
async function readUntil(client: LineClient, last: string): Promise<string[]> {
  const lines: string[] = [];
  for (;;) {
    const line = await client.nextLine(5000);
    lines.push(line);
    if (line === last) return lines;
  }
}

describe('the chat page in Chromium', () => {
  it('should let a page user and a TCP user chat both ways', async () => {
    const { server, url } = await start();
    const ann = await page(url, 'Ann');
    const bob = await joinAs(server.port, 'Bob');
    await ann.waitForLine('*** Bob joined the chat');
    await ann.say('hi Bob, from the browser');
    await bob.expectLines(['(Ann) hi Bob, from the browser']);
    await bob.send('hi Ann, from nc');
    await ann.waitForLine('(Bob) hi Ann, from nc');
    await ann.waitForLine('(Ann) hi Bob, from the browser');
    // The member list follows the room.
    await expect.poll(() => ann.page.getByRole('complementary', { name: /Members/ }).getByRole('listitem').allTextContents()).toEqual(['Ann (you)', 'Bob']);
  });

  it('should show two pages and a TCP client one and the same order', async () => {
    const { server, url } = await start();
    const ann = await page(url, 'Ann');
    const cy = await page(url, 'Cy');
    const bob = await joinAs(server.port, 'Bob');
    await ann.waitForLine('*** Bob joined the chat');
    await cy.waitForLine('*** Bob joined the chat');
    // All three at once, without waiting for each other: the server decides one order.
    await Promise.all([
      (async () => {
        for (let i = 0; i < 5; i++) await ann.say(`ann ${i}`);
      })(),
      (async () => {
        for (let i = 0; i < 5; i++) await cy.say(`cy ${i}`);
      })(),
      bob.sendRaw(Array.from({ length: 5 }, (_, i) => `bob ${i}\n`).join('')),
    ]);
    await bob.send('end');
    const tcpOrder = (await readUntil(bob, '(Bob) end')).filter((l) => /^\((Ann|Cy|Bob)\) /.test(l));
    expect(tcpOrder).toHaveLength(16);
    for (const chat of [ann, cy]) {
      await chat.waitForLine('(Bob) end');
      expect((await chat.lines()).filter((l) => /^\((Ann|Cy|Bob)\) /.test(l)), 'the page shows the TCP order').toEqual(tcpOrder);
    }
  });

  it('should keep hostile text inert: markup and ANSI escapes are shown as plain text', async () => {
    const { server, url } = await start();
    const ann = await page(url, 'Ann');
    const bob = await joinAs(server.port, 'Bob');
    await ann.waitForLine('*** Bob joined the chat');
    await bob.send('<img src=x onerror="document.title=\'pwned\'"><b>bold</b>');
    await bob.send('\u001b[31mred\u001b[0m \u001b]0;new title\u0007<script>document.title="pwned"</script>');
    await ann.say('<svg onload="document.title=\'pwned\'">');
    // The page shows exactly the lines the server sent (a TCP client sees them too): the server
    // removed the ESC and BEL bytes, so what is left of the escapes is visible, harmless text.
    const sentByServer = await readUntil(bob, '(Ann) <svg onload="document.title=\'pwned\'">');
    expect(sentByServer.slice(-3)).toEqual([
      '(Bob) <img src=x onerror="document.title=\'pwned\'"><b>bold</b>',
      '(Bob) [31mred[0m ]0;new title<script>document.title="pwned"</script>',
      '(Ann) <svg onload="document.title=\'pwned\'">',
    ]);
    for (const line of sentByServer.slice(-3)) await ann.waitForLine(line);
    expect(await ann.log.locator('img, b, script, svg').count()).toBe(0);
    expect(await ann.page.title()).not.toContain('pwned');
  });

  it('should show the goodbye when the user types exit, and stay out', async () => {
    const { server, url } = await start();
    const ann = await page(url, 'Ann');
    const bob = await joinAs(server.port, 'Bob');
    await ann.waitForLine('*** Bob joined the chat');
    await ann.say('exit');
    await ann.waitForLine('Goodbye Ann!');
    await bob.expectLines(['*** Ann left the chat']);
    await expect.poll(() => ann.page.getByRole('status').textContent()).toBe('You left the chat; press Enter to join again');
    expect((await ann.lines()).at(-1)).toBe('Goodbye Ann!');
  });

  it('should let the user back in under the same name after a reload', async () => {
    const { server, url } = await start();
    const ann = await page(url, 'Ann');
    const bob = await joinAs(server.port, 'Bob');
    await ann.waitForLine('*** Bob joined the chat');
    await ann.page.reload();
    await ann.waitForLine('You are now connected, Ann!');
    // The page answered the new prompt with the name it remembered: both are in the log, as sent.
    expect((await ann.lines()).slice(0, 2)).toEqual(['Username?', 'You are now connected, Ann!']);
    await bob.expectLines(['*** Ann left the chat', '*** Ann joined the chat']);
    await ann.say('back');
    await bob.expectLines(['(Ann) back']);
  });

  it('should run room commands from the page, with the room and member lists following', async () => {
    const { server, url } = await start();
    const ann = await page(url, 'Ann');
    const bob = await joinAs(server.port, 'Bob');
    await ann.waitForLine('*** Bob joined the chat');
    const rooms = ann.page.getByRole('navigation', { name: 'Rooms' });

    await ann.say('/join rust');
    await ann.waitForLine('*** Now in #rust (1 user)');
    await expect.poll(() => rooms.getByRole('listitem').allTextContents()).toEqual(['#lobby', '#rust']);
    await expect.poll(() => rooms.getByRole('button', { name: '#rust' }).getAttribute('aria-current')).toBe('true');

    await bob.send('/join #rust');
    await ann.waitForLine('*** Bob joined #rust');
    await bob.send('rustaceans unite');
    await ann.waitForLine('(Bob) rustaceans unite');

    // Picking #lobby in the list makes it current; #rust's lines then come tagged, and counted.
    await rooms.getByRole('button', { name: '#lobby' }).click();
    await ann.waitForLine('*** Now in #lobby (2 users)');
    await bob.send('still here');
    await ann.waitForLine('[#rust] (Bob) still here');
    await expect.poll(() => rooms.getByRole('button', { name: /#rust/ }).textContent()).toBe('#rust1 unread line');

    await ann.say('/rooms');
    await ann.waitForLine('*** Rooms (2): #lobby (2), #rust (2)');
    await ann.say('/who #rust');
    await ann.waitForLine('*** Users in #rust (2): Ann, Bob');
    await ann.say('/part #rust');
    await ann.waitForLine('*** You left #rust');
    await expect.poll(() => rooms.getByRole('list').first().getByRole('listitem').allTextContents()).toEqual(['#lobby']);
    // Bob, whose current room is #rust, hears that Ann left it.
    await readUntil(bob, '*** Ann left #rust');
  });

  it('should reconnect after the server restarts, mark the gap, and bring the user back under the same name and rooms', async () => {
    const first = await start();
    const port = Number(new URL(first.url).port);
    const ann = await page(first.url, 'Ann');
    await ann.say('/join #rust');
    await ann.waitForLine('*** Now in #rust (1 user)');
    await first.server.shutdown(1000);
    await ann.waitForLine('*** Server is shutting down');
    await expect.poll(() => ann.page.getByRole('status').textContent()).toMatch(/^Connection lost; reconnecting in \d+ s/);

    const second = await startServer({ webPort: port });
    servers.push(second);
    await ann.waitForLine('You are now connected, Ann!', 10_000); // the second welcome
    await expect.poll(() => ann.page.getByRole('separator').textContent()).toMatch(/^Reconnected at \d\d:\d\d: lines said since \d\d:\d\d were not received$/);
    await ann.waitForLine('*** Now in #rust (1 user)'); // back in the room it was in
    const welcomes = (await ann.lines()).filter((l) => l === 'You are now connected, Ann!');
    expect(welcomes).toHaveLength(2);
    const bob = await joinAs(second.port, 'Bob');
    await bob.send('/join #rust');
    await bob.send('welcome back');
    await ann.waitForLine('(Bob) welcome back');
  }, 20_000);
});
