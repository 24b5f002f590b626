// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by function and file, top N.
//
//   npx tsx bench/profile-summary.ts <file.cpuprofile> [top=25]
//
// Self time of a node is the time from each of its samples to the next sample (the last
// sample gets the mean interval). Nodes are grouped by function name + url + line, so the
// same function reached through different call paths counts once.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

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

/** Self time per function (ms), largest first, and the profile's total. */
export function selfTimes(profile: CpuProfile): { readonly totalMs: number; readonly rows: SelfTime[] } {
  const byId = new Map<number, ProfileNode>(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  const { samples, timeDeltas } = profile;
  const meanUs = samples.length > 0 ? (profile.endTime - profile.startTime) / samples.length : 0;
  let totalUs = 0;
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i]!);
    if (node === undefined) continue;
    const us = i + 1 < timeDeltas.length ? timeDeltas[i + 1]! : meanUs;
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

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  const [file, top = '25'] = process.argv.slice(2);
  if (file === undefined) {
    process.stderr.write('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const { totalMs, rows } = selfTimes(profile);
  process.stdout.write(`${file}: ${totalMs.toFixed(0)} ms sampled\n`);
  process.stdout.write(`${'self ms'.padStart(9)} ${'share'.padStart(6)}  function\n`);
  for (const row of rows.slice(0, Number(top))) {
    process.stdout.write(`${row.ms.toFixed(1).padStart(9)} ${(row.share * 100).toFixed(1).padStart(5)}%  ${row.label}\n`);
  }
}
