// `pace`: flood control without loss. A token bucket that delays, never drops, never reorders.
//
// PROTOCOL.md "Limits": input beyond 20 lines/s sustained (burst 40) is slowed down (read later),
// never dropped. The bucket holds `burst` tokens and gains `rate` tokens per second; each item
// takes one. While tokens last, items pass at once; after that they wait, in arrival order, and
// each is released when a token comes. Time comes from the scheduler, so marble tests drive it.
//
//   source:  (abcd)------------|        rate 1 per 2 frames, burst 2
//   result:  (ab)-c-d----------|        (a, b pass; c and d wait for their tokens)
//
// `onHeld(n)` reports how many items are waiting whenever that number changes, so the edge can
// stop reading the socket while anything waits (TCP then pushes back on the flooder) and resume
// when the backlog is gone. Held items are bounded by what was already read when reading stopped.
import { Observable, asyncScheduler, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';

export interface PaceConfig {
  /** Tokens gained per second (sustained items per second); must be > 0. */
  readonly rate: number;
  /** Bucket size: how many items may pass at once after a quiet spell. */
  readonly burst: number;
}

export function pace<T>(
  config: PaceConfig,
  scheduler: SchedulerLike = asyncScheduler,
  onHeld: (held: number) => void = () => {},
): MonoTypeOperatorFunction<T> {
  const { rate, burst } = config;
  const msPerToken = 1000 / rate;
  return (source) =>
    new Observable<T>((subscriber) => {
      // Tokens in the bucket as of `stamp` (fractional; refilled lazily from the clock).
      let tokens = burst;
      let stamp = scheduler.now();
      // Items waiting for a token, oldest first, and the index of the oldest.
      const held: T[] = [];
      let head = 0;
      // The pending release, if any, and whether the source has completed.
      let release: Subscription | undefined;
      let sourceDone = false;

      const refill = (): void => {
        const now = scheduler.now();
        tokens = Math.min(burst, tokens + ((now - stamp) * rate) / 1000);
        stamp = now;
      };
      const waiting = (): number => held.length - head;

      const drain = (): void => {
        release = undefined;
        refill();
        const before = waiting();
        while (waiting() > 0 && tokens >= 1 && !subscriber.closed) {
          tokens -= 1;
          const item = held[head] as T;
          held[head++] = undefined as T; // let it be collected
          subscriber.next(item);
        }
        if (waiting() === 0) {
          held.length = 0;
          head = 0;
        }
        if (waiting() !== before) onHeld(waiting());
        if (waiting() > 0) scheduleRelease();
        else if (sourceDone) subscriber.complete();
      };

      const scheduleRelease = (): void => {
        if (release !== undefined || subscriber.closed) return;
        const delay = Math.max(0, Math.ceil((1 - tokens) * msPerToken));
        release = scheduler.schedule(drain, delay);
        subscriber.add(release);
      };

      subscriber.add(
        source.subscribe({
          next(item) {
            refill();
            if (waiting() === 0 && tokens >= 1) {
              tokens -= 1;
              subscriber.next(item);
              return;
            }
            held.push(item);
            onHeld(waiting());
            scheduleRelease();
          },
          error: (err: unknown) => subscriber.error(err),
          complete() {
            sourceDone = true;
            if (waiting() === 0) subscriber.complete();
          },
        }),
      );
    });
}
