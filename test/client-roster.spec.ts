// Who is online, as the client derives it from the server's lines: marble tests through the pure
// client (`roster$` next to `effect$`), the auto-`/who #lobby` after the welcome (only with
// `whoOnJoin`), and unit tests of `updateRoster` over the exact server lines from
// src/line/messages.ts, read by its parser.
//
// Marbles: `conn` connected, `server` frames, `user` typed lines. In `roster$` marbles, `e` is the
// empty roster a subscriber gets at once; the other letters are rosters built with `R(me, ...)`.
import { describe, expect, it } from 'vitest';
import type { ClientSinks, ClientSources } from '../src/client/chat-client.ts';
import type { ClientConfig, ClientEffect, PrintStyle } from '../src/client/client.ts';
import { EMPTY_ROSTER, MAX_ROSTER, updateRoster, type Roster } from '../src/client/roster.ts';
import { nameKey } from '../src/core/names.ts';
import type { Frame } from '../src/framing.ts';
import {
  actionLine,
  chatLine,
  inRoom,
  joinedNotice,
  joinedRoom,
  leftNotice,
  leftRoom,
  memberList,
  parseServerLine,
  privateLine,
  renamedNotice,
  stamped,
  welcome,
  whoList,
} from '../src/line/messages.ts';
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

  it('should not read a roster out of what users say, only who said it', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const server = hot(' -wabc', {
        w: WELCOME,
        a: L('(Eve) *** Mallory joined the chat'),
        b: L('* Eve *** Mallory joined the chat'),
        c: L('[Eve -> Bob] You are now connected, Eve!'),
      });
      const roster$ = rosters({ connected$: conn, serverFrame$: server });
      expectObservable(roster$).toBe('ewa', { e: EMPTY_ROSTER, w: R('Bob', 'Bob'), a: R('Bob', 'Bob', 'Eve') });
    });
  });
});

describe('client roster: the /who #lobby after the welcome', () => {
  it('should ask who is in #lobby once, right after the welcome, when interactive, and show the reply', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const server = hot(' -u-w----l-w', {
        u: L('Username?'),
        w: WELCOME,
        l: L(memberList('#lobby', ['Ann', 'Bob']).text),
      });
      const user = hot('   --b', { b: 'Bob' });
      const { effect$, roster$ } = client({ connected$: conn, serverFrame$: server, userLine$: user }, { name: null, whoOnJoin: true });
      expectObservable(effect$).toBe('-ub(wW)-l-w', {
        u: print('Username?', 'prompt'),
        b: send('Bob'),
        w: print('You are now connected, Bob!'),
        W: send('/who #lobby'),
        l: print('*** Users in #lobby (2): Ann, Bob', 'notice'),
      });
      // A second welcome (a server would never send one) asks nothing more and changes nothing.
      expectObservable(roster$).toBe('e--w----l', { e: EMPTY_ROSTER, w: R('Bob', 'Bob'), l: R('Bob', 'Bob', 'Ann') });
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

/** The roster after each of `lines`, read as the client reads them. */
const after = (roster: Roster, ...lines: string[]): Roster => lines.reduce((r, line) => updateRoster(r, parseServerLine(line)), roster);

describe('client roster: reading each line', () => {
  it('should read each roster line exactly as the server writes it', () => {
    const bob = after(EMPTY_ROSTER, welcome('Bob').text);
    expect(bob).toEqual(R('Bob', 'Bob'));
    expect(after(bob, joinedNotice('Ann').text)).toEqual(R('Bob', 'Bob', 'Ann'));
    expect(after(bob, joinedRoom('Ann', '#rust').text)).toEqual(R('Bob', 'Bob', 'Ann'));
    expect(after(bob, inRoom('#lobby', joinedNotice('Ann')).text)).toEqual(R('Bob', 'Bob', 'Ann'));
    expect(after(bob, inRoom('#rust', joinedRoom('Ann', '#rust')).text)).toEqual(R('Bob', 'Bob', 'Ann'));
    for (const reason of ['quit', 'dropped', 'too-slow'] as const) {
      expect(after(bob, joinedNotice('Ann').text, leftNotice('Ann', reason).text)).toEqual(R('Bob', 'Bob'));
    }
    expect(after(bob, joinedNotice('Ann').text, renamedNotice('Ann', 'Anna').text)).toEqual(R('Bob', 'Bob', 'Anna'));
    expect(after(bob, whoList(['Ann', 'Bob', 'José', 'a.b-c_d']).text)).toEqual(R('Bob', 'Ann', 'Bob', 'José', 'a.b-c_d'));
    expect(after(bob, memberList('#rust', ['Ann', 'Joe']).text)).toEqual(R('Bob', 'Bob', 'Ann', 'Joe'));
  });

  it('should learn who speaks live, and nothing from history or from leaving one room', () => {
    const bob = after(EMPTY_ROSTER, welcome('Bob').text);
    expect(after(bob, chatLine('Ann', 'hi').text)).toEqual(R('Bob', 'Bob', 'Ann'));
    expect(after(bob, actionLine('Ann', 'waves').text)).toEqual(R('Bob', 'Bob', 'Ann'));
    expect(after(bob, inRoom('#rust', chatLine('Ann', 'hi')).text)).toEqual(R('Bob', 'Bob', 'Ann'));
    expect(after(bob, privateLine('Ann', 'Joe', 'psst').text)).toEqual(R('Bob', 'Bob', 'Ann', 'Joe'));
    expect(after(bob, stamped(0, chatLine('Ann', 'long ago')).text)).toBe(bob);
    expect(after(bob, joinedNotice('Ann').text, leftRoom('Ann', '#rust').text)).toEqual(R('Bob', 'Bob', 'Ann'));
  });

  it('should change nothing for other lines, nor for names the server could not have accepted', () => {
    const bob = after(EMPTY_ROSTER, welcome('Bob').text);
    for (const line of [
      '*** Username Bob is taken',
      '*** Invalid username: name is empty',
      '*** You are already known as Bob',
      '*** No such user: Zed',
      '*** Server is shutting down',
      '*** Bob joined the chat!',
      `*** ${'x'.repeat(25)} joined the chat`, // 25 characters: longer than any name
      '*** Users online (3): Ann, b@d, Joe', // not a list the server writes: no change at all
      'You are now connected, !',
      'Username?',
      '[#a] [#b] (Eve) hi',
    ]) {
      expect(after(bob, line)).toBe(bob);
    }
  });

  it('should return the very same roster when nothing changes', () => {
    const roster = R('Bob', 'Bob', 'Ann');
    expect(after(roster, joinedNotice('ANN').text)).toBe(roster);
    expect(after(roster, leftNotice('Zed', 'quit').text)).toBe(roster);
    expect(after(roster, welcome('Bob').text)).toBe(roster);
    expect(after(roster, chatLine('ann', 'hi').text)).toBe(roster);
  });

  it('should drop duplicates (any case) from a /who reply and cap the roster at the server limit', () => {
    expect(after(EMPTY_ROSTER, whoList(['Ann', 'ANN', 'Bob']).text)).toEqual(R(null, 'Ann', 'Bob'));
    const many = Array.from({ length: MAX_ROSTER + 5 }, (_, i) => `u${i}`);
    const full = after(EMPTY_ROSTER, whoList(many).text);
    expect(full.names.length).toBe(MAX_ROSTER);
    expect(after(full, joinedNotice('late').text)).toBe(full); // full: not added
    expect(after(full, memberList('#rust', ['late', 'later']).text)).toBe(full);
    expect(after(full, leftNotice('u0', 'quit').text).names.length).toBe(MAX_ROSTER - 1);
  });
});
