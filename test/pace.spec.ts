// `pace`: a token bucket that delays, never drops, never reorders — in virtual time.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TestScheduler } from 'rxjs/testing';
import { pace } from '../src/operators/pace.ts';
import { marbles } from './helpers/marbles.ts';

// rate 100/s = one token per 10 ms (10 frames); a burst of 2.
const config = { rate: 100, burst: 2 };

describe('pace', () => {
  it('should let a burst through at once', () => {
    marbles(({ cold, expectObservable }) => {
      const e1 = cold('  (ab)|');
      const expected = ' (ab)|';
      expectObservable(e1.pipe(pace(config))).toBe(expected);
    });
  });

  it('should hold what exceeds the burst and release one item per token, in order', () => {
    marbles(({ cold, expectObservable }) => {
      const e1 = cold('  (abcd)|');
      const expected = ' (ab) 6ms c 9ms (d|)';
      expectObservable(e1.pipe(pace(config))).toBe(expected);
    });
  });

  it('should refill the bucket while the source is quiet', () => {
    marbles(({ cold, expectObservable }) => {
      const e1 = cold('  (abc) 25ms (def)|');
      const expected = ' (ab)  6ms c 19ms (de) 6ms (f|)';
      expectObservable(e1.pipe(pace(config))).toBe(expected);
    });
  });

  it('should report the backlog so reading can pause and resume', () => {
    marbles(({ cold, expectObservable, flush }) => {
      const backlog: number[] = [];
      const e1 = cold('  (abcd)|');
      expectObservable(e1.pipe(pace(config, undefined, (n) => backlog.push(n))));
      flush();
      expect(backlog).toEqual([1, 2, 1, 0]);
    });
  });

  it('should pass an error through at once and stop releasing', () => {
    marbles(({ cold, expectObservable }) => {
      const e1 = cold('  (abc)#');
      const expected = ' (ab)-#';
      expectObservable(e1.pipe(pace(config))).toBe(expected);
    });
  });

  it('should cancel pending releases when unsubscribed', () => {
    marbles(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold('  (abcdef)|');
      const unsub = '    ^ 13ms !';
      const expected = ' (ab) 6ms c';
      expectObservable(e1.pipe(pace(config)), unsub).toBe(expected);
      expectSubscriptions(e1.subscriptions).toBe('^ 7ms !');
    });
  });
});

describe('pace properties', () => {
  it('never drops or reorders, and never exceeds burst + rate × elapsed', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 50 }), { minLength: 1, maxLength: 26 }), // gaps between arrivals, in ms
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 10 }),
        (gaps, rate, burst) => {
          const scheduler = new TestScheduler(() => {});
          const out: { value: number; at: number }[] = [];
          const letter = (i: number): string => String.fromCharCode(97 + i);
          scheduler.run(({ cold }) => {
            // Each arrival is a distinct letter whose value is its index: 0, 1, 2, …
            const marble = gaps.map((gap, i) => `${gap}ms ${letter(i)}`).join(' ');
            const values = Object.fromEntries(gaps.map((_, i) => [letter(i), i]));
            cold(`${marble} |`, values)
              .pipe(pace({ rate, burst }))
              .subscribe((value) => out.push({ value, at: scheduler.now() }));
          });
          expect(out.map((o) => o.value)).toEqual(gaps.map((_, i) => i));
          // In any window starting at the first emission, at most burst + rate × length items.
          for (let i = 0; i < out.length; i++) {
            for (let j = i; j < out.length; j++) {
              const span = (out[j]!.at - out[i]!.at) / 1000;
              expect(j - i + 1).toBeLessThanOrEqual(burst + rate * span + 1e-9);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
