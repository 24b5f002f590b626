// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by function and file, top N.
//
//   npx tsx bench/profile-summary.ts <file.cpuprofile> [top=25] [--from s] [--to s] [--timeline]
//
// `--from`/`--to` keep the samples of one stretch of the run (seconds from the profile's start: a
// phase); `--timeline` prints how busy the process was in each quarter second, to find the phases.
//
// Self time of a node is the time from each of its samples to the next sample (the last
// sample gets the mean interval). Nodes are grouped by function name + url + line, so the
// same function reached through different call paths counts once.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

export interface SelfTime {
  readonly label: string;
  readonly ms: number;
  readonly share: number;
}

/** Samples as (node, start µs from the profile's start, duration µs). */
function* timedSamples(profile: CpuProfile): Generator<{ readonly id: number; readonly atUs: number; readonly us: number }> {
  const { samples, timeDeltas } = profile;
  const meanUs = samples.length > 0 ? (profile.endTime - profile.startTime) / samples.length : 0;
  let atUs = 0;
  for (let i = 0; i < samples.length; i++) {
    atUs += timeDeltas[i] ?? 0;
    yield { id: samples[i]!, atUs, us: i + 1 < timeDeltas.length ? timeDeltas[i + 1]! : meanUs };
  }
}

/** Self time per function (ms), largest first, and the total, over samples from `fromS` to `toS` s. */
export function selfTimes(
  profile: CpuProfile,
  fromS = 0,
  toS = Number.POSITIVE_INFINITY,
): { readonly totalMs: number; readonly rows: SelfTime[] } {
  const byId = new Map<number, ProfileNode>(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  let totalUs = 0;
  for (const { id, atUs, us } of timedSamples(profile)) {
    if (atUs < fromS * 1e6 || atUs >= toS * 1e6) continue;
    const node = byId.get(id);
    if (node === undefined) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url === '' ? '' : ` ${shortUrl(url)}:${lineNumber + 1}`;
    const label = `${functionName === '' ? '(anonymous)' : functionName}${where}`;
    totals.set(label, (totals.get(label) ?? 0) + us);
    totalUs += us;
  }
  const rows = [...totals]
    .map(([label, us]) => ({ label, ms: us / 1000, share: totalUs > 0 ? us / totalUs : 0 }))
    .sort((a, b) => b.ms - a.ms);
  return { totalMs: totalUs / 1000, rows };
}

function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm !== -1) return path.slice(nm + '/node_modules/'.length);
  return path.startsWith('/') ? relative(process.cwd(), path) : path;
}

/** Busy ms (not idle) per `bucketMs` of the profile, as one line per bucket. */
export function timeline(profile: CpuProfile, bucketMs = 250): string[] {
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  const busy: number[] = [];
  for (const { id, atUs, us } of timedSamples(profile)) {
    const bucket = Math.floor(atUs / 1000 / bucketMs);
    while (busy.length <= bucket) busy.push(0);
    if (!idle.has(id)) busy[bucket]! += us / 1000;
  }
  return busy.map((ms, i) => `${((i * bucketMs) / 1000).toFixed(2).padStart(7)} s  ${'#'.repeat(Math.round((ms / bucketMs) * 40))}`);
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { from: { type: 'string', default: '0' }, to: { type: 'string' }, timeline: { type: 'boolean' } },
  });
  const [file, top = '25'] = positionals;
  if (file === undefined) {
    process.stderr.write('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top] [--from s] [--to s] [--timeline]\n');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  if (values.timeline === true) for (const line of timeline(profile)) process.stdout.write(`${line}\n`);
  const fromS = Number(values.from);
  const toS = values.to === undefined ? Number.POSITIVE_INFINITY : Number(values.to);
  const { totalMs, rows } = selfTimes(profile, fromS, toS);
  const window = values.to === undefined && fromS === 0 ? '' : ` from ${fromS} s to ${values.to ?? 'the end'}`;
  process.stdout.write(`${file}: ${totalMs.toFixed(0)} ms sampled${window}\n`);
  process.stdout.write(`${'self ms'.padStart(9)} ${'share'.padStart(6)}  function\n`);
  for (const row of rows.slice(0, Number(top))) {
    process.stdout.write(`${row.ms.toFixed(1).padStart(9)} ${(row.share * 100).toFixed(1).padStart(5)}%  ${row.label}\n`);
  }
}
