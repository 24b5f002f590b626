// The report: per scenario, a table of metric × server with rxchat/baseline ratios, and one
// JSON line per scenario and server (the same numbers, for machines).
//
// Only same-run ratios mean anything on a noisy machine: every server ran on this machine, in
// this run, under the same load. A ratio reads against the metric's direction: for "higher is
// better" metrics (↑) a ratio below 1 means rxchat is slower; for "lower is better" (↓) a
// ratio above 1 means rxchat costs more.
import type { MetricKey } from './metrics.ts';
import type { RunResult } from './measure.ts';
import type { SizedScenario } from './scenarios/spec.ts';
import { SERVERS, type ServerName } from './servers.ts';

const LABEL_WIDTH = 34;
const COLUMN_WIDTH = 13;

function formatNumber(value: number | undefined, digits: number): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function ratio(rx: number | undefined, base: number | undefined): string {
  if (rx === undefined || base === undefined || !Number.isFinite(rx) || !Number.isFinite(base) || base === 0) return '-';
  return `${(rx / base).toFixed(2)}x`;
}

const row = (cells: readonly string[]): string =>
  cells[0]!.padEnd(LABEL_WIDTH) + cells.slice(1).map((cell) => cell.padStart(COLUMN_WIDTH)).join('');

/** The table for one scenario, as lines of text. */
export function scenarioTable(shape: SizedScenario, results: readonly RunResult[]): string[] {
  const by = new Map<ServerName, RunResult>(results.map((r) => [r.server, r]));
  const value = (server: ServerName, key: MetricKey): number | undefined => by.get(server)?.metrics[key];
  const lines = [
    '',
    `== ${shape.scenario.name} (size ${shape.size}: ${shape.clients} clients, ${shape.senders} senders x ${shape.lines} lines) ==`,
    `   ${shape.scenario.summary}`,
    row(['metric', ...SERVERS, 'rxchat/tuned', 'rxchat/naive']),
  ];
  for (const headline of shape.scenario.headlines) {
    const arrow = headline.better === 'higher' ? '↑' : '↓';
    const cells = SERVERS.map((server) => formatNumber(value(server, headline.key), headline.digits));
    const rx = value('rxchat', headline.key);
    lines.push(
      row([`${headline.label} ${arrow}`, ...cells, ratio(rx, value('tuned', headline.key)), ratio(rx, value('naive', headline.key))]),
    );
  }
  lines.push(row(['correct', ...SERVERS.map((server) => verdict(by.get(server)))]));
  for (const result of results) {
    for (const failure of result.failures) lines.push(`   FAIL ${result.server}: ${failure}`);
  }
  return lines;
}

function verdict(result: RunResult | undefined): string {
  if (result === undefined) return 'not run';
  return result.correct ? 'ok' : 'FAIL';
}

/** One machine-readable line for one run. */
export function jsonLine(result: RunResult, context: Readonly<Record<string, string | number>>): string {
  const metrics = Object.fromEntries(
    Object.entries(result.metrics).map(([key, v]) => [key, typeof v === 'number' && Number.isFinite(v) ? Number(v.toPrecision(6)) : null]),
  );
  return JSON.stringify({ ...context, ...result, metrics });
}
