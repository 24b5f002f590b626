// Cluster test helpers: rxchat nodes on one Redis, in this process or as child processes (which
// can be killed with SIGKILL), and a small line client that records everything it reads.
//
// Every wait is on an event with a bounded timeout. Nodes run with web and IRC off and short leases.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { DEFAULTS, type ServerSettings } from '../../src/config.ts';
import type { Running } from '../../src/run.ts';
import { startServer } from '../../src/server.ts';

export const ROOT = join(import.meta.dirname, '..', '..');

export interface TestNode {
  readonly port: number;
  readonly node: string;
  readonly running: Running;
  readonly logs: readonly string[];
  /** The first log line matching (already logged or to come), within `timeoutMs`. */
  waitForLog(match: RegExp, timeoutMs?: number): Promise<string>;
  /** Shuts the node down as SIGTERM does (users told, `shutdown` in the log). */
  stop(): Promise<void>;
}

/** A node in this process, on 127.0.0.1 and a free port. */
export async function startNode(redisUrl: string, overrides: Partial<ServerSettings> = {}): Promise<TestNode> {
  const settings: ServerSettings = {
    ...DEFAULTS,
    host: '127.0.0.1',
    port: 0,
    webPort: null,
    ircPort: null,
    nodeLeaseSeconds: 2,
    ...overrides,
    redis: redisUrl,
  };
  const logs: string[] = [];
  const waiters = new Set<(line: string) => void>();
  const log = (message: string): void => {
    logs.push(message);
    for (const waiter of [...waiters]) waiter(message);
  };
  const running = await startServer(settings, log);
  const line = running.listeners.find((l) => l.name === 'line protocol');
  if (line === undefined) throw new Error('no line protocol listener');
  return {
    port: line.port,
    node: running.hub.node,
    running,
    logs,
    waitForLog: (match, timeoutMs = 5000) => waitFor(logs, waiters, match, timeoutMs),
    stop: () => running.shutdown(500),
  };
}

function waitFor(logs: readonly string[], waiters: Set<(line: string) => void>, match: RegExp, timeoutMs: number): Promise<string> {
  const seen = logs.find((l) => match.test(l));
  if (seen !== undefined) return Promise.resolve(seen);
  return new Promise<string>((resolve, reject) => {
    const waiter = (line: string): void => {
      if (!match.test(line)) return;
      clearTimeout(timer);
      waiters.delete(waiter);
      resolve(line);
    };
    const timer = setTimeout(() => {
      waiters.delete(waiter);
      reject(new Error(`no log line matching ${String(match)} within ${timeoutMs} ms; logged:\n${logs.join('\n')}`));
    }, timeoutMs);
    waiters.add(waiter);
  });
}

export interface ChildNode {
  readonly port: number;
  readonly pid: number;
  readonly logs: readonly string[];
  waitForLog(match: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGKILL: the node dies with its connections, leaving its lease to lapse. */
  kill9(): Promise<void>;
  /** Resolves with the exit code (or signal) once the process has ended; bounded. */
  waitForExit(timeoutMs?: number): Promise<number | string>;
}

/** A node as its own process (`rxchat-server` under tsx), for tests that kill it. */
export function spawnNode(redisUrl: string, args: readonly string[] = [], onLine?: (line: string) => void): Promise<ChildNode> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src', 'bin', 'chat-server.ts'), '--port', '0', '--web-port', 'off', '--irc-port', 'off', '--redis', redisUrl, '--node-lease', '2', ...args],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const logs: string[] = [];
  const waiters = new Set<(line: string) => void>();
  let partial = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      logs.push(line);
      onLine?.(line);
      for (const waiter of [...waiters]) waiter(line);
    }
  });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return waitFor(logs, waiters, /^listening on /, 15_000).then((line) => ({
    port: Number(/:(\d+)$/.exec(line)?.[1]),
    pid: child.pid ?? -1,
    logs,
    waitForLog: (match, timeoutMs = 5000) => waitFor(logs, waiters, match, timeoutMs),
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    waitForExit: (timeoutMs = 5000) =>
      Promise.race([
        exited,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`node ${child.pid} still running after ${timeoutMs} ms`)), timeoutMs).unref()),
      ]),
  }));
}

// ---------------------------------------------------------------------------------------------
// A line client

export interface Client {
  readonly name: string;
  /** Every line read, in order. */
  readonly lines: readonly string[];
  /** Chat lines this client said (the text), in order. */
  readonly said: readonly string[];
  readonly closed: boolean;
  send(line: string): void;
  /** Says `text` as a chat line (recorded in `said`). */
  say(text: string): void;
  /** Resolves with the first line at or after `from` (default: the start) that matches; bounded. */
  waitFor(match: string | RegExp | ((line: string) => boolean), timeoutMs?: number, from?: number): Promise<string>;
  /** Resolves once the server has closed the connection; bounded. */
  waitForClose(timeoutMs?: number): Promise<void>;
  destroy(): void;
}

const clients = new Set<Socket>();

/** Destroys every client socket still open (afterEach / afterAll). */
export function destroyClients(): void {
  for (const socket of clients) socket.destroy();
  clients.clear();
}

/** Connects to 127.0.0.1:`port` and, with a name, claims it and waits for the welcome. */
export async function connectClient(port: number, name: string | null, timeoutMs = 5000): Promise<Client> {
  const socket = connect({ host: '127.0.0.1', port, noDelay: true });
  clients.add(socket);
  const lines: string[] = [];
  const said: string[] = [];
  const waiters = new Set<() => void>();
  let partial = '';
  let closed = false;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    for (const waiter of [...waiters]) waiter();
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    closed = true;
    clients.delete(socket);
    for (const waiter of [...waiters]) waiter();
  });
  const test = (match: string | RegExp | ((line: string) => boolean), line: string): boolean =>
    typeof match === 'string' ? line === match : match instanceof RegExp ? match.test(line) : match(line);
  const client: Client = {
    name: name ?? '',
    lines,
    said,
    get closed() {
      return closed;
    },
    send: (line) => void socket.write(`${line}\n`),
    say(text) {
      said.push(text);
      socket.write(`${text}\n`);
    },
    waitFor(match, ms = 5000, from = 0) {
      return new Promise<string>((resolve, reject) => {
        const check = (): boolean => {
          for (let i = from; i < lines.length; i++) {
            const line = lines[i] as string;
            if (test(match, line)) {
              done();
              resolve(line);
              return true;
            }
          }
          if (closed) {
            done();
            reject(new Error(`${name ?? 'client'}: closed before a line matching ${String(match)}; read ${JSON.stringify(lines.slice(-30))}`));
            return true;
          }
          return false;
        };
        const done = (): void => {
          clearTimeout(timer);
          waiters.delete(waiter);
        };
        const waiter = (): void => void check();
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`${name ?? 'client'}: no line matching ${String(match)} within ${ms} ms; read ${JSON.stringify(lines.slice(-30))}`));
        }, ms);
        if (!check()) waiters.add(waiter);
      });
    },
    waitForClose(ms = 5000) {
      if (closed) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name ?? 'client'}: still open after ${ms} ms`)), ms);
        socket.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    destroy: () => socket.destroy(),
  };
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  await client.waitFor('Username?', timeoutMs);
  if (name !== null) {
    client.send(name);
    await client.waitFor(`You are now connected, ${name}!`, timeoutMs);
  }
  return client;
}

/** Resolves after `ms` (only to space out a client's lines, never to wait for an outcome). */
export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
