// What users of The Lounge, gamja or Kiwi expect of the page beyond the protocol, in headless
// Chromium: scrolling that follows only a reader at the bottom, the unread count in the title of a
// hidden tab, keyboard-only use, a phone-sized layout, the colour scheme, and a page the Content
// Security Policy never has to block.
import { afterEach, describe, expect, it } from 'vitest';
import { browserPerFile, signIn, type ChatPage } from './helpers/browser.ts';
import { destroyAllClients, joinAs, startServer, type TestServer } from './helpers/tcp.ts';

const browser = browserPerFile();
const pages: ChatPage[] = [];
const servers: TestServer[] = [];

async function start(): Promise<{ server: TestServer; url: string }> {
  const server = await startServer({ webPort: 0, rate: 0 });
  servers.push(server);
  const web = server.running.listeners.find((l) => l.name === 'web');
  if (web === undefined) throw new Error('no web listener');
  return { server, url: `http://127.0.0.1:${web.port}/` };
}

async function page(url: string, name: string, options: Parameters<typeof signIn>[3] = {}): Promise<ChatPage> {
  const chat = await signIn(browser(), url, name, options);
  pages.push(chat);
  return chat;
}

afterEach(async () => {
  const errors = pages.flatMap((p) => p.errors);
  await Promise.all(pages.splice(0).map((p) => p.close()));
  destroyAllClients();
  await Promise.all(servers.splice(0).map((s) => s.close()));
  expect(errors, 'errors in the page').toEqual([]);
});

describe('the page, as a chat client', () => {
  it('should follow new lines only while the reader is at the bottom', async () => {
    const { server, url } = await start();
    const ann = await page(url, 'Ann', { viewport: { width: 900, height: 500 } });
    const bob = await joinAs(server.port, 'Bob');
    const log = ann.page.locator('#log');
    const geometry = () => log.evaluate((el) => ({ top: el.scrollTop, bottom: el.scrollHeight - el.clientHeight }));

    await bob.sendRaw(Array.from({ length: 60 }, (_, i) => `line ${i}\n`).join(''));
    await ann.waitForLine('(Bob) line 59');
    await expect.poll(async () => { const g = await geometry(); return g.bottom - g.top; }).toBeLessThanOrEqual(1);

    // The reader scrolls up to read: new lines do not move the view; a button says they came.
    await log.evaluate((el) => el.scrollTo({ top: 0, behavior: 'instant' }));
    // The page learns where the reader is from the scroll event, which comes with a later frame.
    await expect.poll(async () => (await geometry()).top).toBe(0);
    await ann.page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())))');
    await bob.send('while you read');
    await ann.waitForLine('(Bob) while you read');
    const jump = ann.page.getByRole('button', { name: '1 new message below' });
    await jump.waitFor();
    expect((await geometry()).top).toBe(0);

    // Sending jumps to the newest line (the reader wants to see their own).
    await ann.say('back');
    await ann.waitForLine('(Ann) back');
    await expect.poll(async () => { const g = await geometry(); return g.bottom - g.top; }).toBeLessThanOrEqual(1);
    expect(await jump.isHidden()).toBe(true);
  });

  it('should count unread lines in the title while the tab is hidden', async () => {
    const { server, url } = await start();
    const ann = await page(url, 'Ann');
    const bob = await joinAs(server.port, 'Bob');
    await ann.waitForLine('*** Bob joined the chat');
    // Playwright's pages are never hidden: tell the page its tab is, as the browser would.
    const setHidden = (hidden: boolean) =>
      ann.page.evaluate(`Object.defineProperty(document, 'hidden', { configurable: true, get: () => ${hidden} }); document.dispatchEvent(new Event('visibilitychange'))`);
    await setHidden(true);
    await bob.send('one');
    await bob.send('two, Ann');
    await ann.waitForLine('(Bob) two, Ann');
    await expect.poll(() => ann.page.title()).toBe('(2!) #lobby · rxchat');
    await setHidden(false);
    await expect.poll(() => ann.page.title()).toBe('#lobby · rxchat');
  });

  it('should work from the keyboard alone: Enter, Tab completion, Up to recall, Alt+Down to switch rooms, Tab out', async () => {
    const { server, url } = await start();
    const ann = await page(url, 'Ann');
    await joinAs(server.port, 'Bobby');
    await ann.waitForLine('*** Bobby joined the chat');
    const { page: p, message } = ann;
    await expect.poll(() => p.evaluate('document.activeElement?.id')).toBe('message'); // focused on load
    // A screen reader follows the log as it grows; the status line says where the connection stands.
    expect([await ann.log.getAttribute('aria-live'), await ann.log.getAttribute('aria-relevant')]).toEqual(['polite', 'additions']);
    expect(await p.getByRole('status').textContent()).toBe('Connected as Ann in #lobby');

    await p.keyboard.type('/jo');
    await p.keyboard.press('Tab');
    await p.keyboard.type('rust');
    await p.keyboard.press('Enter');
    await ann.waitForLine('*** Now in #rust (1 user)');

    await p.keyboard.type('hi Bo');
    await p.keyboard.press('Tab');
    expect(await message.inputValue()).toBe('hi Bobby ');
    await p.keyboard.press('Enter');
    await expect.poll(async () => (await ann.lines()).some((l) => l.startsWith('(Ann) hi Bobby'))).toBe(true); // said in #rust, the current room

    await p.keyboard.press('ArrowUp');
    expect(await message.inputValue()).toBe('hi Bobby ');
    await p.keyboard.press('ArrowDown');
    expect(await message.inputValue()).toBe('');

    await p.keyboard.press('Alt+ArrowDown'); // the next of my rooms, round to #lobby
    await ann.waitForLine('*** Now in #lobby (2 users)');

    // With nothing to complete, Tab leaves the field (no keyboard trap).
    await p.keyboard.press('Tab');
    expect(await p.evaluate('document.activeElement?.textContent')).toBe('Send');
  });

  it('should fit a phone: one column, rooms in a strip, members on demand, nothing wider than the screen', async () => {
    const { server, url } = await start();
    const ann = await page(url, 'Ann', { viewport: { width: 390, height: 800 }, isMobile: true, hasTouch: true });
    await joinAs(server.port, 'Bob');
    await ann.waitForLine('*** Bob joined the chat');
    await ann.say('a long line without spaces: ' + 'x'.repeat(300));
    await ann.waitForLine('(Ann) a long line without spaces: ' + 'x'.repeat(300));
    const p = ann.page;
    expect(await p.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    const members = p.getByRole('complementary', { name: /Members/ });
    expect(await members.isVisible()).toBe(false);
    const toggle = p.getByRole('button', { name: /^Members/ });
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await members.getByText('Bob').waitFor();
    expect(await p.getByRole('navigation', { name: 'Rooms' }).getByRole('button', { name: '#lobby' }).isVisible()).toBe(true);
    // The field is 16 px, so iOS does not zoom into it; the keyboard's Enter says "send".
    expect(await p.evaluate('[getComputedStyle(document.getElementById("message")).fontSize, document.getElementById("message").getAttribute("enterkeyhint")]')).toEqual(['16px', 'send']);
  });

  it('should follow the colour scheme', async () => {
    const { url } = await start();
    const background = async (colorScheme: 'light' | 'dark') => {
      const chat = await page(url, colorScheme === 'light' ? 'Lu' : 'Da', { colorScheme });
      return chat.page.evaluate('getComputedStyle(document.body).backgroundColor');
    };
    expect(await background('light')).toBe('rgb(255, 255, 255)');
    expect(await background('dark')).toBe('rgb(13, 17, 23)');
  });

  it('should never need the Content Security Policy to block anything', async () => {
    const { url } = await start();
    const ann = await page(url, 'Ann');
    // Anything blocked while loading is reported to the console (console errors fail every test
    // here); this listens for what the page does from now on, while it chats.
    await ann.page.evaluate(`window.violations = []; document.addEventListener('securitypolicyviolation', (e) => window.violations.push(e.violatedDirective + ' ' + e.blockedURI))`);
    await ann.say('/who');
    await ann.waitForLine('*** Users online (1): Ann');
    const violations = await ann.page.evaluate('window.violations');
    expect(violations).toEqual([]);
    const csp = await (await ann.page.request.get(url)).headers()['content-security-policy'];
    expect(csp).toContain("default-src 'none'");
  });
});
