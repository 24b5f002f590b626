// What WebSocket framing costs per delivery: the server's CPU to hand the same broadcast lines to
// the same number of clients over TCP, over WebSocket the way rxchat does it, and over WebSocket
// the way a `ws` user usually does it, with nothing else going on.
//
//   npx tsx bench/web-framing.ts [--clients 500] [--lines 4000] [--batch 32] [--rounds 3]
//
// Each variant runs in this process against real loopback sockets; their peers, in a child
// process, only count lines (so their CPU is not ours), WebSocket peers with the load generator's
// own cheap client (load/web-socket.ts), so that a slower reader does not make the server's
// writes back up and cost more. The server side hands every line to every
// client in batches of `batch` lines per event-loop turn, as the hub does under load, and the
// shared outbox (src/drivers/outbox.ts) writes each socket once per flush. Measured: this
// process's CPU time (user + system) from the first line to the peers having every line, per
// delivery. Variants:
//   tcp         outbox.write(line.encode())                       the line protocol on TCP
//   ws-shared   outbox.write(frames.of(line)) to the raw socket    rxchat: each line framed once, the frame shared
//   ws-send     ws.send(payload) per delivery                      ws frames every delivery (2 writes, corked)
import { fork } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { WebSocketServer } from 'ws';
import { WebLineSocket } from './load/web-socket.ts';
import { adaptiveTiming, createOutboxes } from '../src/drivers/outbox.ts';
import { FrameCache } from '../src/drivers/ws-server.ts';
import { WireLine } from '../src/line/wire-line.ts';

type Variant = 'tcp' | 'ws-shared' | 'ws-send';
const VARIANTS: readonly Variant[] = ['tcp', 'ws-shared', 'ws-send'];
const SELF = fileURLToPath(import.meta.url);

const line = (i: number): WireLine => new WireLine(`(c0) m 0 ${i} 1700000000000000 the quick brown fox jumps over`);

// ---------------------------------------------------------------------------------------------
// The peers (child process): N connections that count the lines they get, and say when done.

async function peers(transport: 'tcp' | 'ws', port: number, clients: number, expected: number): Promise<void> {
  let received = 0;
  const count = (n: number): void => {
    received += n;
    if (received === expected) process.send?.({ kind: 'done' });
  };
  const opened: Promise<void>[] = [];
  for (let c = 0; c < clients; c++) {
    if (transport === 'tcp') {
      const socket = connect({ host: '127.0.0.1', port, noDelay: true });
      socket.on('data', (chunk: Buffer) => {
        let n = 0;
        for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) n++;
        count(n);
      });
      opened.push(new Promise((resolve) => socket.once('connect', () => resolve())));
    } else {
      // The load generator's own WebSocket (as cheap to read as a TCP socket: the peers' speed must
      // not decide the server's cost); it hands over each frame's line with an LF.
      const ws = new WebLineSocket('127.0.0.1', port);
      ws.on('data', (chunk: Buffer) => {
        let n = 0;
        for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) n++;
        count(n);
      });
      opened.push(new Promise((resolve) => ws.once('open', () => resolve())));
    }
  }
  await Promise.all(opened);
  process.send?.({ kind: 'ready' });
}

// ---------------------------------------------------------------------------------------------
// The server side (this process)

interface Conn {
  deliver(line: WireLine): void;
}

async function listen(variant: Variant, clients: number): Promise<{ port: number; conns: Promise<Conn[]>; close(): void }> {
  const outboxes = createOutboxes(adaptiveTiming());
  const frames = new FrameCache();
  const payloads = new WeakMap<WireLine, Buffer>();
  const conns: Conn[] = [];
  let ready: (all: Conn[]) => void = () => {};
  const all = new Promise<Conn[]>((resolve) => (ready = resolve));
  const add = (conn: Conn): void => {
    conns.push(conn);
    if (conns.length === clients) ready(conns);
  };
  if (variant === 'tcp') {
    const server = createServer({ noDelay: true }, (socket: Socket) => {
      const outbox = outboxes.open(socket, 1 << 30, () => {});
      add({ deliver: (l) => outbox.write(l.encode()) });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { port: (server.address() as AddressInfo).port, conns: all, close: () => server.close() };
  }
  const http = createHttpServer();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: false });
  http.on('upgrade', (req, socket: Socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (variant === 'ws-shared') {
        const outbox = outboxes.open(socket, 1 << 30, () => {});
        add({ deliver: (l) => outbox.write(frames.of(l)) });
      } else {
        add({
          deliver: (l) => {
            let payload = payloads.get(l);
            if (payload === undefined) {
              const bytes = l.encode();
              payload = bytes.subarray(0, bytes.length - 1);
              payloads.set(l, payload);
            }
            ws.send(payload, { binary: false });
          },
        });
      }
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return { port: (http.address() as AddressInfo).port, conns: all, close: () => http.close() };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** One run of `variant`: µs of this process's CPU per delivery, and deliveries per second. */
async function run(variant: Variant, clients: number, lines: number, batch: number): Promise<{ cpuUsPerDelivery: number; deliveriesPerS: number }> {
  const server = await listen(variant, clients);
  const child = fork(SELF, ['--peer', variant === 'tcp' ? 'tcp' : 'ws', String(server.port), String(clients), String(clients * lines)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const message = (kind: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no '${kind}' from the peers within 120 s`)), 120_000);
      child.on('message', (m: { kind?: string }) => {
        if (m.kind !== kind) return;
        clearTimeout(timer);
        resolve();
      });
    });
  try {
    const ready = message('ready');
    const conns = await server.conns;
    await ready;
    const done = message('done');
    const all = Array.from({ length: lines }, (_, i) => line(i));
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < lines; i += batch) {
      for (const l of all.slice(i, i + batch)) for (const conn of conns) conn.deliver(l);
      await turn();
    }
    await done;
    const used = process.cpuUsage(cpu);
    const deliveries = clients * lines;
    return { cpuUsPerDelivery: (used.user + used.system) / deliveries, deliveriesPerS: deliveries / ((performance.now() - started) / 1000) };
  } finally {
    child.kill();
    server.close();
  }
}

// ---------------------------------------------------------------------------------------------

const { values } = parseArgs({
  strict: true,
  options: {
    peer: { type: 'string' },
    clients: { type: 'string', default: '500' },
    lines: { type: 'string', default: '4000' },
    batch: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '3' },
  },
  allowPositionals: true,
});

if (values.peer !== undefined) {
  const [port, clients, expected] = process.argv.slice(-3).map(Number);
  await peers(values.peer === 'tcp' ? 'tcp' : 'ws', port ?? 0, clients ?? 0, expected ?? 0);
} else {
  const clients = Number(values.clients);
  const lines = Number(values.lines);
  const batch = Number(values.batch);
  const rounds = Number(values.rounds);
  process.stdout.write(`web framing: ${clients} clients x ${lines} lines (~70 bytes), ${batch} lines per turn, ${rounds} rounds, node ${process.version}\n`);
  const results = new Map<Variant, { cpu: number[]; rate: number[] }>(VARIANTS.map((v) => [v, { cpu: [], rate: [] }]));
  for (let round = 0; round < rounds; round++) {
    for (const variant of VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length] as Variant)) {
      const r = await run(variant, clients, lines, batch);
      results.get(variant)?.cpu.push(r.cpuUsPerDelivery);
      results.get(variant)?.rate.push(r.deliveriesPerS);
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;
  const tcp = median(results.get('tcp')?.cpu ?? []);
  process.stdout.write(`${'variant'.padEnd(12)}${'CPU µs/delivery'.padStart(18)}${'vs tcp'.padStart(10)}${'deliveries/s'.padStart(16)}\n`);
  for (const [variant, { cpu, rate }] of results) {
    const c = median(cpu);
    process.stdout.write(`${variant.padEnd(12)}${c.toFixed(3).padStart(18)}${`${(c / tcp).toFixed(2)}x`.padStart(10)}${Math.round(median(rate)).toLocaleString('en-US').padStart(16)}\n`);
  }
}
