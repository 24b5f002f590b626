// A WebSocket line client for tests: what the web page speaks, without the page (`ws` as the
// client; Node 20 has no WebSocket of its own). Modelled on tcp.ts's LineClient: every message is
// one line, waits are bounded, and `waitForClose` hands back the unread lines with the close code.
import WebSocket from 'ws';
import { DEFAULT_TIMEOUT_MS } from './tcp.ts';

export interface WsLineClient {
  readonly label: string;
  /** Every message received so far, in order, read or not. */
  readonly received: readonly string[];
  /** Sends one text message. */
  send(text: string): Promise<void>;
  /** Sends one binary message. */
  sendBinary(bytes: Uint8Array): Promise<void>;
  nextLine(timeoutMs?: number): Promise<string>;
  expectLines(lines: readonly string[], timeoutMs?: number): Promise<void>;
  /** Resolves with the close code and the unread lines once the connection is closed. */
  waitForClose(timeoutMs?: number): Promise<{ readonly code: number; readonly unread: string[] }>;
  close(code?: number): void;
  /** Cuts the TCP connection without a closing handshake. */
  terminate(): void;
  readonly closed: boolean;
  readonly socket: WebSocket;
}

export interface WsConnectOptions {
  /** The Origin header; default the page's own (`http://127.0.0.1:<port>`); null sends none. */
  readonly origin?: string | null;
  /** The Host header, when not the real one. */
  readonly host?: string;
  /** Answer pings (default true); false plays a dead peer. */
  readonly autoPong?: boolean;
  readonly path?: string;
}

const live = new Set<WebSocket>();
let nextNumber = 1;

/** Cuts every WebSocket still open. Call it in afterEach, before closing the server. */
export function closeAllWebSockets(): void {
  for (const ws of live) ws.terminate();
  live.clear();
}

/** Opens a WebSocket to 127.0.0.1:`port`/chat; resolves once open, rejects with the HTTP status if refused. */
export function connectWeb(port: number, options: WsConnectOptions = {}, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<WsLineClient> {
  const label = `web#${nextNumber++}`;
  const origin = options.origin === undefined ? `http://127.0.0.1:${port}` : options.origin;
  const headers: Record<string, string> = options.host === undefined ? {} : { host: options.host };
  const ws = new WebSocket(`ws://127.0.0.1:${port}${options.path ?? '/chat'}`, {
    ...(origin === null ? {} : { origin }),
    headers,
    autoPong: options.autoPong ?? true,
    perMessageDeflate: false,
  });
  live.add(ws);
  const received: string[] = [];
  let readIndex = 0;
  let closed = false;
  let closeCode = 0;
  const waiters: Array<{ resolve: (line: string) => void; reject: (err: Error) => void }> = [];
  const closeWaiters: Array<() => void> = [];
  const status = (): string => `${label} received ${JSON.stringify(received)} (read ${readIndex}); ${closed ? `closed ${closeCode}` : 'open'}`;

  ws.on('message', (data, binary) => {
    received.push(binary ? `<binary ${String(data).length}>` : String(data));
    while (waiters.length > 0 && readIndex < received.length) waiters.shift()?.resolve(received[readIndex++] ?? '');
  });
  ws.on('error', () => {});
  ws.on('close', (code) => {
    closed = true;
    closeCode = code;
    live.delete(ws);
    for (const waiter of waiters.splice(0)) waiter.reject(new Error(`closed before the next line; ${status()}`));
    for (const done of closeWaiters.splice(0)) done();
  });

  const nextLine = (ms = DEFAULT_TIMEOUT_MS): Promise<string> => {
    if (readIndex < received.length) return Promise.resolve(received[readIndex++] ?? '');
    if (closed) return Promise.reject(new Error(`closed, no more lines; ${status()}`));
    return new Promise<string>((resolve, reject) => {
      const waiter = {
        resolve: (line: string) => {
          clearTimeout(timer);
          resolve(line);
        },
        reject: (err: Error) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(waiter), 1);
        reject(new Error(`no line within ${ms} ms; ${status()}`));
      }, ms);
      waiters.push(waiter);
    });
  };
  const sendWith = (data: string | Uint8Array, binary: boolean): Promise<void> =>
    new Promise<void>((resolve, reject) => ws.send(data, { binary }, (err) => (err ? reject(err) : resolve())));

  const client: WsLineClient = {
    label,
    received,
    socket: ws,
    send: (text) => sendWith(text, false),
    sendBinary: (bytes) => sendWith(bytes, true),
    nextLine,
    async expectLines(lines, ms = DEFAULT_TIMEOUT_MS) {
      const got: string[] = [];
      for (const expected of lines) {
        const line = await nextLine(ms).catch((err: unknown) => {
          throw new Error(`expected ${JSON.stringify(lines)}, got only ${JSON.stringify(got)}: ${err instanceof Error ? err.message : String(err)}`);
        });
        got.push(line);
        if (line !== expected) throw new Error(`expected ${JSON.stringify(lines)}, got ${JSON.stringify(got)}; ${status()}`);
      }
    },
    waitForClose(ms = DEFAULT_TIMEOUT_MS) {
      const result = (): { code: number; unread: string[] } => ({ code: closeCode, unread: received.slice(readIndex) });
      if (closed) return Promise.resolve(result());
      return new Promise((resolve, reject) => {
        const done = (): void => {
          clearTimeout(timer);
          resolve(result());
        };
        const timer = setTimeout(() => {
          closeWaiters.splice(closeWaiters.indexOf(done), 1);
          reject(new Error(`not closed within ${ms} ms; ${status()}`));
        }, ms);
        closeWaiters.push(done);
      });
    },
    close: (code = 1000) => ws.close(code),
    terminate: () => ws.terminate(),
    get closed() {
      return closed;
    },
  };

  return new Promise<WsLineClient>((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`${label}: not open within ${timeoutMs} ms`));
    }, timeoutMs);
    ws.once('open', () => {
      clearTimeout(timer);
      resolve(client);
    });
    ws.once('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      live.delete(ws);
      reject(Object.assign(new Error(`${label}: refused with HTTP ${res.statusCode}`), { status: res.statusCode }));
      res.resume();
      ws.terminate();
    });
    ws.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** Connects, reads `Username?`, sends `name` and reads the welcome. */
export async function joinWebAs(port: number, name: string, options: WsConnectOptions = {}): Promise<WsLineClient> {
  const client = await connectWeb(port, options);
  await client.expectLines(['Username?']);
  await client.send(name);
  await client.expectLines([`You are now connected, ${name}!`]);
  return client;
}
