// The bus: one Subject that merges what every actor publishes, decided by the room, fanned out.
//
//   session ─publish(intent)─▶ published ─observeOn(queue)─▶ applyIntent(roster) ─▶ events$ ─▶ every session
//
// Two properties make the "one global order" of PROTOCOL.md hold:
// 1. One reducer (the room) sees every intent, one at a time, and emits at most one event each.
// 2. `observeOn(queueScheduler)` turns re-entrant publishing into queueing. An actor that
//    publishes while an event is being fanned out (a session leaving because a write failed,
//    say) does not interrupt that fan-out: its intent runs once every session has seen the
//    current event. Without it a Subject delivers nested events depth-first and two clients
//    could see two notices in opposite orders.
//
// The bus never errors and never completes: a Subject that has errored ignores every later
// `next`, which would silently end the chat for everyone.
import { Subject, filter, map, observeOn, queueScheduler, share, type Observable } from 'rxjs';
import type { Intent, RoomEvent } from './protocol/events.ts';
import { Roster, applyIntent } from './protocol/room.ts';

export interface Bus {
  /** Publishes an intent. Safe to call from anywhere, including while an event is being delivered. */
  publish(intent: Intent): void;
  /** Every room event, in the one global order, shared by all subscribers. */
  readonly events$: Observable<RoomEvent>;
  /** The roster this bus's room decides against (read-only use: metrics, tests). */
  readonly roster: Roster;
}

export function createBus(): Bus {
  const published = new Subject<Intent>();
  const roster = new Roster();
  const events$ = published.pipe(
    observeOn(queueScheduler),
    map((intent) => applyIntent(roster, intent)),
    filter((event): event is RoomEvent => event !== null),
    // One room for everyone, kept running even when nobody is listening (the roster lives on).
    share({ resetOnRefCountZero: false }),
  );
  // Subscribe the room once, now: intents published before any session listens are still decided.
  events$.subscribe();
  return { publish: (intent) => published.next(intent), events$, roster };
}
