// One run: one scenario against one server, in fresh processes, measured and verified.
//
//   start server ─▶ fork workers ─▶ setup ─▶ connect: join storm ─▶ [enter: /join rooms] ─▶ send: chat ─▶ report ─▶ stop
//                                            (registered, drained,    (scenarios with rooms)  (deliveries/s, CPU,
//                                             RSS per connection)                             latency)
// CPU and memory are read from /proc around each phase: the server's utime+stime, write
// syscalls and VmRSS, and the workers' utime+stime, to show the load generator is not the bottleneck. Times come
// from the clients' own receipt stamps (one shared clock), not from when messages reach us.
import type { CompiledBench } from './compile.ts';
import { clockMs } from './load/clock.ts';
import type { Metrics } from './metrics.ts';
import { collect, faultsOf, prepare, waitEntered, waitJoined, waitReceived } from './phases.ts';
import { WorkerPool } from './pool.ts';
import { cpuSeconds, openFilesHardLimit, rssBytes, startServer, writeSyscalls, type ServerProcess } from './proc.ts';
import { expectedDeliveries, expectedRoomJoins, type SizedScenario } from './scenarios/spec.ts';
import { serverCommand, transportOf, type ServerName } from './servers.ts';
import { verify } from './verify.ts';
import { isCluster, measured, startCluster, type Measured } from './cluster.ts';

export interface RunOptions {
  readonly shape: SizedScenario;
  readonly server: ServerName;
  readonly compiled: CompiledBench;
  readonly workers: number;
  /** The rxchat build to run (default: this checkout's dist/bin/chat-server.js). */
  readonly rxchatEntry?: string;
  /** Extra node flags for the server process (e.g. --cpu-prof). */
  readonly serverNodeFlags?: readonly string[];
  /** Extra node flags for the load workers; `{worker}` becomes the worker's index. */
  readonly workerNodeFlags?: readonly string[];
  /** How long a phase may go without any progress before the run is declared stuck. */
  readonly stallMs?: number;
  readonly log?: (message: string) => void;
}

export interface RunResult {
  readonly scenario: string;
  readonly size: string;
  readonly server: ServerName;
  readonly correct: boolean;
  /** Why the run is not correct (or did not finish); empty when correct. */
  readonly failures: readonly string[];
  readonly metrics: Metrics;
  readonly params: {
    readonly clients: number;
    readonly senders: number;
    /** Rooms the clients join (absent or 0: everyone stays in the lobby). */
    readonly rooms?: number;
    readonly lines: number;
    readonly mode: string;
    readonly workers: number;
    readonly serverArgs: readonly string[];
  };
}

const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 15_000;
const DEFAULT_STALL_MS = 60_000;
const REPORT_AFTER_FAILURE_MS = 10_000;
/** Per expected delivery, for the overall cap of a phase: 200 µs is 20-100x the expected cost. */
const CAP_PER_DELIVERY_MS = 0.2;
const CAP_BASE_MS = 120_000;
/** File descriptors a process needs beyond its sockets. */
const SPARE_FDS = 100;

export async function runOne(options: RunOptions): Promise<RunResult> {
  const { shape, server, compiled, workers } = options;
  const log = options.log ?? ((): void => {});
  const stallMs = options.stallMs ?? DEFAULT_STALL_MS;
  const n = shape.clients;
  const { command, args } = serverCommand(server, compiled, n, options.serverNodeFlags, options.rxchatEntry);
  const metrics: Metrics = {};
  const failures: string[] = [];
  const result = (): RunResult => ({
    scenario: shape.scenario.name,
    size: shape.size,
    server,
    correct: failures.length === 0,
    failures,
    metrics,
    params: {
      clients: n,
      senders: shape.senders,
      rooms: shape.rooms,
      lines: shape.lines,
      mode: shape.mode.kind === 'window' ? `window ${shape.mode.window}` : `${shape.mode.perSecond} lines/s`,
      workers,
      serverArgs: args.slice(1),
    },
  });

  const fds = openFilesHardLimit();
  if (n + SPARE_FDS > fds) {
    failures.push(`needs ${n + SPARE_FDS} open files in the server, the hard limit is ${fds} (raise ulimit -Hn)`);
    return result();
  }

  let serverProcess: ServerProcess | undefined;
  let pool: WorkerPool | undefined;
  try {
    serverProcess = server === 'rxchat-cluster' ? await startCluster(command, args, START_TIMEOUT_MS) : await startServer(command, args, START_TIMEOUT_MS);
    const pid = measured(serverProcess);
    pool = await WorkerPool.start(workers, compiled.worker, START_TIMEOUT_MS, options.workerNodeFlags);
    await prepare(pool, shape, serverProcess, START_TIMEOUT_MS, transportOf(server));

    // Phase 1: everyone joins. Done when every client is welcomed and every join notice is in.
    log(`${n} clients joining`);
    const joinNotices = (n * (n - 1)) / 2;
    const before = sample(pid, pool);
    const joinStart = clockMs();
    pool.broadcast({ kind: 'connect' });
    const joined = await waitJoined(pool, joinNotices, { stallMs, maxMs: CAP_BASE_MS + joinNotices * CAP_PER_DELIVERY_MS });
    const afterJoin = sample(pid, pool);
    metrics.registeredS = (joined.lastWelcomedAt - joinStart) / 1000;
    metrics.drainedS = (Math.max(joined.lastWelcomedAt, joined.lastReceivedAt) - joinStart) / 1000;
    metrics.joinNotices = joinNotices;
    metrics.joinNoticesPerS = metrics.drainedS > 0 ? joinNotices / metrics.drainedS : Number.NaN;
    metrics.rssPerConnKiB = (afterJoin.serverRss - before.serverRss) / 1024 / n;
    metrics.joinRssMiB = afterJoin.serverRss / 1024 / 1024;
    metrics.joinServerCpuS = afterJoin.serverCpu - before.serverCpu;
    metrics.joinWritesPerNotice = joinNotices > 0 ? (afterJoin.serverWrites - before.serverWrites) / joinNotices : Number.NaN;
    busy(metrics, before, afterJoin);

    // Phase 2 (with rooms): every client joins its room; done when every `/join` is answered and
    // every room join notice is in.
    if (shape.rooms > 0) {
      const roomJoins = expectedRoomJoins(shape);
      log(`${n} clients joining ${shape.rooms} rooms`);
      const enterStart = clockMs();
      pool.broadcast({ kind: 'enter' });
      const entered = await waitEntered(pool, roomJoins, { stallMs, maxMs: CAP_BASE_MS + (n + roomJoins) * CAP_PER_DELIVERY_MS });
      metrics.roomsJoinS = (Math.max(entered.lastEnteredAt, entered.lastReceivedAt) - enterStart) / 1000;
      metrics.roomJoins = roomJoins;
    }

    // Phase 3: the senders send; done when every client has every line (of its room).
    if (shape.senders > 0) {
      const deliveries = expectedDeliveries(shape);
      const where = shape.rooms > 0 ? ` in ${shape.rooms} rooms, ${n} clients in all` : ` to ${n} clients`;
      log(`${shape.senders} senders x ${shape.lines} lines${where} (${deliveries} deliveries)`);
      const pacedMs = shape.mode.kind === 'paced' ? (shape.lines / shape.mode.perSecond) * 1000 : 0;
      const beforeSend = sample(pid, pool);
      pool.broadcast({ kind: 'send' });
      const sent = await waitReceived(pool, { stallMs, maxMs: CAP_BASE_MS + pacedMs + deliveries * CAP_PER_DELIVERY_MS });
      const afterSend = sample(pid, pool);
      metrics.deliveries = deliveries;
      metrics.sendS = (sent.lastReceivedAt - sent.firstSentAt) / 1000;
      metrics.deliveriesPerS = metrics.sendS > 0 ? deliveries / metrics.sendS : Number.NaN;
      metrics.linesPerS = metrics.sendS > 0 ? (shape.senders * shape.lines) / metrics.sendS : Number.NaN;
      metrics.serverCpuUsPerDelivery = ((afterSend.serverCpu - beforeSend.serverCpu) * 1e6) / deliveries;
      metrics.writesPerDelivery = (afterSend.serverWrites - beforeSend.serverWrites) / deliveries;
      busy(metrics, beforeSend, afterSend);
    }
    metrics.serverRssMiB = sum(pid.pids, rssBytes) / 1024 / 1024;

    // Phase 4: what did the clients see?
    const report = await collect(pool, { stallMs, maxMs: stallMs });
    if (shape.senders > 0) {
      metrics.p50Ms = report.latency.quantile(0.5) / 1000;
      metrics.p99Ms = report.latency.quantile(0.99) / 1000;
      metrics.maxMs = report.latency.maxUs / 1000;
      metrics.latencyNegative = report.latency.negative;
    }
    failures.push(...faultsOf(report), ...verify(shape, report.clients));
    if (isCluster(serverProcess)) Object.assign(metrics, await serverProcess.appendCap());
  } catch (err) {
    failures.push(err instanceof Error ? err.message : String(err));
    if (serverProcess !== undefined) failures.push(`server stderr ended with: ${serverProcess.stderrTail().slice(-5).join(' | ')}`);
    // A phase that stalled usually means lines went missing or came out of order: ask the
    // clients what they saw, so the report says which (if the workers can still answer).
    if (pool !== undefined && pool.healthy) {
      try {
        const report = await collect(pool, { stallMs: REPORT_AFTER_FAILURE_MS, maxMs: REPORT_AFTER_FAILURE_MS });
        failures.push(...faultsOf(report), ...verify(shape, report.clients).map((f) => `then: ${f}`));
      } catch {
        // The failure above already says what went wrong.
      }
    }
  } finally {
    // The server first: with every client still connected, rxchat shuts down in one fan-out
    // instead of announcing thousands of departures one by one.
    await serverProcess?.stop(STOP_TIMEOUT_MS);
    await pool?.stop(STOP_TIMEOUT_MS);
  }
  return result();
}

interface Sample {
  readonly at: number;
  readonly serverCpu: number;
  readonly serverRss: number;
  readonly serverWrites: number;
  readonly loadCpu: number;
  /** A cluster's Redis (0 without one). */
  readonly redisCpu: number;
}

/** Every node's figures add up to the server's (one node, or a cluster's). */
function sample(pid: Measured, pool: WorkerPool): Sample {
  return {
    at: clockMs(),
    serverCpu: sum(pid.pids, cpuSeconds),
    serverRss: sum(pid.pids, rssBytes),
    serverWrites: sum(pid.pids, writeSyscalls),
    loadCpu: pool.cpuSeconds(),
    redisCpu: pid.redisPid === null ? 0 : cpuSeconds(pid.redisPid),
  };
}

const sum = (pids: readonly number[], read: (pid: number) => number): number => pids.reduce((total, pid) => total + read(pid), 0);

/** Server and load-generator CPU over a phase, each as % of one core (the latest phase wins). */
function busy(metrics: Metrics, from: Sample, to: Sample): void {
  const wallS = (to.at - from.at) / 1000;
  if (wallS <= 0) return;
  metrics.serverCpuPct = ((to.serverCpu - from.serverCpu) / wallS) * 100;
  metrics.loadCpuPct = ((to.loadCpu - from.loadCpu) / wallS) * 100;
  const redis = to.redisCpu - from.redisCpu;
  if (redis > 0) {
    metrics.redisCpuPct = (redis / wallS) * 100;
    metrics.redisCpuSharePct = (redis / (redis + to.serverCpu - from.serverCpu)) * 100;
  }
}
