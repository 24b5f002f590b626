// The client in rooms, flow by flow (PROTOCOL.md "Rooms", "History"), as marble tests over the pure
// client: what it prints (and with which room, for the coloured tag), what it sends on its own
// (`/who <room>` with `whoOnJoin`), and its views: `rooms$` (current room, my rooms, the current
// room's members, the room list) and `prompt$` (`#rust> `). Then `updateRooms` line by line.
//
// Marbles: `conn` connected, `server` frames, `user` typed lines. Lower-case letters are what the
// server says and the client prints, upper-case what the client sends. Every server line is
// written by the server's own renderers (src/line/messages.ts).
import { describe, expect, it } from 'vitest';
import type { ClientSources } from '../src/client/chat-client.ts';
import type { ClientConfig, ClientEffect, PrintStyle } from '../src/client/client.ts';
import { NO_NAMES, nameListOf } from '../src/client/name-list.ts';
import { NO_ROOMS, updateRooms, type Rooms } from '../src/client/rooms.ts';
import type { Frame } from '../src/framing.ts';
import {
  NO_ROOM,
  actionLine,
  chatLine,
  inRoom,
  joinedNotice,
  joinedRoom,
  leftNotice,
  leftRoom,
  memberList,
  noSuchRoom,
  nowIn,
  parseServerLine,
  renamedNotice,
  roomList,
  stamped,
  welcome,
  youLeft,
} from '../src/line/messages.ts';
import type { WireLine } from '../src/line/wire-line.ts';
import { runClient } from './helpers/client.ts';
import { marbles } from './helpers/marbles.ts';

const L = (line: WireLine): Frame => ({ kind: 'line', text: line.text });
const print = (line: WireLine, style: PrintStyle = 'notice', room?: string): ClientEffect =>
  room === undefined ? { kind: 'print', text: line.text, style } : { kind: 'print', text: line.text, style, room };
const send = (text: string): ClientEffect => ({ kind: 'send', text });

const CONFIG: ClientConfig = { name: 'Bob', server: '127.0.0.1:7777', goodbyeTimeoutMs: 2000, whoOnJoin: false };

/** Rooms as a view holds them; members in join order, `membersKnown` when the list is whole. */
const rooms = (current: string | null, joined: string[], members: string[] = [], membersKnown = false, list: Rooms['list'] = []): Rooms => ({
  current,
  joined,
  members: nameListOf(members),
  membersKnown,
  list,
});
const LOBBY_ONLY = rooms('#lobby', ['#lobby'], ['Bob']);

function client(sources: Partial<Omit<ClientSources, 'scheduler'>>, config: Partial<ClientConfig> = {}) {
  return runClient(CONFIG, sources, config);
}

/** The views of a running client: `effect$` runs it (the views only show it). */
function views(sources: Partial<Omit<ClientSources, 'scheduler'>>, config: Partial<ClientConfig> = {}) {
  const sinks = client(sources, config);
  sinks.effect$.subscribe();
  return sinks;
}

describe('client rooms: joining and switching', () => {
  it('should be in #lobby on the welcome, follow /join, and show the room in the prompt', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const user = hot('   --J', { J: '/join rust' });
      const server = hot(' -w-n', { w: L(welcome('Bob')), n: L(nowIn('#rust', 1)) });
      const { effect$, rooms$, prompt$ } = client({ connected$: conn, serverFrame$: server, userLine$: user });
      expectObservable(effect$).toBe('BwJn', {
        B: send('Bob'),
        w: print(welcome('Bob'), 'chat'),
        J: send('/join rust'),
        n: print(nowIn('#rust', 1)),
      });
      // Alone in a new room: its members are known at once (only me), nothing to ask.
      expectObservable(rooms$).toBe('ew-n', { e: NO_ROOMS, w: LOBBY_ONLY, n: rooms('#rust', ['#lobby', '#rust'], ['Bob'], true) });
      expectObservable(prompt$).toBe('p--r', { p: '> ', r: '#rust> ' });
    });
  });

  it('should ask who is in a room it enters (with whoOnJoin), show its history, then its members', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const server = hot(' -w----l-n----h-m', {
        w: L(welcome('Bob')),
        l: L(memberList('#lobby', ['Ann', 'Bob'])),
        n: L(nowIn('#rust', 3)),
        h: L(stamped(Date.UTC(2026, 0, 1, 14, 2), chatLine('Ann', 'hello'))),
        m: L(memberList('#rust', ['Ann', 'Joe', 'Bob'])),
      });
      const { effect$, rooms$ } = client({ connected$: conn, serverFrame$: server }, { whoOnJoin: true });
      expectObservable(effect$).toBe('B(wW)-l-(nR)-h-m', {
        B: send('Bob'),
        w: print(welcome('Bob'), 'chat'),
        W: send('/who #lobby'),
        l: print(memberList('#lobby', ['Ann', 'Bob'])),
        n: print(nowIn('#rust', 3)),
        R: send('/who #rust'),
        h: { kind: 'print', text: '[14:02] (Ann) hello', style: 'chat' },
        m: print(memberList('#rust', ['Ann', 'Joe', 'Bob'])),
      });
      expectObservable(rooms$).toBe('ew----l-n------m', {
        e: NO_ROOMS,
        w: LOBBY_ONLY,
        l: rooms('#lobby', ['#lobby'], ['Ann', 'Bob'], true),
        n: rooms('#rust', ['#lobby', '#rust']),
        m: rooms('#rust', ['#lobby', '#rust'], ['Ann', 'Joe', 'Bob'], true),
      });
    });
  });

  it('should ask again on switching back to a room it is in, but not on /join of the current room', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const server = hot(' -w----n----b----c', {
        w: L(welcome('Bob')),
        n: L(nowIn('#rust', 2)),
        b: L(nowIn('#lobby', 4)),
        c: L(nowIn('#lobby', 4)),
      });
      const { effect$, prompt$ } = client({ connected$: conn, serverFrame$: server }, { whoOnJoin: true });
      expectObservable(effect$).toBe('B(wW)-(nR)-(bW)-c', {
        B: send('Bob'),
        w: print(welcome('Bob'), 'chat'),
        W: send('/who #lobby'),
        n: print(nowIn('#rust', 2)),
        R: send('/who #rust'),
        b: print(nowIn('#lobby', 4)),
        c: print(nowIn('#lobby', 4)),
      });
      expectObservable(prompt$).toBe('p-----r----p', { p: '> ', r: '#rust> ' });
    });
  });

  it('should print lines of other rooms with their room, and keep the members of the current one', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const server = hot(' -wnmabcdef', {
        w: L(welcome('Bob')),
        n: L(nowIn('#rust', 2)),
        m: L(memberList('#rust', ['Ann', 'Bob'])),
        a: L(inRoom('#lobby', chatLine('Zed', 'hi Bob'))),
        b: L(inRoom('#lobby', joinedNotice('Eve'))), // joined the chat, in #lobby: not here
        c: L(joinedRoom('Joe', '#rust')),
        d: L(inRoom('#lobby', actionLine('Zed', 'waves'))),
        e: L(renamedNotice('Ann', 'Anna')),
        f: L(leftNotice('Joe', 'quit')),
      });
      const { effect$, rooms$ } = client({ connected$: conn, serverFrame$: server });
      expectObservable(effect$).toBe('Bwnmabcdef', {
        B: send('Bob'),
        w: print(welcome('Bob'), 'chat'),
        n: print(nowIn('#rust', 2)),
        m: print(memberList('#rust', ['Ann', 'Bob'])),
        a: print(inRoom('#lobby', chatLine('Zed', 'hi Bob')), 'mention', '#lobby'),
        b: print(inRoom('#lobby', joinedNotice('Eve')), 'notice', '#lobby'),
        c: print(joinedRoom('Joe', '#rust')),
        d: print(inRoom('#lobby', actionLine('Zed', 'waves')), 'action', '#lobby'),
        e: print(renamedNotice('Ann', 'Anna')),
        f: print(leftNotice('Joe', 'quit')),
      });
      const here = (...members: string[]): Rooms => rooms('#rust', ['#lobby', '#rust'], members, true);
      expectObservable(rooms$).toBe('ownm--c-ef', {
        o: NO_ROOMS,
        w: LOBBY_ONLY,
        n: rooms('#rust', ['#lobby', '#rust']),
        m: here('Ann', 'Bob'),
        c: here('Ann', 'Bob', 'Joe'),
        e: here('Anna', 'Bob', 'Joe'),
        f: here('Anna', 'Bob'),
      });
    });
  });
});

describe('client rooms: parting', () => {
  it('should go back to the room the server makes current, and to no room after the last', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const user = hot('   --J--P-----P---h', { J: '/join #rust', P: '/part', h: 'hello?' });
      const server = hot(' -w-n--(yb)--z---x', {
        w: L(welcome('Bob')),
        n: L(nowIn('#rust', 1)),
        y: L(youLeft('#rust')),
        b: L(nowIn('#lobby', 2)),
        z: L(youLeft('#lobby')),
        x: L(NO_ROOM),
      });
      const { effect$, prompt$, rooms$ } = client({ connected$: conn, serverFrame$: server, userLine$: user });
      expectObservable(effect$).toBe('BwJn-P(yb)-Pz--hx', {
        B: send('Bob'),
        w: print(welcome('Bob'), 'chat'),
        J: send('/join #rust'),
        n: print(nowIn('#rust', 1)),
        P: send('/part'),
        y: print(youLeft('#rust')),
        b: print(nowIn('#lobby', 2)),
        z: print(youLeft('#lobby')),
        h: send('hello?'),
        x: print(NO_ROOM),
      });
      // Between `You left #rust` and `Now in #lobby`, in the same turn, there is no current room.
      expectObservable(prompt$).toBe('p--r--(np)--n', { p: '> ', r: '#rust> ', n: '(no room)> ' });
      expectObservable(rooms$).toBe('ew-n--(yb)--z', {
        e: NO_ROOMS,
        w: LOBBY_ONLY,
        n: rooms('#rust', ['#lobby', '#rust'], ['Bob'], true),
        y: rooms(null, ['#lobby']),
        b: rooms('#lobby', ['#lobby']),
        z: rooms(null, []),
      });
    });
  });

  it('should part a room that is not current without moving', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const user = hot('   ---P', { P: '/part #lobby' });
      const server = hot(' -wn--y', { w: L(welcome('Bob')), n: L(nowIn('#rust', 1)), y: L(youLeft('#lobby')) });
      const { rooms$, prompt$ } = views({ connected$: conn, serverFrame$: server, userLine$: user });
      expectObservable(rooms$).toBe('ewn--y', {
        e: NO_ROOMS,
        w: LOBBY_ONLY,
        n: rooms('#rust', ['#lobby', '#rust'], ['Bob'], true),
        y: rooms('#rust', ['#rust'], ['Bob'], true),
      });
      expectObservable(prompt$).toBe('p-r', { p: '> ', r: '#rust> ' });
    });
  });

  it('should read a `You left` it did not ask for as a user named You leaving, not as itself', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const user = hot('   -----P', { P: '/part' });
      const server = hot(' -wmy---z', {
        w: L(welcome('Bob')),
        m: L(memberList('#lobby', ['You', 'Bob'])),
        y: L(leftRoom('You', '#lobby')), // the very text of youLeft('#lobby')
        z: L(youLeft('#lobby')), // now the answer to my /part
      });
      const { rooms$, prompt$ } = views({ connected$: conn, serverFrame$: server, userLine$: user });
      expectObservable(rooms$).toBe('ewmy---z', {
        e: NO_ROOMS,
        w: LOBBY_ONLY,
        m: rooms('#lobby', ['#lobby'], ['You', 'Bob'], true),
        y: rooms('#lobby', ['#lobby'], ['Bob'], true),
        z: rooms(null, []),
      });
      expectObservable(prompt$).toBe('p------n', { p: '> ', n: '(no room)> ' });
    });
  });
});

describe('client rooms: the room list', () => {
  it('should keep the last /rooms reply, and forget a room the server says is gone', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const list = [
        { room: '#go', users: 1 },
        { room: '#lobby', users: 3 },
        { room: '#rust', users: 2 },
      ];
      const server = hot(' -wlg', { w: L(welcome('Bob')), l: L(roomList(list)), g: L(noSuchRoom('#go')) });
      const { rooms$ } = views({ connected$: conn, serverFrame$: server });
      expectObservable(rooms$).toBe('ewlg', {
        e: NO_ROOMS,
        w: LOBBY_ONLY,
        l: { ...LOBBY_ONLY, list },
        g: { ...LOBBY_ONLY, list: list.slice(1) },
      });
    });
  });

  it('should send no /who of its own while leaving, and end every view with the client', () => {
    marbles(({ hot, expectObservable }) => {
      const conn = hot('   c');
      const server = hot(' -w----ng', { w: L(welcome('Bob')), n: L(nowIn('#rust', 2)), g: { kind: 'line', text: 'Goodbye Bob!' } as Frame });
      const user = hot('   -----e', { e: 'exit' });
      const { effect$, rooms$, prompt$ } = client({ connected$: conn, serverFrame$: server, userLine$: user }, { whoOnJoin: true });
      expectObservable(effect$).toBe('B(wW)En(gx0|)', {
        B: send('Bob'),
        w: print(welcome('Bob'), 'chat'),
        W: send('/who #lobby'),
        E: send('exit'),
        n: print(nowIn('#rust', 2)),
        g: { kind: 'print', text: 'Goodbye Bob!', style: 'notice' },
        x: { kind: 'close' },
        0: { kind: 'exit', code: 0 },
      });
      expectObservable(rooms$).toBe('ew----n(d|)', { e: NO_ROOMS, w: LOBBY_ONLY, n: rooms('#rust', ['#lobby', '#rust']), d: NO_ROOMS });
      expectObservable(prompt$).toBe('p-----r(p|)', { p: '> ', r: '#rust> ' });
    });
  });
});

describe('updateRooms: line by line', () => {
  const after = (start: Rooms, ...lines: WireLine[]): Rooms => lines.reduce((r, line) => updateRooms(r, parseServerLine(line.text), 'Bob'), start);
  const inRust = after(LOBBY_ONLY, nowIn('#rust', 2), memberList('#rust', ['Ann', 'Bob']));

  it('should return the very same rooms when a line changes nothing', () => {
    for (const line of [
      chatLine('Ann', 'hi'),
      inRoom('#lobby', chatLine('Ann', 'hi')),
      joinedRoom('Ann', '#rust'), // already a member
      inRoom('#lobby', joinedRoom('Zed', '#lobby')), // another room's news
      leftRoom('Zed', '#lobby'),
      leftNotice('Zed', 'quit'), // not a member here
      renamedNotice('Zed', 'Zoe'),
      memberList('#lobby', ['Zed']), // another room's members
      youLeft('#go'), // not mine
      noSuchRoom('#go'), // not listed
      nowIn('#rust', 2), // still here, still two
      stamped(0, chatLine('Ann', 'old')),
    ]) {
      expect(after(inRust, line)).toBe(inRust);
    }
  });

  it("should doubt the member list when the server's count disagrees with it", () => {
    expect(after(inRust, nowIn('#rust', 3)).membersKnown).toBe(false);
    expect(after(inRust, nowIn('#rust', 3)).members).toBe(inRust.members);
  });

  it('should take a room in the letter case the server shows it, and compare rooms in any case', () => {
    const rust = after(inRust, nowIn('#RUST', 2));
    expect(rust.current).toBe('#RUST');
    expect(rust.joined).toEqual(['#lobby', '#rust']);
    expect(after(rust, youLeft('#Rust'))).toEqual(rooms(null, ['#lobby']));
  });

  it('should not know who is in a room it is not in', () => {
    expect(after(NO_ROOMS, memberList('#rust', ['Ann'])).members).toBe(NO_NAMES);
  });
});
