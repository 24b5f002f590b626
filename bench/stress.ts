// Stress run: the real server, hundreds of well-behaved clients and a few hostile ones.
//
//   npm run stress                      (builds, then: tsx bench/stress.ts)
//   npm run stress -- --clients 500 --flood-seconds 12
//   tsx bench/stress.ts --help          (every option; see also bench/stress/README.md)
//
// Steps (about 20-25 s plus the build with the defaults; hard deadline --deadline, 180 s):
//  1. Build if dist/ is missing or older than src/, spawn `node dist/bin/chat-server.js --port 0`
//     with the server's default limits (plus any limit flags given here), sample its VmRSS.
//  2. Fork --workers processes holding --clients well-behaved clients (w0, w1, ...); all join,
//     the `control` client says MARK, and from there every client records what it receives.
//  3. --talkers of them talk at --talk-rate lines/s, each line carrying a sequence number and
//     its send time. After --calm s, all hostile clients start at once (bench/stress/hostile.ts):
//     a non-reader (fed by `loud` helpers within the rate limit), a flooder, a 10 MiB line
//     without a newline, and a connect/RST churner. Talking goes on --tail s after they are gone.
//  4. The talkers stop, `/who` must list exactly the well-behaved users, control says END, the
//     server settles for 2 s (RSS "after"). Then the long line is sent alone, and a --probe-mib
//     one: RSS that grows with line length would mean the server holds the line.
//  5. SIGTERM with every client still connected: time to exit, exit code, notices, closes.
//  6. PASS/FAIL checks (exit 1 if any fails), a figures table, the worst delay windows with the
//     CPU context (bench/stress/system.ts), events, and one JSON line (`{"stress":...}`).
// Only 127.0.0.1. The server, the workers and every socket are torn down on exit, error, Ctrl-C.
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { event, events, runChurner, runFlooder, runLongLine, runNonReader, who } from './stress/hostile.ts';
import { CONTROL, END, FLOODER, LONGLINE, LONGPROBE, MARK, type ClientSpec, type Phase, type WorkerReport } from './stress/ipc.ts';
import { LineSocket, destroyAllSockets } from './stress/line-socket.ts';
import { USAGE, parseStressArgs, type StressOptions } from './stress/options.ts';
import { evaluate, render } from './stress/report.ts';
import { ServerProcess, ensureBuilt, openFilesLimit } from './stress/server-process.ts';
import { SystemMonitor } from './stress/system.ts';
import { StallTimeline, errorText, nowMs, sleep, withTimeout } from './stress/util.ts';
import { WorkerHandle } from './stress/workers.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let server: ServerProcess | undefined;
let workers: WorkerHandle[] = [];
let step = 'starting';

function cleanup(): void {
  for (const worker of workers) worker.kill();
  server?.kill();
  destroyAllSockets();
}

const eachWorker = <T>(act: (w: WorkerHandle) => Promise<T>): Promise<T[]> => Promise.all(workers.map(act));

async function run(o: StressOptions): Promise<boolean> {
  const t0 = nowMs();
  const mainLoop = monitorEventLoopDelay({ resolution: 10 });
  mainLoop.enable();
  const mainStalls = new StallTimeline();
  mainStalls.start();
  const fdLimit = openFilesLimit();
  const fdNeed = o.clients + o.loud + o.churnConcurrency + 64;
  if (fdLimit > 0 && fdLimit < fdNeed) throw new Error(`ulimit -n is ${fdLimit}; this run needs about ${fdNeed} (raise it or use fewer --clients)`);
  step = 'build';
  ensureBuilt(REPO);

  step = 'server start';
  const logPath = join(tmpdir(), `rxchat-stress-${process.pid}.log`);
  const srv = await ServerProcess.start(REPO, o.serverArgs, logPath, 15_000);
  server = srv;
  const { port } = srv;
  console.log(`stress: server pid ${srv.pid} on 127.0.0.1:${port} (log ${logPath}), open files limit ${srv.openFilesLimit()}`);
  const sys = new SystemMonitor(() => [process.pid, srv.pid, ...workers.map((w) => w.child.pid ?? 0)], srv.pid);
  sys.start();
  await sleep(300);
  const rssIdle = srv.sample();

  step = 'control join';
  const joinTimeoutMs = 30_000;
  const control = new LineSocket(port, CONTROL);
  const flooderSeen = { count: 0, firstAt: 0, lastAt: 0 };
  control.onLine((line) => {
    if (!line.startsWith(`(${FLOODER}) `)) return;
    const now = nowMs();
    if (flooderSeen.count++ === 0) flooderSeen.firstAt = now;
    flooderSeen.lastAt = now;
  });
  await control.join(CONTROL, joinTimeoutMs);

  step = 'clients join';
  const specs: ClientSpec[][] = Array.from({ length: o.workers }, () => []);
  const every = Math.max(1, Math.floor(o.clients / o.talkers));
  const talkers: string[] = [];
  for (let i = 0; i < o.clients; i++) {
    const talker = i % every === 0 && talkers.length < o.talkers;
    if (talker) talkers.push(`w${i}`);
    specs[i % o.workers]?.push({ name: `w${i}`, talker });
  }
  workers = specs.map((_, i) => new WorkerHandle(join(REPO, 'bench/stress/worker.ts'), `worker ${i}`));
  workers.forEach((w, i) => w.send({ type: 'start', port, clients: specs[i] ?? [], talkRate: o.talkRate, joinTimeoutMs, talkers }));
  const joins = await eachWorker((w) => w.next('joined', 90_000));
  const joined = joins.reduce((n, j) => n + j.joined, 0);
  console.log(`stress: ${joined}/${o.clients} clients joined in ${Math.round(nowMs() - t0)} ms`);

  const sync = async (text: string): Promise<string[]> => {
    workers.forEach((w) => w.send({ type: 'await-control', text, timeoutMs: 15_000 }));
    control.send(text);
    const seen = await eachWorker((w) => w.next('saw-control', 20_000));
    return seen.flatMap((s) => s.missing);
  };
  step = 'MARK';
  const markMissing = await sync(MARK);
  const rssBefore = srv.sample();
  const setPhase = (phase: Phase): void => workers.forEach((w) => w.send({ type: 'phase', phase }));

  step = 'calm talking';
  workers.forEach((w) => w.send({ type: 'talk', phase: 'c' }));
  const base = { port, joinTimeoutMs, hostileTimeoutMs: o.hostileTimeoutMs };
  await sleep(o.calmMs);

  step = 'hostile phase';
  setPhase('h');
  console.log(`stress: hostile clients start (${Math.round(nowMs() - t0)} ms)`);
  const hostileStart = nowMs();
  event('hostile phase starts');
  const [nonReader, flooder, longLine, churn] = await withTimeout(
    Promise.all([
      runNonReader({ ...base, loud: o.loud, loudRate: o.loudRate }, control),
      runFlooder({ ...base, floodMs: o.floodMs }, control),
      runLongLine({ ...base, name: LONGLINE, bytes: o.longBytes, maxLineBytes: o.server.maxLineBytes }, srv),
      runChurner({ ...base, churns: o.churns, concurrency: o.churnConcurrency }),
    ]),
    o.hostileTimeoutMs + 30_000,
    'the hostile clients to finish',
  );
  const hostileEnd = nowMs();
  event('hostile phase ends');
  setPhase('a');
  console.log(`stress: hostile clients gone after ${Math.round(hostileEnd - hostileStart)} ms`);

  step = 'tail talking';
  await sleep(o.tailMs);
  workers.forEach((w) => w.send({ type: 'stop-talk', timeoutMs: 15_000 }));
  const stops = await eachWorker((w) => w.next('talk-stopped', 20_000));
  const sent = Object.assign({}, ...stops.map((s) => s.sent)) as Record<string, number>;
  workers.forEach((w) => w.send({ type: 'expect', sent }));

  step = '/who and END';
  const whoNames = await who(control, 10_000);
  const endMissing = await sync(END);
  await sleep(2000); // let the server settle before the "after" RSS
  const rssAfter = srv.sample();
  const rss = { idle: rssIdle, before: rssBefore, peak: srv.peak(0, nowMs()), peakHostile: srv.peak(hostileStart, hostileEnd), after: rssAfter };

  // The long line again, alone on a quiet server, so its effect on RSS is not mixed with the
  // other hostiles'; then a much longer one: memory holding the line would grow with it,
  // read buffers awaiting garbage collection do not.
  step = 'solo long-line probes';
  const probe = await runLongLine({ ...base, name: LONGPROBE, bytes: o.longBytes, maxLineBytes: o.server.maxLineBytes }, srv);
  const bigProbe = await runLongLine({ ...base, name: LONGPROBE, bytes: o.probeBytes, maxLineBytes: o.server.maxLineBytes }, srv);

  step = 'shutdown';
  const serverAliveAtSigterm = srv.alive;
  const sigtermAt = srv.terminate();
  const graceMs = o.server.shutdownGraceSeconds * 1000;
  workers.forEach((w) => w.send({ type: 'await-closed', sigtermAt, timeoutMs: graceMs + 5000 }));
  const exit = await withTimeout(srv.exited, graceMs + 5000, 'the server to exit after SIGTERM').catch(() => undefined);
  const reports: WorkerReport[] = await eachWorker((w) => w.next('report', graceMs + 15_000));
  const serverSays = srv.stderr.find((line) => /^shut down in \d+ ms$/.test(line)) ?? '';
  mainLoop.disable();
  sys.stop();

  const data = {
    options: o,
    serverPid: srv.pid,
    openFilesLimit: srv.openFilesLimit() || fdLimit,
    joined,
    joinFailures: joins.flatMap((j) => j.failures),
    markMissing,
    endMissing,
    sent,
    unconfirmedTalkers: stops.flatMap((s) => s.unconfirmed),
    nonReader,
    flooder,
    flooderSeen,
    longLine,
    longProbe: probe,
    bigProbe,
    churn,
    whoNames,
    hostileStart,
    hostileMs: hostileEnd - hostileStart,
    serverCpu: (from: number, to: number) => srv.cpuPercent(from, to),
    events,
    mainStalls,
    sys,
    loadAtEnd: SystemMonitor.loadavg(),
    rss,
    serverAliveAtSigterm,
    serverFaults: srv.faults(),
    shutdown: {
      ms: exit === undefined ? Number.POSITIVE_INFINITY : exit.at - sigtermAt,
      code: exit?.code ?? null,
      signal: exit?.signal ?? null,
      serverSays,
    },
    reports,
    mainLoopDelayMaxMs: mainLoop.max / 1e6,
    logPath,
    totalMs: nowMs() - t0,
  };
  const { checks, figures } = evaluate(data);
  console.log(render(data, checks, figures));
  const ok = checks.every((c) => c.ok);
  console.log(JSON.stringify({ stress: { ok, checks: checks.map((c) => ({ name: c.name, ok: c.ok })), ...figures } }));
  return ok;
}

async function main(): Promise<number> {
  const parsed = parseStressArgs(process.argv.slice(2));
  if (parsed.kind === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (parsed.kind === 'error') {
    process.stderr.write(`stress: ${parsed.message}\nTry 'tsx bench/stress.ts --help'.\n`);
    return 2;
  }
  const o = parsed.options;
  const deadline = setTimeout(() => {
    console.log(`FAIL  the run passed its deadline of ${o.deadlineMs / 1000} s during: ${step}`);
    cleanup();
    process.exit(1);
  }, o.deadlineMs);
  try {
    return (await run(o)) ? 0 : 1;
  } catch (err) {
    console.log(`FAIL  stress run aborted during ${step}: ${errorText(err)}`);
    if (server !== undefined) {
      const exit = server.exit;
      if (exit !== undefined) console.log(`      the server had exited (code ${exit.code}, signal ${exit.signal}) before SIGTERM`);
      console.log(`      server log: ${server.logPath}; last lines: ${server.stderr.slice(-5).join(' | ')}`);
    }
    return 1;
  } finally {
    clearTimeout(deadline);
    cleanup();
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.log(`stress: ${signal}, stopping during ${step}`);
    cleanup();
    process.exit(130);
  });
}
process.exitCode = await main();
