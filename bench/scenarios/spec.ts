// What a scenario is: a load shape at full size, the metrics it headlines, and how it scales.
//
// Every scenario runs the same phases (see bench/measure.ts): all clients connect and join one
// room, the join storm drains, then (if it has senders) the senders send and every client
// receives every line. Scenarios differ only in the numbers and in what they report.
import type { SendMode } from '../load/messages.ts';
import type { MetricKey } from '../metrics.ts';

export type ScenarioName = 'fan-out' | 'latency' | 'many' | 'connections';

export interface ScenarioShape {
  readonly clients: number;
  /** Clients 0..senders-1 send; every client (senders included) receives every line. */
  readonly senders: number;
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

/** Scales clients and lines (for paced senders: the duration), never below the minimums. */
export function sized(scenario: Scenario, size: string, factor: number): SizedScenario {
  const { full } = scenario;
  const clients = Math.max(MIN_CLIENTS, full.senders, Math.round(full.clients * factor));
  const lines = full.lines === 0 ? 0 : Math.min(MAX_LINES, Math.max(MIN_LINES, Math.round(full.lines * factor)));
  if (full.senders > MAX_SENDERS) throw new Error(`${scenario.name}: at most ${MAX_SENDERS} senders`);
  return { ...full, clients, lines, scenario, size };
}
