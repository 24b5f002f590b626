// Hostile and unlucky clients, policy by policy, in virtual time (marble tests over the pure server).
// PAUSE / RESUME / ABORT are what the connection asks of the listener besides writing lines.
import { Subject, config } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../src/framing.ts';
import { L, U, frontEnd, outputs, server } from './helpers/chat.ts';
import { marbles } from './helpers/marbles.ts';

describe('name timeout', () => {
  it('should time out a client still at `Username?` and close it', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server({ nameTimeoutMs: 10 });
      const idle = hot<Frame>('  ------------');
      const expected = '         u 9ms (t|)';
      expectObservable(connect(1, idle)).toBe(expected, { u: U, t: '*** Timed out' });
    });
  });

  it('should leave a client alone once it has a name', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server({ nameTimeoutMs: 10 });
      const bob = hot('  --a 20ms b', { a: L('Bob'), b: L('still here') });
      const expected = ' u-w 20ms h';
      expectObservable(connect(1, bob)).toBe(expected, { u: U, w: 'You are now connected, Bob!', h: '(Bob) still here' });
    });
  });
});

describe('flood control', () => {
  // rate 100/s = one line per 10 frames once the burst of 2 is spent.
  const flood = { rate: 100, burst: 2 };

  it('should slow a flood down, in order and without loss, pausing reading while lines wait', () => {
    marbles(({ hot, expectObservable }) => {
      const chat = frontEnd(flood);
      const bob = hot('  -a 20ms (bcde)', { a: L('Bob'), b: L('1'), c: L('2'), d: L('3'), e: L('4') });
      const expected = ' uw 20ms (12P) 5ms 3 9ms (4R)';
      expectObservable(outputs(chat.connect({ id: 1, frame$: bob }))).toBe(expected, {
        u: U,
        w: 'You are now connected, Bob!',
        1: '(Bob) 1',
        2: '(Bob) 2',
        3: '(Bob) 3',
        4: '(Bob) 4',
        P: 'PAUSE',
        R: 'RESUME',
      });
    });
  });

  it('should not delay anyone else while one client floods', () => {
    marbles(({ hot, expectObservable }) => {
      const chat = frontEnd(flood);
      const bob = hot('    -a 20ms (bcdef)', { a: L('Bob'), b: L('1'), c: L('2'), d: L('3'), e: L('4'), f: L('5') });
      const alice = hot('  --a 25ms b', { a: L('alice'), b: L('hi') });
      const values = { u: U, w: 'You are now connected, alice!', 1: '(Bob) 1', 2: '(Bob) 2', 3: '(Bob) 3', 4: '(Bob) 4', 5: '(Bob) 5', h: '(alice) hi' };
      // alice's line at frame 28 goes out at once, between bob's paced lines 2 and 3 (frame 32).
      expectObservable(outputs(chat.connect({ id: 2, frame$: alice }))).toBe('u-w 19ms (12) 2ms h 3ms 3 9ms 4 9ms 5', values);
      expectObservable(outputs(chat.connect({ id: 1, frame$: bob })));
    });
  });
});

describe('slow consumers', () => {
  it('should cut off a client too slow to read, and tell the others why it left', () => {
    marbles(({ hot, expectObservable }) => {
      const chat = frontEnd();
      const bob = hot('    -a---', { a: L('Bob') });
      const bobTooSlow = hot('  -----x');
      const alice = hot('  --a--', { a: L('alice') });
      expectObservable(outputs(chat.connect({ id: 1, frame$: bob, tooSlow$: bobTooSlow }))).toBe('uwa--(A|)', {
        u: U,
        w: 'You are now connected, Bob!',
        a: '*** alice joined the chat',
        A: 'ABORT',
      });
      expectObservable(outputs(chat.connect({ id: 2, frame$: alice }))).toBe('u-w--l', {
        u: U,
        w: 'You are now connected, alice!',
        l: '*** Bob left the chat (too slow)',
      });
    });
  });
});

describe('graceful shutdown', () => {
  it('should tell every client, named or not, and close them all without a flurry of leave notices', () => {
    marbles(({ hot, expectObservable }) => {
      const shutdown$ = hot('  -----s');
      const connect = server({}, {}, shutdown$);
      const bob = hot('        -a-b  ', { a: L('Bob'), b: L('last words') });
      const alice = hot('      --a   ', { a: L('alice') });
      const shy = hot<Frame>(' ------');
      const values = {
        u: U,
        b: 'You are now connected, Bob!',
        a: 'You are now connected, alice!',
        A: '*** alice joined the chat',
        l: '(Bob) last words',
        s: '*** Server is shutting down',
      };
      expectObservable(connect(1, bob)).toBe('  ubAl-(s|)', values);
      expectObservable(connect(2, alice)).toBe('u-al-(s|)', values);
      expectObservable(connect(3, shy)).toBe('  u----(s|)', values);
    });
  });
});

describe('fault isolation', () => {
  it('should end only the connection whose input failed, and tell the others it left', () => {
    marbles(({ hot, expectObservable }) => {
      const connect = server();
      const bob = hot('    -a--#', { a: L('Bob') }, new Error('boom'));
      const alice = hot('  --a---b', { a: L('alice'), b: L('still chatting') });
      expectObservable(connect(1, bob)).toBe('  uwa-#', { u: U, w: 'You are now connected, Bob!', a: '*** alice joined the chat' }, new Error('boom'));
      expectObservable(connect(2, alice)).toBe('u-w-l-h', {
        u: U,
        w: 'You are now connected, alice!',
        l: '*** Bob left the chat',
        h: '(alice) still chatting',
      });
    });
  });

  it('should keep the bus running for everyone after one subscriber throws', async () => {
    // A throwing `next` is not routed to that observer's `error`: RxJS reports it through
    // config.onUnhandledError, on a timer (the server logs it there instead of crashing). The
    // bus, which delivers to each subscriber separately, goes on.
    const previous = config.onUnhandledError;
    const reported = new Promise<unknown>((resolve, reject) => {
      config.onUnhandledError = resolve;
      setTimeout(() => reject(new Error('the fault was never reported')), 2000).unref();
    });
    try {
      const chat = frontEnd();
      const bad = new Subject<Frame>();
      const good = new Subject<Frame>();
      const seen: string[] = [];
      outputs(chat.connect({ id: 1, frame$: bad })).subscribe((line) => {
        if (line === '*** alice joined the chat') throw new Error('a bug in one subscriber');
      });
      outputs(chat.connect({ id: 2, frame$: good })).subscribe((line) => seen.push(line));
      bad.next(L('Bob'));
      good.next(L('alice'));
      good.next(L('after the fault'));
      expect(seen).toEqual(['Username?', 'You are now connected, alice!', '(alice) after the fault']);
      expect(await reported).toEqual(new Error('a bug in one subscriber'));
    } finally {
      config.onUnhandledError = previous;
    }
  });
});
