// The phases of a run, as waits on the load workers: set up, join, enter rooms, send, and collect
// reports.
//
// Each wait resolves on worker events (never on a sleep) and is bounded by the WaitLimits it is
// given. The times it returns are the clients' own receipt stamps on the shared clock.
import { Histogram } from './load/histogram.ts';
import type { ClientSummary, Setup, WorkerEvent } from './load/messages.ts';
import type { WaitLimits, WorkerPool } from './pool.ts';
import type { ServerProcess } from './proc.ts';
import type { Transport } from './load/web-socket.ts';
import type { SizedScenario } from './scenarios/spec.ts';
import { portFor } from './cluster.ts';

/** Connections waiting for the server to accept them, all workers together: half of Node's backlog (511). */
const PENDING_ACCEPTS = 256;

/**
 * Hands each worker its share of the clients (round-robin, so senders spread across workers);
 * over `web`, they connect to the server's web port (a WebSocket each) instead of its TCP port.
 */
export async function prepare(pool: WorkerPool, shape: SizedScenario, server: ServerProcess, timeoutMs: number, transport: Transport = 'tcp'): Promise<void> {
  const port = transport === 'web' ? server.webPort : server.port;
  if (port === undefined) throw new Error('the server logged no web port (web on http://…/)');
  const shares: number[][] = Array.from({ length: pool.size }, () => []);
  for (let g = 0; g < shape.clients; g++) shares[g % pool.size]!.push(g);
  shares.forEach((clients, worker) => {
    const setup: Setup = {
      kind: 'setup',
      host: server.host,
      // A cluster's nodes each take the clients of their own workers (bench/cluster.ts).
      port: portFor(server, worker, port),
      clients,
      senders: shape.senders,
      rooms: shape.rooms,
      lines: shape.lines,
      mode: shape.mode,
      connectConcurrency: Math.max(1, Math.floor(PENDING_ACCEPTS / pool.size)),
      transport,
    };
    pool.send(worker, setup);
  });
  let prepared = 0;
  await pool.waitFor('workers to set up', (event) => (event.kind === 'prepared' && ++prepared === pool.size ? true : undefined), {
    stallMs: timeoutMs,
    maxMs: timeoutMs,
  });
}

export interface Joined {
  readonly lastWelcomedAt: number;
  readonly lastReceivedAt: number;
}

/** Waits until every worker's clients are welcomed and the join notices add up to `target`. */
export function waitJoined(pool: WorkerPool, target: number, limits: WaitLimits): Promise<Joined> {
  const latest = new Map<number, Extract<WorkerEvent, { kind: 'progress' }>>();
  let welcomedWorkers = 0;
  const status = (): string => {
    const progress = [...latest.values()];
    const welcomed = progress.reduce((sum, p) => sum + p.welcomed, 0);
    const joins = progress.reduce((sum, p) => sum + p.joins, 0);
    return `${welcomed} clients welcomed, ${joins} of ${target} join notices`;
  };
  return pool.waitFor(
    'the join storm to drain',
    (event, worker) => {
      if (event.kind === 'progress') latest.set(worker, event);
      else if (event.kind === 'welcomed') welcomedWorkers++;
      else return undefined;
      const progress = [...latest.values()];
      const joins = progress.reduce((sum, p) => sum + p.joins, 0);
      if (welcomedWorkers < pool.size || joins < target) return undefined;
      return {
        lastWelcomedAt: Math.max(...progress.map((p) => p.lastWelcomedAt)),
        lastReceivedAt: Math.max(...progress.map((p) => p.lastReceivedAt)),
      };
    },
    { ...limits, status },
  );
}

export interface Entered {
  readonly lastEnteredAt: number;
  readonly lastReceivedAt: number;
}

/** Waits until every worker's clients have their `*** Now in` and the room join notices add up to `target`. */
export function waitEntered(pool: WorkerPool, target: number, limits: WaitLimits): Promise<Entered> {
  const latest = new Map<number, Extract<WorkerEvent, { kind: 'progress' }>>();
  let enteredWorkers = 0;
  let lastEnteredAt = 0;
  const total = (key: 'entered' | 'roomJoins'): number => [...latest.values()].reduce((sum, p) => sum + p[key], 0);
  const status = (): string => `${total('entered')} clients in their rooms, ${total('roomJoins')} of ${target} room join notices`;
  return pool.waitFor(
    'every client to be in its room',
    (event, worker) => {
      if (event.kind === 'progress') latest.set(worker, event);
      else if (event.kind === 'entered') {
        enteredWorkers++;
        lastEnteredAt = Math.max(lastEnteredAt, event.at);
      } else return undefined;
      if (enteredWorkers < pool.size || total('roomJoins') < target) return undefined;
      return { lastEnteredAt, lastReceivedAt: Math.max(...[...latest.values()].map((p) => p.lastReceivedAt)) };
    },
    { ...limits, status },
  );
}

export interface Received {
  readonly firstSentAt: number;
  readonly lastReceivedAt: number;
}

/** Waits until every worker says all its clients have every line. */
export function waitReceived(pool: WorkerPool, limits: WaitLimits): Promise<Received> {
  let done = 0;
  let firstSentAt = Number.POSITIVE_INFINITY;
  let lastReceivedAt = 0;
  const chats = new Map<number, number>();
  const status = (): string => `${done} of ${pool.size} workers done, ${[...chats.values()].reduce((a, b) => a + b, 0)} lines delivered`;
  return pool.waitFor(
    'every line to be delivered',
    (event, worker) => {
      if (event.kind === 'progress') chats.set(worker, event.chats);
      if (event.kind !== 'received') return undefined;
      if (event.firstSentAt > 0) firstSentAt = Math.min(firstSentAt, event.firstSentAt);
      lastReceivedAt = Math.max(lastReceivedAt, event.lastReceivedAt);
      return ++done === pool.size ? { firstSentAt, lastReceivedAt } : undefined;
    },
    { ...limits, status },
  );
}

export interface Collected {
  readonly clients: ClientSummary[];
  readonly latency: Histogram;
  faults: number;
  readonly faultSamples: string[];
}

export async function collect(pool: WorkerPool, limits: WaitLimits): Promise<Collected> {
  const collected: Collected = { clients: [], latency: new Histogram(), faults: 0, faultSamples: [] };
  let reports = 0;
  pool.broadcast({ kind: 'report' });
  await pool.waitFor(
    'the clients\' reports',
    (event) => {
      if (event.kind !== 'report') return undefined;
      const { report } = event;
      for (const client of report.clients) collected.clients.push(client);
      collected.latency.merge(report.latency);
      collected.faults += report.faults;
      collected.faultSamples.push(...report.faultSamples);
      return ++reports === pool.size ? true : undefined;
    },
    limits,
  );
  return collected;
}

/** The faults the clients saw, as one failure sentence (none when there were none). */
export function faultsOf(report: Collected): string[] {
  return report.faults === 0 ? [] : [`${report.faults} protocol faults, e.g. ${report.faultSamples.join('; ')}`];
}
