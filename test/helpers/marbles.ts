// Marble-test helper: a TestScheduler whose failures print both frame lists, one frame per line.
import { TestScheduler, type RunHelpers } from 'rxjs/testing';
import { expect } from 'vitest';

/** Runs `callback` in virtual time (1 frame = 1 ms); assertions are checked when it returns. */
export function marbles<T>(callback: (helpers: RunHelpers) => T): T {
  const scheduler = new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });
  return scheduler.run(callback);
}
