// Command-line options of the stress run (see README.md in this folder), parsed with
// node:util parseArgs. Server limit flags are passed through to the server unchanged and
// checked with the server's own parser, so the harness knows the limits the server runs with.
import { parseArgs } from 'node:util';
import { DEFAULTS, parseServerArgs, type ServerSettings } from '../../src/config.ts';

export interface StressOptions {
  readonly clients: number;
  readonly talkers: number;
  readonly talkRate: number;
  readonly workers: number;
  readonly calmMs: number;
  readonly tailMs: number;
  readonly floodMs: number;
  readonly loud: number;
  readonly loudRate: number;
  readonly longBytes: number;
  /** The big solo probe line that tells retained memory from GC lag. */
  readonly probeBytes: number;
  readonly churns: number;
  readonly churnConcurrency: number;
  readonly hostileTimeoutMs: number;
  readonly maxDelayMs: number;
  readonly deadlineMs: number;
  /** Flags passed to the server as given (`--rate 10`, ...). */
  readonly serverArgs: readonly string[];
  /** The limits the server runs with: its defaults plus `serverArgs`. */
  readonly server: ServerSettings;
}

export const USAGE = `Usage: npm run stress -- [options]      (or: tsx bench/stress.ts [options])

Runs the real server with its default limits against hundreds of well-behaved clients and a
few hostile ones, checks delivery, order and limits, and prints figures. Exit 1 on any FAIL.

Load:
  --clients <n>            well-behaved clients (default 300)
  --talkers <n>            how many of them talk (default 20)
  --talk-rate <n>          lines per second per talker (default 4)
  --workers <n>            child processes holding the well-behaved clients (default 2)
  --calm <s>               talking before the hostile clients start (default 3)
  --tail <s>               talking after they are gone (default 2)
Hostile clients:
  --flood-seconds <s>      how long the flooder writes (default 8)
  --loud <n>               helpers that /msg the non-reader, each within the rate (default 8)
  --loud-rate <n>          their lines per second, capped at 80% of --rate (default 16)
  --long-mib <n>           size of the line without a newline, MiB (default 10)
  --probe-mib <n>          a bigger line sent alone at the end: RSS must not grow with
                           line length (default 100)
  --churns <n>             connect/reset cycles (default 300)
  --churn-concurrency <n>  cycles at a time (default 4)
  --hostile-timeout <s>    longest the hostile phase may take (default 45)
Checks and limits of the run:
  --max-delay-ms <n>       worst delivery delay allowed while the hostile clients run (default 1000)
  --deadline <s>           hard limit for the whole run (default 180)
Server limits, passed through to the server (defaults are the server's own):
  --rate <n> --burst <n> --sendq-bytes <n> --max-line-bytes <n> --max-clients <n>
  --name-timeout <s> --shutdown-grace <s>
  --help                   this text
`;

export type ParsedStressArgs =
  | { readonly kind: 'run'; readonly options: StressOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

const SERVER_FLAGS = ['rate', 'burst', 'sendq-bytes', 'max-line-bytes', 'max-clients', 'name-timeout', 'shutdown-grace'] as const;
const HARNESS_FLAGS = [
  'clients',
  'talkers',
  'talk-rate',
  'workers',
  'calm',
  'tail',
  'flood-seconds',
  'loud',
  'loud-rate',
  'long-mib',
  'probe-mib',
  'churns',
  'churn-concurrency',
  'hostile-timeout',
  'max-delay-ms',
  'deadline',
] as const;

export function parseStressArgs(argv: readonly string[]): ParsedStressArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    const options: Record<string, { type: 'string' } | { type: 'boolean' }> = { help: { type: 'boolean' } };
    for (const flag of [...SERVER_FLAGS, ...HARNESS_FLAGS]) options[flag] = { type: 'string' };
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }));
  } catch (err) {
    return { kind: 'error', message: err instanceof Error ? err.message : String(err) };
  }
  if (values.help === true) return { kind: 'help' };

  const serverArgs: string[] = [];
  for (const flag of SERVER_FLAGS) {
    const value = values[flag];
    if (typeof value === 'string') serverArgs.push(`--${flag}`, value);
  }
  const parsed = parseServerArgs(serverArgs, {});
  if (parsed.kind === 'error') return { kind: 'error', message: parsed.message };
  const server = parsed.kind === 'run' ? parsed.settings : DEFAULTS;

  let problem = '';
  const num = (flag: (typeof HARNESS_FLAGS)[number], fallback: number, min: number, max: number): number => {
    const raw = values[flag];
    if (typeof raw !== 'string') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max) {
      problem ||= `invalid value for --${flag}: '${raw}' (expected a number from ${min} to ${max})`;
      return fallback;
    }
    return value;
  };
  const clients = Math.floor(num('clients', 300, 2, 5000));
  const rateCap = server.rate > 0 ? server.rate * 0.8 : Number.POSITIVE_INFINITY;
  const options: StressOptions = {
    clients,
    talkers: Math.min(clients, Math.floor(num('talkers', 20, 1, 1000))),
    talkRate: num('talk-rate', 4, 0.1, 1000),
    workers: Math.floor(num('workers', 2, 1, 16)),
    calmMs: num('calm', 3, 0, 600) * 1000,
    tailMs: num('tail', 2, 0, 600) * 1000,
    floodMs: num('flood-seconds', 8, 0.1, 600) * 1000,
    loud: Math.floor(num('loud', 8, 0, 100)),
    loudRate: Math.min(num('loud-rate', 16, 0.1, 1000), rateCap),
    longBytes: Math.floor(num('long-mib', 10, 0.01, 1024) * 1024 * 1024),
    probeBytes: Math.floor(num('probe-mib', 100, 0.01, 4096) * 1024 * 1024),
    churns: Math.floor(num('churns', 300, 0, 100_000)),
    churnConcurrency: Math.floor(num('churn-concurrency', 4, 1, 256)),
    hostileTimeoutMs: num('hostile-timeout', 45, 1, 3600) * 1000,
    maxDelayMs: num('max-delay-ms', 1000, 1, 3_600_000),
    deadlineMs: num('deadline', 180, 10, 86_400) * 1000,
    serverArgs,
    server,
  };
  if (problem !== '') return { kind: 'error', message: problem };
  if (server.rate > 0 && options.talkRate >= server.rate) {
    return { kind: 'error', message: `--talk-rate ${options.talkRate} must stay under the server's --rate ${server.rate}` };
  }
  return { kind: 'run', options };
}
