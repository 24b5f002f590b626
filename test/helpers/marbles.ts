// Marble-test helper: a TestScheduler whose failures print both frame lists, one frame per line.
import { TestScheduler, type RunHelpers } from 'rxjs/testing';
import { expect } from 'vitest';

/** One notification as `frame: value` (`frame: |` for complete, `frame: # message` for error), or the item as is. */
function compact(item: unknown): unknown {
  if (typeof item !== 'object' || item === null || !('frame' in item) || !('notification' in item)) return item;
  const { frame, notification } = item as { frame: number; notification: { kind: string; value?: unknown; error?: unknown } };
  if (notification.kind === 'C') return `${frame}: |`;
  if (notification.kind === 'E') return `${frame}: # ${String((notification.error as Error | undefined)?.message ?? notification.error)}`;
  return `${frame}: ${typeof notification.value === 'string' ? notification.value : JSON.stringify(notification.value)}`;
}

/** Runs `callback` in virtual time (1 frame = 1 ms); assertions are checked when it returns. */
export function marbles<T>(callback: (helpers: RunHelpers) => T): T {
  const scheduler = new TestScheduler((actual, expected) => {
    // Readable first (one line per frame) when every value is a string, then exact.
    const readable = (list: unknown): list is unknown[] =>
      Array.isArray(list) && list.every((item) => typeof compact(item) === 'string' && !String(compact(item)).includes(': {'));
    if (readable(actual) && readable(expected)) expect(actual.map(compact)).toEqual(expected.map(compact));
    expect(actual).toEqual(expected);
  });
  return scheduler.run(callback);
}
