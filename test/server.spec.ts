// The lab protocol, flow by flow, as marble tests over the pure server (no sockets).
//
// Each connection is a hot Observable of frames (what the client types); the expected marble is
// what the server writes back to it. Value letters:  u = `Username?`,  w = the welcome line.
// Every expected string is the literal text of ../shared/PROTOCOL.md.
import type { Frame } from '../src/framing.ts';
import { TOO_LONG } from '../src/framing.ts';
import { NEVER, concat, of } from 'rxjs';
import { describe, it } from 'vitest';
import { L, U, server } from './helpers/chat.ts';
import { marbles } from './helpers/marbles.ts';

describe('server: naming', () => {
  it('should ask for a name, then welcome the user by it', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('  --a', { a: L('Bob') });
      const expected = ' u-w';
      expectObservable(connect(1, bob)).toBe(expected, { u: U, w: 'You are now connected, Bob!' });
    });
  });

  it('should welcome a name that arrives the moment the connection opens', () => {
    marbles(({ expectObservable }) => {
      const connect = server();
      const bob = concat(of(L('Bob')), NEVER); // emits while it is being subscribed
      const expected = ' (uw)';
      expectObservable(connect(1, bob)).toBe(expected, { u: U, w: 'You are now connected, Bob!' });
    });
  });

  it('should trim the name and strip control characters from it', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('  --a', { a: L('  B\u0007ob\t ') });
      const expected = ' u-w';
      expectObservable(connect(1, bob)).toBe(expected, { u: U, w: 'You are now connected, Bob!' });
    });
  });

  it('should reject an invalid name with its reason and ask again, keeping the connection', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('  --a---b', { a: L('bad name!'), b: L('Bob') });
      const expected = ' u-(ix)w';
      expectObservable(connect(1, bob)).toBe(expected, {
        u: U,
        i: "*** Invalid username: spaces are not allowed (use letters, digits, '_', '-' or '.')",
        x: U,
        w: 'You are now connected, Bob!',
      });
    });
  });

  it('should reject a name longer than 24 characters', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('  --a', { a: L('a'.repeat(25)) });
      const expected = ' u-(ix) 59994ms (t|)'; // …and, never named, it times out at 60 s
      expectObservable(connect(1, bob)).toBe(expected, {
        u: U,
        i: '*** Invalid username: too long (25 characters, max 24)',
        x: U,
        t: '*** Timed out',
      });
    });
  });

  it('should refuse a name already taken, compared case-insensitively, and ask again', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('  --a', { a: L('Bob') });
      const bob2 = hot(' ----a---b', { a: L('BOB'), b: L('Robert') });
      expectObservable(connect(1, bob)).toBe(' u-w-----j', {
        u: U,
        w: 'You are now connected, Bob!',
        j: '*** Robert joined the chat',
      });
      expectObservable(connect(2, bob2)).toBe('u---(tx)w', {
        u: U,
        t: '*** Username BOB is taken',
        x: U,
        w: 'You are now connected, Robert!',
      });
    });
  });

  it('should give a name to exactly one of two clients claiming it in the same instant', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const first = hot('  --a', { a: L('alice') });
      const second = hot(' --a', { a: L('ALICE') });
      expectObservable(connect(1, first)).toBe('  u-w', { u: U, w: 'You are now connected, alice!' });
      expectObservable(connect(2, second)).toBe(' u-(tx) 59994ms (T|)', {
        u: U,
        t: '*** Username ALICE is taken',
        x: U,
        T: '*** Timed out',
      });
    });
  });

  it('should free a name when its holder leaves', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('  --a--b', { a: L('Bob'), b: L('exit') });
      const next = hot(' --------a', { a: L('bob') });
      expectObservable(connect(2, next)).toBe('u-------w', { u: U, w: 'You are now connected, bob!' });
      expectObservable(connect(1, bob)).toBe(' u-w--(g|)', { u: U, w: 'You are now connected, Bob!', g: 'Goodbye Bob!' });
    });
  });

  it('should answer an empty or blank line at the name prompt as an invalid name (v2), never in silence', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('  --a---b---c', { a: L(''), b: L('   '), c: L('Bob') });
      const expected = ' u-(iu)(iu)w';
      expectObservable(connect(1, bob)).toBe(expected, { u: U, i: '*** Invalid username: name is empty', w: 'You are now connected, Bob!' });
    });
  });
});

describe('server: chatting', () => {
  it('should broadcast a line to every chatting client, sender included', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('  --a----c', { a: L('Bob'), c: L('Hello everyone') });
      const john = hot(' ----a----c', { a: L('John'), c: L('Hi') });
      const values = {
        u: U,
        b: 'You are now connected, Bob!',
        j: 'You are now connected, John!',
        J: '*** John joined the chat',
        h: '(Bob) Hello everyone',
        i: '(John) Hi',
      };
      expectObservable(connect(1, bob)).toBe('  u-b-J--h-i', values);
      expectObservable(connect(2, john)).toBe(' u---j--h-i', values);
    });
  });

  it('should tell everyone else when someone joins, but not the one joining', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('  --a', { a: L('Bob') });
      const john = hot(' ---a', { a: L('John') });
      const rock = hot(' ------a', { a: L('Rock') });
      const values = {
        u: U,
        J: '*** John joined the chat',
        R: '*** Rock joined the chat',
        b: 'You are now connected, Bob!',
        j: 'You are now connected, John!',
        r: 'You are now connected, Rock!',
      };
      expectObservable(connect(1, bob)).toBe('  u-bJ--R', values);
      expectObservable(connect(2, john)).toBe(' u--j--R', values);
      expectObservable(connect(3, rock)).toBe(' u-----r', values);
    });
  });

  it('should say nothing from the room to a client that has no name yet', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('   --a--b', { a: L('Bob'), b: L('Hello') });
      const lurker = hot('-------a', { a: L('Lurker') });
      expectObservable(connect(2, lurker)).toBe('u------w', { u: U, w: 'You are now connected, Lurker!' });
      expectObservable(connect(1, bob)).toBe('   u-w--h-j', {
        u: U,
        w: 'You are now connected, Bob!',
        h: '(Bob) Hello',
        j: '*** Lurker joined the chat',
      });
    });
  });

  it('should strip control characters so ANSI escapes arrive inert', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('  --a-b', { a: L('Bob'), b: L('\u001b[31mred\u0007\u009b') });
      const expected = ' u-w-h';
      expectObservable(connect(1, bob)).toBe(expected, { u: U, w: 'You are now connected, Bob!', h: '(Bob) [31mred' });
    });
  });

  it('should ignore blank lines, keeping spacing inside a line', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('  --a-b-c-d', { a: L('Bob'), b: L(''), c: L(' \t '), d: L('  two  spaces') });
      const expected = ' u-w-----h';
      expectObservable(connect(1, bob)).toBe(expected, { u: U, w: 'You are now connected, Bob!', h: '(Bob)   two  spaces' });
    });
  });

  it('should tell the sender of an overlong line, at the prompt and while chatting, and go on', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server({ maxLineBytes: 4096 });
      const bob = hot('  --a---b-c-d', { a: TOO_LONG, b: L('Bob'), c: TOO_LONG, d: L('still here') });
      const expected = ' u-(tx)w-t-h';
      expectObservable(connect(1, bob)).toBe(expected, {
        u: U,
        t: '*** Line too long (max 4096 bytes)',
        x: U,
        w: 'You are now connected, Bob!',
        h: '(Bob) still here',
      });
    });
  });

  it('should show every client the same order when lines are sent in the same instant', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const a = hot(' -a----b', { a: L('A'), b: L('from A') });
      const b = hot(' -a----b', { a: L('B'), b: L('from B') });
      const c = hot(' -a----b', { a: L('C'), b: L('from C') });
      const values = {
        u: U,
        A: 'You are now connected, A!',
        B: 'You are now connected, B!',
        C: 'You are now connected, C!',
        b: '*** B joined the chat',
        c: '*** C joined the chat',
        x: '(A) from A',
        y: '(B) from B',
        z: '(C) from C',
      };
      // Each line's actor runs, then the room decides what it published, in arrival order.
      expectObservable(connect(1, a)).toBe('u(Abc)(xyz)', values);
      expectObservable(connect(2, b)).toBe('u(Bc)-(xyz)', values);
      expectObservable(connect(3, c)).toBe('u(C)--(xyz)', values);
    });
  });
});

describe('server: leaving', () => {
  it('should say goodbye by name on `exit`, then close, and tell the others', () => {
    marbles(({ hot, expectObservable, expectSubscriptions }) => {
      const connect = server();
      const bob = hot('  --a---c--', { a: L('Bob'), c: L('exit') });
      const bobSubs = '  ^-----!';
      const john = hot(' ---a-----', { a: L('John') });
      expectObservable(connect(1, bob)).toBe('  u-wJ--(g|)', {
        u: U,
        w: 'You are now connected, Bob!',
        J: '*** John joined the chat',
        g: 'Goodbye Bob!',
      });
      expectObservable(connect(2, john)).toBe(' u--j--l', {
        u: U,
        j: 'You are now connected, John!',
        l: '*** Bob left the chat',
      });
      expectSubscriptions(bob.subscriptions).toBe(bobSubs);
    });
  });

  it('should treat `/quit` like `exit`', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('  --a-b', { a: L('Bob'), b: L('/QUIT') });
      const expected = ' u-w-(g|)';
      expectObservable(connect(1, bob)).toBe(expected, { u: U, w: 'You are now connected, Bob!', g: 'Goodbye Bob!' });
    });
  });

  it('should say a nameless `Goodbye!` to `exit` at the name prompt, and tell nobody', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('  --a----', { a: L('Bob') });
      const shy = hot('  ----a--', { a: L('exit') });
      expectObservable(connect(2, shy)).toBe(' u---(g|)', { u: U, g: 'Goodbye!' });
      expectObservable(connect(1, bob)).toBe(' u-w----', { u: U, w: 'You are now connected, Bob!' });
    });
  });

  it('should tell the others once when a client drops without a word', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('  --a--|', { a: L('Bob') });
      const john = hot(' ---a---b', { a: L('John'), b: L('still here') });
      expectObservable(connect(1, bob)).toBe('  u-wJ-|', {
        u: U,
        w: 'You are now connected, Bob!',
        J: '*** John joined the chat',
      });
      expectObservable(connect(2, john)).toBe(' u--j-l-h', {
        u: U,
        j: 'You are now connected, John!',
        l: '*** Bob left the chat',
        h: '(John) still here',
      });
    });
  });

  it('should close quietly when a client drops at the name prompt', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const gone = hot<Frame>('  ---|');
      const bob = hot('   --a---b', { a: L('Bob'), b: L('hi') });
      expectObservable(connect(2, gone)).toBe('u--|', { u: U });
      expectObservable(connect(1, bob)).toBe(' u-w---h', { u: U, w: 'You are now connected, Bob!', h: '(Bob) hi' });
    });
  });

  it('should hear nothing after its own goodbye', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('  --a--(bc)', { a: L('Bob'), b: L('exit'), c: L('never sent') });
      const john = hot(' ---a--b', { a: L('John'), b: L('after Bob left') });
      expectObservable(connect(1, bob)).toBe('  u-wJ-(g|)', {
        u: U,
        w: 'You are now connected, Bob!',
        J: '*** John joined the chat',
        g: 'Goodbye Bob!',
      });
      expectObservable(connect(2, john)).toBe(' u--j-lh', {
        u: U,
        j: 'You are now connected, John!',
        l: '*** Bob left the chat',
        h: '(John) after Bob left',
      });
    });
  });
});
