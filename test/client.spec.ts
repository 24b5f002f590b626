// The terminal client, flow by flow, as marble tests over the pure client (no socket, no stdin).
//
// Each driver source is a hot Observable: `conn` (connected), `server` (frames from the server),
// `closed` (the connection is gone), `user` (lines typed), `eof` (Ctrl-D), `ctrlC`. The expected
// marble is the client's effects. Letters: lower case for what the server says and the client
// prints, upper case for what the client sends; `x` close, `0`/`1`/`I` exit 0 / 1 / 130.
// Time is virtual: the goodbye timer runs on the TestScheduler (1 frame = 1 ms).
import type { Observable } from 'rxjs';
import { describe, it } from 'vitest';
import type { ClientSources } from '../src/client/chat-client.ts';
import type { ClientConfig, ClientEffect, ExitCode, PrintStyle } from '../src/client/client.ts';
import { TOO_LONG, type Frame } from '../src/framing.ts';
import { SERVER, runClient } from './helpers/client.ts';
import { marbles } from './helpers/marbles.ts';

const L = (text: string): Frame => ({ kind: 'line', text });
const print = (text: string, style: PrintStyle = 'chat'): ClientEffect => ({ kind: 'print', text, style });
const send = (text: string): ClientEffect => ({ kind: 'send', text });
const warn = (text: string): ClientEffect => ({ kind: 'warn', text });
const exit = (code: ExitCode): ClientEffect => ({ kind: 'exit', code });
const CLOSE: ClientEffect = { kind: 'close' };

const CONFIG: ClientConfig = { name: null, server: SERVER, goodbyeTimeoutMs: 2000, whoOnJoin: false };

/** The client's effects for the given sources (the rest stay silent); timers run in virtual time. */
function client(sources: Partial<Omit<ClientSources, 'scheduler'>>, config: Partial<ClientConfig> = {}): Observable<ClientEffect> {
  return runClient(CONFIG, sources, config).effect$;
}

/** Values shared by most flows. */
const V = {
  u: print('Username?', 'prompt'),
  w: print('You are now connected, Bob!'),
  g: print('Goodbye Bob!', 'notice'),
  B: send('Bob'),
  E: send('exit'),
  x: CLOSE,
  0: exit(0),
  1: exit(1),
  I: exit(130),
};

describe('client: naming', () => {
  it('should show the prompt, send the typed name, then chat', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const server = hot(' -u--w---h', { u: L('Username?'), w: L('You are now connected, Bob!'), h: L('(Bob) Hello') });
      const user = hot('   ---b--H', { b: 'Bob', H: 'Hello' });
      const expected = '   -u-Bw-H-h';
      expectObservable(client({ connected$: conn, serverFrame$: server, userLine$: user })).toBe(expected, {
        ...V,
        H: send('Hello'),
        h: print('(Bob) Hello'),
      });
    });
  });

  it('should send --name as the very first line, before what was typed while connecting', () => {
    marbles(({ hot, expectObservable }) => {
      const user = hot('   h');
      const conn = hot('   --c');
      const server = hot(' ---u---w', { u: L('Username?'), w: L('You are now connected, Bob!') });
      const expected = '   --(BH)-w';
      expectObservable(client({ connected$: conn, serverFrame$: server, userLine$: user }, { name: 'Bob' })).toBe(expected, {
        ...V,
        H: send('h'),
      });
    });
  });

  it('should show the re-prompt after a taken name and send what the user types', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const server = hot(' -u-(tU)---w', {
        u: L('Username?'),
        t: L('*** Username Bob is taken'),
        U: L('Username?'),
        w: L('You are now connected, Bobby!'),
      });
      const user = hot('   ---------b', { b: 'Bobby' });
      const expected = '   B--(tu)--Rw';
      expectObservable(client({ connected$: conn, serverFrame$: server, userLine$: user }, { name: 'Bob' })).toBe(expected, {
        ...V,
        t: print('*** Username Bob is taken', 'notice'),
        R: send('Bobby'),
        w: print('You are now connected, Bobby!'),
      });
    });
  });

  it('should not send empty lines, and send others as typed', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot(' c');
      const user = hot(' -a-b-c', { a: '', b: ' \t ', c: '  two  spaces ' });
      const expected = ' -----S';
      expectObservable(client({ connected$: conn, userLine$: user })).toBe(expected, { S: send('  two  spaces ') });
    });
  });
});

describe('client: leaving', () => {
  it('should send exit, print the goodbye, then close and exit 0', () => {
    marbles(({ hot, expectObservable, expectSubscriptions }) => {
      const conn = hot('   c');
      const user = hot('   -e', { e: 'exit' });
      const server = hot(' ---g', { g: L('Goodbye Bob!') });
      const expected = '   -E-(gx0|)';
      expectObservable(client({ connected$: conn, serverFrame$: server, userLine$: user })).toBe(expected, V);
      expectSubscriptions(server.subscriptions).toBe('^--!');
    });
  });

  it('should treat /quit like exit, in any case and with spaces around it', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const user = hot('   -q', { q: ' /QUIT ' });
      const server = hot(' --g', { g: L('Goodbye!') });
      const expected = '   -Q(gx0|)';
      expectObservable(client({ connected$: conn, serverFrame$: server, userLine$: user })).toBe(expected, {
        ...V,
        Q: send(' /QUIT '),
        g: print('Goodbye!', 'notice'),
      });
    });
  });

  it('should leave on Ctrl-D or the end of piped stdin, as if exit was typed', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const eof = hot('    --d');
      const server = hot(' ----g', { g: L('Goodbye Bob!') });
      const expected = '   --E-(gx0|)';
      expectObservable(client({ connected$: conn, serverFrame$: server, userEof$: eof })).toBe(expected, V);
    });
  });

  it('should send piped lines in order, then exit, when stdin ended before the connection opened', () => {
    marbles(({ hot, expectObservable }) => {
      const user = hot('   (bh)', { b: 'Bob', h: 'hello' });
      const eof = hot('    -d');
      const conn = hot('   --c');
      const server = hot(' -------g', { g: L('Goodbye Bob!') });
      const expected = '   --(BHE)(gx0|)';
      expectObservable(client({ connected$: conn, serverFrame$: server, userLine$: user, userEof$: eof })).toBe(expected, {
        ...V,
        H: send('hello'),
      });
    });
  });

  it('should still print what arrives before the goodbye, and send nothing more', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const user = hot('   -e-h', { e: 'exit', h: 'too late' });
      const server = hot(' --j--g', { j: L('*** Ann joined the chat'), g: L('Goodbye Bob!') });
      const expected = '   -Ej--(gx0|)';
      expectObservable(client({ connected$: conn, serverFrame$: server, userLine$: user })).toBe(expected, {
        ...V,
        j: print('*** Ann joined the chat', 'notice'),
      });
    });
  });

  it('should exit 0 when the server closes without a goodbye after we asked to leave', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const eof = hot('    -d');
      const closed = hot(' ---z', { z: null });
      const expected = '   -E-(x0|)';
      expectObservable(client({ connected$: conn, userEof$: eof, serverClosed$: closed })).toBe(expected, V);
    });
  });

  it('should close and exit 1 with a warning when no goodbye comes within 2 s', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot(' c');
      const eof = hot('  --d');
      const expected = ' --E 1999ms (wx1|)';
      expectObservable(client({ connected$: conn, userEof$: eof })).toBe(expected, {
        ...V,
        w: warn(`rxchat: no goodbye from ${SERVER} within 2 s; closing the connection`),
      });
    });
  });

  it('should not time out when the goodbye comes just in time', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const eof = hot('    --d');
      const server = hot(' --- 1998ms g', { g: L('Goodbye Bob!') });
      const expected = '   --E 1998ms (gx0|)';
      expectObservable(client({ connected$: conn, serverFrame$: server, userEof$: eof })).toBe(expected, V);
    });
  });
});

describe('client: Ctrl-C', () => {
  it('should leave politely on the first Ctrl-C and quit at once on the second (exit 130)', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('  c');
      const ctrlC = hot(' --i-i');
      const expected = '  --E-(xI|)';
      expectObservable(client({ connected$: conn, interrupt$: ctrlC })).toBe(expected, V);
    });
  });

  it('should quit at once on Ctrl-C before the connection is open', () => {
    marbles(({ hot, expectObservable }) => {
      const ctrlC = hot(' --i');
      const expected = '  --(xI|)';
      expectObservable(client({ interrupt$: ctrlC })).toBe(expected, V);
    });
  });
});

describe('client: losing the server', () => {
  it('should warn and exit 1 when the connection is refused', () => {
    marbles(({ hot, expectObservable }) => {
      const closed = hot(' --z', { z: 'connection refused' });
      const expected = '   --(wx1|)';
      expectObservable(client({ serverClosed$: closed })).toBe(expected, {
        ...V,
        w: warn(`rxchat: cannot connect to ${SERVER}: connection refused`),
      });
    });
  });

  it('should warn and exit 1 when the server goes away while chatting', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const closed = hot(' ---z', { z: 'connection reset' });
      const expected = '   ---(wx1|)';
      expectObservable(client({ connected$: conn, serverClosed$: closed })).toBe(expected, {
        ...V,
        w: warn(`rxchat: connection to ${SERVER} lost (connection reset)`),
      });
    });
  });

  it('should print the shutdown notice, then exit 1: the user did not leave', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const server = hot(' -s', { s: L('*** Server is shutting down') });
      const closed = hot(' --z', { z: null });
      const expected = '   -s(wx1|)';
      expectObservable(client({ connected$: conn, serverFrame$: server, serverClosed$: closed })).toBe(expected, {
        ...V,
        s: print('*** Server is shutting down', 'notice'),
        w: warn(`rxchat: connection to ${SERVER} lost (closed by the server)`),
      });
    });
  });
});

describe('client: hostile or odd server text', () => {
  it('should neutralise escape sequences and control characters before printing', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const server = hot(' -abcd', {
        a: L('\u001b[2J\u001b[Hwiped?'),
        b: L('\u001b]0;pwned title\u0007(Eve) hi'),
        c: L('ding\u0007 back\bspace\rreturn'),
        d: L('\u009b31mred\u001b[0m'),
      });
      const expected = '   -abcd';
      expectObservable(client({ connected$: conn, serverFrame$: server })).toBe(expected, {
        a: print('wiped?'),
        b: print('(Eve) hi'),
        c: print('ding backspacereturn'),
        d: print('red'),
      });
    });
  });

  it('should say so when the server sends a line too long to show, and go on', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const server = hot(' -lh', { l: TOO_LONG, h: L('(Ann) hi') });
      const expected = '   -lh';
      expectObservable(client({ connected$: conn, serverFrame$: server })).toBe(expected, {
        l: print('*** (a line from the server was too long and was skipped)', 'notice'),
        h: print('(Ann) hi'),
      });
    });
  });
});
