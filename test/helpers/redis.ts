// A real redis-server for tests: on a unix socket in a temp dir (no TCP port to race for; `--port 0`
// turns TCP off), with the settings the cluster's guarantees need (AOF, `appendfsync always`).
//
// It can be killed with SIGKILL and started again on the same files (nothing acknowledged may be
// lost), started again empty (the nodes must notice), or stopped with SIGSTOP and continued (a
// frozen Redis: sockets stay open and nothing answers). Every wait is bounded. The process is
// started and signalled by its PID only.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';

export interface RedisServer {
  /** `unix:///…/redis.sock`, for `--redis`. */
  readonly url: string;
  readonly dir: string;
  readonly pid: number;
  /** A plain node-redis client on it (RESP2), for checks; connected on first use, closed by stop(). */
  command(args: readonly string[]): Promise<unknown>;
  /** SIGKILL, and wait for the exit. */
  kill9(): Promise<void>;
  /** Starts it again on the same files (after kill9). */
  restart(): Promise<void>;
  /** SIGKILL, delete its files, start it again empty. */
  restartEmpty(): Promise<void>;
  /** SIGSTOP: frozen, its sockets stay open. */
  freeze(): void;
  /** SIGCONT after freeze(). */
  thaw(): void;
  /** Stops it for good and deletes its dir. Idempotent. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;

/** Starts redis-server (the Debian package; CI installs it) and resolves once it accepts connections. */
export async function startRedis(options: { readonly appendfsync?: 'always' | 'everysec' } = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'rxchat-redis-'));
  const socket = join(dir, 'redis.sock');
  const args = [
    '--port', '0',
    '--unixsocket', socket,
    '--unixsocketperm', '700',
    '--dir', dir,
    '--appendonly', 'yes',
    '--appendfsync', options.appendfsync ?? 'always',
    '--save', '',
    '--daemonize', 'no',
    '--loglevel', 'notice',
  ];
  let child: ChildProcess = await launch(args);
  let frozen = false;
  let client: ReturnType<typeof createClient> | null = null;

  const exited = (c: ChildProcess): Promise<void> =>
    c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((resolve) => c.once('exit', () => resolve()));

  const kill9 = async (): Promise<void> => {
    child.kill('SIGKILL');
    frozen = false;
    await exited(child);
  };
  const dropClient = (): void => {
    client?.destroy();
    client = null;
  };

  let stopped = false;
  return {
    url: `unix://${socket}`,
    dir,
    get pid() {
      return child.pid ?? -1;
    },
    async command(cmd) {
      if (client === null || !client.isReady) {
        dropClient();
        client = createClient({ RESP: 2, socket: { path: socket, tls: false, reconnectStrategy: false, connectTimeout: 2000 } });
        client.on('error', () => {});
        await client.connect();
      }
      return client.sendCommand(cmd as string[]);
    },
    kill9: async () => {
      dropClient();
      await kill9();
    },
    async restart() {
      child = await launch(args);
    },
    async restartEmpty() {
      dropClient();
      await kill9();
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir);
      child = await launch(args);
    },
    freeze() {
      child.kill('SIGSTOP');
      frozen = true;
    },
    thaw() {
      child.kill('SIGCONT');
      frozen = false;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      dropClient();
      if (frozen) child.kill('SIGCONT');
      await kill9();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Spawns redis-server and waits for "ready to accept connections". */
function launch(args: readonly string[]): Promise<ChildProcess> {
  return new Promise<ChildProcess>((resolve, reject) => {
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server not ready within ${READY_TIMEOUT_MS} ms: ${output}`));
    }, READY_TIMEOUT_MS);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (/ready to accept connections/i.test(output)) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot start redis-server (is the redis-server package installed?): ${err.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code ?? signal}) before it was ready: ${output}`));
    });
  });
}
