// Server configuration: every default in one frozen object, and a pure argv/env parser.
//
// PROTOCOL.md "Server command line": each limit has a flag; HOST and PORT may also come from
// the environment (a flag beats the environment). The parser takes argv and env as arguments
// and returns a value (run, help or error), so it is tested without a process.
import { parseArgs } from 'node:util';

export interface ServerSettings {
  readonly host: string;
  readonly port: number;
  readonly maxLineBytes: number;
}

export const DEFAULTS: ServerSettings = Object.freeze({
  host: '127.0.0.1',
  port: 7777,
  maxLineBytes: 4096,
});

export const USAGE = `Usage: rxchat-server [options]

A multi-user line-based chat server (connect with rxchat, nc or telnet).

Options:
  --host <address>          address to listen on [env HOST] (default ${DEFAULTS.host})
  --port <n>                TCP port, 0 = any free port [env PORT] (default ${DEFAULTS.port})
  --max-line-bytes <n>      longest accepted line in bytes, without the LF (default ${DEFAULTS.maxLineBytes})
  --help                    show this help and exit
`;

export type ParsedArgs =
  | { readonly kind: 'run'; readonly settings: ServerSettings }
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'error'; readonly message: string };

type Env = Readonly<Record<string, string | undefined>>;

export function parseServerArgs(argv: readonly string[], env: Env): ParsedArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'max-line-bytes': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (err) {
    return { kind: 'error', message: err instanceof Error ? err.message : String(err) };
  }
  if (values.help === true) return { kind: 'help', text: USAGE };

  const host = stringOption(values.host) ?? nonEmpty(env.HOST) ?? DEFAULTS.host;
  const port = integer('--port', stringOption(values.port) ?? nonEmpty(env.PORT), DEFAULTS.port, 0, 65_535);
  if (typeof port === 'string') return { kind: 'error', message: port };
  const maxLineBytes = integer('--max-line-bytes', stringOption(values['max-line-bytes']), DEFAULTS.maxLineBytes, 1, 16 * 1024 * 1024);
  if (typeof maxLineBytes === 'string') return { kind: 'error', message: maxLineBytes };
  return { kind: 'run', settings: { host, port, maxLineBytes } };
}

function stringOption(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** The parsed integer, or an error sentence naming the flag and the accepted range. */
function integer(flag: string, raw: string | undefined, fallback: number, min: number, max: number): number | string {
  if (raw === undefined) return fallback;
  const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    return `invalid value for ${flag}: '${raw}' (expected a whole number from ${min} to ${max})`;
  }
  return value;
}
