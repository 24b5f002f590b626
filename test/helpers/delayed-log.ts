// A log for tests that decides late, as a remote one would: appends wait until the test releases
// them, one entry each or several in one batch. Everything released is recorded, so a test can
// replay the same entries into a fresh state and compare.
import { Subject } from 'rxjs';
import type { Intent, LogEntry, NodeId } from '../../src/core/intents.ts';
import type { ChatLog, LogItem } from '../../src/hub/log.ts';

export interface DelayedLog extends ChatLog {
  /** Intents appended and not yet released. */
  pending(): number;
  /** Releases the next `count` appends (at most what is pending), as one batch or one entry each. */
  release(count: number, batch?: boolean): void;
  /** Every entry released, in order. */
  readonly released: readonly LogEntry[];
}

/** A delayed log for `node`; every entry is stamped `at` (the log's time). */
export function createDelayedLog(node: NodeId = 'n1', at = 0): DelayedLog {
  const items = new Subject<LogItem>();
  const waiting: Intent[] = [];
  const released: LogEntry[] = [];
  let seq = 0;
  const emit = (intents: Intent[]): void => {
    const entry: LogEntry = { node, seq: ++seq, at, intents };
    released.push(entry);
    items.next({ kind: 'entry', entry });
  };
  return {
    node,
    append: (intent) => void waiting.push(intent),
    items$: items.asObservable(),
    pending: () => waiting.length,
    release(count, batch = false) {
      const take = waiting.splice(0, Math.min(count, waiting.length));
      if (take.length === 0) return;
      if (batch) emit(take);
      else for (const intent of take) emit([intent]);
    },
    released,
  };
}
