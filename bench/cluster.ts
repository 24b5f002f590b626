// The cluster under the benchmark: `rxchat-cluster` is two rxchat nodes on one redis-server, the
// load's clients split across them (load worker w connects to node w mod 2). Redis runs as the
// cluster's guarantees need it: AOF with `appendfsync always`, on a unix socket in a temp dir.
//
// Besides the usual figures, a cluster run reports Redis's own CPU (the share of the cluster's CPU
// the log costs) and, once the chat is measured, what one such Redis caps: XADDs per second with
// one writer (one node: it keeps one batch in flight, so this is its ceiling in batches/s) and
// with 16 (many nodes: Redis's own ceiling, helped by group commit).
//
// BENCH_REDIS_APPENDFSYNC=everysec runs Redis with `appendfsync everysec` instead: never for a
// real cluster (a kill -9 of Redis can lose acknowledged lines), only to see how much of the
// latency is the fsync before every answer.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import type { Metrics } from './metrics.ts';
import { startServer, track, waitForExit, type ServerProcess } from './proc.ts';

/** How many nodes `rxchat-cluster` runs. */
export const CLUSTER_NODES = 2;

/** A cluster as measure.ts sees a server: the first node stands for it; `pids` are every node's. */
export interface ClusterProcess extends ServerProcess {
  /** Every node's line-protocol port; load worker w connects to ports[w mod length]. */
  readonly ports: readonly number[];
  /** Every node's pid (their CPU, writes and memory add up to the server's). */
  readonly pids: readonly number[];
  readonly redisPid: number;
  /** Measures what this Redis caps (after the chat phase), as metrics. */
  appendCap(): Promise<Metrics>;
}

const READY_MS = 10_000;
const APPENDFSYNC = process.env.BENCH_REDIS_APPENDFSYNC === 'everysec' ? 'everysec' : 'always';

/** Starts redis-server, then `CLUSTER_NODES` rxchat nodes (`command args`) on it. */
export async function startCluster(command: string, args: readonly string[], timeoutMs: number): Promise<ClusterProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'rxchat-bench-redis-'));
  const socket = join(dir, 'redis.sock');
  const redis = track(
    spawn(
      'redis-server',
      ['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--dir', dir, '--appendonly', 'yes', '--appendfsync', APPENDFSYNC, '--save', '', '--daemonize', 'no'],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    ),
  );
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  redis.once('exit', cleanup);
  await ready(redis);
  const url = `unix://${socket}`;
  const nodes: ServerProcess[] = [];
  try {
    for (let i = 0; i < CLUSTER_NODES; i++) nodes.push(await startServer(command, [...args, '--redis', url, '--node-lease', '10'], timeoutMs));
  } catch (err) {
    await Promise.all(nodes.map((n) => n.stop(2000)));
    redis.kill('SIGKILL');
    throw err;
  }
  const first = nodes[0] as ServerProcess;
  return {
    pid: first.pid,
    host: first.host,
    port: first.port,
    webPort: first.webPort,
    ports: nodes.map((n) => n.port),
    pids: nodes.map((n) => n.pid),
    redisPid: redis.pid ?? -1,
    stderrTail: () => nodes.flatMap((n, i) => n.stderrTail().map((line) => `[node${i + 1}] ${line}`)),
    appendCap: () => appendCap(socket),
    async stop(graceMs) {
      await Promise.all(nodes.map((n) => n.stop(graceMs)));
      redis.kill('SIGTERM');
      await waitForExit(redis, graceMs);
    },
  };
}

function ready(redis: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`redis-server not ready within ${READY_MS} ms: ${output}`)), READY_MS);
    redis.once('error', (err) => reject(new Error(`cannot start redis-server (the redis-server package): ${err.message}`)));
    redis.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
    redis.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/ready to accept connections/i.test(output)) {
        clearTimeout(timer);
        redis.stdout?.removeAllListeners('data');
        redis.stdout?.resume();
        resolve();
      }
    });
  });
}

/** A batch as a node appends it: a couple of chat lines. */
const BATCH = ['v', '1', 'n', 'bench', 's', '1', 'i', JSON.stringify([{ kind: 'say', conn: 'bench/1', room: null, text: 'x'.repeat(60), style: 'chat' }])];
const CAP_MS = 1000;

/** XADDs per second on this Redis, with one writer and with 16, each with one XADD in flight. */
async function appendCap(socket: string): Promise<Metrics> {
  const rate = async (writers: number): Promise<number> => {
    const clients = await Promise.all(
      Array.from({ length: writers }, async () => {
        const client = createClient({ RESP: 2, socket: { path: socket, tls: false, reconnectStrategy: false } });
        client.on('error', () => {});
        await client.connect();
        return client;
      }),
    );
    let count = 0;
    const until = performance.now() + CAP_MS;
    const started = performance.now();
    await Promise.all(
      clients.map(async (client) => {
        while (performance.now() < until) {
          await client.sendCommand(['XADD', 'bench:cap', '*', ...BATCH]);
          count++;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    await Promise.all(clients.map((c) => c.close()));
    return count / seconds;
  };
  return { redisAppendsPerS1: await rate(1), redisAppendsPerS16: await rate(16) };
}

/** The processes whose use a run measures: the server's (every node's) and, for a cluster, Redis's. */
export interface Measured {
  readonly pids: readonly number[];
  readonly redisPid: number | null;
}

export function isCluster(server: ServerProcess): server is ClusterProcess {
  return 'pids' in server;
}

export function measured(server: ServerProcess): Measured {
  return isCluster(server) ? { pids: server.pids, redisPid: server.redisPid } : { pids: [server.pid], redisPid: null };
}

/** The port load worker `worker` connects to: its node's, for a cluster. */
export function portFor(server: ServerProcess, worker: number, port: number): number {
  return isCluster(server) ? (server.ports[worker % server.ports.length] as number) : port;
}
