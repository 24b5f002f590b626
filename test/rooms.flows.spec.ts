// Rooms and history (PROTOCOL.md v2 "Rooms", "History"), flow by flow, as marble tests over the
// pure server: a memory log, the hub and the line front end, in virtual time.
//
// Each connection is a hot Observable of what its client types; the expected marble is what the
// server writes back. Value letters: u = `Username?`, w = the welcome. Every expected string is
// the literal text of ../shared/PROTOCOL.md. Virtual time starts at 00:00 UTC, so history lines
// said in the first minute are stamped `[00:00]`.
import { describe, it } from 'vitest';
import { L, U, server } from './helpers/chat.ts';
import { marbles } from './helpers/marbles.ts';

const welcome = (name: string): string => `You are now connected, ${name}!`;

describe('rooms: /join', () => {
  it('should create a new room, make it current, and tell nobody else', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const ann = hot('  -a--j', { a: L('Ann'), j: L('/join rust') });
      const bob = hot('  --b--', { b: L('Bob') });
      expectObservable(connect(1, ann)).toBe('uwb-n', { u: U, w: welcome('Ann'), b: '*** Bob joined the chat', n: '*** Now in #rust (1 user)' });
      expectObservable(connect(2, bob)).toBe('u-w--', { u: U, w: welcome('Bob') });
    });
  });

  it('should tell the joiner the count and the room its other members, as first created', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const ann = hot('  -a-j-----', { a: L('Ann'), j: L('/join #Rust') });
      const bob = hot('  --b--j---', { b: L('Bob'), j: L('/join RUST') });
      expectObservable(connect(1, ann)).toBe('uwbn-J', { u: U, w: welcome('Ann'), b: '*** Bob joined the chat', n: '*** Now in #Rust (1 user)', J: '*** Bob joined #Rust' });
      expectObservable(connect(2, bob)).toBe('u-w--n', { u: U, w: welcome('Bob'), n: '*** Now in #Rust (2 users)' });
    });
  });

  it('should only switch to a room one is already in: `*** Now in` alone, nobody told', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const ann = hot('  -a-j-l-', { a: L('Ann'), j: L('/join rust'), l: L('/join #lobby') });
      const bob = hot('  --b----', { b: L('Bob') });
      expectObservable(connect(1, ann)).toBe('uwbn-l', {
        u: U,
        w: welcome('Ann'),
        b: '*** Bob joined the chat',
        n: '*** Now in #rust (1 user)',
        l: '*** Now in #lobby (2 users)',
      });
      expectObservable(connect(2, bob)).toBe('u-w----', { u: U, w: welcome('Bob') });
    });
  });

  it('should answer a bad room name, and a missing one with the usage', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const ann = hot('  -a-b-c-d', { a: L('Ann'), b: L('/join'), c: L('/join #no way'), d: L('/join ' + 'x'.repeat(33)) });
      expectObservable(connect(1, ann)).toBe('uw-b-c-d', {
        u: U,
        w: welcome('Ann'),
        b: '*** Usage: /join <room>',
        c: "*** Invalid room name: spaces are not allowed (use letters, digits, '_', '-' or '.')",
        d: '*** Invalid room name: too long (33 characters, max 32)',
      });
    });
  });

  it("should refuse a bad character, with the protocol's reason", () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const ann = hot('  -a-b', { a: L('Ann'), b: L('/join r!st') });
      expectObservable(connect(1, ann)).toBe('uw-b', {
        u: U,
        w: welcome('Ann'),
        b: "*** Invalid room name: '!' is not allowed (use letters, digits, '_', '-' or '.')",
      });
    });
  });
});

describe('rooms: who hears what', () => {
  it('should give a room line to its members only, prefixed for those whose current room it is not', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      // Ann and Bob are in #rust (Ann current there, Bob back in #lobby); Cid is in #lobby only.
      const ann = hot('  -a--j---s-', { a: L('Ann'), j: L('/join rust'), s: L('hi rust') });
      const bob = hot('  --b--j-l--', { b: L('Bob'), j: L('/join rust'), l: L('/join #lobby') });
      const cid = hot('  ---c------', { c: L('Cid') });
      expectObservable(connect(1, ann)).toBe('uwbcnJ--s', {
        u: U,
        w: welcome('Ann'),
        b: '*** Bob joined the chat',
        c: '*** Cid joined the chat',
        n: '*** Now in #rust (1 user)',
        J: '*** Bob joined #rust',
        s: '(Ann) hi rust',
      });
      expectObservable(connect(2, bob)).toBe('u-wc-n-ls', {
        u: U,
        w: welcome('Bob'),
        c: '*** Cid joined the chat',
        n: '*** Now in #rust (2 users)',
        l: '*** Now in #lobby (3 users)',
        s: '[#rust] (Ann) hi rust',
      });
      expectObservable(connect(3, cid)).toBe('u--w------', { u: U, w: welcome('Cid') });
    });
  });

  it("should prefix the lobby's notices and lines for a member who is elsewhere", () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const ann = hot('  -a-j----', { a: L('Ann'), j: L('/join rust') });
      const bob = hot('  ----b-s-', { b: L('Bob'), s: L('/me waves') });
      expectObservable(connect(1, ann)).toBe('uw-nb-s', {
        u: U,
        w: welcome('Ann'),
        n: '*** Now in #rust (1 user)',
        b: '[#lobby] *** Bob joined the chat',
        s: '[#lobby] * Bob waves',
      });
      expectObservable(connect(2, bob)).toBe('u---w-s', { u: U, w: welcome('Bob'), s: '* Bob waves' });
    });
  });

  it('should announce a departure once to each user sharing any room, with no prefix, and no `left <room>`', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      // Ann and Bob share #lobby and #rust; Cid shares only #lobby; Dee left #lobby for #go only.
      const ann = hot('  -a---j-----', { a: L('Ann'), j: L('/join rust') });
      const bob = hot('  --b---j---x', { b: L('Bob'), j: L('/join rust'), x: L('exit') });
      const cid = hot('  ---c-------', { c: L('Cid') });
      const dee = hot('  ----d--jp--', { d: L('Dee'), j: L('/join go'), p: L('/part #lobby') });
      expectObservable(connect(1, ann)).toBe('uwbcdnJ-D-l', {
        u: U,
        w: welcome('Ann'),
        b: '*** Bob joined the chat',
        c: '*** Cid joined the chat',
        d: '*** Dee joined the chat',
        n: '*** Now in #rust (1 user)',
        J: '*** Bob joined #rust',
        D: '[#lobby] *** Dee left #lobby', // a room's notice, and #lobby is not Ann's current room
        l: '*** Bob left the chat',
      });
      expectObservable(connect(3, cid)).toBe('u--wd---D-l', {
        u: U,
        w: welcome('Cid'),
        d: '*** Dee joined the chat',
        D: '*** Dee left #lobby',
        l: '*** Bob left the chat',
      });
      expectObservable(connect(4, dee)).toBe('u---w--np--', {
        u: U,
        w: welcome('Dee'),
        n: '*** Now in #go (1 user)',
        p: '*** You left #lobby',
      });
      expectObservable(connect(2, bob)).toBe('u-wcd-n-D-(g|)', {
        u: U,
        w: welcome('Bob'),
        D: '[#lobby] *** Dee left #lobby',
        c: '*** Cid joined the chat',
        d: '*** Dee joined the chat',
        n: '*** Now in #rust (2 users)',
        g: 'Goodbye Bob!',
      });
    });
  });

  it('should announce a rename once to each sharer, and to the renamed user as in v1', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const ann = hot('  -a--j---', { a: L('Ann'), j: L('/join rust') });
      const bob = hot('  --b--j-n', { b: L('Bob'), j: L('/join rust'), n: L('/nick Rob') });
      const cid = hot('  ---c----', { c: L('Cid') });
      const r = '*** Bob is now known as Rob';
      expectObservable(connect(1, ann)).toBe('uwbcnJ-r', { u: U, w: welcome('Ann'), b: '*** Bob joined the chat', c: '*** Cid joined the chat', n: '*** Now in #rust (1 user)', J: '*** Bob joined #rust', r });
      expectObservable(connect(2, bob)).toBe('u-wc-n-r', { u: U, w: welcome('Bob'), c: '*** Cid joined the chat', n: '*** Now in #rust (2 users)', r });
      expectObservable(connect(3, cid)).toBe('u--w---r', { u: U, w: welcome('Cid'), r });
    });
  });

  it('should tell a user in no room to join one, for a line, an action and /history', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const ann = hot('  -a-p-s-m-h', { a: L('Ann'), p: L('/part'), s: L('hello?'), m: L('/me waits'), h: L('/history') });
      const none = '*** You are in no room (try /join #lobby)';
      expectObservable(connect(1, ann)).toBe('uw-p-n-n-n', { u: U, w: welcome('Ann'), p: '*** You left #lobby', n: none });
    });
  });
});

describe('rooms: /part', () => {
  it('should leave the current room, tell its members, and make the most recently joined room current', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const ann = hot('  -a-g-r-p', { a: L('Ann'), g: L('/join go'), r: L('/join rust'), p: L('/part') });
      const bob = hot('  --b---j-', { b: L('Bob'), j: L('/join rust') });
      expectObservable(connect(1, ann)).toBe('uwbg-rJ(pn)', {
        u: U,
        w: welcome('Ann'),
        b: '*** Bob joined the chat',
        g: '*** Now in #go (1 user)',
        r: '*** Now in #rust (1 user)',
        J: '*** Bob joined #rust',
        p: '*** You left #rust',
        n: '*** Now in #go (1 user)',
      });
      expectObservable(connect(2, bob)).toBe('u-w---nl', { u: U, w: welcome('Bob'), n: '*** Now in #rust (2 users)', l: '*** Ann left #rust' });
    });
  });

  it('should leave a named room that is not current without changing the current room', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const ann = hot('  -a-r-l-p-s', { a: L('Ann'), r: L('/join rust'), l: L('/join lobby'), p: L('/part rust'), s: L('still here') });
      expectObservable(connect(1, ann)).toBe('uw-r-l-p-s', {
        u: U,
        w: welcome('Ann'),
        r: '*** Now in #rust (1 user)',
        l: '*** Now in #lobby (1 user)',
        p: '*** You left #rust',
        s: '(Ann) still here',
      });
    });
  });

  it('should refuse to part a room one is not in, existing or not', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const ann = hot('  -a-p-q', { a: L('Ann'), p: L('/part #rust'), q: L('/part go') });
      const bob = hot('  --b-j-', { b: L('Bob'), j: L('/join go') });
      expectObservable(connect(2, bob)).toBe('u-w-n', { u: U, w: welcome('Bob'), n: '*** Now in #go (1 user)' });
      expectObservable(connect(1, ann)).toBe('uwbp-q', {
        u: U,
        w: welcome('Ann'),
        b: '*** Bob joined the chat',
        p: '*** You are not in #rust',
        q: '*** You are not in #go',
      });
    });
  });

  it('should forget a room, with its history, when its last member leaves', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const ann = hot('  -a-r-s-p---r-h', { a: L('Ann'), r: L('/join rust'), s: L('remember me'), p: L('/part'), h: L('/history') });
      expectObservable(connect(1, ann)).toBe('uw-r-s-(pn)r-h', {
        u: U,
        w: welcome('Ann'),
        r: '*** Now in #rust (1 user)',
        s: '(Ann) remember me',
        p: '*** You left #rust',
        n: '*** Now in #lobby (1 user)',
        h: '*** No history in #rust',
      });
    });
  });
  it('should announce a later /join #lobby as `joined #lobby`, not `joined the chat`; /part with no room is refused', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const ann = hot('  -a--p-q-j', { a: L('Ann'), p: L('/part'), q: L('/part'), j: L('/join lobby') });
      const bob = hot('  --b------', { b: L('Bob') });
      expectObservable(connect(1, ann)).toBe('uwb-p-q-n', {
        u: U,
        w: welcome('Ann'),
        b: '*** Bob joined the chat',
        p: '*** You left #lobby',
        q: '*** You are in no room (try /join #lobby)',
        n: '*** Now in #lobby (2 users)',
      });
      expectObservable(connect(2, bob)).toBe('u-w-l---j', { u: U, w: welcome('Bob'), l: '*** Ann left #lobby', j: '*** Ann joined #lobby' });
    });
  });
});

describe('rooms: /rooms and /who <room>', () => {
  it('should list every room with its count, #lobby (0) too, sorted case-insensitively', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const ann = hot('  -a-b-c-p-l', { a: L('Ann'), b: L('/join Zed'), c: L('/join alpha'), p: L('/part #lobby'), l: L('/rooms') });
      expectObservable(connect(1, ann)).toBe('uw-b-c-p-l', {
        u: U,
        w: welcome('Ann'),
        b: '*** Now in #Zed (1 user)',
        c: '*** Now in #alpha (1 user)',
        p: '*** You left #lobby',
        l: '*** Rooms (3): #alpha (1), #lobby (0), #Zed (1)',
      });
    });
  });

  it("should list a room's users in the order they joined it, and refuse an unknown room", () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const ann = hot('  -a---j-w-x-v', { a: L('Ann'), j: L('/join rust'), w: L('/who #RUST'), x: L('/who #nope'), v: L('/who') });
      const bob = hot('  --b-j-------', { b: L('Bob'), j: L('/join rust') });
      expectObservable(connect(2, bob)).toBe('u-w-nJ', { u: U, w: welcome('Bob'), n: '*** Now in #rust (1 user)', J: '*** Ann joined #rust' });
      expectObservable(connect(1, ann)).toBe('uwb--n-W-x-v', {
        u: U,
        w: welcome('Ann'),
        b: '*** Bob joined the chat',
        n: '*** Now in #rust (2 users)',
        W: '*** Users in #rust (2): Bob, Ann', // join order of the room, not of the chat
        x: '*** No such room: #nope',
        v: '*** Users online (2): Ann, Bob',
      });
    });
  });
});

describe('history', () => {
  it('should replay the last --replay lines, stamped [HH:MM] UTC, after `Now in` and before any live line', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server({}, { replay: 2 });
      // Ann says three lines in #rust, the last at 14:02; Bob joins and hears the last two, then a live one.
      const ann = hot('  -a-r-1 842m 2-3------4', { a: L('Ann'), r: L('/join rust'), 1: L('one'), 2: L('two'), 3: L('/me three'), 4: L('four') });
      const bob = hot('  -------b 842m --j-', { b: L('Bob'), j: L('/join rust') });
      expectObservable(connect(2, bob)).toBe('u------w 842m --(nxy)4', {
        u: U,
        w: welcome('Bob'),
        n: '*** Now in #rust (2 users)',
        x: '[14:02] (Ann) two',
        y: '[14:02] * Ann three',
        4: '(Ann) four',
      });
      expectObservable(connect(1, ann));
    });
  });

  it('should give the current room\'s last n lines on /history n, capped at --history, default --replay', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server({}, { history: 3, replay: 2 });
      const ann = hot('  -a-1-2-3-4-h---H----x', { a: L('Ann'), 1: L('l1'), 2: L('l2'), 3: L('l3'), 4: L('l4'), h: L('/history'), H: L('/history 50'), x: L('/history 0') });
      expectObservable(connect(1, ann)).toBe('uw-1-2-3-4-(bc)(BCD)s', {
        u: U,
        w: welcome('Ann'),
        1: '(Ann) l1',
        2: '(Ann) l2',
        3: '(Ann) l3',
        4: '(Ann) l4',
        b: '[00:00] (Ann) l3',
        c: '[00:00] (Ann) l4',
        B: '[00:00] (Ann) l2',
        C: '[00:00] (Ann) l3',
        D: '[00:00] (Ann) l4',
        s: '*** Usage: /history [<n>]',
      });
    });
  });

  it('should keep nothing with --history 0, and say so', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server({}, { history: 0 });
      const ann = hot('  -a-1-h', { a: L('Ann'), 1: L('said'), h: L('/history') });
      expectObservable(connect(1, ann)).toBe('uw-1-h', { u: U, w: welcome('Ann'), 1: '(Ann) said', h: '*** No history in #lobby' });
    });
  });

  it('should replay nothing on connect: the lab protocol is unchanged', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const ann = hot('  -a-1', { a: L('Ann'), 1: L('before Bob') });
      const bob = hot('  ----b', { b: L('Bob') });
      expectObservable(connect(2, bob)).toBe('u---w', { u: U, w: welcome('Bob') });
      expectObservable(connect(1, ann)).toBe('uw-1b', { u: U, w: welcome('Ann'), 1: '(Ann) before Bob', b: '*** Bob joined the chat' });
    });
  });
});

describe('rooms: limits', () => {
  it('should refuse a join past --max-rooms-per-user (#lobby counts), to the asker alone', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server({}, { maxRoomsPerUser: 2 });
      const ann = hot('  -a-r-g-s', { a: L('Ann'), r: L('/join rust'), g: L('/join go'), s: L('still in rust') });
      expectObservable(connect(1, ann)).toBe('uw-r-g-s', {
        u: U,
        w: welcome('Ann'),
        r: '*** Now in #rust (1 user)',
        g: '*** You are in too many rooms (max 2)',
        s: '(Ann) still in rust',
      });
    });
  });

  it('should refuse to create a room past --max-rooms (#lobby counts), but let users join existing ones', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server({}, { maxRooms: 2 });
      const ann = hot('  -a-r----', { a: L('Ann'), r: L('/join rust') });
      const bob = hot('  --b--g-r', { b: L('Bob'), g: L('/join go'), r: L('/join RUST') });
      expectObservable(connect(2, bob)).toBe('u-w--g-r', {
        u: U,
        w: welcome('Bob'),
        g: '*** Too many rooms (max 2)',
        r: '*** Now in #rust (2 users)',
      });
      expectObservable(connect(1, ann));
    });
  });
});
