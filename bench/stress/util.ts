// Stress harness utilities: one clock shared by every process, bounded waits, delay histograms.
//
// Time: `nowMs()` reads CLOCK_MONOTONIC (process.hrtime), which is system-wide on Linux, so a
// timestamp taken by a talker in one worker process can be compared with a receipt time taken
// in another. Waits: every wait in the harness is on an event and has a deadline. `waitUntil`
// re-checks its condition whenever something pokes it (a line arrived, a socket closed), so no
// wait polls on a timer; the timer only enforces the deadline.

/** Milliseconds on the system-wide monotonic clock (comparable across processes on one host). */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** A timer-driven pause, used only where the point is to let time pass (a calm phase, RSS settle). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejects with `what` if `promise` has not settled within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

interface Condition {
  readonly check: () => boolean;
  readonly done: () => void;
}

const conditions = new Set<Condition>();

/** Re-evaluates every pending `waitUntil` (call it after anything that may have changed state). */
export function poke(): void {
  for (const condition of conditions) {
    if (condition.check()) {
      conditions.delete(condition);
      condition.done();
    }
  }
}

/** Resolves once `check()` is true (checked now and on every `poke`); rejects after `ms`. */
export function waitUntil(check: () => boolean, ms: number, what: () => string): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const condition: Condition = {
      check,
      done: () => {
        clearTimeout(timer);
        resolve();
      },
    };
    const timer = setTimeout(() => {
      conditions.delete(condition);
      reject(new Error(`timed out after ${ms} ms waiting for ${what()}`));
    }, ms);
    conditions.add(condition);
  });
}

/** A histogram of delays in 0.1 ms buckets (sparse), with the exact maximum kept aside. */
export class DelayHistogram {
  readonly buckets = new Map<number, number>();
  count = 0;
  max = 0;

  add(ms: number): void {
    const key = Math.max(0, Math.ceil(ms * 10));
    this.buckets.set(key, (this.buckets.get(key) ?? 0) + 1);
    this.count++;
    if (ms > this.max) this.max = ms;
  }

  merge(other: SerializedHistogram): void {
    for (const [key, n] of other.buckets) this.buckets.set(key, (this.buckets.get(key) ?? 0) + n);
    this.count += other.count;
    if (other.max > this.max) this.max = other.max;
  }

  /** The q-quantile (0..1), to 0.1 ms (bucket upper edge); 0 when empty. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.ceil(q * this.count);
    let seen = 0;
    for (const key of [...this.buckets.keys()].sort((a, b) => a - b)) {
      seen += this.buckets.get(key) ?? 0;
      if (seen >= rank) return Math.min(key / 10, this.max);
    }
    return this.max;
  }

  serialize(): SerializedHistogram {
    return { buckets: [...this.buckets.entries()], count: this.count, max: this.max };
  }
}

export interface SerializedHistogram {
  readonly buckets: ReadonlyArray<readonly [number, number]>;
  readonly count: number;
  readonly max: number;
}

/** An Error's message, or the thing itself as text. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Event-loop stalls of this process by time: a 10 ms timer notes how late it fires, and the
 * worst lateness per 250 ms window (nowMs) is kept. It tells load-generator stalls apart
 * from server delays when reading the delivery-delay timeline.
 */
export class StallTimeline {
  readonly windows = new Map<number, number>();
  #timer: NodeJS.Timeout | undefined;

  start(): void {
    let last = nowMs();
    this.#timer = setInterval(() => {
      const now = nowMs();
      const late = now - last - 10;
      last = now;
      const window = Math.floor(now / 250) * 250;
      if (late > (this.windows.get(window) ?? 0)) this.windows.set(window, late);
    }, 10);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** The worst stall noted in windows overlapping [from, to]. */
  worst(from: number, to: number): number {
    let worst = 0;
    for (const [window, late] of this.windows) if (window + 250 > from && window <= to && late > worst) worst = late;
    return worst;
  }

  serialize(): Array<[number, number]> {
    return [...this.windows];
  }
}
