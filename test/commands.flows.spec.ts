// Chat commands beyond the lab, flow by flow, as marble tests over the pure server.
// Expected strings are the literal lines of ../shared/PROTOCOL.md "Commands".
import { describe, it } from 'vitest';
import { L, U, server } from './helpers/chat.ts';
import { marbles } from './helpers/marbles.ts';

describe('/who', () => {
  it('should list users in join order, following joins, renames and departures', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('   -a----b----c', { a: L('Bob'), b: L('/who'), c: L('/WHO') });
      const alice = hot(' --a------b  ', { a: L('alice'), b: L('/nick Alicia') });
      const carol = hot(' ---a---b    ', { a: L('Carol'), b: L('exit') });
      expectObservable(connect(2, alice));
      expectObservable(connect(3, carol));
      expectObservable(connect(1, bob)).toBe('uwac--Wl-r-V', {
        u: U,
        w: 'You are now connected, Bob!',
        a: '*** alice joined the chat',
        c: '*** Carol joined the chat',
        W: '*** Users online (3): Bob, alice, Carol',
        l: '*** Carol left the chat',
        r: '*** alice is now known as Alicia',
        V: '*** Users online (2): Bob, Alicia',
      });
    });
  });
});

describe('/msg', () => {
  it('should deliver to the recipient (any letter case) and echo to the sender, and to nobody else', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('   -a--b', { a: L('Bob'), b: L('/msg ALICE psst  secret') });
      const alice = hot(' --a  ', { a: L('alice') });
      const carol = hot(' ---a ', { a: L('Carol') });
      const p = '[Bob -> alice] psst  secret';
      expectObservable(connect(1, bob)).toBe('   uwacp', { u: U, w: 'You are now connected, Bob!', a: '*** alice joined the chat', c: '*** Carol joined the chat', p });
      expectObservable(connect(2, alice)).toBe(' u-wcp', { u: U, w: 'You are now connected, alice!', c: '*** Carol joined the chat', p });
      expectObservable(connect(3, carol)).toBe(' u--w ', { u: U, w: 'You are now connected, Carol!' });
    });
  });

  it('should tell the sender when there is no such user', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('  -a-b', { a: L('Bob'), b: L('/msg nobody hi') });
      const expected = ' uw-n';
      expectObservable(connect(1, bob)).toBe(expected, { u: U, w: 'You are now connected, Bob!', n: '*** No such user: nobody' });
    });
  });

  it('should deliver a message to oneself once', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('  -a-b', { a: L('Bob'), b: L('/msg bob note to self') });
      const expected = ' uw-m';
      expectObservable(connect(1, bob)).toBe(expected, { u: U, w: 'You are now connected, Bob!', m: '[Bob -> Bob] note to self' });
    });
  });

  it('should answer every malformed /msg with its usage', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('  -a-b-c-d', { a: L('Bob'), b: L('/msg'), c: L('/msg bob'), d: L('/msg bob    ') });
      const expected = ' uw-m-m-m';
      expectObservable(connect(1, bob)).toBe(expected, { u: U, w: 'You are now connected, Bob!', m: '*** Usage: /msg <name> <text>' });
    });
  });
});

describe('/nick', () => {
  it('should tell everyone, and later lines and messages follow the new name', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('   -a-b-c', { a: L('Bob'), b: L('/nick Robert'), c: L('hi') });
      const alice = hot(' --a---b', { a: L('alice'), b: L('/msg robert hey') });
      const values = {
        u: U,
        w: 'You are now connected, Bob!',
        W: 'You are now connected, alice!',
        a: '*** alice joined the chat',
        n: '*** Bob is now known as Robert',
        h: '(Robert) hi',
        m: '[alice -> Robert] hey',
      };
      expectObservable(connect(1, bob)).toBe('   uwan-hm', values);
      expectObservable(connect(2, alice)).toBe(' u-Wn-hm', values);
    });
  });

  it('should refuse a taken name (any case) or an invalid one, without a new prompt', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('   -a-b-c-d', { a: L('Bob'), b: L('/nick ALICE'), c: L('/nick bad name'), d: L('/nick') });
      const alice = hot(' --a', { a: L('alice') });
      expectObservable(connect(2, alice));
      expectObservable(connect(1, bob)).toBe('uwat-i-s', {
        u: U,
        w: 'You are now connected, Bob!',
        a: '*** alice joined the chat',
        t: '*** Username ALICE is taken',
        i: "*** Invalid username: spaces are not allowed (use letters, digits, '_', '-' or '.')",
        s: '*** Usage: /nick <new name>',
      });
    });
  });

  it('should allow a change of letter case, and say so when nothing would change', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('  -a-b-c', { a: L('Bob'), b: L('/nick BOB'), c: L('/nick BOB') });
      const expected = ' uw-n-s';
      expectObservable(connect(1, bob)).toBe(expected, {
        u: U,
        w: 'You are now connected, Bob!',
        n: '*** Bob is now known as BOB',
        s: '*** You are already known as BOB',
      });
    });
  });

  it('should give a new name to exactly one of two users claiming it in the same instant', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('   -a--b', { a: L('Bob'), b: L('/nick Max') });
      const alice = hot(' --a-b', { a: L('alice'), b: L('/nick max') });
      const values = {
        u: U,
        w: 'You are now connected, Bob!',
        W: 'You are now connected, alice!',
        a: '*** alice joined the chat',
        n: '*** Bob is now known as Max',
        t: '*** Username max is taken',
      };
      expectObservable(connect(1, bob)).toBe('   uwa-n', values);
      expectObservable(connect(2, alice)).toBe(' u-W-(nt)', values);
    });
  });

  it('should free the old name for someone else', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('   -a-b', { a: L('Bob'), b: L('/nick Robert') });
      const other = hot(' -----a', { a: L('bob') });
      expectObservable(connect(1, bob));
      expectObservable(connect(2, other)).toBe('u----w', { u: U, w: 'You are now connected, bob!' });
    });
  });
});

describe('/me, /help, /quit and unknown commands', () => {
  it('should show an action to everyone', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('   -a--b', { a: L('Bob'), b: L('/me waves  hello') });
      const alice = hot(' --a  ', { a: L('alice') });
      expectObservable(connect(1, bob)).toBe('   uwa-m', { u: U, w: 'You are now connected, Bob!', a: '*** alice joined the chat', m: '* Bob waves  hello' });
      expectObservable(connect(2, alice)).toBe(' u-w-m', { u: U, w: 'You are now connected, alice!', m: '* Bob waves  hello' });
    });
  });

  it('should answer /me without an action with its usage', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('  -a-b', { a: L('Bob'), b: L('/me') });
      const expected = ' uw-s';
      expectObservable(connect(1, bob)).toBe(expected, { u: U, w: 'You are now connected, Bob!', s: '*** Usage: /me <action>' });
    });
  });

  it('should send the command list to the asker only, each line prefixed `*** `', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('   -a-b', { a: L('Bob'), b: L('/HELP') });
      const alice = hot(' --a ', { a: L('alice') });
      expectObservable(connect(2, alice)).toBe(' u-w', { u: U, w: 'You are now connected, alice!' });
      expectObservable(connect(1, bob)).toBe('uwa(ABCDEFGHIJKL)', {
        u: U,
        w: 'You are now connected, Bob!',
        a: '*** alice joined the chat',
        A: '*** Commands:',
        B: '*** /who [<room>]        list the users online, or in a room',
        C: '*** /join <room>         join a room (created if new) and talk there',
        D: '*** /part [<room>]       leave a room (default: the current one)',
        E: '*** /rooms               list the rooms and how many are in each',
        F: "*** /history [<n>]       show the current room's last lines",
        G: '*** /msg <name> <text>   send a private message',
        H: '*** /nick <new name>     change your name',
        I: '*** /me <action>         say what you are doing',
        J: '*** /help                show this list',
        K: '*** /quit (or exit)      leave the chat',
        L: '*** Anything else you type is said in your current room.',
      });
    });
  });

  it('should name an unknown command and point to /help', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('  -a-b-c', { a: L('Bob'), b: L('/dance now'), c: L('/') });
      const expected = ' uw-d-s';
      expectObservable(connect(1, bob)).toBe(expected, {
        u: U,
        w: 'You are now connected, Bob!',
        d: '*** Unknown command: /dance (try /help)',
        s: '*** Unknown command: / (try /help)',
      });
    });
  });

  it('should leave on /quit with the goodbye, like exit', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('   -a--b', { a: L('Bob'), b: L('/quit see you') });
      const alice = hot(' --a  ', { a: L('alice') });
      expectObservable(connect(1, bob)).toBe('   uwa-(g|)', { u: U, w: 'You are now connected, Bob!', a: '*** alice joined the chat', g: 'Goodbye Bob!' });
      expectObservable(connect(2, alice)).toBe(' u-w-l', { u: U, w: 'You are now connected, alice!', l: '*** Bob left the chat' });
    });
  });
});
