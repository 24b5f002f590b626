// Server configuration: every default in one frozen object, and a pure argv/env parser.
//
// PROTOCOL.md "Server command line": each limit has a flag; HOST and PORT may also come from
// the environment (a flag beats the environment). The parser takes argv and env as arguments
// and returns a value (run, help or error), so it is tested without a process.
import { parseFlags, stringFlag, wholeNumber, type ParsedArgs } from './cli-args.ts';

export interface ServerSettings {
  readonly host: string;
  readonly port: number;
  /** Longest accepted line in bytes, without the LF. */
  readonly maxLineBytes: number;
  /** Seconds a client may stay at `Username?`. */
  readonly nameTimeoutSeconds: number;
  /** Unsent output bytes a client may have before it is disconnected as too slow. */
  readonly sendqBytes: number;
  /** Input lines per second, sustained; 0 turns flood control off. */
  readonly rate: number;
  /** Input lines that may arrive at once after a quiet spell. */
  readonly burst: number;
  /** Connections held at once; the next one hears `*** Server full`. */
  readonly maxClients: number;
  /** Seconds to flush and close on SIGINT/SIGTERM before connections are cut. */
  readonly shutdownGraceSeconds: number;
}

export const DEFAULTS: ServerSettings = Object.freeze({
  host: '127.0.0.1',
  port: 7777,
  maxLineBytes: 4096,
  nameTimeoutSeconds: 60,
  sendqBytes: 1_048_576,
  rate: 20,
  burst: 40,
  maxClients: 10_000,
  shutdownGraceSeconds: 5,
});

export const USAGE = `Usage: rxchat-server [options]

A multi-user line-based chat server (connect with rxchat, nc or telnet).

Options:
  --host <address>          address to listen on [env HOST] (default ${DEFAULTS.host})
  --port <n>                TCP port, 0 = any free port [env PORT] (default ${DEFAULTS.port})
  --max-line-bytes <n>      longest accepted line in bytes, without the LF (default ${DEFAULTS.maxLineBytes})
  --name-timeout <s>        seconds a client may stay at the name prompt (default ${DEFAULTS.nameTimeoutSeconds})
  --sendq-bytes <n>         unsent output a client may have before it is disconnected (default ${DEFAULTS.sendqBytes})
  --rate <n>                input lines per second, sustained; 0 = no flood control (default ${DEFAULTS.rate})
  --burst <n>               input lines accepted at once after a quiet spell (default ${DEFAULTS.burst})
  --max-clients <n>         connections held at once (default ${DEFAULTS.maxClients})
  --shutdown-grace <s>      seconds to flush and close on SIGINT/SIGTERM (default ${DEFAULTS.shutdownGraceSeconds})
  --help                    show this help and exit
`;

type Env = Readonly<Record<string, string | undefined>>;

export function parseServerArgs(argv: readonly string[], env: Env): ParsedArgs<ServerSettings> {
  const flags = parseFlags(argv, {
    host: { type: 'string' },
    port: { type: 'string' },
    'max-line-bytes': { type: 'string' },
    'name-timeout': { type: 'string' },
    'sendq-bytes': { type: 'string' },
    rate: { type: 'string' },
    burst: { type: 'string' },
    'max-clients': { type: 'string' },
    'shutdown-grace': { type: 'string' },
    help: { type: 'boolean' },
  });
  if ('error' in flags) return { kind: 'error', message: flags.error };
  const { values } = flags;
  if (values.help === true) return { kind: 'help', text: USAGE };

  const hostFlag = stringFlag(values.host);
  // An empty --host would make Node listen on every interface: a forgotten `--host "$VAR"` must
  // not quietly turn a loopback server into a public one.
  if (hostFlag !== undefined && hostFlag.trim() === '') {
    return { kind: 'error', message: "invalid value for --host: '' (expected an address such as 127.0.0.1, or 0.0.0.0 for every interface)" };
  }
  const host = hostFlag?.trim() ?? nonEmpty(env.HOST) ?? DEFAULTS.host;
  const portFlag = stringFlag(values.port);
  const port = portFlag !== undefined
    ? wholeNumber('--port', portFlag, DEFAULTS.port, 0, 65_535)
    : wholeNumber('PORT', nonEmpty(env.PORT), DEFAULTS.port, 0, 65_535);
  if (typeof port === 'string') return { kind: 'error', message: port };
  const limits = {
    maxLineBytes: wholeNumber('--max-line-bytes', stringFlag(values['max-line-bytes']), DEFAULTS.maxLineBytes, 1, 16 * MIB),
    nameTimeoutSeconds: wholeNumber('--name-timeout', stringFlag(values['name-timeout']), DEFAULTS.nameTimeoutSeconds, 1, 86_400),
    sendqBytes: wholeNumber('--sendq-bytes', stringFlag(values['sendq-bytes']), DEFAULTS.sendqBytes, 1024, 1024 * MIB),
    rate: wholeNumber('--rate', stringFlag(values.rate), DEFAULTS.rate, 0, 1_000_000),
    burst: wholeNumber('--burst', stringFlag(values.burst), DEFAULTS.burst, 1, 1_000_000),
    maxClients: wholeNumber('--max-clients', stringFlag(values['max-clients']), DEFAULTS.maxClients, 1, 1_000_000),
    shutdownGraceSeconds: wholeNumber('--shutdown-grace', stringFlag(values['shutdown-grace']), DEFAULTS.shutdownGraceSeconds, 0, 3600),
  };
  for (const value of Object.values(limits)) {
    if (typeof value === 'string') return { kind: 'error', message: value };
  }
  return { kind: 'run', settings: { host, port, ...(limits as Omit<ServerSettings, 'host' | 'port'>) } };
}

const MIB = 1024 * 1024;

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
