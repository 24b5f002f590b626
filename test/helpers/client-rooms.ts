// End-to-end helpers for the terminal client: the real server (src/server.ts `startServer`, as
// `npm start` runs it, line protocol only), the real `rxchat` client as a process with stdin piped,
// the same client in a real terminal (a tmux pane: prompt, Tab, colour), and a raw line socket
// standing for any other client (`nc`).
//
// Every wait is on an event (a line arrives, the process exits, the screen shows something),
// bounded by WAIT_MS; a failed wait says what was seen. The terminal is read with `capture-pane`,
// polled until it shows what is awaited: a screen has no events to wait on.
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DEFAULTS } from '../../src/config.ts';
import { startServer } from '../../src/server.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const WAIT_MS = 8000;

/** Rejects with `what` (and what was seen) unless `promise` settles within WAIT_MS. */
function bounded<T>(what: () => string, promise: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what()}: not within ${WAIT_MS} ms`)), WAIT_MS);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

// ---------------------------------------------------------------------------------------------
// The server

export interface LineServer {
  readonly port: number;
  /** Shuts the server down (everyone is told) and closes every connection. Idempotent. */
  stop(): Promise<void>;
}

/** The real server on 127.0.0.1 and any free port, with only the line protocol front end. */
export async function startLineServer(): Promise<LineServer> {
  const logs: string[] = [];
  const running = await startServer({ ...DEFAULTS, port: 0, webPort: null, ircPort: null, metricsPort: null, redis: null }, (line) => logs.push(line));
  const port = running.listeners[0]?.port;
  if (port === undefined) throw new Error(`no listener: ${logs.join('\n')}`);
  return { port, stop: () => running.shutdown(0) };
}

// ---------------------------------------------------------------------------------------------
// A raw line socket

export interface RawClient {
  send(line: string): void;
  /** The next line from the server (resolves at once if one is waiting). */
  next(): Promise<string>;
  /** Reads the next `lines.length` lines and resolves with them (compare them whole). */
  read(count: number): Promise<string[]>;
  close(): void;
}

/** A bare TCP line client, as `nc` would be: what it reads, line by line, in order. */
export async function rawClient(port: number): Promise<RawClient> {
  const socket = connect(port, '127.0.0.1');
  await bounded(
    () => 'raw socket connecting',
    new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject)),
  );
  const lines: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  let partial = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      const waiter = waiting.shift();
      if (waiter === undefined) lines.push(line);
      else waiter(line);
    }
  });
  const next = (): Promise<string> => {
    const line = lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    return bounded(
      () => 'raw socket reading a line',
      new Promise<string>((resolve) => waiting.push(resolve)),
    );
  };
  return {
    send: (line) => void socket.write(`${line}\n`),
    next,
    read: async (count) => {
      const read: string[] = [];
      for (let i = 0; i < count; i++) read.push(await next());
      return read;
    },
    close: () => socket.destroy(),
  };
}

// ---------------------------------------------------------------------------------------------
// The client as a process, stdin piped

/** A client process with its output collected, and ways to wait for what it prints or its exit. */
export interface ClientProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout matches; rejects after WAIT_MS with what was seen. */
  waitFor(pattern: RegExp): Promise<void>;
  /** Resolves with the exit code; rejects after WAIT_MS. */
  exited(): Promise<number | null>;
}

/** Every client spawned, so that none outlives a failed test (see `killClients`). */
const spawned = new Set<ChildProcessWithoutNullStreams>();

/** Kills every client process still running (call it in `afterAll`). */
export function killClients(): void {
  for (const child of spawned) if (child.exitCode === null) child.kill();
}

/** Spawns `rxchat` (src/bin/chat-client.ts through tsx) with `args`; stdout is not a TTY. */
export function spawnClient(args: readonly string[]): ClientProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/bin/chat-client.ts', ...args], { cwd: ROOT });
  spawned.add(child);
  const out = { stdout: '', stderr: '' };
  const waiters = new Set<() => void>();
  const changed = (): void => waiters.forEach((check) => check());
  child.stdout.on('data', (chunk: Buffer) => ((out.stdout += chunk.toString()), changed()));
  child.stderr.on('data', (chunk: Buffer) => ((out.stderr += chunk.toString()), changed()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const seen = (): string => `\nstdout: ${JSON.stringify(out.stdout)}\nstderr: ${JSON.stringify(out.stderr)}`;

  return {
    child,
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    waitFor: (pattern) =>
      bounded(
        () => `rxchat printing ${pattern}${seen()}`,
        new Promise<void>((resolve) => {
          const check = (): void => {
            if (pattern.test(out.stdout)) {
              waiters.delete(check);
              resolve();
            }
          };
          waiters.add(check);
          check();
        }),
      ),
    exited: () => bounded(() => `rxchat exiting${seen()}`, exit),
  };
}

// ---------------------------------------------------------------------------------------------
// The client in a real terminal

const run = promisify(execFile);

export interface TerminalClient {
  /** Types keys as tmux names them (`Tab`, `Enter`, `C-d`, or literal text). */
  keys(...keys: string[]): Promise<void>;
  /** The screen as text; with `escapes`, with its colours as SGR sequences. */
  screen(escapes?: boolean): Promise<string>;
  /** Resolves with the screen once `seen` accepts it; rejects after WAIT_MS with the last screen. */
  waitForScreen(seen: (screen: string) => boolean, what: string, escapes?: boolean): Promise<string>;
  /** Resolves with the client's exit status once it has exited (the pane stays to be read). */
  exited(): Promise<number>;
  /** Ends the terminal (and the client in it). Idempotent. */
  close(): Promise<void>;
}

/**
 * Runs `rxchat` with `args` in a tmux pane of its own (its own tmux server on a socket in a temp
 * directory, 100×30), with `env`
 * set and the variables in `unset` removed, so stdin and stdout are a real terminal.
 */
export async function terminalClient(args: readonly string[], env: Readonly<Record<string, string>>, unset: readonly string[] = []): Promise<TerminalClient> {
  const dir = await mkdtemp(join(tmpdir(), 'rxchat-tmux-'));
  const tmux = (...words: string[]): Promise<{ stdout: string }> => run('tmux', ['-S', join(dir, 'socket'), ...words], { cwd: ROOT });
  const command = [
    'env',
    ...unset.flatMap((name) => ['-u', name]),
    ...Object.entries(env).map(([name, value]) => `${name}=${value}`),
    process.execPath,
    '--import',
    'tsx',
    'src/bin/chat-client.ts',
    ...args,
  ];
  // The pane stays when the client exits, so its last screen can be read; the shell around the
  // client writes its exit status to a file (tmux's #{pane_dead_status} was sometimes empty here).
  const statusFile = join(dir, 'status');
  const quote = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`;
  const script = `${command.map(quote).join(' ')}; echo $? > ${quote(statusFile)}`;
  await tmux('new-session', '-d', '-x', '100', '-y', '30', '-c', ROOT, 'sh', '-c', script, ';', 'set-option', 'remain-on-exit', 'on');
  let last = '';
  const screen = async (escapes = false): Promise<string> =>
    (last = (await tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', '0')).stdout);
  let closed = false;
  return {
    keys: async (...keys) => void (await tmux('send-keys', '-t', '0', ...keys)),
    screen,
    waitForScreen: async (seen, what, escapes = false) => {
      const deadline = Date.now() + WAIT_MS;
      while (Date.now() < deadline) {
        const now = await screen(escapes);
        if (seen(now)) return now;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`the terminal showing ${what}: not within ${WAIT_MS} ms; it shows:\n${last}`);
    },
    exited: async () => {
      const deadline = Date.now() + WAIT_MS;
      while (Date.now() < deadline) {
        const status = await readFile(statusFile, 'utf8').catch(() => '');
        if (status.trim() !== '') return Number(status.trim());
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`the client exiting: not within ${WAIT_MS} ms; the terminal shows:\n${await screen()}`);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await tmux('kill-server');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The screen's last line that is not blank: where the prompt and the typed input are. */
export function inputLine(screen: string): string {
  return (
    screen
      .split('\n')
      .filter((line) => line.trim() !== '')
      .at(-1) ?? ''
  );
}
