// Smoke test of the benchmark harness (bench/): every scenario, every server, at a tiny size.
//
// Correctness only, never speed: each run must deliver every expected line exactly once in one
// global order. A second part feeds the verifier deliberately wrong event sequences and checks
// that it notices, so a "correct" verdict means something. Needs dist/ (rxchat's entry point);
// builds it first if it is missing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileBench, type CompiledBench } from '../bench/compile.ts';
import { OrderFingerprint } from '../bench/load/fingerprint.ts';
import type { ClientSummary } from '../bench/load/messages.ts';
import { runOne, type RunResult } from '../bench/measure.ts';
import { killAll } from '../bench/proc.ts';
import { SCENARIOS } from '../bench/scenarios/index.ts';
import { fanOut } from '../bench/scenarios/fan-out.ts';
import { sized, type SizedScenario } from '../bench/scenarios/spec.ts';
import { median, ratioCell, scenarioTable } from '../bench/report.ts';
import { RXCHAT_ENTRY, SERVERS, type ServerName } from '../bench/servers.ts';
import { verify } from '../bench/verify.ts';

/** A scenario shrunk to 10 clients and 4 lines per sender (latency: 0.2 s of sending). */
function smoke(name: string): SizedScenario {
  const scenario = SCENARIOS.find((s) => s.name === name)!;
  return { ...sized(scenario, 'smoke', 0.01), clients: 10 };
}

describe('bench harness, end to end at 10 clients', () => {
  let compiled: CompiledBench;

  beforeAll(() => {
    if (!existsSync(RXCHAT_ENTRY)) execFileSync('npm', ['run', 'build'], { stdio: 'ignore', timeout: 120_000 });
    compiled = compileBench();
  }, 150_000);

  afterAll(() => {
    killAll();
    compiled?.dispose();
  });

  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: every server delivers every line once, in one order`, async () => {
      const shape = smoke(scenario.name);
      // Its servers side by side (the three, or its own): this checks correctness only, so sharing the CPU is fine.
      const results = await Promise.all(
        (scenario.servers ?? SERVERS).map((server) => runOne({ shape, server, compiled, workers: 2, stallMs: 10_000 })),
      );
      for (const result of results) {
        expect({ server: result.server, failures: result.failures }).toEqual({ server: result.server, failures: [] });
        expect(result.correct).toBe(true);
      }
    }, 60_000);
  }
});

// ---------------------------------------------------------------------------------------------
// The verifier against wrong answers, with fingerprints built from explicit event sequences.

type Event = { readonly join: number } | { readonly sender: number; readonly seq: number };

/** What n clients joining in order 0..n-1, then `lines` lines from each of `senders`, should show. */
function honest(n: number, senders: number, lines: number): Event[][] {
  const chat: Event[] = [];
  for (let seq = 0; seq < lines; seq++) for (let sender = 0; sender < senders; sender++) chat.push({ sender, seq });
  return Array.from({ length: n }, (_, g) => [
    ...Array.from({ length: n - g - 1 }, (_, i) => ({ join: g + 1 + i })),
    ...chat,
  ]);
}

function summaries(sequences: readonly (readonly Event[])[], senders: number, lines: number): ClientSummary[] {
  return sequences.map((events, g) => {
    const seen = new OrderFingerprint();
    const next = new Array<number>(senders).fill(0);
    let inOrder = true;
    for (const event of events) {
      if ('join' in event) seen.join(event.join);
      else {
        seen.chat(event.sender, event.seq);
        if (next[event.sender] === event.seq) next[event.sender]! += 1;
        else inOrder = false;
      }
    }
    return seen.summary(g, true, inOrder && next.every((k) => k === lines));
  });
}

describe('bench verifier', () => {
  const shape: SizedScenario = { ...sized(fanOut, 'unit', 0.01), clients: 6, senders: 2, lines: 3 };
  const check = (sequences: Event[][]): string[] => verify(shape, summaries(sequences, 2, 3));

  it('accepts one global order', () => {
    expect(check(honest(6, 2, 3))).toEqual([]);
  });

  it('notices a lost join notice', () => {
    const sequences = honest(6, 2, 3);
    sequences[1]!.splice(2, 1);
    expect(check(sequences).join('\n')).toMatch(/join notices delivered|not one global order/);
  });

  it('notices two chat lines from different senders swapped for one client', () => {
    const sequences = honest(6, 2, 3);
    const client = sequences[3]!;
    const first = client.findIndex((e) => 'sender' in e);
    [client[first], client[first + 1]] = [client[first + 1]!, client[first]!];
    expect(check(sequences).join('\n')).toMatch(/not one global order|different orders/);
  });

  it('notices a chat line delivered twice', () => {
    const sequences = honest(6, 2, 3);
    sequences[5]!.push({ sender: 1, seq: 2 });
    expect(check(sequences).join('\n')).toMatch(/exactly once|not one global order|different orders/);
  });

  it('notices join notices heard in different orders', () => {
    const sequences = honest(6, 2, 3);
    const client = sequences[0]!;
    [client[1], client[2]] = [client[2]!, client[1]!];
    expect(check(sequences).join('\n')).toMatch(/not one global order/);
  });
});

describe('bench report over several rounds', () => {
  const run = (server: ServerName, p99Ms: number, correct = true): RunResult => ({
    scenario: 'latency',
    size: 'full',
    server,
    correct,
    failures: correct ? [] : ['line 3 of sender 0 lost at client 7'],
    metrics: { p99Ms },
    params: { clients: 200, senders: 10, lines: 200, mode: '20 lines/s', workers: 2, serverArgs: [] },
  });
  const shape = sized(SCENARIOS.find((s) => s.name === 'latency')!, 'full', 1);

  it('takes the median, the mean of the middle two for an even count', () => {
    expect(median([])).toBeUndefined();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('gives the median of the same-round ratios with their range', () => {
    const rounds = [
      [run('tuned', 10), run('rxchat', 12)], // 1.2
      [run('rxchat', 5), run('tuned', 10)], // 0.5
      [run('tuned', 4), run('rxchat', 4)], // 1.0
    ];
    expect(ratioCell(rounds, 'p99Ms', 'tuned')).toBe('1.00x (0.50-1.20)');
    expect(ratioCell([rounds[0]!], 'p99Ms', 'tuned')).toBe('1.20x');
    expect(ratioCell(rounds, 'p99Ms', 'naive')).toBe('-');
    const table = scenarioTable(shape, rounds).join('\n');
    expect(table).toContain('medians of 3 rounds');
    // Cells are each server's median: tuned 10, rxchat 5.
    expect(table).toMatch(/latency p99 ms ↓\s+-\s+10\.00\s+5\.00\s+1\.00x \(0\.50-1\.20\)/);
  });

  it('marks a server FAIL when any round failed, and says which round', () => {
    const table = scenarioTable(shape, [[run('rxchat', 1)], [run('rxchat', 1, false)]]).join('\n');
    expect(table).toMatch(/correct\s+not run\s+not run\s+FAIL/);
    expect(table).toContain('FAIL rxchat (round 2): line 3 of sender 0 lost at client 7');
  });
});
