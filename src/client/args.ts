// The client's command line: a pure argv parser (run, help or error), tested without a process.
//
// Strict `node:util` parseArgs: an unknown flag, a missing value or a stray argument is an error
// (the CLI prints it on one line with a hint to use --help, and exits 2).
import { parseFlags, stringFlag, wholeNumber, type ParsedArgs } from '../cli-args.ts';
import { stripControls } from '../core/text.ts';

export interface ClientSettings {
  readonly host: string;
  readonly port: number;
  /** Sent as the first line once connected; null to answer `Username?` by hand. */
  readonly name: string | null;
  readonly noColor: boolean;
}

export const CLIENT_DEFAULTS = Object.freeze({ host: '127.0.0.1', port: 7777 });

export const CLIENT_USAGE = `Usage: rxchat [options]

Terminal client for the rxchat server. Type a line and press Enter to send it;
'exit' or '/quit' (or Ctrl-D) leaves; a second Ctrl-C quits at once. /join #room,
/part, /rooms, /who #room and /history are the room commands (/help lists every
command); the prompt shows your room when it is not #lobby (#rust> ), and lines of
your other rooms come tagged [#room]. Tab completes command names, room names after
/join, /part and /who, and the names of the users online (Tab twice lists them).

Options:
  --host <address>   server address (default ${CLIENT_DEFAULTS.host})
  --port <n>         server TCP port (default ${CLIENT_DEFAULTS.port})
  --name <name>      answer the server's 'Username?' with this name
  --no-color         no colour (also when NO_COLOR is set and not empty, TERM is dumb,
                     or output is not a terminal)
  --help             show this help and exit

Exit status: 0 after the server's goodbye, 1 if the connection failed or was lost,
2 for a bad option, 130 when interrupted.
`;

export type ParsedClientArgs = ParsedArgs<ClientSettings>;

export function parseClientArgs(argv: readonly string[]): ParsedClientArgs {
  const flags = parseFlags(argv, {
    host: { type: 'string' },
    port: { type: 'string' },
    name: { type: 'string' },
    'no-color': { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if ('error' in flags) return { kind: 'error', message: flags.error };
  const { values } = flags;
  if (values.help === true) return { kind: 'help', text: CLIENT_USAGE };

  const host = stringFlag(values.host) ?? CLIENT_DEFAULTS.host;
  if (host.trim() === '') return { kind: 'error', message: "invalid value for --host: '' (expected a host name or address)" };

  const port = wholeNumber('--port', stringFlag(values.port), CLIENT_DEFAULTS.port, 1, 65_535);
  if (typeof port === 'string') return { kind: 'error', message: port };

  const name = stringFlag(values.name) ?? null;
  if (name !== null && (name.trim() === '' || stripControls(name) !== name)) {
    return { kind: 'error', message: `invalid value for --name: ${JSON.stringify(name)} (expected a non-empty name without control characters)` };
  }
  return { kind: 'run', settings: { host: host.trim(), port, name, noColor: values['no-color'] === true } };
}
