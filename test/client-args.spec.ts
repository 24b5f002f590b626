// The client's command line (args.ts): defaults, each flag, help, and one-line errors.
import { describe, expect, it } from 'vitest';
import { CLIENT_USAGE, parseClientArgs } from '../src/client/args.ts';

describe('client command line', () => {
  it('should default to 127.0.0.1:7777, no name, colour allowed', () => {
    expect(parseClientArgs([])).toEqual({ kind: 'run', settings: { host: '127.0.0.1', port: 7777, name: null, noColor: false } });
  });

  it('should take --host, --port, --name and --no-color', () => {
    expect(parseClientArgs(['--host', 'chat.example', '--port=7000', '--name', 'Bob', '--no-color'])).toEqual({
      kind: 'run',
      settings: { host: 'chat.example', port: 7000, name: 'Bob', noColor: true },
    });
  });

  it('should answer --help with the usage, which names every flag', () => {
    expect(parseClientArgs(['--port', 'nonsense', '--help'])).toEqual({ kind: 'help', text: CLIENT_USAGE });
    for (const flag of ['--host', '--port', '--name', '--no-color', '--help']) expect(CLIENT_USAGE).toContain(flag);
  });

  it.each([
    [['--prot', '1'], "Unknown option '--prot'"],
    [['--port'], "Option '--port <value>' argument missing"],
    [['extra'], "Unexpected argument 'extra'"],
    [['--no-color=yes'], "Option '--no-color' does not take an argument"],
    [['--port', '0'], "invalid value for --port: '0' (expected a whole number from 1 to 65535)"],
    [['--port', '65536'], "invalid value for --port: '65536' (expected a whole number from 1 to 65535)"],
    [['--port', '12ab'], "invalid value for --port: '12ab' (expected a whole number from 1 to 65535)"],
    [['--port', '-1'], "Option '--port' argument is ambiguous"],
    [['--host', ' '], "invalid value for --host: '' (expected a host name or address)"],
    [['--name', ''], 'invalid value for --name: "" (expected a non-empty name without control characters)'],
    [['--name', 'Bob\nexit'], 'invalid value for --name: "Bob\\nexit" (expected a non-empty name without control characters)'],
  ])('should reject %j with a one-line message', (argv, message) => {
    const parsed = parseClientArgs(argv);
    expect(parsed.kind).toBe('error');
    if (parsed.kind !== 'error') return;
    expect(parsed.message.startsWith(message)).toBe(true);
    expect(parsed.message).not.toContain('\n');
  });
});
