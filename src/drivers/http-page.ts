// The web page's files over HTTP: loaded once into memory, answered with strict headers.
//
// `npm run build:web` (src/web/build.ts) bundles the page into dist/page/: index.html and
// content-hashed assets (`app.3f9c0a1e.js`). The server reads that folder once at start into a map
// of fixed paths, so a request can only ever name one of those files: no path is joined, nothing
// is read per request, and no traversal is possible.
//
// Headers (every answer):
//   Content-Security-Policy  default-src 'none'; only same-origin script, style and connection, no
//                            inline script or style, no framing, no forms, no <base>
//   X-Content-Type-Options   nosniff;  Referrer-Policy no-referrer;  X-Frame-Options DENY
//   Cross-Origin-Opener-Policy / Cross-Origin-Resource-Policy  same-origin
// Caching: a hashed asset never changes, so it is `public, max-age=31536000, immutable`; the page
// itself (and anything unhashed) is `no-cache` with a strong ETag, so a reload revalidates it in one
// round trip (304) and always picks up a new build's asset names.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One file of the page, ready to send. */
export interface Asset {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
  readonly cacheControl: string;
}

/** The page: request path → file. `/` is index.html. Empty: not built (every path answers 503). */
export type Page = ReadonlyMap<string, Asset>;

/** No page: the WebSocket still works, the page's paths answer 503. */
export const NO_PAGE: Page = new Map();

/** Where `npm run build:web` puts the page (the same path from src/drivers and dist/drivers). */
export const PAGE_DIR = fileURLToPath(new URL('../../dist/page/', import.meta.url));

/** The WebSocket's path (PROTOCOL.md "Web front end"). */
export const CHAT_PATH = '/chat';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
});

const TYPES: Readonly<Record<string, string>> = Object.freeze({
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  json: 'application/json; charset=utf-8',
  webmanifest: 'application/manifest+json; charset=utf-8',
  map: 'application/json; charset=utf-8',
});

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
/** `name.<8+ hex>.ext`: a content-hashed file name (esbuild's `[hash]` is base32 upper case). */
const HASHED = /\.[0-9A-Za-z]{8,}\.[a-z]+$/u;

/** An asset from its file name and bytes. */
export function asset(name: string, body: Buffer): Asset {
  const ext = name.slice(name.lastIndexOf('.') + 1);
  return {
    body,
    type: TYPES[ext] ?? 'application/octet-stream',
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
    cacheControl: HASHED.test(name) ? IMMUTABLE : REVALIDATE,
  };
}

/** Reads the built page from `dir` (flat: every file at `/<name>`, index.html also at `/`). */
export function loadPage(dir: string = PAGE_DIR): Page {
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
      .map((entry) => entry.name);
  } catch {
    names = [];
  }
  if (!names.includes('index.html')) {
    throw new Error(`the web page is not built (no ${dir}index.html): run \`npm run build:web\`, or start with --web-port off`);
  }
  const page = new Map<string, Asset>();
  for (const name of names) page.set(`/${name}`, asset(name, readFileSync(`${dir}${name}`)));
  page.set('/', page.get('/index.html') as Asset);
  return page;
}

/** An HTTP answer, as data. */
export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Left out of the answer to HEAD (the headers still say its length). */
  readonly body: Buffer;
}

/** What the page's HTTP side needs of a request. */
export interface PageRequest {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly ifNoneMatch?: string | undefined;
}

/** The answer to a plain (not upgraded) request. Pure. */
export function answer(page: Page, request: PageRequest): Answer {
  const path = pathOf(request.url);
  if (path === null) return text(400, 'Bad request');
  if (path === CHAT_PATH) return text(426, 'This is the chat WebSocket: connect with a WebSocket client', { upgrade: 'websocket', connection: 'Upgrade' });
  if (page.size === 0) return text(503, 'The chat page is not built on this server (npm run build:web); the chat itself is up');
  const file = page.get(path);
  if (file === undefined) return text(404, 'Not found');
  if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'Method not allowed', { allow: 'GET, HEAD' });
  const headers = { ...SECURITY_HEADERS, 'content-type': file.type, 'cache-control': file.cacheControl, etag: file.etag };
  if (request.ifNoneMatch !== undefined && request.ifNoneMatch.split(/\s*,\s*/u).some((tag) => tag === file.etag || tag === `W/${file.etag}` || tag === '*')) {
    return { status: 304, headers, body: EMPTY };
  }
  return { status: 200, headers: { ...headers, 'content-length': String(file.body.length) }, body: file.body };
}

const EMPTY = Buffer.alloc(0);

/** A short plain-text answer (errors); `extra` headers on top. */
export function text(status: number, message: string, extra: Readonly<Record<string, string>> = {}): Answer {
  const body = Buffer.from(`${message}\n`, 'utf8');
  return {
    status,
    headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'content-length': String(body.length), ...extra },
    body,
  };
}

/** The path of a request target (`/chat?x` is `/chat`); null when it is not an origin-form path. */
export function pathOf(url: string | undefined): string | null {
  if (url === undefined || !url.startsWith('/') || url.startsWith('//')) return null;
  try {
    return new URL(url, 'http://page.invalid').pathname;
  } catch {
    return null;
  }
}
