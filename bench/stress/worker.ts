// Stress worker: a child process holding a share of the well-behaved clients (forked by
// bench/stress.ts; never run it by hand). Splitting the clients over processes keeps the load
// generator from being the bottleneck on a small machine.
//
// Each client joins, then records every line it receives. The talkers among them send
// `<seq> <sentMs> <phase>` at a polite rate. Per client the worker checks, as lines arrive:
//   - every talker line exactly once, per talker in sequence order (counted per seq);
//   - the flooder's lines in order from 0 with no gap, none after its departure;
//   - the whole stream from `(control) MARK` to the shutdown notice equals the worker's
//     canonical stream (the first client to reach each position defines it), i.e. one order;
//   - delivery delay of talker lines (send timestamp to receipt), by phase.
// The orchestrator drives it over IPC (ipc.ts) and gets one report at the end.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import {
  AFTER_LONG_LINE,
  CONTROL,
  FLOODER,
  LONGLINE,
  LONGPROBE,
  MARK,
  SHUTTING_DOWN,
  TOO_SLOW_NOTICE,
  isMainMessage,
  type ClientSpec,
  type MainToWorker,
  type Phase,
  type WorkerReport,
  type WorkerToMain,
} from './ipc.ts';
import { LineSocket, destroyAllSockets } from './line-socket.ts';
import { DelayHistogram, StallTimeline, errorText, nowMs, waitUntil } from './util.ts';

interface Client {
  readonly spec: ClientSpec;
  readonly sock: LineSocket;
  /** Per talker (by index), how many times each seq arrived. */
  readonly counts: number[][];
  /** Per talker, the last seq seen (-1 before any). */
  readonly lastSeq: Int32Array;
  outOfOrder: number;
  recording: boolean;
  /** Position in the canonical stream; the order is broken once a line differs. */
  pos: number;
  orderBroken: boolean;
  floodNext: number;
  floodLeft: boolean;
  floodViolation: string;
  afterLong: number;
  sawTooSlow: boolean;
  shutdownAt: number;
  controlSeen: Set<string>;
  // talker state
  sent: number;
  timer: NodeJS.Timeout | undefined;
}

const send = (message: WorkerToMain): void => {
  process.send?.(message);
};

const clients: Client[] = [];
let talkerIndex = new Map<string, number>();
let phase: Phase = 'c';
let talking = false;
let talkRate = 4;
let expectedSent: Readonly<Record<string, number>> = {};
const canonical: string[] = [];
const orderProblems: string[] = [];
const unexpected: string[] = [];
let unexpectedCount = 0;
let linesReceived = 0;
let talkerLinesReceived = 0;
const controlCounts = new Map<string, number>();
const delays: Record<Phase, DelayHistogram> = { c: new DelayHistogram(), h: new DelayHistogram(), a: new DelayHistogram() };
const loop = monitorEventLoopDelay({ resolution: 10 });
/** Worst delay and count of talker lines per 250 ms window of send time. */
const timeline = new Map<number, [number, number]>();
const WINDOW_MS = 250;
const stalls = new StallTimeline();

function noteUnexpected(c: Client, what: string): void {
  unexpectedCount++;
  if (unexpected.length < 10) unexpected.push(`${c.spec.name}: ${what}`);
}

function record(c: Client, line: string): void {
  if (c.orderBroken) return;
  if (c.pos < canonical.length) {
    if (canonical[c.pos] !== line) {
      c.orderBroken = true;
      if (orderProblems.length < 5) {
        orderProblems.push(`${c.spec.name}: line #${c.pos} is ${JSON.stringify(line)}, others have ${JSON.stringify(canonical[c.pos])}`);
      }
      return;
    }
  } else {
    canonical.push(line);
  }
  c.pos++;
}

function talkerLine(c: Client, t: number, text: string, now: number): void {
  talkerLinesReceived++;
  const parts = text.split(' ');
  const seq = Number(parts[0]);
  const sentMs = Number(parts[1]);
  const tag = parts[2];
  if (!Number.isInteger(seq) || seq < 0 || !Number.isFinite(sentMs) || (tag !== 'c' && tag !== 'h' && tag !== 'a')) {
    noteUnexpected(c, `malformed talker line ${JSON.stringify(text)}`);
    return;
  }
  const counts = c.counts[t] as number[];
  counts[seq] = (counts[seq] ?? 0) + 1;
  if (seq !== (c.lastSeq[t] ?? -1) + 1) c.outOfOrder++;
  c.lastSeq[t] = seq;
  const delay = now - sentMs;
  delays[tag].add(delay);
  const window = Math.floor(sentMs / WINDOW_MS) * WINDOW_MS;
  const slot = timeline.get(window);
  if (slot === undefined) timeline.set(window, [delay, 1]);
  else {
    if (delay > slot[0]) slot[0] = delay;
    slot[1]++;
  }
}

function flooderLine(c: Client, text: string): void {
  const seq = text.startsWith('f ') ? Number(text.slice(2)) : Number.NaN;
  if (c.floodViolation === '') {
    if (c.floodLeft) c.floodViolation = `flooder line ${JSON.stringify(text)} after its departure`;
    else if (seq !== c.floodNext) c.floodViolation = `flooder line ${JSON.stringify(text)} where f ${c.floodNext} was due`;
  }
  if (seq === c.floodNext) c.floodNext++;
}

function onLine(c: Client, line: string): void {
  linesReceived++;
  if (c.recording) record(c, line);
  else if (c.shutdownAt > 0) noteUnexpected(c, `line after the shutdown notice: ${JSON.stringify(line)}`);
  if (line.charCodeAt(0) === 40 /* ( */) {
    const close = line.indexOf(') ');
    if (close > 0) {
      const who = line.slice(1, close);
      const text = line.slice(close + 2);
      const t = talkerIndex.get(who);
      if (t !== undefined) return talkerLine(c, t, text, nowMs());
      if (who === FLOODER) return flooderLine(c, text);
      if (who === CONTROL) {
        if (text === MARK && !c.recording && c.shutdownAt === 0) {
          c.recording = true;
          record(c, line);
        }
        if (!c.controlSeen.has(text)) {
          c.controlSeen.add(text);
          controlCounts.set(text, (controlCounts.get(text) ?? 0) + 1);
        }
        return;
      }
      if (who === LONGLINE && text === AFTER_LONG_LINE) {
        c.afterLong++;
        return;
      }
      if (who === LONGPROBE && text === AFTER_LONG_LINE) return;
    }
    return noteUnexpected(c, JSON.stringify(line));
  }
  if (line.startsWith('*** ')) {
    if (line === SHUTTING_DOWN) {
      c.shutdownAt = nowMs();
      c.recording = false;
    } else if (line === TOO_SLOW_NOTICE) c.sawTooSlow = true;
    else if (line === `*** ${FLOODER} left the chat`) c.floodLeft = true;
    else if (!/^\*\*\* \S+ (joined|left) the chat$/.test(line)) noteUnexpected(c, JSON.stringify(line));
    return;
  }
  if (line === 'Username?' || line === `You are now connected, ${c.spec.name}!`) return;
  noteUnexpected(c, JSON.stringify(line));
}

function scheduleTalk(c: Client): void {
  const interval = (1000 / talkRate) * (0.75 + Math.random() * 0.5);
  c.timer = setTimeout(() => {
    if (!talking || !c.sock.socket.writable) return;
    c.sock.send(`${c.sent++} ${nowMs().toFixed(3)} ${phase}`);
    scheduleTalk(c);
  }, interval);
}

async function start(message: Extract<MainToWorker, { type: 'start' }>): Promise<void> {
  talkRate = message.talkRate;
  talkerIndex = new Map(message.talkers.map((name, i) => [name, i]));
  const failures: string[] = [];
  let next = 0;
  const joinOne = async (): Promise<void> => {
    while (next < message.clients.length) {
      const spec = message.clients[next++] as ClientSpec;
      const sock = new LineSocket(message.port, spec.name);
      const c: Client = {
        spec,
        sock,
        counts: message.talkers.map(() => []),
        lastSeq: new Int32Array(message.talkers.length).fill(-1),
        outOfOrder: 0,
        recording: false,
        pos: 0,
        orderBroken: false,
        floodNext: 0,
        floodLeft: false,
        floodViolation: '',
        afterLong: 0,
        sawTooSlow: false,
        shutdownAt: 0,
        controlSeen: new Set(),
        sent: 0,
        timer: undefined,
      };
      sock.onLine((line) => onLine(c, line));
      clients.push(c);
      try {
        await sock.join(spec.name, message.joinTimeoutMs);
      } catch (err) {
        failures.push(errorText(err));
      }
    }
  };
  // A few joins at a time: hundreds of simultaneous SYNs would only measure the accept queue.
  await Promise.all(Array.from({ length: 16 }, joinOne));
  send({ type: 'joined', joined: clients.length - failures.length, failures: failures.slice(0, 5) });
}

async function awaitControl(text: string, timeoutMs: number): Promise<void> {
  try {
    await waitUntil(() => (controlCounts.get(text) ?? 0) >= clients.length, timeoutMs, () => `(control) ${text}`);
  } catch {
    // reported below as the clients that missed it
  }
  const missing = clients.filter((c) => !c.controlSeen.has(text)).map((c) => c.spec.name);
  send({ type: 'saw-control', text, missing: missing.slice(0, 10) });
}

async function stopTalk(timeoutMs: number): Promise<void> {
  talking = false;
  const talkers = clients.filter((c) => c.spec.talker);
  for (const c of talkers) clearTimeout(c.timer);
  // A talker has stopped once the server has echoed its last line back to it.
  const confirmed = (c: Client): boolean => {
    const t = talkerIndex.get(c.spec.name) ?? -1;
    return c.sent === 0 || ((c.counts[t] ?? [])[c.sent - 1] ?? 0) > 0;
  };
  try {
    await waitUntil(() => talkers.every(confirmed), timeoutMs, () => 'the talkers to see their last lines');
  } catch {
    // reported as unconfirmed
  }
  const sent: Record<string, number> = {};
  for (const c of talkers) sent[c.spec.name] = c.sent;
  send({ type: 'talk-stopped', sent, unconfirmed: talkers.filter((c) => !confirmed(c)).map((c) => c.spec.name) });
}

async function awaitClosed(sigtermAt: number, timeoutMs: number): Promise<void> {
  try {
    await waitUntil(() => clients.every((c) => c.sock.closed), timeoutMs, () => 'every client to be closed');
  } catch {
    // reported as notClosed
  }
  send(report(sigtermAt));
  destroyAllSockets();
}

function report(sigtermAt: number): WorkerReport {
  const talkers = [...talkerIndex.keys()];
  let missing = 0;
  let duplicates = 0;
  let extra = 0;
  let outOfOrder = 0;
  const talkerProblems: string[] = [];
  const flooderProblems: string[] = [];
  let floodMin = Number.POSITIVE_INFINITY;
  let floodMax = 0;
  let shutdownNoticeMaxMs = 0;
  let closeMaxMs = 0;
  for (const c of clients) {
    let m = 0;
    let d = 0;
    let x = 0;
    talkers.forEach((name, t) => {
      const sent = expectedSent[name] ?? 0;
      const counts = c.counts[t] ?? [];
      for (let seq = 0; seq < Math.max(sent, counts.length); seq++) {
        const n = counts[seq] ?? 0;
        if (seq >= sent) x += n;
        else if (n === 0) m++;
        else d += n - 1;
      }
    });
    missing += m;
    duplicates += d;
    extra += x;
    outOfOrder += c.outOfOrder;
    if ((m > 0 || d > 0 || x > 0 || c.outOfOrder > 0) && talkerProblems.length < 5) {
      talkerProblems.push(`${c.spec.name}: ${m} missing, ${d} duplicated, ${x} unexpected, ${c.outOfOrder} out of order`);
    }
    if (c.floodViolation !== '' && flooderProblems.length < 5) flooderProblems.push(`${c.spec.name}: ${c.floodViolation}`);
    floodMin = Math.min(floodMin, c.floodNext);
    floodMax = Math.max(floodMax, c.floodNext);
    if (c.shutdownAt > 0) shutdownNoticeMaxMs = Math.max(shutdownNoticeMaxMs, c.shutdownAt - sigtermAt);
    const closedAt = c.sock.closeInfo?.at;
    if (closedAt !== undefined) closeMaxMs = Math.max(closeMaxMs, closedAt - sigtermAt);
  }
  loop.disable();
  return {
    type: 'report',
    clients: clients.length,
    linesReceived,
    talkerLinesReceived,
    talkerMissing: missing,
    talkerDuplicates: duplicates,
    talkerOutOfOrder: outOfOrder,
    talkerExtra: extra,
    talkerProblems,
    canonical,
    orderProblems,
    orderMismatchClients: clients.filter((c) => c.orderBroken).length,
    fullLengthClients: clients.filter((c) => !c.orderBroken && c.pos === canonical.length).length,
    flooderProblems,
    flooderViolations: clients.filter((c) => c.floodViolation !== '').length,
    flooderLinesMin: clients.length === 0 ? 0 : floodMin,
    flooderLinesMax: floodMax,
    afterLongLineOnce: clients.filter((c) => c.afterLong === 1).length,
    tooSlowSeen: clients.filter((c) => c.sawTooSlow).length,
    shutdownNoticeSeen: clients.filter((c) => c.shutdownAt > 0).length,
    closedByServer: clients.filter((c) => c.sock.closed && (c.sock.gotEnd || c.sock.error !== '')).length,
    notClosed: clients.filter((c) => !c.sock.closed).length,
    shutdownNoticeMaxMs,
    closeMaxMs,
    unexpectedCount,
    unexpected,
    delays: { c: delays.c.serialize(), h: delays.h.serialize(), a: delays.a.serialize() },
    stalls: stalls.serialize(),
    timeline: [...timeline].map(([window, [max, count]]) => [window, max, count] as const),
    loopDelayMaxMs: loop.max / 1e6,
    loopDelayP99Ms: loop.percentile(99) / 1e6,
  };
}

function handle(message: MainToWorker): Promise<void> | void {
  switch (message.type) {
    case 'start':
      loop.enable();
      stalls.start();
      return start(message);
    case 'await-control':
      return awaitControl(message.text, message.timeoutMs);
    case 'talk':
      phase = message.phase;
      talking = true;
      for (const c of clients) if (c.spec.talker) scheduleTalk(c);
      return;
    case 'phase':
      phase = message.phase;
      return;
    case 'stop-talk':
      return stopTalk(message.timeoutMs);
    case 'expect':
      expectedSent = message.sent;
      return;
    case 'await-closed':
      return awaitClosed(message.sigtermAt, message.timeoutMs);
  }
}

const fatal = (err: unknown): void => {
  send({ type: 'fatal', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  destroyAllSockets();
  process.exitCode = 1;
  process.disconnect?.();
};

process.on('message', (message: unknown) => {
  if (!isMainMessage(message)) return;
  Promise.resolve(handle(message)).catch(fatal);
});
// The orchestrator gone (finished, crashed or Ctrl-C): take every socket down with us.
process.on('disconnect', () => {
  destroyAllSockets();
  process.exit(0);
});
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);
