// The report: per scenario, a table of metric × server with rxchat/baseline ratios, and one
// JSON line per run (the same numbers, for machines).
//
// Only same-run ratios mean anything on a noisy machine: every server ran on this machine, in
// this run, under the same load. A ratio reads against the metric's direction: for "higher is
// better" metrics (↑) a ratio below 1 means rxchat is slower; for "lower is better" (↓) a
// ratio above 1 means rxchat costs more.
//
// With several rounds (each server once per round), a server's cell is the median of its runs,
// and a ratio is the median of the rounds' own ratios (rxchat against the baseline run in the
// same round), followed by their range.
import type { MetricKey } from './metrics.ts';
import type { RunResult } from './measure.ts';
import type { SizedScenario } from './scenarios/spec.ts';
import { SERVERS, type ServerName } from './servers.ts';

const LABEL_WIDTH = 34;
const COLUMN_WIDTH = 13;
const RATIO_WIDTH = 20;

function formatNumber(value: number | undefined, digits: number): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

const usable = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v);

/** The median of some numbers (the mean of the middle two for an even count); undefined if none. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** `over` (rxchat) / baseline per round, as `median x` plus `(min-max)` when there are several. */
export function ratioCell(rounds: readonly (readonly RunResult[])[], key: MetricKey, base: ServerName, over: ServerName = 'rxchat'): string {
  const ratios: number[] = [];
  for (const round of rounds) {
    const rx = round.find((r) => r.server === over)?.metrics[key];
    const b = round.find((r) => r.server === base)?.metrics[key];
    if (usable(rx) && usable(b) && b !== 0) ratios.push(rx / b);
  }
  const mid = median(ratios);
  if (mid === undefined) return '-';
  if (ratios.length === 1) return `${mid.toFixed(2)}x`;
  return `${mid.toFixed(2)}x (${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})`;
}

/** A table row: the label, `columns` server cells, then ratio cells. */
const row = (cells: readonly string[], columns: number): string =>
  cells[0]!.padEnd(LABEL_WIDTH) +
  cells
    .slice(1)
    .map((cell, i) => cell.padStart(i < columns ? COLUMN_WIDTH : RATIO_WIDTH))
    .join('');

const DEFAULT_RATIOS: readonly (readonly [ServerName, ServerName])[] = [
  ['rxchat', 'tuned'],
  ['rxchat', 'naive'],
];

/** The table for one scenario, as lines of text: `rounds` holds each round's runs. */
export function scenarioTable(shape: SizedScenario, rounds: readonly (readonly RunResult[])[]): string[] {
  const runsOf = (server: ServerName): RunResult[] => rounds.flatMap((round) => round.filter((r) => r.server === server));
  const value = (server: ServerName, key: MetricKey): number | undefined =>
    median(runsOf(server).map((r) => r.metrics[key]).filter(usable));
  const several = rounds.length > 1 ? `; medians of ${rounds.length} rounds` : '';
  const servers = shape.scenario.servers ?? SERVERS;
  const ratios = shape.scenario.ratios ?? DEFAULT_RATIOS;
  const lines = [
    '',
    `== ${shape.scenario.name} (size ${shape.size}: ${shape.clients} clients${shape.rooms > 0 ? ` in ${shape.rooms} rooms` : ''}, ${shape.senders} senders x ${shape.lines} lines${several}) ==`,
    `   ${shape.scenario.summary}`,
    row(['metric', ...servers, ...ratios.map(([over, base]) => `${over}/${base}`)], servers.length),
  ];
  for (const headline of shape.scenario.headlines) {
    const arrow = headline.better === 'higher' ? '↑' : '↓';
    const cells = servers.map((server) => formatNumber(value(server, headline.key), headline.digits));
    lines.push(row([`${headline.label} ${arrow}`, ...cells, ...ratios.map(([over, base]) => ratioCell(rounds, headline.key, base, over))], servers.length));
  }
  lines.push(row(['correct', ...servers.map((server) => verdict(runsOf(server)))], servers.length));
  rounds.forEach((round, i) => {
    for (const result of round) {
      for (const failure of result.failures) lines.push(`   FAIL ${result.server}${rounds.length > 1 ? ` (round ${i + 1})` : ''}: ${failure}`);
    }
  });
  return lines;
}

function verdict(runs: readonly RunResult[]): string {
  if (runs.length === 0) return 'not run';
  return runs.every((r) => r.correct) ? 'ok' : 'FAIL';
}

/** One machine-readable line for one run (`context` adds the machine, the time and the round). */
export function jsonLine(result: RunResult, context: Readonly<Record<string, string | number>>): string {
  const metrics = Object.fromEntries(
    Object.entries(result.metrics).map(([key, v]) => [key, typeof v === 'number' && Number.isFinite(v) ? Number(v.toPrecision(6)) : null]),
  );
  return JSON.stringify({ ...context, ...result, metrics });
}
