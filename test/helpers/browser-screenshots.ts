// Screenshots of the page for the README and for looking at it (docs/screenshots/): a real server,
// a few TCP users chatting in two rooms, and the page user Ann, wide and phone-sized, light and dark.
//
//   npx tsx test/helpers/browser-screenshots.ts [outDir]     (default docs/screenshots)
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContextOptions } from 'playwright-core';
import { buildPage } from '../../src/web/build.ts';
import { launchBrowser, signIn } from './browser.ts';
import { destroyAllClients, joinAs, startServer, type LineClient } from './tcp.ts';

const OUT = process.argv[2] ?? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

const SHOTS: ReadonlyArray<{ readonly file: string; readonly options: BrowserContextOptions; readonly members?: boolean }> = [
  { file: 'wide-light.png', options: { viewport: { width: 1280, height: 760 }, colorScheme: 'light' } },
  { file: 'wide-dark.png', options: { viewport: { width: 1280, height: 760 }, colorScheme: 'dark' } },
  { file: 'phone-light.png', options: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme: 'light' } },
  { file: 'phone-dark.png', options: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme: 'dark' } },
  { file: 'phone-members-dark.png', options: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme: 'dark' }, members: true },
];

async function say(client: LineClient, ...lines: string[]): Promise<void> {
  for (const line of lines) await client.send(line);
}

/** One screenshot, on a fresh server. */
async function shoot(browser: Browser, shot: (typeof SHOTS)[number]): Promise<void> {
  const server = await startServer({ webPort: 0, rate: 0 });
  const web = server.running.listeners.find((l) => l.name === 'web');
  if (web === undefined) throw new Error('no web listener');
  const ann = await signIn(browser, `http://127.0.0.1:${web.port}/`, 'Ann', shot.options);
  const bob = await joinAs(server.port, 'Bob');
  const cy = await joinAs(server.port, 'Cy');
  await say(bob, 'morning all', '/join #rust');
  await say(cy, '/me brings coffee');
  await ann.say('morning! anyone tried the web page yet?');
  await ann.waitForLine('(Ann) morning! anyone tried the web page yet?');
  await say(cy, `this is it, Ann: it runs the terminal client's reducer`, `/msg Ann psst, try /join #rust`);
  await say(bob, 'borrow checker says no <again>');
  await ann.say('/join #rust');
  await ann.waitForLine('*** Now in #rust (2 users)');
  await say(bob, 'welcome to #rust');
  await ann.say('hello rustaceans');
  await ann.waitForLine('(Ann) hello rustaceans');
  await say(cy, 'lobby is quiet without you');
  await ann.waitForLine('[#lobby] (Cy) lobby is quiet without you');
  await ann.page.getByRole('textbox', { name: 'Message' }).fill('/me waves');
  if (shot.members === true) await ann.page.getByRole('button', { name: /^Members/ }).click();
  await ann.page.screenshot({ path: `${OUT}${shot.file}` });
  await ann.close();
  destroyAllClients();
  await server.close();
}

await buildPage();
mkdirSync(OUT, { recursive: true });
const browser = await launchBrowser();
try {
  for (const shot of SHOTS) {
    await shoot(browser, shot);
    process.stdout.write(`${OUT}${shot.file}\n`);
  }
} finally {
  await browser.close();
}
