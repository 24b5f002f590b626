// The web front end over real sockets: the real server (src/server.ts) with its WebSocket on a free
// port, `ws` as the client, next to plain TCP clients. PROTOCOL.md "Web front end": the same line
// protocol, one text message per line, the same limits counted together with TCP, binary → 1003,
// a foreign Origin → 403; plus what the transport adds: ping/pong, maxPayload, the page over HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHAT_DEFAULTS } from '../src/core/state.ts';
import { loadPage } from '../src/drivers/http-page.ts';
import { listenWeb, type WebListener } from '../src/drivers/ws-server.ts';
import { createHub } from '../src/hub/hub.ts';
import { createMemoryLog } from '../src/hub/memory-log.ts';
import { lineFrontEnd } from '../src/line/front-end.ts';
import { SERVER_FULL } from '../src/line/messages.ts';
import { buildPage } from '../src/web/build.ts';
import { closeAllWebSockets, connectWeb, joinWebAs } from './helpers/browser-socket.ts';
import { connectClient, destroyAllClients, joinAs, startServer, type LineClient, type StartServerOptions, type TestServer } from './helpers/tcp.ts';

const servers: TestServer[] = [];
/** The real server with the web front end on a free port; `web` is its port. */
async function start(options: StartServerOptions = {}): Promise<TestServer & { readonly web: number }> {
  const server = await startServer({ webPort: 0, ...options });
  servers.push(server);
  const web = server.running.listeners.find((l) => l.name === 'web');
  if (web === undefined) throw new Error('no web listener');
  return Object.assign(server, { web: web.port });
}

afterEach(async () => {
  closeAllWebSockets();
  destroyAllClients();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('one chat across TCP and the WebSocket', () => {
  it('should let a web user and a TCP user chat both ways, with names unique across both', async () => {
    const server = await start();
    const ann = await joinWebAs(server.web, 'Ann');
    const bob = await joinAs(server.port, 'Bob');
    await ann.expectLines(['*** Bob joined the chat']);
    await ann.send('hi Bob');
    await bob.expectLines(['(Ann) hi Bob']);
    await ann.expectLines(['(Ann) hi Bob']);
    await bob.send('hi Ann');
    await ann.expectLines(['(Bob) hi Ann']);

    const again = await connectWeb(server.web);
    await again.expectLines(['Username?']);
    await again.send('BOB');
    await again.expectLines(['*** Username BOB is taken', 'Username?']);
  });

  it('should send one message per line, a burst included, with CR LF and trailing LF dropped on the way in', async () => {
    const server = await start({ rate: 0 });
    const ann = await joinWebAs(server.web, 'Ann');
    const bob = await joinAs(server.port, 'Bob');
    await ann.expectLines(['*** Bob joined the chat']);
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i}`);
    await bob.sendRaw(lines.map((l) => `${l}\n`).join(''));
    await ann.expectLines(lines.map((l) => `(Bob) ${l}`));
    await ann.send('crlf\r\n');
    await ann.send('two\nlines');
    await bob.expectLines([...lines.map((l) => `(Bob) ${l}`), '(Ann) crlf', '(Ann) two', '(Ann) lines']);
  });

  it('should count WebSocket and TCP connections together against --max-clients', async () => {
    const server = await start({ maxClients: 2 });
    await joinAs(server.port, 'Tcp');
    await joinWebAs(server.web, 'Web');
    const refusedWeb = await connectWeb(server.web);
    expect(await refusedWeb.waitForClose()).toEqual({ code: 1013, unread: ['*** Server full'] });
    const refusedTcp = await connectClient(server.port);
    expect(await refusedTcp.waitForClose()).toEqual(['*** Server full']);
    expect(server.running.connections()).toBe(2);
  });

  it('should tell web users the server is shutting down, then close them cleanly', async () => {
    const server = await start();
    const ann = await joinWebAs(server.web, 'Ann');
    const prompted = await connectWeb(server.web);
    await prompted.expectLines(['Username?']);
    await server.shutdown(2000);
    expect(await ann.waitForClose()).toEqual({ code: 1000, unread: ['*** Server is shutting down'] });
    expect(await prompted.waitForClose()).toEqual({ code: 1000, unread: ['*** Server is shutting down'] });
  });
});

describe('limits, as over TCP', () => {
  it('should answer a message over --max-line-bytes with the notice and keep the connection; refuse one over maxPayload with 1009', async () => {
    const server = await start({ maxLineBytes: 16 });
    const ann = await joinWebAs(server.web, 'Ann');
    await ann.send('x'.repeat(17));
    await ann.expectLines(['*** Line too long (max 16 bytes)']);
    await ann.send('x'.repeat(16));
    await ann.expectLines([`(Ann) ${'x'.repeat(16)}`]);
    await ann.send('y'.repeat(4 * 16)); // maxPayload: still read, still the notice
    await ann.expectLines(['*** Line too long (max 16 bytes)']);
    await ann.send('z'.repeat(4 * 16 + 1));
    expect((await ann.waitForClose()).code).toBe(1009);
  });

  it('should close a connection that sends a binary message with 1003; the others hear the user left', async () => {
    const server = await start();
    const ann = await joinWebAs(server.web, 'Ann');
    const bob = await joinAs(server.port, 'Bob');
    await ann.expectLines(['*** Bob joined the chat']);
    await ann.sendBinary(Uint8Array.of(0x68, 0x69));
    expect(await ann.waitForClose()).toEqual({ code: 1003, unread: [] });
    await bob.expectLines(['*** Ann left the chat']);
  });

  it('should close a connection that sends invalid UTF-8 as text with 1007 (ws checks it)', async () => {
    const server = await start();
    const ann = await joinWebAs(server.web, 'Ann');
    ann.socket.send(Buffer.from([0x61, 0xff]), { binary: false });
    expect((await ann.waitForClose()).code).toBe(1007);
  });

  it('should time out a web client still at the name prompt', async () => {
    const server = await start({ nameTimeoutMs: 200 });
    const idle = await connectWeb(server.web);
    expect(await idle.waitForClose()).toEqual({ code: 1000, unread: ['Username?', '*** Timed out'] });
  });

  it('should slow a flood of messages down without dropping or reordering any', async () => {
    const server = await start({ rate: 5, burst: 2 });
    const ann = await joinWebAs(server.web, 'Ann');
    const lines = ['1', '2', '3', '4', '5', '6'];
    const started = performance.now();
    await Promise.all(lines.map((l) => ann.send(l)));
    await ann.expectLines(lines.map((l) => `(Ann) ${l}`), 5000);
    // Two at once (the burst), then one every 200 ms: the last echo comes 800 ms after the first.
    expect(performance.now() - started).toBeGreaterThanOrEqual(700);
  });

  it('should cut a web client that stops reading once its unsent output passes --sendq-bytes; nobody else loses a line', async () => {
    const server = await start({ rate: 0, sendqBytes: 64 * 1024 });
    const tal = await joinAs(server.port, 'Tal');
    const obs = await joinWebAs(server.web, 'Obs');
    const slow = await connectWeb(server.web);
    await slow.expectLines(['Username?']);
    await slow.send('Slow');
    await slow.expectLines(['You are now connected, Slow!']);
    await tal.expectLines(['*** Obs joined the chat', '*** Slow joined the chat']);
    await obs.expectLines(['*** Slow joined the chat']);
    const slowSocket = (slow.socket as unknown as { _socket: Socket })._socket;
    slowSocket.pause(); // the browser tab that stopped reading: the server's writes back up

    const notice = '*** Slow left the chat (too slow)';
    const text = (i: number): string => `${String(i).padStart(6, '0')} ${'x'.repeat(3993)}`;
    const heard: string[] = [];
    let sent = 0;
    while (!heard.includes(notice) && sent < 12_000) {
      await tal.sendRaw(Array.from({ length: 8 }, (_, k) => `${text(sent + k)}\n`).join(''));
      sent += 8;
      const last = `(Tal) ${text(sent - 1)}`;
      await readUntil(tal, last);
      for (;;) {
        const line = await obs.nextLine(5000);
        heard.push(line);
        if (line === last) break;
      }
    }
    expect(heard.filter((l) => l === notice), `no notice after ${sent} lines of 4000 bytes`).toHaveLength(1);
    const chat = heard.filter((l) => l !== notice);
    expect(chat).toEqual(Array.from({ length: sent }, (_, i) => `(Tal) ${text(i)}`));
    slowSocket.resume();
    expect((await slow.waitForClose(10_000)).code).toBe(1006); // cut, no closing handshake
    await server.waitForLog(/too slow: \d+ bytes unsent \(budget 65536\)/);
  }, 30_000);
});

async function readUntil(client: LineClient, last: string): Promise<void> {
  for (;;) if ((await client.nextLine(5000)) === last) return;
}

describe('the handshake', () => {
  it('should refuse a foreign Origin with 403, and accept the page\'s own, none, and --web-origin', async () => {
    const server = await start({ webOrigins: ['https://app.example'] });
    await expect(connectWeb(server.web, { origin: 'http://evil.example' })).rejects.toMatchObject({ status: 403 });
    await expect(connectWeb(server.web, { origin: 'null' })).rejects.toMatchObject({ status: 403 });
    for (const origin of [`http://127.0.0.1:${server.web}`, null, 'https://app.example']) {
      const client = await connectWeb(server.web, { origin });
      await client.expectLines(['Username?']);
    }
    await server.waitForLog(/^refused a WebSocket from 127\.0\.0\.1:\d+: foreign Origin http:\/\/evil\.example/);
  });

  it('should refuse a page on a foreign name that resolves to this loopback server (DNS rebinding)', async () => {
    const server = await start();
    await expect(connectWeb(server.web, { origin: `http://evil.example:${server.web}`, host: `evil.example:${server.web}` })).rejects.toMatchObject({ status: 403 });
  });

  it('should answer an upgrade on another path with 404', async () => {
    const server = await start();
    await expect(connectWeb(server.web, { path: '/ws' })).rejects.toMatchObject({ status: 404 });
  });
});

describe('dead peers (ping/pong)', () => {
  let listener: WebListener;
  let logs: string[];
  let disposeHub: () => void;
  beforeAll(async () => {
    const hub = createHub(createMemoryLog('n1'), CHAT_DEFAULTS);
    disposeHub = () => hub.dispose();
    const line = lineFrontEnd(hub, { maxLineBytes: 4096, nameTimeoutMs: 60_000, rate: 0, burst: 40 });
    logs = [];
    listener = await listenWeb(
      { host: '127.0.0.1', port: 0, maxLineBytes: 4096, sendqBytes: 1 << 20, admit: () => true, full: SERVER_FULL, newId: hub.newConn, origins: [], heartbeatMs: 100, page: new Map() },
      line.connect,
      (m) => logs.push(m),
    );
  });
  afterAll(async () => {
    closeAllWebSockets();
    await listener?.close();
    disposeHub?.();
  });

  it('should cut a peer that stops answering pings, and keep one that answers', async () => {
    const live = await joinWebAs(listener.port, 'Live');
    const dead = await joinWebAs(listener.port, 'Dead', { autoPong: false });
    await live.expectLines(['*** Dead joined the chat']);
    // Two heartbeats: the first ping goes unanswered, the second finds that out.
    expect((await dead.waitForClose(1000)).code).toBe(1006);
    await live.expectLines(['*** Dead left the chat'], 1000);
    expect(logs.some((l) => /did not answer a ping within 100 ms: cut$/.test(l))).toBe(true);
    await live.send('still here');
    await live.expectLines(['(Live) still here']);
    expect(live.closed).toBe(false);
  });
});

describe('the page over HTTP', () => {
  let dir: string;
  let listener: WebListener;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rxchat-page-'));
    await buildPage(`${dir}/`);
    listener = await listenWeb(
      { host: '127.0.0.1', port: 0, maxLineBytes: 4096, sendqBytes: 1 << 20, admit: () => true, full: SERVER_FULL, newId: () => 'n1/1', origins: [], page: loadPage(`${dir}/`) },
      () => {
        throw new Error('no chat here');
      },
      () => {},
    );
  }, 30_000);
  afterAll(async () => {
    await listener?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string, method = 'GET', headers: Record<string, string> = {}) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: listener.port, path, method, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });

  it('should serve the built page: no inline script or style, assets it names served and cached for good', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.body).toContain('role="log"');
    expect(page.body).toMatch(/<label for="message"[^>]*>Message<\/label>/);
    // Every script has a src (nothing inline), and no element carries a style or an on… attribute.
    expect(page.body.match(/<script[^>]*>/g)?.every((tag) => / src="\/app\.[A-Z0-9]+\.js"/.test(tag))).toBe(true);
    expect(page.body).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    for (const [, asset] of page.body.matchAll(/(?:src|href)="(\/[^"]+)"/g)) {
      const file = await get(asset ?? '');
      expect(file.status, asset).toBe(200);
      expect(file.headers['cache-control'], asset).toBe('public, max-age=31536000, immutable');
      expect(file.headers['x-content-type-options']).toBe('nosniff');
    }
    const again = await get('/', 'GET', { 'if-none-match': String(page.headers.etag) });
    expect(again.status).toBe(304);
    const head = await get('/', 'HEAD');
    expect({ status: head.status, body: head.body, length: head.headers['content-length'] }).toEqual({ status: 200, body: '', length: String(Buffer.byteLength(page.body)) });
  });

  it('should answer 426 to a plain GET of the WebSocket path, 404 elsewhere, 405 to a POST', async () => {
    expect((await get('/chat')).status).toBe(426);
    expect((await get('/etc/passwd')).status).toBe(404);
    expect((await get('/', 'POST')).status).toBe(405);
  });
});
