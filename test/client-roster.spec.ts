// Who is online, as the client derives it from the server's lines: marble tests through the pure
// client (`roster$` next to `effect$`), the auto-`/who` after the welcome (only with `whoOnJoin`),
// and unit tests of the line parser against the exact server lines from src/protocol/messages.ts.
//
// Marbles: `conn` connected, `server` frames, `user` typed lines. In `roster$` marbles, `e` is the
// empty roster a subscriber gets at once; the other letters are rosters built with `R(me, ...)`.
import { describe, expect, it } from 'vitest';
import type { ClientSinks, ClientSources } from '../src/client/chat-client.ts';
import type { ClientConfig, ClientEffect, PrintStyle } from '../src/client/client.ts';
import { EMPTY_ROSTER, MAX_ROSTER, rosterEvent, updateRoster, type Roster, type RosterEvent } from '../src/client/roster.ts';
import type { Frame } from '../src/framing.ts';
import { joinedNotice, leftNotice, renamedNotice, welcome, whoList } from '../src/protocol/messages.ts';
import { nameKey } from '../src/protocol/names.ts';
import { runClient } from './helpers/client.ts';
import { marbles } from './helpers/marbles.ts';

const L = (text: string): Frame => ({ kind: 'line', text });
const print = (text: string, style: PrintStyle = 'chat'): ClientEffect => ({ kind: 'print', text, style });
const send = (text: string): ClientEffect => ({ kind: 'send', text });
/** A roster with `me` and these names, in this order. */
const R = (me: string | null, ...names: string[]): Roster => ({ me, names, keys: names.map(nameKey) });

const CONFIG: ClientConfig = { name: 'Bob', server: '127.0.0.1:7777', goodbyeTimeoutMs: 2000, whoOnJoin: false };

function client(sources: Partial<Omit<ClientSources, 'scheduler'>>, config: Partial<ClientConfig> = {}): ClientSinks {
  return runClient(CONFIG, sources, config);
}

/** The roster$ of a running client: `effect$` runs it (roster$ is only a view of it). */
function rosters(sources: Partial<Omit<ClientSources, 'scheduler'>>, config: Partial<ClientConfig> = {}): ClientSinks['roster$'] {
  const { effect$, roster$ } = client(sources, config);
  effect$.subscribe();
  return roster$;
}

const WELCOME = L(welcome('Bob').text);

describe('client roster: from the lines the server sends', () => {
  it('should start with me at the welcome, add joins, drop leaves (too slow too)', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const server = hot(' -wabcd', {
        w: WELCOME,
        a: L(joinedNotice('Ann').text),
        b: L(joinedNotice('Joe').text),
        c: L(leftNotice('Ann', 'quit').text),
        d: L(leftNotice('Joe', 'too-slow').text),
      });
      const { effect$, roster$ } = client({ connected$: conn, serverFrame$: server });
      expectObservable(roster$).toBe('ewabcd', {
        e: EMPTY_ROSTER,
        w: R('Bob', 'Bob'),
        a: R('Bob', 'Bob', 'Ann'),
        b: R('Bob', 'Bob', 'Ann', 'Joe'),
        c: R('Bob', 'Bob', 'Joe'),
        d: R('Bob', 'Bob'),
      });
      expectObservable(effect$).toBe('Bwabcd', {
        B: send('Bob'),
        w: print('You are now connected, Bob!'),
        a: print('*** Ann joined the chat', 'notice'),
        b: print('*** Joe joined the chat', 'notice'),
        c: print('*** Ann left the chat', 'notice'),
        d: print('*** Joe left the chat (too slow)', 'notice'),
      });
    });
  });

  it('should rename in place, follow my own /nick, and compare names case-insensitively', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const server = hot(' -wabcde', {
        w: WELCOME,
        a: L(joinedNotice('Ann').text),
        b: L(renamedNotice('Ann', 'Anna').text),
        c: L(renamedNotice('BOB', 'Rob').text), // my own rename, whatever the case of the old name
        d: L(joinedNotice('ANNA').text), // already online: no duplicate, no event
        e: L(leftNotice('anna', 'quit').text),
      });
      const roster$ = rosters({ connected$: conn, serverFrame$: server });
      expectObservable(roster$).toBe('ewabc-f', {
        e: EMPTY_ROSTER,
        w: R('Bob', 'Bob'),
        a: R('Bob', 'Bob', 'Ann'),
        b: R('Bob', 'Bob', 'Anna'),
        c: R('Rob', 'Rob', 'Anna'),
        f: R('Rob', 'Rob'),
      });
    });
  });

  it('should replace the whole roster with a /who reply, and learn a renamed user it did not know', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const user = hot('   --W', { W: '/who' });
      const server = hot(' -w-lr', {
        w: WELCOME,
        l: L(whoList(['Ann', 'Bob', 'Joe']).text),
        r: L(renamedNotice('Zed', 'Zoe').text), // online before we joined, never listed: now known
      });
      const { effect$, roster$ } = client({ connected$: conn, serverFrame$: server, userLine$: user });
      expectObservable(roster$).toBe('ew-lr', {
        e: EMPTY_ROSTER,
        w: R('Bob', 'Bob'),
        l: R('Bob', 'Ann', 'Bob', 'Joe'),
        r: R('Bob', 'Ann', 'Bob', 'Joe', 'Zoe'),
      });
      expectObservable(effect$).toBe('BwWlr', {
        B: send('Bob'),
        w: print('You are now connected, Bob!'),
        W: send('/who'),
        l: print('*** Users online (3): Ann, Bob, Joe', 'notice'),
        r: print('*** Zed is now known as Zoe', 'notice'),
      });
    });
  });

  it('should keep the roster while leaving, and complete roster$ when the client ends', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const user = hot('   --e', { e: 'exit' });
      const server = hot(' -w-ag', { w: WELCOME, a: L(joinedNotice('Ann').text), g: L('Goodbye Bob!') });
      const roster$ = rosters({ connected$: conn, serverFrame$: server, userLine$: user });
      expectObservable(roster$).toBe('ew-a(d|)', {
        e: EMPTY_ROSTER,
        w: R('Bob', 'Bob'),
        a: R('Bob', 'Bob', 'Ann'),
        d: EMPTY_ROSTER, // done: nobody is online for us any more
      });
    });
  });

  it('should not read a roster out of what users say', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const server = hot(' -wabc', {
        w: WELCOME,
        a: L('(Eve) *** Mallory joined the chat'),
        b: L('* Eve *** Mallory joined the chat'),
        c: L('[Eve -> Bob] You are now connected, Eve!'),
      });
      const roster$ = rosters({ connected$: conn, serverFrame$: server });
      expectObservable(roster$).toBe('ew', { e: EMPTY_ROSTER, w: R('Bob', 'Bob') });
    });
  });
});

describe('client roster: the /who after the welcome', () => {
  it('should send /who once, right after the welcome, when interactive, and show the reply', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const server = hot(' -u-w----l-w', {
        u: L('Username?'),
        w: WELCOME,
        l: L(whoList(['Ann', 'Bob']).text),
      });
      const user = hot('   --b', { b: 'Bob' });
      const { effect$, roster$ } = client({ connected$: conn, serverFrame$: server, userLine$: user }, { name: null, whoOnJoin: true });
      expectObservable(effect$).toBe('-ub(wW)-l-w', {
        u: print('Username?', 'prompt'),
        b: send('Bob'),
        w: print('You are now connected, Bob!'),
        W: send('/who'),
        l: print('*** Users online (2): Ann, Bob', 'notice'),
      });
      // A second welcome (a server would never send one) asks nothing more and changes nothing.
      expectObservable(roster$).toBe('e--w----l', { e: EMPTY_ROSTER, w: R('Bob', 'Bob'), l: R('Bob', 'Ann', 'Bob') });
    });
  });

  it('should send nothing after the welcome when not interactive (pipes and scripts stay exact)', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const server = hot(' --w', { w: WELCOME });
      const { effect$ } = client({ connected$: conn, serverFrame$: server }, { whoOnJoin: false });
      expectObservable(effect$).toBe('B-w', { B: send('Bob'), w: print('You are now connected, Bob!') });
    });
  });

  it('should not send /who when the welcome comes after the user asked to leave', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const eof = hot('    -d');
      const server = hot(' --wg', { w: WELCOME, g: L('Goodbye Bob!') });
      const { effect$ } = client({ connected$: conn, serverFrame$: server, userEof$: eof }, { whoOnJoin: true });
      expectObservable(effect$).toBe('BEw(gx0|)', {
        B: send('Bob'),
        E: send('exit'),
        w: print('You are now connected, Bob!'),
        g: print('Goodbye Bob!', 'notice'),
        x: { kind: 'close' },
        0: { kind: 'exit', code: 0 },
      });
    });
  });
});

describe('client roster: parsing and updating', () => {
  it('should read each roster line exactly as the server writes it', () => {
    const cases: Array<[string, RosterEvent]> = [
      [welcome('Bob').text, { kind: 'welcome', name: 'Bob' }],
      [joinedNotice('Ann').text, { kind: 'joined', name: 'Ann' }],
      [leftNotice('Ann', 'quit').text, { kind: 'left', name: 'Ann' }],
      [leftNotice('Ann', 'dropped').text, { kind: 'left', name: 'Ann' }],
      [leftNotice('Ann', 'too-slow').text, { kind: 'left', name: 'Ann' }],
      [renamedNotice('Ann', 'Anna').text, { kind: 'renamed', from: 'Ann', to: 'Anna' }],
      [whoList(['Ann', 'Bob', 'José', 'a.b-c_d']).text, { kind: 'who', names: ['Ann', 'Bob', 'José', 'a.b-c_d'] }],
      [whoList(['Ann']).text, { kind: 'who', names: ['Ann'] }],
    ];
    for (const [line, event] of cases) expect(rosterEvent(line)).toEqual(event);
  });

  it('should find nothing in other lines, nor names the server could not have accepted', () => {
    for (const line of [
      '(Ann) *** Bob joined the chat',
      '*** Username Bob is taken',
      '*** Invalid username: name is empty',
      '*** You are already known as Bob',
      '*** No such user: Zed',
      '*** Server is shutting down',
      '*** Bob joined the chat!',
      `*** ${'x'.repeat(25)} joined the chat`, // 25 characters: longer than any name
      'You are now connected, !',
      'Username?',
    ]) {
      expect(rosterEvent(line)).toBeNull();
    }
    expect(rosterEvent('*** Users online (3): Ann, b@d, Joe')).toEqual({ kind: 'who', names: ['Ann', 'Joe'] });
  });

  it('should return the very same roster when nothing changes', () => {
    const roster = R('Bob', 'Bob', 'Ann');
    expect(updateRoster(roster, { kind: 'joined', name: 'ANN' })).toBe(roster);
    expect(updateRoster(roster, { kind: 'left', name: 'Zed' })).toBe(roster);
    expect(updateRoster(roster, { kind: 'welcome', name: 'Bob' })).toBe(roster);
  });

  it('should drop duplicates (any case) from a /who reply and cap the roster at the server limit', () => {
    expect(updateRoster(EMPTY_ROSTER, { kind: 'who', names: ['Ann', 'ANN', 'Bob'] })).toEqual(R(null, 'Ann', 'Bob'));
    const many = Array.from({ length: MAX_ROSTER + 5 }, (_, i) => `u${i}`);
    const event = rosterEvent(`*** Users online (${many.length}): ${many.join(', ')}`);
    expect(event?.kind === 'who' ? event.names.length : -1).toBe(MAX_ROSTER);
    const full = updateRoster(EMPTY_ROSTER, { kind: 'who', names: many });
    expect(full.names.length).toBe(MAX_ROSTER);
    expect(updateRoster(full, { kind: 'joined', name: 'late' })).toBe(full); // full: not added
    expect(updateRoster(full, { kind: 'left', name: 'u0' }).names.length).toBe(MAX_ROSTER - 1);
  });
});
