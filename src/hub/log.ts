// The ordered log under the chat: the one interface between the hub and where entries live.
//
// Every node appends its own intents and reads every entry, in one order, the same on every node.
// The hub decides each entry as it is read (core/decide.ts), so nothing above this interface may
// assume that an append is decided at once: with the log in Redis it is decided when it comes back.
//
// Two implementations: memory-log.ts (one node; decides on the trampoline, synchronously as far as
// callers can tell) and drivers/redis-log.ts (a cluster: a Redis Stream shared by every node).
import type { Observable } from 'rxjs';
import type { Intent, LogEntry, NodeId } from '../core/intents.ts';
import type { Snapshot } from '../core/state.ts';

/** What a log tells the hub, in order. */
export type LogItem =
  /** The next entry of the log. Every node sees the same entries in the same order. */
  | { readonly kind: 'entry'; readonly entry: LogEntry }
  /**
   * Start over from this state: the log lost entries this node had read (Redis came back empty or
   * older), or this node starts from a snapshot. `lost` is true when users must be told.
   */
  | { readonly kind: 'restore'; readonly snapshot: Snapshot | null; readonly lost: boolean }
  /** This node's intents that will never reach the log (it was unreachable too long): tell their senders. */
  | { readonly kind: 'undelivered'; readonly intents: readonly Intent[] };

export interface ChatLog {
  /** This node: the `node` of every entry it appends. */
  readonly node: NodeId;
  /** Appends one of this node's intents; appends keep their order. Never throws. */
  append(intent: Intent): void;
  /** Everything the log tells, from its start (or a snapshot); subscribed once, by the hub. */
  readonly items$: Observable<LogItem>;
}
