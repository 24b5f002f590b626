// Real-socket test helpers, in the spirit of mini-redis `tests/server.rs` `start_server()`.
//
// `startServer()` runs the real server in this process (src/server.ts, as `npm start` does, with
// only the line protocol's TCP front end) on 127.0.0.1 and an OS-chosen port; `connectClient(port)`
// is a tiny line client over net.connect.
//
// Every wait is on an event with a bounded timeout; nothing sleeps "to let things settle". To
// show that something did NOT arrive, a test uses a sentinel: an action whose effect is known to
// reach the client later in the one global order; the lines read before it must be exactly the
// expected ones. `waitForClose()` is such a sentinel too: it hands back every unread line, so
// "X, then closed" is asserted as "the unread lines at close are exactly [X]".
import { afterEach, beforeEach } from 'vitest';
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { DEFAULTS, type ServerSettings } from '../../src/config.ts';
import type { Listener, Running } from '../../src/run.ts';
import { startServer as startChatServer } from '../../src/server.ts';

export const DEFAULT_TIMEOUT_MS = 2000;

// ---------------------------------------------------------------------------------------------
// Server

/** Server settings to override; the rest are the server's defaults (PROTOCOL.md "Limits"). */
export type StartServerOptions = Partial<Omit<ServerSettings, 'host' | 'port'>> & {
  /** The name timeout in ms (beats `nameTimeoutSeconds`), so a test can use a short one. */
  readonly nameTimeoutMs?: number;
};

export interface TestServer {
  readonly port: number;
  /** What the listener logged (connects, joins, disconnects); handy when a test fails. */
  readonly logs: readonly string[];
  /** The line protocol's real TCP listener (`connections()`). */
  readonly listener: Listener;
  /** The running server: its hub, every listener. */
  readonly running: Running;
  /** Shuts down as SIGINT/SIGTERM does in the CLI: everyone is told, then closed within `graceMs`. */
  shutdown(graceMs: number): Promise<void>;
  /** Stops the listener and destroys every server-side socket at once. Idempotent. */
  close(): Promise<void>;
  /**
   * Resolves with the first log line (already logged or still to come) that `match` accepts; a
   * string matches a whole line. Rejects after `timeoutMs`, naming what was logged.
   */
  waitForLog(match: string | RegExp, timeoutMs?: number): Promise<string>;
  /** The server's id for a client's connection (`#3` in the logs is 3), found by its local port. */
  connectionId(client: LineClient): number;
}

/** Starts the real server in-process on 127.0.0.1, port 0 (any free port). */
export async function startServer(options: StartServerOptions = {}): Promise<TestServer> {
  const { nameTimeoutMs, ...overrides } = options;
  const settings: ServerSettings = { ...DEFAULTS, webPort: null, ircPort: null, ...overrides, host: '127.0.0.1', port: 0 };
  const logs: string[] = [];
  const logWaiters: Array<(line: string) => void> = [];
  const log = (message: string): void => {
    logs.push(message);
    for (const waiter of [...logWaiters]) waiter(message);
  };
  const running = await startChatServer(settings, log, nameTimeoutMs === undefined ? {} : { nameTimeoutMs });
  const listener = running.listeners.find((l) => l.name === 'line protocol') as Listener;
  const matches = (match: string | RegExp, line: string): boolean => (typeof match === 'string' ? line === match : match.test(line));
  return {
    port: listener.port,
    logs,
    listener,
    running,
    shutdown: (graceMs) => running.shutdown(graceMs),
    close: () => Promise.all(running.listeners.map((l) => l.close())).then(() => running.hub.dispose()),
    waitForLog(match, ms = DEFAULT_TIMEOUT_MS) {
      const seen = logs.find((line) => matches(match, line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        const forget = (): void => {
          const i = logWaiters.indexOf(waiter);
          if (i !== -1) logWaiters.splice(i, 1);
        };
        const waiter = (line: string): void => {
          if (!matches(match, line)) return;
          clearTimeout(timer);
          forget();
          resolve(line);
        };
        const timer = setTimeout(() => {
          forget();
          reject(new Error(`no log line matching ${String(match)} within ${ms} ms; logged ${JSON.stringify(logs)}`));
        }, ms);
        logWaiters.push(waiter);
      });
    },
    connectionId(client) {
      const suffix = ` connected from 127.0.0.1:${client.localPort}`;
      const line = logs.find((l) => l.endsWith(suffix));
      const id = line === undefined ? undefined : /^#(\d+) /.exec(line)?.[1];
      if (id === undefined) throw new Error(`${client.label}: no connection from port ${client.localPort} in ${JSON.stringify(logs)}`);
      return Number(id);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Client

/**
 * A fresh server for every test of the calling file: started in `beforeEach`, closed (with every
 * client) in `afterEach`. The returned object always stands for the current test's server.
 */
export function serverPerTest(options: StartServerOptions = {}): TestServer {
  let current: TestServer | undefined;
  beforeEach(async () => {
    current = await startServer(options);
  });
  afterEach(async () => {
    destroyAllClients();
    await current?.close();
    current = undefined;
  });
  const now = (): TestServer => {
    if (current === undefined) throw new Error('serverPerTest: the server exists only while a test runs');
    return current;
  };
  return new Proxy({} as TestServer, { get: (_target, key) => Reflect.get(now(), key) as unknown });
}

export interface LineClient {
  /** A short label for error messages (`client#3`). */
  readonly label: string;
  /** Every complete line received so far, in order (without the LF), read or not. */
  readonly received: readonly string[];
  /** When each line of `received` arrived (`performance.now()` ms), index for index. */
  readonly receivedAt: readonly number[];
  /** This end's local TCP port (the server logs it as the remote port). */
  readonly localPort: number;
  /** Sends `text` plus LF; resolves once the bytes are handed to the kernel. */
  send(text: string): Promise<void>;
  /** Sends bytes exactly as given (a string is sent as UTF-8). */
  sendRaw(bytes: Uint8Array | string): Promise<void>;
  /** The next unread line; rejects after `timeoutMs`, or at close, naming what was received. */
  nextLine(timeoutMs?: number): Promise<string>;
  /** Reads `lines.length` lines and asserts they are exactly `lines`, in order. */
  expectLines(lines: readonly string[], timeoutMs?: number): Promise<void>;
  /** Resolves, with the lines still unread, once the connection is closed (by either side). */
  waitForClose(timeoutMs?: number): Promise<string[]>;
  /** Half-close: sends FIN (after `text`, if given, sent as is) but keeps reading. */
  end(text?: string): void;
  /** Abrupt close: the socket is destroyed (the kernel sends FIN). */
  destroy(): void;
  /** Abortive close: the socket is reset (the kernel sends RST). */
  reset(): void;
  /** Stops reading: the kernel buffers fill and the server's writes back up (a slow consumer). */
  pause(): void;
  /** Reads again after `pause()`. */
  resume(): void;
  /** True once the connection is closed. */
  readonly closed: boolean;
  /** The socket's last error code (`ECONNRESET`, `EPIPE`, …), or '' if none. */
  readonly lastError: string;
}

export interface ConnectOptions {
  /**
   * Keep our side open after the server's FIN (Node's `allowHalfOpen`): a client that never
   * closes its side, so only the server cutting the connection ends it. Default false.
   */
  readonly allowHalfOpen?: boolean;
}

const liveSockets = new Set<Socket>();
let nextClientNumber = 1;

/** Destroys every client socket still open. Call it in `afterEach`, before closing the server. */
export function destroyAllClients(): void {
  for (const socket of liveSockets) socket.destroy();
  liveSockets.clear();
}

interface Waiter {
  readonly resolve: (line: string) => void;
  readonly reject: (err: Error) => void;
}

/** Connects a line client to 127.0.0.1:`port`; resolves once the TCP connection is up. */
export function connectClient(port: number, timeoutMs = DEFAULT_TIMEOUT_MS, options: ConnectOptions = {}): Promise<LineClient> {
  const label = `client#${nextClientNumber++}`;
  const socket = connect({ host: '127.0.0.1', port, noDelay: true, allowHalfOpen: options.allowHalfOpen ?? false });
  liveSockets.add(socket);

  const received: string[] = [];
  const receivedAt: number[] = [];
  let localPort = 0;
  let readIndex = 0;
  let partial: Buffer[] = [];
  let closed = false;
  let lastError = '';
  const waiters: Waiter[] = [];
  const closeWaiters: Array<() => void> = [];

  const status = (): string => {
    const tail = Buffer.concat(partial).toString('utf8');
    const state = closed ? 'closed' : 'open';
    const error = lastError === '' ? '' : `, error ${lastError}`;
    return (
      `${label} received so far ${JSON.stringify(received)} (read ${readIndex})` +
      `${tail === '' ? '' : `, unterminated ${JSON.stringify(tail)}`}; socket ${state}${error}`
    );
  };

  socket.on('data', (chunk: Buffer) => {
    let start = 0;
    for (;;) {
      const lf = chunk.indexOf(0x0a, start);
      if (lf === -1) break;
      const line = Buffer.concat([...partial, chunk.subarray(start, lf)]).toString('utf8');
      partial = [];
      received.push(line);
      receivedAt.push(performance.now());
      start = lf + 1;
    }
    if (start < chunk.length) partial.push(Buffer.from(chunk.subarray(start)));
    while (waiters.length > 0 && readIndex < received.length) {
      const waiter = waiters.shift();
      waiter?.resolve(received[readIndex++] ?? '');
    }
  });
  socket.on('error', (err: NodeJS.ErrnoException) => {
    lastError = err.code ?? err.message;
  });
  socket.on('close', () => {
    closed = true;
    liveSockets.delete(socket);
    for (const waiter of waiters.splice(0)) waiter.reject(new Error(`connection closed before the next line; ${status()}`));
    for (const done of closeWaiters.splice(0)) done();
  });

  const write = (bytes: Uint8Array | string): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      socket.write(bytes, (err) => (err ? reject(new Error(`${label} write failed: ${err.message}`)) : resolve()));
    });

  const nextLine = (ms = DEFAULT_TIMEOUT_MS): Promise<string> => {
    if (readIndex < received.length) return Promise.resolve(received[readIndex++] ?? '');
    if (closed) return Promise.reject(new Error(`connection closed, no more lines; ${status()}`));
    return new Promise<string>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      const timer = setTimeout(() => {
        const i = waiters.indexOf(waiter);
        if (i !== -1) waiters.splice(i, 1);
        reject(new Error(`no line within ${ms} ms; ${status()}`));
      }, ms);
      waiters.push(waiter);
    });
  };

  const client: LineClient = {
    label,
    received,
    receivedAt,
    get localPort() {
      return localPort;
    },
    send: (text) => write(`${text}\n`),
    sendRaw: (bytes) => write(bytes),
    nextLine,
    async expectLines(lines, ms = DEFAULT_TIMEOUT_MS) {
      const got: string[] = [];
      for (const expected of lines) {
        let line: string;
        try {
          line = await nextLine(ms);
        } catch (err) {
          const reason = err instanceof Error ? err.message : String(err);
          throw new Error(`expected ${JSON.stringify(lines)}, got only ${JSON.stringify(got)}: ${reason}`);
        }
        got.push(line);
        if (line !== expected) {
          throw new Error(`expected ${JSON.stringify(lines)}, got ${JSON.stringify(got)} (so far); ${status()}`);
        }
      }
    },
    waitForClose(ms = DEFAULT_TIMEOUT_MS) {
      const unread = (): string[] => received.slice(readIndex);
      if (closed) return Promise.resolve(unread());
      return new Promise<string[]>((resolve, reject) => {
        const done = (): void => {
          clearTimeout(timer);
          resolve(unread());
        };
        const timer = setTimeout(() => {
          const i = closeWaiters.indexOf(done);
          if (i !== -1) closeWaiters.splice(i, 1);
          reject(new Error(`connection not closed within ${ms} ms; ${status()}`));
        }, ms);
        closeWaiters.push(done);
      });
    },
    end(text) {
      if (text === undefined) socket.end();
      else socket.end(text);
    },
    destroy: () => socket.destroy(),
    reset: () => socket.resetAndDestroy(),
    pause: () => socket.pause(),
    resume: () => socket.resume(),
    get closed() {
      return closed;
    },
    get lastError() {
      return lastError;
    },
  };

  return new Promise<LineClient>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${label}: no connection to port ${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      localPort = socket.localPort ?? 0;
      resolve(client);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      reject(new Error(`${label}: connection to port ${port} failed (${lastError || 'closed'})`));
    });
  });
}

/** Connects and reads the name prompt: a client at `Username?`. */
export async function connectPrompted(port: number): Promise<LineClient> {
  const client = await connectClient(port);
  await client.expectLines(['Username?']);
  return client;
}

/** Connects, reads the prompt, sends `name` and reads the welcome: a chatting client. */
export async function joinAs(port: number, name: string): Promise<LineClient> {
  const client = await connectPrompted(port);
  await client.send(name);
  await client.expectLines([`You are now connected, ${name}!`]);
  return client;
}

/**
 * One turn of the event loop: lets this process's own server read what the kernel holds. Only
 * for pacing writes (to make the server read them apart); never a wait for an outcome.
 */
export const nextTurn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Sends `bytes` one byte per write, so the server sees each byte as its own chunk.
 *
 * Each write is flushed to the kernel (write callback), then two event-loop turns pass so the
 * in-process server reads it before the next byte is written (a turn's poll phase reads the
 * loopback socket). This only paces the writes: no assertion depends on it, and if two bytes
 * ever did share a chunk the test would still be correct, just less searching.
 */
export async function sendOneByteAtATime(client: LineClient, bytes: Uint8Array | string): Promise<void> {
  const all = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  for (const byte of all) {
    await client.sendRaw(Uint8Array.of(byte));
    await nextTurn();
    await nextTurn();
  }
}
