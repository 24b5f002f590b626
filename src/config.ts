// Server configuration: every default in one frozen object, and a pure argv/env parser.
//
// PROTOCOL.md "Server command line": each limit has a flag; HOST, PORT and REDIS_URL may also come
// from the environment (a flag beats the environment). The parser takes argv and env as arguments
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
  /** Lines each room keeps (0: none). */
  readonly history: number;
  /** Lines replayed on `/join`. */
  readonly replay: number;
  /** Rooms at once, #lobby included. */
  readonly maxRooms: number;
  /** Rooms one user is in at once, #lobby included. */
  readonly maxRoomsPerUser: number;
  /** The web page and WebSocket port (0: any free port); null: no web front end. */
  readonly webPort: number | null;
  /** Origins allowed for WebSocket handshakes besides the page's own. */
  readonly webOrigins: readonly string[];
  /** The IRC port (0: any free port); null: no IRC front end. */
  readonly ircPort: number | null;
  /** The server name IRC replies carry as their prefix. */
  readonly ircServerName: string;
  /** The Redis whose stream holds the cluster's log; null: a single node, log in memory. */
  readonly redis: string | null;
  /** Seconds of silence after which a node's users are announced gone. */
  readonly nodeLeaseSeconds: number;
  /** The Prometheus metrics port (0: any free port); null: off. */
  readonly metricsPort: number | null;
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
  history: 100,
  replay: 20,
  maxRooms: 1000,
  maxRoomsPerUser: 20,
  webPort: 7780,
  webOrigins: [],
  ircPort: 6667,
  ircServerName: 'rxchat',
  redis: null,
  nodeLeaseSeconds: 10,
  metricsPort: null,
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
  --history <n>             lines each room keeps, 0 = none (default ${DEFAULTS.history})
  --replay <n>              lines replayed on /join (default ${DEFAULTS.replay})
  --max-rooms <n>           rooms at once, #lobby included (default ${DEFAULTS.maxRooms})
  --max-rooms-per-user <n>  rooms one user is in at once, #lobby included (default ${DEFAULTS.maxRoomsPerUser})
  --web-port <n|off>        web page and WebSocket port, 0 = any free port (default ${DEFAULTS.webPort})
  --web-origin <origin>     another Origin allowed for WebSocket handshakes (repeatable)
  --irc-port <n|off>        IRC port, 0 = any free port (default ${DEFAULTS.ircPort})
  --irc-server-name <name>  the server name in IRC replies (default ${DEFAULTS.ircServerName})
  --redis <url>             join the cluster whose log is in this Redis: redis://host:port or
                            unix:///path [env REDIS_URL] (default: none, a single node)
  --node-lease <s>          seconds of silence before a node's users are announced gone (default ${DEFAULTS.nodeLeaseSeconds})
  --metrics-port <n|off>    Prometheus metrics on /metrics, 0 = any free port (default off)
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
    history: { type: 'string' },
    replay: { type: 'string' },
    'max-rooms': { type: 'string' },
    'max-rooms-per-user': { type: 'string' },
    'web-port': { type: 'string' },
    'web-origin': { type: 'string', multiple: true },
    'irc-port': { type: 'string' },
    'irc-server-name': { type: 'string' },
    redis: { type: 'string' },
    'node-lease': { type: 'string' },
    'metrics-port': { type: 'string' },
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
    history: wholeNumber('--history', stringFlag(values.history), DEFAULTS.history, 0, 100_000),
    replay: wholeNumber('--replay', stringFlag(values.replay), DEFAULTS.replay, 0, 100_000),
    maxRooms: wholeNumber('--max-rooms', stringFlag(values['max-rooms']), DEFAULTS.maxRooms, 1, 1_000_000),
    maxRoomsPerUser: wholeNumber('--max-rooms-per-user', stringFlag(values['max-rooms-per-user']), DEFAULTS.maxRoomsPerUser, 1, 10_000),
    nodeLeaseSeconds: wholeNumber('--node-lease', stringFlag(values['node-lease']), DEFAULTS.nodeLeaseSeconds, 1, 3600),
    webPort: portOrOff('--web-port', stringFlag(values['web-port']), DEFAULTS.webPort),
    ircPort: portOrOff('--irc-port', stringFlag(values['irc-port']), DEFAULTS.ircPort),
    metricsPort: portOrOff('--metrics-port', stringFlag(values['metrics-port']), DEFAULTS.metricsPort),
  };
  for (const value of Object.values(limits)) {
    if (typeof value === 'string') return { kind: 'error', message: value };
  }
  const webOrigins: string[] = [];
  const origins = values['web-origin'];
  for (const origin of Array.isArray(origins) ? origins : []) {
    const checked = checkOrigin(origin);
    if (checked === null) return { kind: 'error', message: `invalid value for --web-origin: '${origin}' (expected an origin such as https://chat.example.org)` };
    webOrigins.push(checked);
  }
  const ircServerName = stringFlag(values['irc-server-name'])?.trim() ?? DEFAULTS.ircServerName;
  if (!/^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$/.test(ircServerName)) {
    return { kind: 'error', message: `invalid value for --irc-server-name: '${ircServerName}' (expected letters, digits, '.' and '-', such as irc.example.org)` };
  }
  const redis = stringFlag(values.redis)?.trim() ?? nonEmpty(env.REDIS_URL) ?? null;
  if (redis !== null && !/^(redis|rediss):\/\/[^\s]+$|^unix:\/\/\/[^\s]+$/.test(redis)) {
    return { kind: 'error', message: `invalid value for --redis: '${redis}' (expected redis://host:port or unix:///path/to/redis.sock)` };
  }
  return {
    kind: 'run',
    settings: { host, port, ...(limits as Omit<ServerSettings, 'host' | 'port' | 'webOrigins' | 'ircServerName' | 'redis'>), webOrigins, ircServerName, redis },
  };
}

/** A port flag that may also be `off`: a port number, null for off, or an error sentence. */
function portOrOff(flag: string, raw: string | undefined, fallback: number | null): number | null | string {
  if (raw === undefined) return fallback;
  if (raw.trim().toLowerCase() === 'off') return null;
  const port = wholeNumber(flag, raw, 0, 0, 65_535);
  return typeof port === 'string' ? `invalid value for ${flag}: '${raw}' (expected a port from 0 to 65535, or off)` : port;
}

/** `scheme://host[:port]` as browsers send it in `Origin`, or null when `raw` is not one. */
function checkOrigin(raw: string): string | null {
  try {
    const url = new URL(raw.trim());
    if (url.origin === 'null' || (url.protocol !== 'http:' && url.protocol !== 'https:')) return null;
    return url.origin;
  } catch {
    return null;
  }
}

const MIB = 1024 * 1024;

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
