// What a scenario is: a load shape at full size, the metrics it headlines, and how it scales.
//
// Every scenario runs the same phases (see bench/measure.ts): all clients connect and join the
// lobby, the join storm drains, then (if it has rooms) every client `/join`s its room, then (if it
// has senders) the senders send and every client receives every line of its room. Scenarios
// differ only in the numbers and in what they report.
import type { SendMode } from '../load/messages.ts';
import type { MetricKey } from '../metrics.ts';
import type { ServerName } from '../servers.ts';

export type ScenarioName = 'fan-out' | 'latency' | 'many' | 'connections' | 'rooms' | 'web-fan-out' | 'cluster-fan-out' | 'cluster-latency';

export interface ScenarioShape {
  readonly clients: number;
  /**
   * Clients 0..senders-1 send. Without rooms every client (senders included) receives every line;
   * with rooms there is one sender per room and a client receives its room's sender's lines.
   */
  readonly senders: number;
  /**
   * 0: everyone stays in #lobby (v1). Otherwise client g joins room `#r<g % rooms>` after the
   * join storm, so sender k (client k) is the one sender of room k.
   */
  readonly rooms: number;
  /** Lines per sender. */
  readonly lines: number;
  readonly mode: SendMode;
}

/** A metric as the table shows it. */
export interface Headline {
  readonly key: MetricKey;
  readonly label: string;
  /** Which way is better: it tells how to read the rxchat/baseline ratios. */
  readonly better: 'higher' | 'lower';
  readonly digits: number;
}

export interface Scenario {
  readonly name: ScenarioName;
  /** One sentence: what it measures. */
  readonly summary: string;
  /** The shape at size `full`. */
  readonly full: ScenarioShape;
  readonly headlines: readonly Headline[];
  /**
   * How many rounds `npm run bench` runs by default (every server once per round). The quick
   * scenarios run several and report medians: one run of them moves by 20-50% on a shared
   * machine. `--repeat` overrides it.
   */
  readonly rounds: number;
  /** The servers it runs, whatever `--servers` says; by default the ones `--servers` picks. */
  readonly servers?: readonly ServerName[];
  /** The ratios its table shows, each [server, base]; by default rxchat/tuned and rxchat/naive. */
  readonly ratios?: readonly (readonly [ServerName, ServerName])[];
}

/** A scenario at a given size. */
export interface SizedScenario extends ScenarioShape {
  readonly scenario: Scenario;
  readonly size: string;
}

/** Named sizes, as scale factors of `full`. */
export const SIZES: Readonly<Record<string, number>> = { tiny: 0.02, small: 0.1, full: 1 };

/** The smallest run that still means something: a few clients, a few lines each. */
const MIN_CLIENTS = 10;
const MIN_LINES = 4;
const MIN_ROOMS = 2;
/** Limits of the chat-line fingerprint (protocol.ts chatCode). */
const MAX_SENDERS = 1024;
const MAX_LINES = 1 << 20;

/** `tiny` | `small` | `full` | a positive number (a scale factor); undefined when invalid. */
export function parseSize(size: string): number | undefined {
  const named = SIZES[size];
  if (named !== undefined) return named;
  const factor = Number(size);
  return Number.isFinite(factor) && factor > 0 && factor <= 10 ? factor : undefined;
}

/**
 * Scales clients and lines (for paced senders: the duration), never below the minimums. With
 * rooms, the number of rooms scales with the clients (rooms keep their size), at least 2, and
 * each room has one sender.
 */
export function sized(scenario: Scenario, size: string, factor: number): SizedScenario {
  const { full } = scenario;
  const rooms = full.rooms === 0 ? 0 : Math.max(MIN_ROOMS, Math.round(full.rooms * factor));
  const senders = full.rooms === 0 ? full.senders : rooms;
  const clients = Math.max(MIN_CLIENTS, senders, 2 * rooms, Math.round(full.clients * factor));
  const lines = full.lines === 0 ? 0 : Math.min(MAX_LINES, Math.max(MIN_LINES, Math.round(full.lines * factor)));
  if (senders > MAX_SENDERS) throw new Error(`${scenario.name}: at most ${MAX_SENDERS} senders`);
  return { ...full, clients, senders, rooms, lines, scenario, size };
}

/** The room client g joins (rooms > 0): sender k, client k, is the one sender of room k. */
export function roomOf(g: number, rooms: number): number {
  return g % rooms;
}

/** How many clients room r has. */
export function roomSize(shape: ScenarioShape, r: number): number {
  return Math.floor(shape.clients / shape.rooms) + (r < shape.clients % shape.rooms ? 1 : 0);
}

/** Chat lines the send phase delivers: every line to every client, or to every member of its room. */
export function expectedDeliveries(shape: ScenarioShape): number {
  return shape.rooms === 0 ? shape.clients * shape.senders * shape.lines : shape.clients * shape.lines;
}

/** Room join notices (`*** c<g> joined #r<r>`) of the rooms phase: s(s-1)/2 for a room of s. */
export function expectedRoomJoins(shape: ScenarioShape): number {
  let total = 0;
  for (let r = 0; r < shape.rooms; r++) {
    const s = roomSize(shape, r);
    total += (s * (s - 1)) / 2;
  }
  return total;
}
