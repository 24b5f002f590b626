// `npm run cluster`: a local cluster to try by hand. One redis-server on a unix socket in a temp dir
// (AOF on, `appendfsync always`: the settings the cluster's guarantees need) and three rxchat nodes
// on it, each on its own ports, their logs prefixed with the node's name. Ctrl-C stops the nodes
// (gracefully: their users are told), then Redis, and deletes the temp dir.
//
//   npm run cluster                      three nodes: line 7777-7779, web 7780-7782, IRC 6667-6669
//   npm run cluster -- --nodes 2 --lease 5 --metrics
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = join(import.meta.dirname, '..');
const USAGE = `Usage: npm run cluster -- [--nodes <n>] [--lease <s>] [--metrics] [--host <address>]

  --nodes <n>    how many nodes, 1-9 (default 3)
  --lease <s>    --node-lease of each node (default 10)
  --metrics      Prometheus metrics on ports 9101, 9102, … (/metrics)
  --host <addr>  address the nodes listen on (default 127.0.0.1)
`;

let values: { nodes?: string; lease?: string; metrics?: boolean; host?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: { nodes: { type: 'string' }, lease: { type: 'string' }, metrics: { type: 'boolean' }, host: { type: 'string' }, help: { type: 'boolean' } },
    strict: true,
  }));
} catch (err) {
  process.stderr.write(`cluster: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  process.exit(2);
}
if (values.help === true) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const count = Number(values.nodes ?? 3);
const lease = Number(values.lease ?? 10);
const host = values.host ?? '127.0.0.1';
if (!Number.isInteger(count) || count < 1 || count > 9 || !Number.isInteger(lease) || lease < 1) {
  process.stderr.write(`cluster: bad --nodes or --lease\n${USAGE}`);
  process.exit(2);
}

const say = (line: string): void => void process.stdout.write(`${line}\n`);
const dir = mkdtempSync(join(tmpdir(), 'rxchat-cluster-'));
const socket = join(dir, 'redis.sock');
const children: ChildProcess[] = [];

/** Forwards a child's output, one prefixed line at a time. */
function forward(child: ChildProcess, prefix: string, onLine?: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        say(`${prefix} ${line}`);
        onLine?.(line);
      }
    });
  }
}

function startRedis(): Promise<void> {
  const redis = spawn(
    'redis-server',
    ['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--daemonize', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(redis);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server was not ready within 10 s')), 10_000);
    redis.once('error', (err) => reject(new Error(`cannot start redis-server (install the redis-server package): ${err.message}`)));
    redis.once('exit', (code) => reject(new Error(`redis-server exited (${code})`)));
    forward(redis, '[redis]', (line) => {
      if (/ready to accept connections/i.test(line)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

interface Ports {
  readonly line: number;
  readonly web: number;
  readonly irc: number;
  readonly metrics: number | null;
}

function startNode(n: number, ports: Ports): Promise<void> {
  const args = [
    '--import', 'tsx', join(ROOT, 'src', 'bin', 'chat-server.ts'),
    '--host', host,
    '--port', String(ports.line),
    '--web-port', String(ports.web),
    '--irc-port', String(ports.irc),
    '--redis', `unix://${socket}`,
    '--node-lease', String(lease),
    ...(ports.metrics === null ? [] : ['--metrics-port', String(ports.metrics)]),
  ];
  const node = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(node);
  return new Promise((resolve, reject) => {
    node.once('exit', (code) => reject(new Error(`node ${n} exited (${code}): is one of its ports (${Object.values(ports).join(', ')}) taken?`)));
    forward(node, `[node${n}]`, (line) => {
      if (line.startsWith('listening on ')) resolve();
    });
  });
}

let stopping = false;
async function stop(code: number): Promise<never> {
  if (stopping) process.exit(code);
  stopping = true;
  const [redis, ...nodes] = children;
  const exited = (c: ChildProcess): Promise<void> => (c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', () => r())));
  for (const node of nodes) node.kill('SIGTERM');
  await Promise.race([Promise.all(nodes.map(exited)), new Promise((r) => setTimeout(r, 7000))]);
  redis?.kill('SIGTERM');
  if (redis !== undefined) await Promise.race([exited(redis), new Promise((r) => setTimeout(r, 3000))]);
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  await startRedis();
  const all: Ports[] = Array.from({ length: count }, (_, i) => ({
    line: 7777 + i,
    web: 7777 + count + i,
    irc: 6667 + i,
    metrics: values.metrics === true ? 9101 + i : null,
  }));
  await Promise.all(all.map((ports, i) => startNode(i + 1, ports)));
  say('');
  say(`rxchat cluster: ${count} nodes on one Redis (unix://${socket}, appendfsync always), lease ${lease} s`);
  all.forEach((p, i) => {
    const metrics = p.metrics === null ? '' : `   metrics http://${host}:${p.metrics}/metrics`;
    say(`  node ${i + 1}:  nc ${host} ${p.line}   (or npm run client -- --port ${p.line})   web http://${host}:${p.web}/   IRC ${host}:${p.irc}${metrics}`);
  });
  say('Chat on one node, read on another. Try killing a node (kill -9 <pid>): its users are announced gone within the lease.');
  say(`Node PIDs: ${children.slice(1).map((c) => c.pid).join(', ')}; Redis PID ${children[0]?.pid}. Ctrl-C stops everything.`);
} catch (err) {
  say(`cluster: ${err instanceof Error ? err.message : String(err)}`);
  await stop(1);
}
