// Real-browser helpers: Debian's Chromium driven by playwright-core (no browser download), and a
// chat page seen as a person sees it, through its accessibility roles: the `log` and the text field
// named `Message` (PROTOCOL.md "Web front end").
//
// Chromium is required, never skipped: .ci/run installs it, so a test that cannot find it fails and
// says why. Every wait is bounded; `browserPerFile` closes the browser in afterAll whatever the
// tests did (a Chromium left running outlives the test run otherwise).
import { existsSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { buildPage } from '../../src/web/build.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless and quiet: no GPU, no /dev/shm (small in containers), none of Chromium's own background traffic. */
export const CHROMIUM_FLAGS = [
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
];

/** How long a page may take to show what a test waits for. */
export const PAGE_TIMEOUT_MS = 5000;

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install it (apt-get install -y --no-install-recommends chromium fonts-dejavu-core, as .ci/run does) or set CHROMIUM_PATH`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, timeout: 30_000 });
}

/**
 * One browser for the calling spec file: the page is built first (dist/page, what the server
 * serves), the browser launched in beforeAll and closed in afterAll, even after a failure.
 */
export function browserPerFile(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    await buildPage();
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    browser = undefined;
  });
  return () => {
    if (browser === undefined) throw new Error('the browser exists only while the tests of this file run');
    return browser;
  };
}

/** A chat page in its own browser context (its own sessionStorage), as a person uses it. */
export interface ChatPage {
  readonly page: Page;
  /** The conversation: role `log`. */
  readonly log: Locator;
  /** The text field named `Message`. */
  readonly message: Locator;
  /** Types `text` into Message and presses Enter. */
  say(text: string): Promise<void>;
  /** Waits until the log holds a line that is exactly `text`. */
  waitForLine(text: string, timeoutMs?: number): Promise<void>;
  /** Every line of the log, as text, in order (server lines only). */
  lines(): Promise<string[]>;
  /** Errors the page reported (uncaught exceptions, console errors, CSP violations). */
  readonly errors: string[];
  close(): Promise<void>;
}

export async function openChat(browser: Browser, url: string, options: BrowserContextOptions = {}): Promise<ChatPage> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.setDefaultTimeout(PAGE_TIMEOUT_MS);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  await page.goto(url);
  const log = page.getByRole('log');
  const message = page.getByRole('textbox', { name: 'Message' });
  const lines = (): Promise<string[]> => log.getByRole('listitem').allTextContents();
  const chat: ChatPage = {
    page,
    log,
    message,
    async say(text) {
      await message.fill(text);
      await message.press('Enter');
    },
    async waitForLine(text, timeoutMs = PAGE_TIMEOUT_MS) {
      // A list item's text is its textContent: exactly the server's line. Polled, within the bound.
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const now = await lines();
        if (now.includes(text)) return;
        if (performance.now() > deadline) throw new Error(`the log never held ${JSON.stringify(text)} within ${timeoutMs} ms; it holds ${JSON.stringify(now)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    lines,
    errors,
    close: () => context.close(),
  };
  return chat;
}

/** Opens the page and signs in as `name` (typing it at the prompt, as a person does). */
export async function signIn(browser: Browser, url: string, name: string, options: BrowserContextOptions = {}): Promise<ChatPage> {
  const chat = await openChat(browser, url, options);
  await chat.waitForLine('Username?');
  await chat.say(name);
  await chat.waitForLine(`You are now connected, ${name}!`);
  return chat;
}
