// The benchmark's one command: every scenario against naive, tuned and rxchat, side by side.
//
//   npm run bench                                     (all scenarios, full size)
//   npm run bench -- --scenario fan-out --size small
//   npm run bench -- --scenario fan-out --servers rxchat --cpu-prof bench/results/prof
//
// For each scenario, each server runs in its own fresh process under the same load (see
// measure.ts); the report is a table per scenario plus one JSON line per scenario and server,
// also appended to bench/results/bench-<time>.jsonl. Exits 1 if any run was incorrect or did
// not finish, 2 on bad arguments. Every child process is killed on exit, error and Ctrl-C.
import { appendFileSync, mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_DIR, compileBench } from './compile.ts';
import { runOne, type RunResult } from './measure.ts';
import { killChildrenOnExit, openFilesHardLimit } from './proc.ts';
import { jsonLine, scenarioTable } from './report.ts';
import { SCENARIOS, findScenario } from './scenarios/index.ts';
import { parseSize, sized, type Scenario, type SizedScenario } from './scenarios/spec.ts';
import { ALL_SERVERS, RXCHAT_ENTRY, SERVERS, rxchatFlags, type ServerName } from './servers.ts';

const USAGE = `Usage: npm run bench -- [options]

  --scenario <names>   comma-separated: ${SCENARIOS.map((s) => s.name).join(', ')} (default: all)
  --size <size>        tiny | small | full | a scale factor such as 0.5 (default: full)
  --servers <names>    comma-separated: ${ALL_SERVERS.join(', ')} (default: ${SERVERS.join(', ')});
                       rxchat-web is rxchat with the load's clients on its WebSocket.
                       web-fan-out always runs rxchat and rxchat-web
  --workers <n>        load worker processes (default: 2)
  --repeat <n>         rounds per scenario, every server once per round; the table shows
                       medians (default: 3, but 1 for many)
  --rxchat <file>      the rxchat build to run (default: dist/bin/chat-server.js); to compare
                       two versions, build the other one in a git worktree and point here
  --cpu-prof <dir>     run each server under node --cpu-prof, profiles written to <dir>
  --cpu-prof-load      with --cpu-prof: profile the load workers too
  --stall <s>          fail a phase after this many seconds without progress (default: 60)
  --help               this text
`;

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function parseList<T extends string>(raw: string | undefined, all: readonly T[], what: string): T[] {
  if (raw === undefined || raw === 'all') return [...all];
  const names = raw.split(',').map((s) => s.trim());
  for (const name of names) if (!all.includes(name as T)) fail(`unknown ${what} '${name}'`);
  return names as T[];
}

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    strict: true,
    options: {
      scenario: { type: 'string' },
      size: { type: 'string', default: 'full' },
      servers: { type: 'string' },
      workers: { type: 'string', default: '2' },
      repeat: { type: 'string' },
      rxchat: { type: 'string' },
      'cpu-prof': { type: 'string' },
      'cpu-prof-load': { type: 'boolean' },
      stall: { type: 'string', default: '60' },
      help: { type: 'boolean' },
    },
  }));
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
}
if (values.help === true) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const sizeName = String(values.size);
const factor = parseSize(sizeName) ?? fail(`bad --size '${sizeName}'`);
const scenarios: Scenario[] = parseList(
  values.scenario as string | undefined,
  SCENARIOS.map((s) => s.name),
  'scenario',
).map((name) => findScenario(name)!);
const servers = parseList<ServerName>((values.servers as string | undefined) ?? SERVERS.join(','), ALL_SERVERS, 'server');
const workers = Number(values.workers);
if (!Number.isInteger(workers) || workers < 1 || workers > 16) fail(`bad --workers '${String(values.workers)}'`);
const repeat = values.repeat === undefined ? undefined : Number(values.repeat);
if (repeat !== undefined && (!Number.isInteger(repeat) || repeat < 1 || repeat > 20)) fail(`bad --repeat '${String(values.repeat)}'`);
const stallS = Number(values.stall);
if (!Number.isFinite(stallS) || stallS <= 0) fail(`bad --stall '${String(values.stall)}'`);
const profDir = typeof values['cpu-prof'] === 'string' ? resolve(values['cpu-prof']) : undefined;
const rxchatEntry = typeof values.rxchat === 'string' ? resolve(values.rxchat) : RXCHAT_ENTRY;

const compiled = compileBench();
killChildrenOnExit([() => compiled.dispose()]);

const resultsDir = join(BENCH_DIR, 'results');
mkdirSync(resultsDir, { recursive: true });
const resultsFile = join(resultsDir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`);
const context = { node: process.version, cpus: cpus().length, at: new Date().toISOString() };

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const note = (line: string): void => {
  process.stderr.write(`  ${line}\n`);
};

say(`rxchat benchmark: ${scenarios.map((s) => s.name).join(', ')} at size ${sizeName}; servers ${servers.join(', ')}`);
say(`machine: ${cpus().length} CPUs, node ${process.version}, open-files hard limit ${openFilesHardLimit()}, ${workers} load workers`);
say(`rxchat runs as: node ${relative(process.cwd(), rxchatEntry)} ${rxchatFlags(0).join(' ').replace(/--max-clients \d+/, '--max-clients <clients+100>')}`);
say('  (limits out of the way: no flood control, 1 GiB output budget per client, no name timeout)');

let allCorrect = true;

/** One run of `scenario` against `server`, reported on stderr as it goes. */
async function runServer(shape: SizedScenario, server: ServerName, label: string): Promise<RunResult> {
  process.stderr.write(`${shape.scenario.name} / ${server}${label}:\n`);
  const profile = (who: string): string[] =>
    profDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profDir, '--cpu-prof-name', `${shape.scenario.name}-${server}-${who}.cpuprofile`];
  const result = await runOne({
    shape,
    server,
    compiled,
    workers,
    rxchatEntry,
    serverNodeFlags: profile('server'),
    workerNodeFlags: values['cpu-prof-load'] === true ? profile('load{worker}') : [],
    stallMs: stallS * 1000,
    log: note,
  });
  note(result.correct ? 'done' : `FAILED: ${result.failures.join('; ')}`);
  return result;
}

for (const scenario of scenarios) {
  const shape = sized(scenario, sizeName, factor);
  // A profile is of one run: one round when profiling.
  const roundCount = profDir !== undefined ? 1 : (repeat ?? scenario.rounds);
  const rounds: RunResult[][] = [];
  for (let round = 0; round < roundCount; round++) {
    const results: RunResult[] = [];
    rounds.push(results);
    // Each round starts with a different server, so none is always the first (or last) one. A
    // scenario that compares its own servers (web-fan-out: rxchat over TCP and over WebSocket) runs those.
    const own = scenario.servers ?? servers;
    const order = own.map((_, i) => own[(i + round) % own.length] as ServerName);
    for (const server of order) {
      const result = await runServer(shape, server, roundCount > 1 ? ` (round ${round + 1} of ${roundCount})` : '');
      results.push(result);
      allCorrect &&= result.correct;
      appendFileSync(resultsFile, `${jsonLine(result, { ...context, round: round + 1 })}\n`);
    }
  }
  for (const line of scenarioTable(shape, rounds)) say(line);
  rounds.forEach((results, round) => {
    for (const result of results) say(jsonLine(result, { ...context, round: round + 1 }));
  });
}
say('');
say(allCorrect ? 'all runs correct' : 'SOME RUNS FAILED: see FAIL lines above');
say(`results: ${resultsFile}`);
process.exit(allCorrect ? 0 : 1);
