// The bus: one Subject that merges what every actor publishes, decided by the room, fanned out.
//
//   session ─publish(intent)─▶ published ─observeOn(queue)─▶ applyIntent(roster) ─▶ events$ ─┬▶ broadcast$ ─▶ every member's output
//                                                                                          └▶ inbox(id)  ─▶ that session's reducer
//
// Two properties make the "one global order" of PROTOCOL.md hold:
// 1. One reducer (the room) sees every intent, one at a time, and emits at most one event each;
//    each event is routed completely (to every recipient) before the next one is decided.
// 2. `observeOn(queueScheduler)` turns re-entrant publishing into queueing. An actor that
//    publishes while an event is being fanned out (a session leaving because a write failed,
//    say) does not interrupt that fan-out: its intent runs once everyone has the current event.
//    Without it a Subject delivers nested events depth-first and two clients could see two
//    notices in opposite orders.
//
// Routing keeps the fan-out cheap: a line every member gets (chat, joins, leaves, renames) goes
// out on `broadcast$` as one shared `send` effect, which a chatting session hands straight to its
// output (server.ts): no reducer step, no allocation, per recipient. Only events that concern one
// connection (its welcome, a reply, a whisper, a refused name, shutdown) go to its inbox and
// through its reducer.
//
// The bus never errors and never completes: a Subject that has errored ignores every later
// `next`, which would silently end the chat for everyone.
import { Observable, Subject, filter, map, observeOn, queueScheduler, share } from 'rxjs';
import type { Broadcast, ConnId, Intent, RoomEvent } from './protocol/events.ts';
import { Roster, applyIntent } from './protocol/room.ts';

export interface Bus {
  /** Publishes an intent. Safe to call from anywhere, including while an event is being delivered. */
  publish(intent: Intent): void;
  /** Every room event, in the one global order (for tests and metrics; sessions use the two below). */
  readonly events$: Observable<RoomEvent>;
  /** Lines for every member, in the global order. A session listens from its welcome on. */
  readonly broadcast$: Observable<Broadcast>;
  /** Events that concern connection `id` only, in the global order. */
  inbox(id: ConnId): Observable<RoomEvent>;
  /** The roster this bus's room decides against (read-only use: metrics, tests). */
  readonly roster: Roster;
}

export function createBus(): Bus {
  const published = new Subject<Intent>();
  const roster = new Roster();
  const broadcast = new Subject<Broadcast>();
  const inboxes = new Map<ConnId, Subject<RoomEvent>>();

  const events$ = published.pipe(
    observeOn(queueScheduler),
    map((intent) => applyIntent(roster, intent)),
    filter((event): event is RoomEvent => event !== null),
    // One room for everyone, kept running even when nobody is listening (the roster lives on).
    share({ resetOnRefCountZero: false }),
  );

  const deliver = (id: ConnId, event: RoomEvent): void => inboxes.get(id)?.next(event);

  // The router: the first subscriber of events$, so it is running before any session exists.
  events$.subscribe((event) => {
    switch (event.kind) {
      case 'joined':
        // The others hear of the join before the joiner listens, so nobody hears their own join.
        broadcast.next(event.broadcast);
        deliver(event.id, event);
        break;
      case 'renamed':
        broadcast.next(event.broadcast);
        deliver(event.id, event);
        break;
      case 'said':
      case 'left': // the one who left has stopped listening already
        broadcast.next(event.broadcast);
        break;
      case 'whispered':
        deliver(event.from, event);
        if (event.to !== event.from) deliver(event.to, event);
        break;
      case 'name-taken':
      case 'reply':
        deliver(event.id, event);
        break;
      case 'shutdown':
        // A snapshot: sessions close (and leave the map) while they are told.
        for (const inbox of Array.from(inboxes.values())) inbox.next(event);
        break;
    }
  });

  const inbox = (id: ConnId): Observable<RoomEvent> =>
    new Observable<RoomEvent>((subscriber) => {
      const subject = new Subject<RoomEvent>();
      inboxes.set(id, subject);
      const subscription = subject.subscribe(subscriber);
      return () => {
        subscription.unsubscribe();
        if (inboxes.get(id) === subject) inboxes.delete(id);
      };
    });

  return { publish: (intent) => published.next(intent), events$, broadcast$: broadcast.asObservable(), inbox, roster };
}
