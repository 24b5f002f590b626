// Turns what a stress run observed into PASS/FAIL checks, figures, a table and one JSON line.
// Pure apart from reading the samplers it is handed; bench/stress.ts prints what it returns.
//
// The delay timeline is read against the CPU context: for each of the worst 250 ms windows it
// shows the server's CPU use, how long its event-loop thread waited in the run queue, how busy
// the machine was and how much of that was this run, and the load generator's own stalls. A
// delay with a long run-queue wait and busy cores that are not ours is starvation by other work
// on the machine, not something the server did.
import type { ChurnResult, FlooderResult, LongLineResult, NonReaderResult } from './hostile.ts';
import { CONTROL, SHUTTING_DOWN, type Phase, type WorkerReport } from './ipc.ts';
import type { StressOptions } from './options.ts';
import type { SystemMonitor } from './system.ts';
import { DelayHistogram, StallTimeline } from './util.ts';

export interface RunData {
  readonly options: StressOptions;
  readonly serverPid: number;
  readonly openFilesLimit: number;
  readonly joined: number;
  readonly joinFailures: readonly string[];
  readonly markMissing: readonly string[];
  readonly endMissing: readonly string[];
  readonly sent: Readonly<Record<string, number>>;
  readonly unconfirmedTalkers: readonly string[];
  readonly nonReader: NonReaderResult;
  readonly flooder: FlooderResult;
  /** Flooder lines as the control client saw them: count and first/last arrival. */
  readonly flooderSeen: { readonly count: number; readonly firstAt: number; readonly lastAt: number };
  readonly longLine: LongLineResult;
  /** The same long line sent alone on the quiet server, after the hostile phase (for its RSS effect). */
  readonly longProbe: LongLineResult;
  /** A much longer line sent alone (--probe-mib). */
  readonly bigProbe: LongLineResult;
  readonly churn: ChurnResult;
  readonly whoNames: readonly string[];
  readonly hostileStart: number;
  readonly hostileMs: number;
  /** Server CPU (all threads) over [from, to], % of one core. */
  readonly serverCpu: (from: number, to: number) => number;
  /** The orchestrator's own event-loop stalls (it runs the hostile clients and `control`). */
  readonly mainStalls: StallTimeline;
  /** Machine CPU, our processes' share, the server thread's run-queue wait. */
  readonly sys: SystemMonitor;
  readonly loadAtEnd: string;
  readonly events: ReadonlyArray<{ readonly at: number; readonly what: string }>;
  readonly rss: { readonly idle: number; readonly before: number; readonly peak: number; readonly peakHostile: number; readonly after: number };
  readonly serverAliveAtSigterm: boolean;
  readonly serverFaults: readonly string[];
  readonly shutdown: { readonly ms: number; readonly code: number | null; readonly signal: string | null; readonly serverSays: string };
  readonly reports: readonly WorkerReport[];
  readonly mainLoopDelayMaxMs: number;
  readonly logPath: string;
  readonly totalMs: number;
}

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

interface DelayFigures {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

interface Window {
  /** Window start by send time, seconds from the start of the hostile phase. */
  readonly atS: number;
  readonly maxMs: number;
  readonly deliveries: number;
  readonly serverCpuPercent: number;
  readonly serverWaitPercent: number;
  readonly machineCores: number;
  readonly oursCores: number;
  readonly workerStallMs: number;
  readonly mainStallMs: number;
}

export interface Figures {
  readonly clients: number;
  readonly talkers: number;
  readonly rssMiB: { readonly idle: number; readonly before: number; readonly peak: number; readonly peakHostile: number; readonly after: number };
  readonly delayMs: Readonly<Record<'calm' | 'hostile' | 'after', DelayFigures>>;
  readonly talkerLinesSent: number;
  readonly talkerLinesDelivered: number;
  readonly linesReceivedByWellBehaved: number;
  readonly orderedStreamLines: number;
  readonly hostileMs: number;
  readonly nonReader: { readonly cutAfterMs: number; readonly bytesReceived: number; readonly loudLines: number; readonly loudBytes: number };
  readonly flooder: { readonly written: number; readonly delivered: number; readonly perSecond: number };
  readonly longLine: { readonly bytes: number; readonly noticeAfterKiB: number; readonly streamMs: number; readonly rssBeforeMiB: number; readonly rssPeakMiB: number };
  readonly longProbe: { readonly bytes: number; readonly noticeAfterKiB: number; readonly streamMs: number; readonly rssBeforeMiB: number; readonly rssPeakMiB: number };
  readonly bigProbe: { readonly bytes: number; readonly noticeAfterKiB: number; readonly streamMs: number; readonly rssBeforeMiB: number; readonly rssPeakMiB: number };
  readonly churn: { readonly cycles: number; readonly ms: number };
  readonly shutdown: {
    readonly ms: number;
    readonly exitCode: number | null;
    readonly noticed: number;
    readonly closedByServer: number;
    readonly lastNoticeMs: number;
    readonly lastCloseMs: number;
    readonly serverSays: string;
  };
  readonly machine: {
    readonly loadavgStart: string;
    readonly loadavgEnd: string;
    readonly hostileBusyCores: number;
    readonly hostileOursCores: number;
    readonly hostileOthersCores: number;
    readonly hostileServerCpuPercent: number;
    readonly hostileServerThreadRunPercent: number;
    readonly hostileServerThreadWaitPercent: number;
  };
  readonly worstWindows: readonly Window[];
  readonly loadGenerator: { readonly workerLoopDelayMaxMs: number; readonly workerLoopDelayP99Ms: number; readonly mainLoopDelayMaxMs: number };
  readonly openFilesLimit: number;
  readonly totalMs: number;
}

const WINDOW_MS = 250;
const mib = (kib: number): number => Math.round((kib / 1024) * 10) / 10;
const r1 = (x: number): number => Math.round(x * 10) / 10;
const r2 = (x: number): number => Math.round(x * 100) / 100;

/** The first index where two streams differ, or -1. */
function firstDifference(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return -1;
}

function mergedDelays(reports: readonly WorkerReport[]): Record<Phase, DelayHistogram> {
  const delays: Record<Phase, DelayHistogram> = { c: new DelayHistogram(), h: new DelayHistogram(), a: new DelayHistogram() };
  for (const r of reports) for (const phase of ['c', 'h', 'a'] as const) delays[phase].merge(r.delays[phase]);
  return delays;
}

export function evaluate(run: RunData): { checks: Check[]; figures: Figures } {
  const { options: o, reports } = run;
  const n = o.clients;
  const all = (pick: (r: WorkerReport) => number): number => reports.reduce((total, r) => total + pick(r), 0);
  const delays = mergedDelays(reports);
  const talkerLinesSent = Object.values(run.sent).reduce((a, b) => a + b, 0);
  const checks: Check[] = [];
  const check = (name: string, ok: boolean, detail: string): void => {
    checks.push({ name, ok, detail });
  };

  const faults = run.serverFaults;
  check(
    'server stayed up and logged no internal error',
    run.serverAliveAtSigterm && faults.length === 0,
    !run.serverAliveAtSigterm ? 'server exited before SIGTERM' : faults.length === 0 ? 'alive until SIGTERM' : faults.slice(0, 3).join(' | '),
  );
  check(
    'all well-behaved clients joined',
    run.joined === n && reports.length === o.workers,
    `${run.joined}/${n}${run.joinFailures.length > 0 ? `: ${run.joinFailures.join('; ')}` : ''}`,
  );

  const missing = all((r) => r.talkerMissing);
  const dups = all((r) => r.talkerDuplicates);
  const extra = all((r) => r.talkerExtra);
  const reordered = all((r) => r.talkerOutOfOrder);
  const talkerProblems = reports.flatMap((r) => r.talkerProblems).slice(0, 3);
  check(
    'every well-behaved client got every talker line exactly once',
    talkerLinesSent > 0 && missing + dups + extra + reordered === 0 && run.unconfirmedTalkers.length === 0 && reports.length === o.workers,
    `${talkerLinesSent} lines x ${n} clients; missing ${missing}, duplicated ${dups}, unexpected ${extra}, out of order ${reordered}` +
      (run.unconfirmedTalkers.length > 0 ? `; talkers that never saw their last line: ${run.unconfirmedTalkers.join(',')}` : '') +
      (talkerProblems.length > 0 ? `; e.g. ${talkerProblems.join('; ')}` : ''),
  );

  // One order: within a worker every client matched the worker's canonical stream; across
  // workers the canonical streams are equal; and the stream runs from MARK to the shutdown notice.
  const reference = reports[0]?.canonical ?? [];
  const orderProblems = reports.flatMap((r) => r.orderProblems).slice(0, 3);
  reports.slice(1).forEach((r, k) => {
    const i = firstDifference(reference, r.canonical);
    if (i !== -1) orderProblems.push(`worker ${k + 1} line #${i}: ${JSON.stringify(r.canonical[i])} vs ${JSON.stringify(reference[i])}`);
  });
  const fullLength = all((r) => r.fullLengthClients);
  const framed = reference[0] === `(${CONTROL}) MARK` && reference[reference.length - 1] === SHUTTING_DOWN;
  check(
    'all well-behaved clients saw the same lines in the same order',
    orderProblems.length === 0 && fullLength === n && framed,
    `${reference.length} lines from MARK to the shutdown notice; ${fullLength}/${n} clients identical` +
      (orderProblems.length > 0 ? `; ${orderProblems.join('; ')}` : '') +
      (framed ? '' : '; the stream does not run from MARK to the shutdown notice'),
  );

  const tooSlowSeen = all((r) => r.tooSlowSeen);
  const nr = run.nonReader;
  check(
    'non-reader cut off with "(too slow)" announced',
    nr.joined && nr.noticeSeen && nr.closedByServer && tooSlowSeen === n,
    `notice ${Math.round(nr.cutAfterMs)} ms after it stopped reading, seen by ${tooSlowSeen}/${n}; its connection: ${nr.close}; ` +
      `it got ${mib(nr.bytesReceived / 1024)} MiB once it read again${nr.error === '' ? '' : `; ${nr.error}`}`,
  );

  const floodViolations = all((r) => r.flooderViolations);
  const floodMin = Math.min(...reports.map((r) => r.flooderLinesMin));
  const floodMax = Math.max(...reports.map((r) => r.flooderLinesMax));
  const floodProblems = reports.flatMap((r) => r.flooderProblems).slice(0, 3);
  check(
    'flooder lines in order, without gaps, the same for everyone',
    floodViolations === 0 && floodMin === floodMax && floodMax > 0 && run.flooder.leftSeen,
    `each client got f 0..f ${floodMax - 1} (fewest ${floodMin}) of ${run.flooder.linesWritten} written` +
      (floodProblems.length > 0 ? `; ${floodProblems.join('; ')}` : '') +
      (run.flooder.error === '' ? '' : `; ${run.flooder.error}`),
  );
  const fs = run.flooderSeen;
  const floodSpanS = fs.count > 1 ? (fs.lastAt - fs.firstAt) / 1000 : 0;
  const floodAllowed = o.server.burst + o.server.rate * floodSpanS + 1;
  check(
    'flood control held the flooder to its rate',
    o.server.rate === 0 || (fs.count > 0 && fs.count <= floodAllowed),
    `${fs.count} lines over ${floodSpanS.toFixed(1)} s` +
      (floodSpanS > 0 ? ` (${((fs.count - o.server.burst) / floodSpanS).toFixed(1)}/s after the burst of ${o.server.burst})` : '') +
      `; at most ${Math.floor(floodAllowed)} allowed`,
  );

  const ll = run.longLine;
  const lp = run.longProbe;
  const bp = run.bigProbe;
  const afterLongOnce = all((r) => r.afterLongLineOnce);
  const errors = [ll, lp, bp].map((r) => r.error).filter((e) => e !== '');
  check(
    `${mib(o.longBytes / 1024)} MiB line: one too-long notice, the next line delivered`,
    ll.bytesSent === o.longBytes && [ll, lp, bp].every((r) => r.notices === 1 && r.followingLineEchoed) && afterLongOnce === n,
    `${ll.notices} notice(s), ${Math.round(ll.noticeAfterBytes / 1024)} KiB into the line (alone: ${Math.round(lp.noticeAfterBytes / 1024)} KiB); ` +
      `the next line echoed: ${ll.followingLineEchoed}, delivered once to ${afterLongOnce}/${n}${errors.length > 0 ? `; ${errors.join('; ')}` : ''}`,
  );
  const growth = (r: LongLineResult): string => `${mib(r.rssBeforeKiB)} -> ${mib(r.rssPeakKiB)} MiB (+${mib(r.rssPeakKiB - r.rssBeforeKiB)})`;
  check(
    `server RSS does not grow with line length (${mib(o.probeBytes / 1024)} MiB line alone: < +${mib(o.probeBytes / 2048)} MiB)`,
    bp.rssBeforeKiB > 0 && (bp.rssPeakKiB - bp.rssBeforeKiB) * 1024 < o.probeBytes / 2,
    `${mib(o.probeBytes / 1024)} MiB alone: ${growth(bp)} in ${Math.round(bp.streamMs)} ms; ` +
      `${mib(o.longBytes / 1024)} MiB alone: ${growth(lp)} in ${Math.round(lp.streamMs)} ms; ` +
      `${mib(o.longBytes / 1024)} MiB amid the hostile clients: ${growth(ll)} in ${Math.round(ll.streamMs)} ms`,
  );

  const expectedWho = new Set([CONTROL, ...Array.from({ length: n }, (_, i) => `w${i}`)]);
  const ghosts = run.whoNames.filter((name) => !expectedWho.has(name));
  check(
    'churner: every connect/reset cycle completed, no ghost users',
    run.churn.completed === run.churn.attempts && ghosts.length === 0 && run.whoNames.length === expectedWho.size,
    `${run.churn.completed}/${run.churn.attempts} cycles in ${Math.round(run.churn.ms)} ms; /who lists ${run.whoNames.length} (expected ${expectedWho.size})` +
      (ghosts.length > 0 ? `; ghosts: ${ghosts.slice(0, 5).join(', ')}` : '') +
      (run.churn.firstFailure === '' ? '' : `; ${run.churn.failures} failed, first: ${run.churn.firstFailure}`),
  );

  check(
    `worst delivery delay while the hostile clients ran <= ${o.maxDelayMs} ms`,
    delays.h.count > 0 && delays.h.max <= o.maxDelayMs,
    `max ${r1(delays.h.max)} ms, p99 ${r1(delays.h.quantile(0.99))} ms over ${delays.h.count} deliveries (see the timeline for the CPU context)`,
  );

  const noticeSeen = all((r) => r.shutdownNoticeSeen);
  const closedByServer = all((r) => r.closedByServer);
  const graceMs = o.server.shutdownGraceSeconds * 1000;
  check(
    `SIGTERM: every client told and closed, exit 0 within ${o.server.shutdownGraceSeconds} s`,
    run.shutdown.code === 0 && run.shutdown.ms <= graceMs && noticeSeen === n && closedByServer === n,
    `exit ${run.shutdown.code ?? run.shutdown.signal} after ${Math.round(run.shutdown.ms)} ms; notice ${noticeSeen}/${n}, closed by the server ${closedByServer}/${n}`,
  );

  const unexpected = all((r) => r.unexpectedCount);
  const syncMissing = [...run.markMissing, ...run.endMissing];
  check(
    'well-behaved clients received nothing unexpected',
    unexpected === 0 && syncMissing.length === 0,
    (unexpected === 0 ? 'only chat lines and join/leave notices' : `${unexpected} lines, e.g. ${reports.flatMap((r) => r.unexpected).slice(0, 3).join('; ')}`) +
      (syncMissing.length > 0 ? `; missed MARK/END: ${syncMissing.slice(0, 5).join(', ')}` : ''),
  );

  return { checks, figures: figuresOf(run, delays, { talkerLinesSent, noticeSeen, closedByServer, floodSpanS, reference }) };
}

function figuresOf(
  run: RunData,
  delays: Record<Phase, DelayHistogram>,
  d: { talkerLinesSent: number; noticeSeen: number; closedByServer: number; floodSpanS: number; reference: readonly string[] },
): Figures {
  const { reports } = run;
  const all = (pick: (r: WorkerReport) => number): number => reports.reduce((total, r) => total + pick(r), 0);
  const delay = (h: DelayHistogram): DelayFigures => ({ count: h.count, p50: r1(h.quantile(0.5)), p99: r1(h.quantile(0.99)), max: r1(h.max) });
  const line = (r: LongLineResult): Figures['longLine'] => ({
    bytes: r.bytesSent,
    noticeAfterKiB: Math.round(r.noticeAfterBytes / 1024),
    streamMs: Math.round(r.streamMs),
    rssBeforeMiB: mib(r.rssBeforeKiB),
    rssPeakMiB: mib(r.rssPeakKiB),
  });
  const hostileEnd = run.hostileStart + run.hostileMs;
  const cpu = run.sys.window(run.hostileStart, hostileEnd);
  const nr = run.nonReader;
  return {
    clients: run.options.clients,
    talkers: run.options.talkers,
    rssMiB: { idle: mib(run.rss.idle), before: mib(run.rss.before), peak: mib(run.rss.peak), peakHostile: mib(run.rss.peakHostile), after: mib(run.rss.after) },
    delayMs: { calm: delay(delays.c), hostile: delay(delays.h), after: delay(delays.a) },
    talkerLinesSent: d.talkerLinesSent,
    talkerLinesDelivered: all((r) => r.talkerLinesReceived),
    linesReceivedByWellBehaved: all((r) => r.linesReceived),
    orderedStreamLines: d.reference.length,
    hostileMs: Math.round(run.hostileMs),
    nonReader: { cutAfterMs: Math.round(nr.cutAfterMs), bytesReceived: nr.bytesReceived, loudLines: nr.loudLines, loudBytes: nr.loudBytes },
    flooder: {
      written: run.flooder.linesWritten,
      delivered: run.flooderSeen.count,
      perSecond: d.floodSpanS > 0 ? r1(run.flooderSeen.count / d.floodSpanS) : 0,
    },
    longLine: line(run.longLine),
    longProbe: line(run.longProbe),
    bigProbe: line(run.bigProbe),
    churn: { cycles: run.churn.completed, ms: Math.round(run.churn.ms) },
    shutdown: {
      ms: Math.round(run.shutdown.ms),
      exitCode: run.shutdown.code,
      noticed: d.noticeSeen,
      closedByServer: d.closedByServer,
      lastNoticeMs: Math.round(Math.max(...reports.map((r) => r.shutdownNoticeMaxMs))),
      lastCloseMs: Math.round(Math.max(...reports.map((r) => r.closeMaxMs))),
      serverSays: run.shutdown.serverSays,
    },
    machine: {
      loadavgStart: run.sys.loadAtStart,
      loadavgEnd: run.loadAtEnd,
      hostileBusyCores: r2(cpu.machineCores),
      hostileOursCores: r2(cpu.oursCores),
      hostileOthersCores: r2(Math.max(0, cpu.machineCores - cpu.oursCores)),
      hostileServerCpuPercent: Math.round(run.serverCpu(run.hostileStart, hostileEnd)),
      hostileServerThreadRunPercent: Math.round(cpu.serverRunPercent),
      hostileServerThreadWaitPercent: Math.round(cpu.serverWaitPercent),
    },
    worstWindows: worstWindows(run),
    loadGenerator: {
      workerLoopDelayMaxMs: r1(Math.max(...reports.map((r) => r.loopDelayMaxMs))),
      workerLoopDelayP99Ms: r1(Math.max(...reports.map((r) => r.loopDelayP99Ms))),
      mainLoopDelayMaxMs: r1(run.mainLoopDelayMaxMs),
    },
    openFilesLimit: run.openFilesLimit,
    totalMs: Math.round(run.totalMs),
  };
}

/** The five 250 ms windows (by send time) with the worst delivery delay, with their CPU context. */
function worstWindows(run: RunData): Window[] {
  const workerStalls = new StallTimeline();
  const merged = new Map<number, [number, number]>();
  for (const r of run.reports) {
    for (const [window, late] of r.stalls) workerStalls.windows.set(window, Math.max(late, workerStalls.windows.get(window) ?? 0));
    for (const [window, max, count] of r.timeline) {
      const slot = merged.get(window) ?? [0, 0];
      merged.set(window, [Math.max(slot[0], max), slot[1] + count]);
    }
  }
  return [...merged]
    .sort((a, b) => b[1][0] - a[1][0])
    .slice(0, 5)
    .map(([window, [max, count]]): Window => {
      // The span in which lines sent in this window were in flight.
      const from = window - 100;
      const to = window + WINDOW_MS + max + 100;
      const cpu = run.sys.window(from, to);
      return {
        atS: r1((window - run.hostileStart) / 1000),
        maxMs: r1(max),
        deliveries: count,
        serverCpuPercent: Math.round(run.serverCpu(from, to)),
        serverWaitPercent: Math.round(cpu.serverWaitPercent),
        machineCores: r2(cpu.machineCores),
        oursCores: r2(cpu.oursCores),
        workerStallMs: Math.round(workerStalls.worst(window, window + WINDOW_MS + max)),
        mainStallMs: Math.round(run.mainStalls.worst(window, window + WINDOW_MS + max)),
      };
    });
}

/** The human-readable part: checks, a figures table, the worst delay windows, the events. */
export function render(run: RunData, checks: readonly Check[], f: Figures): string {
  const lines: string[] = ['', 'Checks'];
  for (const c of checks) lines.push(`  ${c.ok ? 'PASS' : 'FAIL'}  ${c.name}`, `        ${c.detail}`);
  const m = f.machine;
  const rows: Array<[string, string]> = [
    ['server RSS idle / before / peak / after', `${f.rssMiB.idle} / ${f.rssMiB.before} / ${f.rssMiB.peak} / ${f.rssMiB.after} MiB (peak while hostile ${f.rssMiB.peakHostile})`],
    ...(['calm', 'hostile', 'after'] as const).map((phase): [string, string] => {
      const d = f.delayMs[phase];
      return [`delivery delay, ${phase}`, `p50 ${d.p50} ms, p99 ${d.p99} ms, max ${d.max} ms (${d.count} deliveries)`];
    }),
    ['talker lines sent / delivered', `${f.talkerLinesSent} / ${f.talkerLinesDelivered}`],
    ['lines received by well-behaved clients', String(f.linesReceivedByWellBehaved)],
    ['hostile phase', `${f.hostileMs} ms`],
    ['flooder written / delivered', `${f.flooder.written} / ${f.flooder.delivered} (${f.flooder.perSecond}/s including the burst)`],
    [
      'shutdown (SIGTERM -> exit)',
      `${f.shutdown.ms} ms, exit ${String(f.shutdown.exitCode)}, notice to ${f.shutdown.noticed}/${f.clients}, last close +${f.shutdown.lastCloseMs} ms` +
        (f.shutdown.serverSays === '' ? ' (no "shut down in" log line)' : ` (server: "${f.shutdown.serverSays}")`),
    ],
    [
      'machine during the hostile phase',
      `load avg ${m.loadavgStart} -> ${m.loadavgEnd}; ${m.hostileBusyCores} cores busy: ours ${m.hostileOursCores}, others ${m.hostileOthersCores}; ` +
        `server ${m.hostileServerCpuPercent}% CPU, its event-loop thread waited for a CPU ${m.hostileServerThreadWaitPercent}% of the time`,
    ],
    [
      'load generator event-loop delay',
      `workers max ${f.loadGenerator.workerLoopDelayMaxMs} ms (p99 ${f.loadGenerator.workerLoopDelayP99Ms}), main max ${f.loadGenerator.mainLoopDelayMaxMs} ms`,
    ],
    ['server log', run.logPath],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  lines.push('', 'Figures');
  for (const [k, v] of rows) lines.push(`  ${k.padEnd(width)}  ${v}`);
  lines.push('', 'Worst delivery delays, by send time (s from the start of the hostile phase)');
  for (const w of f.worstWindows) {
    lines.push(
      `  ${(w.atS >= 0 ? '+' : '') + w.atS.toFixed(1)} s`.padEnd(11) +
        `${String(w.maxMs).padStart(7)} ms: server ${w.serverCpuPercent}% CPU, waited for a CPU ${w.serverWaitPercent}%; ` +
        `machine ${w.machineCores} cores busy (ours ${w.oursCores}); stalls: workers ${w.workerStallMs} ms, main ${w.mainStallMs} ms`,
    );
  }
  lines.push('', 'Events (s from the start of the hostile phase)');
  for (const e of run.events) lines.push(`  ${((e.at - run.hostileStart) / 1000).toFixed(2).padStart(7)} s  ${e.what}`);
  const failed = checks.filter((c) => !c.ok).length;
  lines.push('', failed === 0 ? `stress: all ${checks.length} checks passed` : `stress: ${failed} of ${checks.length} checks FAILED`);
  return lines.join('\n');
}
