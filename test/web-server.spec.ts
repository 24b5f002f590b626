// The WebSocket adapter, pure parts: messages → lines (the same framing and limits as TCP), the
// frames we write (read back by ws's own parser), the Origin policy and the page's HTTP answers.
// Then the web connection's flow through the line front end in virtual time, as the TCP specs do.
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { from, toArray, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, NO_PAGE, answer, asset, pathOf, type Page } from '../src/drivers/http-page.ts';
import { checkHandshake, isLoopbackAddress, isLoopbackHost } from '../src/drivers/http-origin.ts';
import { FrameCache, wsLines, wsTextFrame, type WsMessage } from '../src/drivers/ws-server.ts';
import { TOO_LONG, splitLines, type Frame } from '../src/framing.ts';
import { WireLine } from '../src/line/wire-line.ts';
import { U, frontEnd, outputs } from './helpers/chat.ts';
import { marbles } from './helpers/marbles.ts';

const text = (s: string): WsMessage => ({ data: Buffer.from(s, 'utf8'), binary: false });
const binary = (bytes: number[]): WsMessage => ({ data: Buffer.from(bytes), binary: true });
const line = (s: string): Frame => ({ kind: 'line', text: s });

/** Runs messages through wsLines synchronously; returns the frames and whether it completed. */
function linesOf(messages: readonly WsMessage[], max = 4096, onBinary = (): void => {}): Frame[] {
  let frames: Frame[] = [];
  from(messages)
    .pipe(wsLines(max, onBinary), toArray())
    .subscribe((all) => {
      frames = all;
    });
  return frames;
}

describe('wsLines: one text message is one line, through the TCP framing', () => {
  it('should make each message a line, dropping one trailing LF or CRLF', () => {
    expect(linesOf([text('Bob'), text('hi\n'), text('there\r\n'), text('x\r')])).toEqual([line('Bob'), line('hi'), line('there'), line('x')]);
  });

  it('should read a message holding several LF-separated lines as several lines, as TCP would', () => {
    expect(linesOf([text('a\nb\r\nc')])).toEqual([line('a'), line('b'), line('c')]);
  });

  it('should read an empty message as an empty line (the session decides what that means)', () => {
    expect(linesOf([text(''), text('\n')])).toEqual([line(''), line('')]);
  });

  it('should say "too long" for a message over the limit, and go on with the next one', () => {
    expect(linesOf([text('12345'), text('1234'), text('1234\r\n'), text('ééé')], 4)).toEqual([TOO_LONG, line('1234'), line('1234'), TOO_LONG]);
  });

  it('should end the lines at the first binary message and say so', () => {
    marbles(({ hot, expectObservable }) => {
      const message$ = hot<WsMessage>('-a-b-c-|', { a: text('hi'), b: binary([1, 2]), c: text('never') });
      expectObservable(message$.pipe(wsLines(4096))).toBe('-x-|', { x: line('hi') });
    });
  });

  it('should call onBinary once, at the binary message', () => {
    let calls = 0;
    linesOf([text('a'), binary([0]), binary([1])], 4096, () => calls++);
    expect(calls).toBe(1);
  });

  it('should give, for any messages, exactly what TCP framing gives for each message followed by LF', () => {
    const message = fc.string({ unit: fc.constantFrom('a', 'é', ' ', '\r', '\n', '🙂', 'x'), maxLength: 12 });
    fc.assert(
      fc.property(fc.array(message, { maxLength: 8 }), fc.integer({ min: 1, max: 10 }), (messages, max) => {
        const viaWs = linesOf(messages.map(text), max);
        const chunks = messages.map((m) => Buffer.from(`${m.endsWith('\n') ? m.slice(0, -1) : m}\n`, 'utf8'));
        let viaTcp: Frame[] = [];
        from(chunks)
          .pipe(splitLines(max), toArray())
          .subscribe((all) => {
            viaTcp = all;
          });
        expect(viaWs).toEqual(viaTcp);
      }),
    );
  });
});

// ws's own frame parser (not in its type definitions, but exported): the client side reads what we write.
interface Receiver {
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  write(chunk: Buffer): boolean;
}
const { Receiver: ReceiverClass } = createRequire(import.meta.url)('ws') as { Receiver: new (options: { isServer: boolean; maxPayload: number }) => Receiver };

function readFrames(bytes: Buffer): { texts: string[]; errors: string[] } {
  const receiver = new ReceiverClass({ isServer: false, maxPayload: 0 });
  const texts: string[] = [];
  const errors: string[] = [];
  receiver.on('message', (data, isBinary) => texts.push(isBinary ? '<binary>' : data.toString('utf8')));
  receiver.on('error', (err) => errors.push(err.message));
  receiver.write(bytes);
  return { texts, errors };
}

describe('wsTextFrame: what we write, read back by ws', () => {
  it.each([0, 1, 125, 126, 127, 65_535, 65_536, 70_000])('should frame a %i-byte payload so ws reads it back', (length) => {
    const payload = 'x'.repeat(length);
    expect(readFrames(wsTextFrame(Buffer.from(payload)))).toEqual({ texts: [payload], errors: [] });
  });

  it('should frame any UTF-8 text, several frames back to back', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 300 }), { maxLength: 5 }), (payloads) => {
        const bytes = Buffer.concat(payloads.map((p) => wsTextFrame(Buffer.from(p, 'utf8'))));
        expect(readFrames(bytes)).toEqual({ texts: payloads, errors: [] });
      }),
    );
  });

  it('should frame a line once, however many times it is delivered, without its LF', () => {
    const cache = new FrameCache();
    const wire = new WireLine('(Ann) hi');
    const first = cache.of(wire);
    expect(cache.of(wire)).toBe(first);
    expect(readFrames(first).texts).toEqual(['(Ann) hi']);
    expect(cache.of(new WireLine('(Ann) hi'))).not.toBe(first);
  });
});

describe('checkHandshake: who may open a chat session (RFC 6455 §10.2)', () => {
  const at = (origin: string | undefined, host: string | undefined, more: { loopbackOnly?: boolean; allowed?: string[] } = {}) =>
    checkHandshake({ origin, host, loopbackOnly: more.loopbackOnly ?? true, allowed: more.allowed ?? [] }).ok;

  it.each([
    ['no Origin (not a browser)', undefined, '127.0.0.1:7780', true],
    ['the page itself', 'http://127.0.0.1:7780', '127.0.0.1:7780', true],
    ['the page, as https behind a proxy', 'https://127.0.0.1:7780', '127.0.0.1:7780', true],
    ['localhost', 'http://localhost:7780', 'localhost:7780', true],
    ['letter case and the default port', 'HTTP://LocalHost', 'localhost:80', true],
    ['IPv6 loopback', 'http://[::1]:7780', '[::1]:7780', true],
    ['a foreign page', 'http://evil.example', '127.0.0.1:7780', false],
    ['the right host on another port', 'http://127.0.0.1:8000', '127.0.0.1:7780', false],
    ['a sandboxed frame or file: page', 'null', '127.0.0.1:7780', false],
    ['a non-web scheme', 'chrome-extension://abc', '127.0.0.1:7780', false],
    ['DNS rebinding: a foreign name pointing at us', 'http://evil.example:7780', 'evil.example:7780', false],
    ['no Host', 'http://127.0.0.1:7780', undefined, false],
    ['a malformed Host', 'http://127.0.0.1:7780', '127.0.0.1:7780/x', false],
  ])('%s', (_what, origin, host, ok) => {
    expect(at(origin, host)).toBe(ok);
  });

  it('should accept a public name when the server listens beyond loopback', () => {
    expect(at('http://chat.example:7780', 'chat.example:7780', { loopbackOnly: false })).toBe(true);
    expect(at('http://evil.example', 'chat.example:7780', { loopbackOnly: false })).toBe(false);
  });

  it('should accept an origin given with --web-origin, in canonical form', () => {
    expect(at('https://app.example', '127.0.0.1:7780', { allowed: ['https://APP.example:443/'] })).toBe(true);
    expect(at('https://other.example', '127.0.0.1:7780', { allowed: ['https://app.example'] })).toBe(false);
  });

  it('should know loopback names and addresses', () => {
    expect(['localhost:1', 'a.localhost', '127.1.2.3:9', '[::1]:5'].every(isLoopbackHost)).toBe(true);
    expect(['localhost.evil.example', '128.0.0.1', '[::2]'].some(isLoopbackHost)).toBe(false);
    expect(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1'].every(isLoopbackAddress)).toBe(true);
    expect(['0.0.0.0', '::', '192.168.1.2'].some(isLoopbackAddress)).toBe(false);
  });
});

describe('answer: the page over HTTP', () => {
  const page: Page = new Map([
    ['/', asset('index.html', Buffer.from('<!doctype html><script type="module" src="/app.ABCDEFGH.js"></script>'))],
    ['/index.html', asset('index.html', Buffer.from('<!doctype html>'))],
    ['/app.ABCDEFGH.js', asset('app.ABCDEFGH.js', Buffer.from('console.log(1)'))],
  ]);
  const get = (url: string, more: { method?: string; ifNoneMatch?: string } = {}) => answer(page, { method: more.method ?? 'GET', url, ifNoneMatch: more.ifNoneMatch });

  it('should serve the page with a strict policy, revalidated on every load', () => {
    const index = get('/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.headers.etag).toMatch(/^"[\w-]{22}"$/);
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
  });

  it('should let a hashed asset be cached for good', () => {
    const script = get('/app.ABCDEFGH.js');
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.body.toString()).toBe('console.log(1)');
  });

  it('should answer 304 to a page the browser has', () => {
    const etag = get('/').headers.etag ?? '';
    expect(get('/', { ifNoneMatch: etag })).toMatchObject({ status: 304, body: Buffer.alloc(0) });
    expect(get('/', { ifNoneMatch: `"other", W/${etag}` }).status).toBe(304);
    expect(get('/', { ifNoneMatch: '"other"' }).status).toBe(200);
  });

  it.each([
    ['/nope', 'GET', 404],
    ['/../package.json', 'GET', 404],
    ['/%2e%2e/package.json', 'GET', 404],
    ['//evil.example/', 'GET', 400],
    ['*', 'OPTIONS', 400],
    ['/', 'POST', 405],
    ['/chat', 'GET', 426],
  ])('%s %s → %i', (url, method, status) => {
    expect(get(url, { method }).status).toBe(status);
  });

  it('should say 503 for every page path when the page is not built', () => {
    expect(answer(NO_PAGE, { method: 'GET', url: '/' }).status).toBe(503);
  });

  it('should read the path of a request target', () => {
    expect(pathOf('/chat?x=1#y')).toBe('/chat');
    expect(pathOf('http://evil.example/chat')).toBeNull();
    expect(pathOf(undefined)).toBeNull();
  });
});

describe('a web connection on the line front end (virtual time)', () => {
  /** A WebSocket connection as ws-server.ts builds it: messages through wsLines into the front end. */
  const web = (chat: ReturnType<typeof frontEnd>, id: number, message$: Observable<WsMessage>, max = 8) =>
    outputs(chat.connect({ id, frame$: message$.pipe(wsLines(max)) }));

  it('should chat, one message per line, with the TCP limits: a long message gets the notice and the connection stays', () => {
    marbles(({ hot, expectObservable }) => {
      const chat = frontEnd({ maxLineBytes: 8 });
      const ann = hot('  -a-b-c', { a: text('Ann\r\n'), b: text('x'.repeat(20)), c: text('hi') });
      expectObservable(web(chat, 1, ann)).toBe('uw-t-h', { u: U, w: 'You are now connected, Ann!', t: '*** Line too long (max 8 bytes)', h: '(Ann) hi' });
    });
  });

  it('should hang up at a binary message: the others hear that the user left', () => {
    marbles(({ hot, expectObservable }) => {
      const chat = frontEnd();
      const ann = hot('  -a--b', { a: text('Ann'), b: binary([0xff]) });
      const bob = hot('  --a', { a: text('Bob') });
      expectObservable(web(chat, 1, ann)).toBe('uwj-|', { u: U, w: 'You are now connected, Ann!', j: '*** Bob joined the chat' });
      expectObservable(web(chat, 2, bob)).toBe('u-w-l', { u: U, w: 'You are now connected, Bob!', l: '*** Ann left the chat' });
    });
  });

  it('should slow a flood of messages down like TCP lines, pausing reading meanwhile', () => {
    marbles(({ hot, expectObservable }) => {
      const chat = frontEnd({ rate: 100, burst: 2 });
      const ann = hot('  -a 20ms (bcd)', { a: text('Ann'), b: text('1'), c: text('2'), d: text('3') });
      expectObservable(web(chat, 1, ann)).toBe('uw 20ms (12P) 5ms (3R)', { u: U, w: 'You are now connected, Ann!', 1: '(Ann) 1', 2: '(Ann) 2', 3: '(Ann) 3', P: 'PAUSE', R: 'RESUME' });
    });
  });
});
