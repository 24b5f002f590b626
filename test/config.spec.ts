// parseServerArgs, table by table: defaults, HOST/PORT from the environment, flags beating the
// environment, every limit flag, every kind of bad value with its message, and --help.
//
// The expected values are the literal defaults of ../shared/PROTOCOL.md "Server command line".
import { describe, expect, it } from 'vitest';
import { DEFAULTS, parseServerArgs, type ServerSettings } from '../src/config.ts';

/** PROTOCOL.md's defaults, written out (not taken from the code under test). */
const PROTOCOL_DEFAULTS: ServerSettings = {
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
};

type Env = Record<string, string>;

describe('parseServerArgs: defaults', () => {
  it('should use the protocol defaults with no flags and no environment', () => {
    expect(parseServerArgs([], {})).toEqual({ kind: 'run', settings: PROTOCOL_DEFAULTS });
  });

  it('should export the same defaults', () => {
    expect(DEFAULTS).toEqual(PROTOCOL_DEFAULTS);
  });
});

describe('parseServerArgs: accepted settings', () => {
  it.each<{ what: string; argv: string[]; env: Env; expected: Partial<ServerSettings> }>([
    { what: 'HOST from the environment', argv: [], env: { HOST: '0.0.0.0' }, expected: { host: '0.0.0.0' } },
    { what: 'PORT from the environment', argv: [], env: { PORT: '8080' }, expected: { port: 8080 } },
    { what: 'PORT=0 (any free port)', argv: [], env: { PORT: '0' }, expected: { port: 0 } },
    { what: 'HOST and PORT trimmed', argv: [], env: { HOST: ' ::1 ', PORT: ' 9000 ' }, expected: { host: '::1', port: 9000 } },
    { what: 'empty HOST and PORT ignored', argv: [], env: { HOST: '', PORT: '  ' }, expected: {} },
    { what: 'other variables ignored', argv: [], env: { MAX_LINE_BYTES: '1', RATE: 'abc' }, expected: {} },
    {
      what: 'flags beat the environment',
      argv: ['--host', '127.0.0.2', '--port', '9001'],
      env: { HOST: '0.0.0.0', PORT: '8080' },
      expected: { host: '127.0.0.2', port: 9001 },
    },
    { what: '--port 0', argv: ['--port', '0'], env: { PORT: '8080' }, expected: { port: 0 } },
    { what: '--port 65535', argv: ['--port', '65535'], env: {}, expected: { port: 65_535 } },
    { what: '--port=N form', argv: ['--port=1234'], env: {}, expected: { port: 1234 } },
    { what: 'the last --port wins', argv: ['--port', '1', '--port', '2'], env: {}, expected: { port: 2 } },
    { what: '--max-line-bytes', argv: ['--max-line-bytes', '8'], env: {}, expected: { maxLineBytes: 8 } },
    { what: '--name-timeout', argv: ['--name-timeout', '5'], env: {}, expected: { nameTimeoutSeconds: 5 } },
    { what: '--sendq-bytes', argv: ['--sendq-bytes', '65536'], env: {}, expected: { sendqBytes: 65_536 } },
    { what: '--rate 0 (flood control off)', argv: ['--rate', '0'], env: {}, expected: { rate: 0 } },
    { what: '--rate and --burst', argv: ['--rate', '5', '--burst', '10'], env: {}, expected: { rate: 5, burst: 10 } },
    { what: '--max-clients', argv: ['--max-clients', '3'], env: {}, expected: { maxClients: 3 } },
    { what: '--shutdown-grace', argv: ['--shutdown-grace', '1'], env: {}, expected: { shutdownGraceSeconds: 1 } },
  ])('should accept $what', ({ argv, env, expected }) => {
    expect(parseServerArgs(argv, env)).toEqual({ kind: 'run', settings: { ...PROTOCOL_DEFAULTS, ...expected } });
  });
});

describe('parseServerArgs: errors', () => {
  /** Values our own code checks: the message names the flag, echoes the value and the range. */
  it.each<{ argv: string[]; env: Env; message: string }>([
    { argv: ['--port', '70000'], env: {}, message: "invalid value for --port: '70000' (expected a whole number from 0 to 65535)" },
    { argv: ['--port', '65536'], env: {}, message: "invalid value for --port: '65536' (expected a whole number from 0 to 65535)" },
    { argv: ['--port', 'abc'], env: {}, message: "invalid value for --port: 'abc' (expected a whole number from 0 to 65535)" },
    { argv: ['--port=-1'], env: {}, message: "invalid value for --port: '-1' (expected a whole number from 0 to 65535)" },
    { argv: ['--port', '80.5'], env: {}, message: "invalid value for --port: '80.5' (expected a whole number from 0 to 65535)" },
    { argv: ['--port', '1e3'], env: {}, message: "invalid value for --port: '1e3' (expected a whole number from 0 to 65535)" },
    { argv: ['--port', '0x50'], env: {}, message: "invalid value for --port: '0x50' (expected a whole number from 0 to 65535)" },
    { argv: ['--port', ''], env: {}, message: "invalid value for --port: '' (expected a whole number from 0 to 65535)" },
    {
      argv: ['--port', '99999999999999999999'],
      env: {},
      message: "invalid value for --port: '99999999999999999999' (expected a whole number from 0 to 65535)",
    },
  ])('should reject $argv with its message', ({ argv, env, message }) => {
    expect(parseServerArgs(argv, env)).toEqual({ kind: 'error', message });
  });

  /** A bad PORT in the environment is an error too, not silently replaced by the default. */
  it('should reject a bad PORT from the environment, echoing it', () => {
    const parsed = parseServerArgs([], { PORT: 'abc' });
    expect(parsed.kind).toBe('error');
    if (parsed.kind === 'error') expect(parsed.message).toBe("invalid value for PORT: 'abc' (expected a whole number from 0 to 65535)");
  });

  /**
   * `--host ''` would be taken as host '' and the server would then listen on every
   * interface (`listening on [::]:<port>`), while `HOST=''` falls back to 127.0.0.1. An empty
   * address is a bad value (PROTOCOL.md: "a bad value: a clear message, exit 2"), and turning a
   * forgotten `--host "$VAR"` into a public listener is the unsafe way to fail.
   */
  it.each([[['--host', '']], [['--host=']], [['--host', '   ']]])('should reject an empty --host (%j), which would listen on every interface', (argv) => {
    const parsed = parseServerArgs(argv, {});
    expect(parsed.kind).toBe('error');
    if (parsed.kind === 'error') expect(parsed.message).toContain('--host');
  });

  /** Every limit flag refuses what is not a whole number, naming the flag and the value. */
  it.each<{ flag: string; value: string }>(
    ['--max-line-bytes', '--name-timeout', '--sendq-bytes', '--rate', '--burst', '--max-clients', '--shutdown-grace'].flatMap(
      (flag) => ['abc', '-1', '1.5', '', '12abc'].map((value) => ({ flag, value })),
    ),
  )("should reject $flag '$value'", ({ flag, value }) => {
    const parsed = parseServerArgs([`${flag}=${value}`], {});
    expect(parsed.kind).toBe('error');
    if (parsed.kind !== 'error') return;
    const escaped = flag.replace(/[-]/g, '\\-');
    expect(parsed.message).toMatch(new RegExp(`^invalid value for ${escaped}: '${value.replace('.', '\\.')}' \\(expected a whole number from \\d+ to \\d+\\)$`));
  });

  /** Limits that would make the server useless are refused. */
  it.each<{ argv: string[]; message: string }>([
    { argv: ['--max-line-bytes', '0'], message: "invalid value for --max-line-bytes: '0'" },
    { argv: ['--max-clients', '0'], message: "invalid value for --max-clients: '0'" },
  ])('should reject $argv', ({ argv, message }) => {
    const parsed = parseServerArgs(argv, {});
    expect(parsed.kind).toBe('error');
    if (parsed.kind === 'error') expect(parsed.message.startsWith(message)).toBe(true);
  });

  /** Errors from the argument syntax itself (Node's parseArgs): the message names the culprit. */
  it.each<{ argv: string[]; mentions: string }>([
    { argv: ['--bogus'], mentions: "'--bogus'" },
    { argv: ['-p', '80'], mentions: "'-p'" },
    { argv: ['positional'], mentions: "'positional'" },
    { argv: ['--port'], mentions: '--port' },
    { argv: ['--port', '-1'], mentions: '--port' },
    { argv: ['--help=yes'], mentions: '--help' },
  ])('should reject $argv naming it', ({ argv, mentions }) => {
    const parsed = parseServerArgs(argv, {});
    expect(parsed.kind).toBe('error');
    if (parsed.kind === 'error') expect(parsed.message).toContain(mentions);
  });
});

describe('parseServerArgs: --help', () => {
  it.each([[['--help']], [['--port', '9000', '--help']], [['--help', '--port', 'abc']]])('should return the usage for %j', (argv) => {
    const parsed = parseServerArgs(argv, { PORT: 'abc' });
    expect(parsed.kind).toBe('help');
    if (parsed.kind !== 'help') return;
    expect(parsed.text).toMatch(/^Usage: rxchat-server/);
    for (const flag of ['--host', '--port', '--max-line-bytes', '--name-timeout', '--sendq-bytes', '--rate', '--burst', '--max-clients', '--shutdown-grace', '--help']) {
      expect(parsed.text).toContain(flag);
    }
  });
});
