// Real-socket helpers for the IRC front end: the real server (src/server.ts) with its line and IRC
// listeners on free ports, and a raw IRC client that checks the wire discipline as it reads.
//
// `connectIrc(port)` is a tiny IRC client over net.connect: it sends lines with CR LF, and records
// every line it reads, failing the test if one does not end in CR LF or is longer than 512 bytes.
// Every wait is on an event with a bounded timeout.
import { connect, type Socket } from 'node:net';
import { DEFAULTS, type ServerSettings } from '../../src/config.ts';
import type { Listener, Running } from '../../src/run.ts';
import { startServer, type ServerOptions } from '../../src/server.ts';

export const WAIT_MS = 3000;

export interface IrcTestServer {
  readonly running: Running;
  /** The line protocol's port and the IRC port. */
  readonly linePort: number;
  readonly ircPort: number;
  /** The web front end's port, when `webPort` was set (0: a free one). */
  readonly webPort: number | null;
  readonly logs: readonly string[];
  close(): Promise<void>;
}

/** Starts the real server on 127.0.0.1 with the line protocol and IRC on free ports (no web unless asked, no Redis). */
export async function startIrcServer(settings: Partial<ServerSettings> = {}, options: ServerOptions = {}): Promise<IrcTestServer> {
  const logs: string[] = [];
  const all: ServerSettings = { ...DEFAULTS, webPort: null, metricsPort: null, redis: null, ...settings, host: '127.0.0.1', port: 0, ircPort: 0 };
  const running = await startServer(all, (m) => logs.push(m), options);
  const find = (name: string): Listener => {
    const found = running.listeners.find((l) => l.name === name);
    if (found === undefined) throw new Error(`no ${name} listener among ${running.listeners.map((l) => l.name).join(', ')}`);
    return found;
  };
  return {
    running,
    linePort: find('line protocol').port,
    ircPort: find('IRC').port,
    webPort: running.listeners.find((l) => l.name === 'web')?.port ?? null,
    logs,
    close: async () => {
      await Promise.all(running.listeners.map((l) => l.close()));
      running.hub.dispose();
    },
  };
}

export interface IrcClient {
  /** Every line read so far (without CR LF). */
  readonly lines: readonly string[];
  /** Sends `text` + CR LF. */
  send(text: string): Promise<void>;
  /** Sends bytes as they are. */
  sendRaw(bytes: string | Uint8Array): Promise<void>;
  /** The first unread line matching `match`, skipping (and consuming) the lines before it. */
  waitFor(match: string | RegExp, timeoutMs?: number): Promise<string>;
  /** The next unread line. */
  next(timeoutMs?: number): Promise<string>;
  /** Resolves with the unread lines once the server closes the connection. */
  closed(timeoutMs?: number): Promise<string[]>;
  /** Registers with NICK and USER and waits for 422 (the end of the welcome). */
  register(nick: string): Promise<void>;
  pause(): void;
  resume(): void;
  destroy(): void;
  /** Wire discipline broken by the server (a line not ending in CR LF, or over 512 bytes), if ever. */
  readonly violations: readonly string[];
}

const sockets = new Set<Socket>();

/** Destroys every IRC client socket still open (call in afterEach). */
export function destroyIrcClients(): void {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
}

export function connectIrc(port: number, timeoutMs = WAIT_MS): Promise<IrcClient> {
  const socket = connect({ host: '127.0.0.1', port, noDelay: true });
  sockets.add(socket);
  const lines: string[] = [];
  const violations: string[] = [];
  let read = 0;
  let pending = Buffer.alloc(0);
  let isClosed = false;
  const wakers = new Set<() => void>();
  const wake = (): void => {
    for (const w of [...wakers]) w();
  };

  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      const lf = pending.indexOf(0x0a);
      if (lf === -1) break;
      const raw = pending.subarray(0, lf + 1);
      pending = pending.subarray(lf + 1);
      if (raw.length > 512) violations.push(`over 512 bytes: ${raw.length}`);
      if (raw.length < 2 || raw[raw.length - 2] !== 0x0d) violations.push(`no CR before LF: ${JSON.stringify(raw.toString('utf8'))}`);
      lines.push(raw.subarray(0, Math.max(0, raw.length - 2)).toString('utf8'));
    }
    wake();
  });
  socket.on('error', () => {});
  // A server that ends the connection cleanly (FIN) must have ended its last line; one that cuts a
  // client off (a reset, as for a too-slow reader) may leave half a line.
  socket.on('end', () => {
    if (pending.length > 0) violations.push(`unterminated at the end: ${JSON.stringify(pending.toString('utf8'))}`);
  });
  socket.on('close', () => {
    isClosed = true;
    sockets.delete(socket);
    wake();
  });

  const until = <T>(check: () => T | undefined, ms: number, what: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const attempt = (): void => {
        let value: T | undefined;
        try {
          value = check();
        } catch (err) {
          wakers.delete(attempt);
          clearTimeout(timer);
          reject(err as Error);
          return;
        }
        if (value === undefined) return;
        wakers.delete(attempt);
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => {
        wakers.delete(attempt);
        reject(new Error(`${what} within ${ms} ms; read ${JSON.stringify(lines.slice(Math.max(0, read - 5)))} (unread from ${read})${isClosed ? ', closed' : ''}`));
      }, ms);
      wakers.add(attempt);
      attempt();
    });

  const write = (bytes: string | Uint8Array): Promise<void> =>
    new Promise<void>((resolve, reject) => socket.write(bytes, (err) => (err ? reject(err) : resolve())));

  const client: IrcClient = {
    lines,
    violations,
    send: (text) => write(`${text}\r\n`),
    sendRaw: write,
    waitFor: (match, ms = WAIT_MS) =>
      until(
        () => {
          for (let i = read; i < lines.length; i++) {
            const line = lines[i] as string;
            if (typeof match === 'string' ? line === match : match.test(line)) {
              read = i + 1;
              return line;
            }
          }
          if (isClosed) throw new Error(`closed before ${String(match)}; read ${JSON.stringify(lines)}`);
          return undefined;
        },
        ms,
        `no line matching ${String(match)}`,
      ),
    next: (ms = WAIT_MS) => until(() => (read < lines.length ? lines[read++] : undefined), ms, 'no next line'),
    closed: (ms = WAIT_MS) => until(() => (isClosed ? lines.slice(read) : undefined), ms, 'not closed'),
    async register(nick) {
      await write(`NICK ${nick}\r\nUSER ${nick} 0 * :${nick}\r\n`);
      await client.waitFor(new RegExp(` 422 ${nick} `));
    },
    pause: () => socket.pause(),
    resume: () => socket.resume(),
    destroy: () => socket.destroy(),
  };
  return new Promise<IrcClient>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no connection to ${port}`)), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(client);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
