// The real entry point as a process: `node --import tsx src/bin/chat-server.ts …`.
//
// PROTOCOL.md "Server command line": logs to stderr, prints `listening on <host>:<port>` once it
// accepts connections, `--help` exits 0, an unknown flag or a bad value prints a clear message
// and exits 2; SIGINT/SIGTERM: every client gets `*** Server is shutting down`, exit 0 within 5 s.
// Every process spawned here is killed in afterEach, whatever the test did.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, destroyAllClients } from './helpers/tcp.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = fileURLToPath(new URL('../src/bin/chat-server.ts', import.meta.url));
const STARTUP_MS = 5000;
const EXIT_MS = 5000;

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

interface ServerProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stderr; rejects after `ms` or at exit. */
  waitForStderr(pattern: RegExp, ms?: number): Promise<RegExpExecArray>;
  /** Resolves when the process exits; rejects after `ms`. */
  waitForExit(ms?: number): Promise<Exit>;
}

/** What a test passes to say which test owns a process (its test context). */
interface Owner {
  readonly task: { readonly id: string };
}

/** Every process spawned and not yet reaped, by the id of the test that spawned it. */
const spawned = new Map<string, ServerProcess[]>();

/**
 * Spawns the server with `args` for the test `owner`; afterEach kills it when that test ends.
 * The environment has no HOST, PORT or REDIS_URL unless `env` sets them. The web and IRC front
 * ends listen on free ports (not 7780 and 6667, which another program on the machine may hold).
 */
function spawnServer(owner: Owner, args: readonly string[], env: Readonly<Record<string, string>> = {}): ServerProcess {
  const { HOST: _host, PORT: _port, REDIS_URL: _redis, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, '--web-port', '0', '--irc-port', '0', ...args], {
    cwd: ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let exit: Exit | undefined;
  const listeners = new Set<() => void>();
  const changed = (): void => {
    for (const listener of listeners) listener();
  };
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    out += text;
    changed();
  });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    err += text;
    changed();
  });
  // 'close' (not 'exit'): the output pipes are drained by then, so stdout/stderr are complete.
  child.on('close', (code, signal) => {
    exit = { code, signal };
    changed();
  });

  /** Waits until `check` returns a value, re-checking on every output or exit; bounded by `ms`. */
  const waitFor = <T>(check: () => T | undefined, ms: number, what: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const attempt = (): void => {
        let value: T | undefined;
        try {
          value = check();
        } catch (e) {
          finish();
          reject(e instanceof Error ? e : new Error(String(e)));
          return;
        }
        if (value !== undefined) {
          finish();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`${what}: not within ${ms} ms; stdout ${JSON.stringify(out)}, stderr ${JSON.stringify(err)}`));
      }, ms);
      const finish = (): void => {
        clearTimeout(timer);
        listeners.delete(attempt);
      };
      listeners.add(attempt);
      attempt();
    });

  const proc: ServerProcess = {
    child,
    stdout: () => out,
    stderr: () => err,
    waitForStderr: (pattern, ms = STARTUP_MS) =>
      waitFor(
        () => {
          const match = pattern.exec(err);
          if (match !== null) return match;
          if (exit !== undefined) throw new Error(`exited (${JSON.stringify(exit)}) before ${pattern}; stderr ${JSON.stringify(err)}`);
          return undefined;
        },
        ms,
        `stderr ${pattern}`,
      ),
    waitForExit: (ms = EXIT_MS) => waitFor(() => exit, ms, 'exit'),
  };
  spawned.set(owner.task.id, [...(spawned.get(owner.task.id) ?? []), proc]);
  return proc;
}

/** Spawns the server and waits for `listening on 127.0.0.1:<port>`; returns the port. */
async function spawnListening(
  owner: Owner,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<{ proc: ServerProcess; port: number }> {
  const proc = spawnServer(owner, args, env);
  const match = await proc.waitForStderr(/^listening on 127\.0\.0\.1:(\d+)$/m);
  return { proc, port: Number(match[1]) };
}

// Tests that connect clients run one at a time, so destroying every client here is safe; the
// concurrent tests (argument errors) only spawn processes, and each test reaps its own.
afterEach(async ({ task }) => {
  destroyAllClients();
  const running = spawned.get(task.id) ?? [];
  spawned.delete(task.id);
  await Promise.all(
    running.map(async (proc) => {
      if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
      await proc.waitForExit();
    }),
  );
});

describe('rxchat-server process', () => {
  /**
   * `--port 0`: binds a free port, logs it, serves the chat; on SIGTERM every client, named or
   * still at the prompt, gets `*** Server is shutting down`, is closed, and the process exits 0.
   */
  it('should listen on a free port, serve clients, and shut down cleanly on SIGTERM', async (ctx) => {
    const { proc, port } = await spawnListening(ctx, ['--port', '0']);
    expect(port).toBeGreaterThan(0);
    expect(port).not.toBe(7777);
    // Every other front end names its address too.
    await proc.waitForStderr(/^web on http:\/\/127\.0\.0\.1:\d+\/$/mu);
    await proc.waitForStderr(/^IRC on 127\.0\.0\.1:\d+$/mu);

    const prompted = await connectClient(port);
    await prompted.expectLines(['Username?']);
    const bob = await connectClient(port);
    await bob.expectLines(['Username?']);
    await bob.send('Bob');
    await bob.expectLines(['You are now connected, Bob!']);

    proc.child.kill('SIGTERM');
    expect(await bob.waitForClose(EXIT_MS)).toEqual(['*** Server is shutting down']);
    expect(await prompted.waitForClose(EXIT_MS)).toEqual(['*** Server is shutting down']);
    expect(await proc.waitForExit()).toEqual({ code: 0, signal: null });
  });

  /** SIGINT (Ctrl-C) is the same clean shutdown. */
  it('should shut down cleanly on SIGINT', async (ctx) => {
    const { proc, port } = await spawnListening(ctx, ['--port', '0']);
    const client = await connectClient(port);
    await client.expectLines(['Username?']);
    proc.child.kill('SIGINT');
    expect(await client.waitForClose(EXIT_MS)).toEqual(['*** Server is shutting down']);
    expect(await proc.waitForExit()).toEqual({ code: 0, signal: null });
  });

  /** `PORT=0` in the environment works like `--port 0`. */
  it('should take the port from the PORT environment variable', async (ctx) => {
    const { port } = await spawnListening(ctx, [], { PORT: '0' });
    expect(port).toBeGreaterThan(0);
    expect(port).not.toBe(7777);
    const client = await connectClient(port);
    await client.expectLines(['Username?']);
  });

});

describe.concurrent('rxchat-server arguments', () => {
  /** `--help`: usage on stdout, exit 0, no listening. */
  it('should print usage and exit 0 on --help', async (ctx) => {
    const proc = spawnServer(ctx, ['--help']);
    expect(await proc.waitForExit()).toEqual({ code: 0, signal: null });
    expect(proc.stdout()).toMatch(/^Usage: rxchat-server/);
    expect(proc.stdout()).toContain('--host');
    expect(proc.stdout()).toContain('--port');
    expect(proc.stdout()).toContain('--help');
    expect(proc.stderr()).not.toContain('listening on');
  });

  /** An unknown flag or a bad value: one clear message naming it on stderr, exit 2, no listening. */
  it.for<{ args: string[]; env: Record<string, string>; mentions: string[] }>([
    { args: ['--bogus'], env: {}, mentions: ["'--bogus'"] },
    { args: ['--port', '70000'], env: {}, mentions: ['--port', "'70000'", '0 to 65535'] },
    { args: ['--port', 'abc'], env: {}, mentions: ['--port', "'abc'", '0 to 65535'] },
    { args: [], env: { PORT: 'abc' }, mentions: ["'abc'", '0 to 65535'] },
  ])('should reject $args $env with exit 2', async ({ args, env, mentions }, ctx) => {
    const proc = spawnServer(ctx, args, env);
    expect(await proc.waitForExit()).toEqual({ code: 2, signal: null });
    const stderr = proc.stderr();
    expect(stderr).toMatch(/^rxchat-server: /);
    for (const text of mentions) expect(stderr).toContain(text);
    expect(stderr).not.toContain('listening on');
    expect(proc.stdout()).toBe('');
  });
});
