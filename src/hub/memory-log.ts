// The log of a single node, in memory: each append is an entry at once, stamped by the scheduler.
//
// Appends are delivered on the queueScheduler trampoline: an append made while an entry is being
// decided (an actor reacting to an event) is decided after that entry's deliveries are all made,
// never in the middle of them. That is what keeps one order for everyone.
import { Subject, asyncScheduler, queueScheduler, type SchedulerLike } from 'rxjs';
import type { Intent, NodeId } from '../core/intents.ts';
import type { ChatLog, LogItem } from './log.ts';

/** A log that lives in this process. `scheduler.now()` stamps each entry (virtual in tests). */
export function createMemoryLog(node: NodeId = 'n1', scheduler: SchedulerLike = asyncScheduler): ChatLog {
  const items = new Subject<LogItem>();
  let seq = 0;
  const append = (intent: Intent): void => {
    const item: LogItem = { kind: 'entry', entry: { node, seq: ++seq, at: scheduler.now(), intents: [intent] } };
    queueScheduler.schedule(() => items.next(item));
  };
  return { node, append, items$: items.asObservable() };
}
