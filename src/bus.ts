// The bus: one Subject that merges what every actor publishes, decided by the room, fanned out.
//
//   session ─publish(intent)─▶ published ─observeOn(queue)─▶ applyIntent(roster) ─▶ events$ ─┬▶ batch ─(output scheduler, sync)─▶ every member's output
//                                                                                          └▶ inbox(id) ─▶ that session's reducer
//
// Two properties make the "one global order" of PROTOCOL.md hold:
// 1. One reducer (the room) sees every intent, one at a time, and emits at most one event each;
//    each event is routed before the next one is decided: to its connection's inbox at once, or
//    into the batch being gathered, which keeps the order (see below for how batches stay in it).
// 2. `observeOn(queueScheduler)` turns re-entrant publishing into queueing. An actor that
//    publishes while an event is being fanned out (a session leaving because a write failed,
//    say) does not interrupt that fan-out: its intent runs once everyone has the current event.
//    Without it a Subject delivers nested events depth-first and two clients could see two
//    notices in opposite orders.
//
// Routing keeps the fan-out cheap. A line every member gets (chat, joins, leaves, renames) is
// added to the batch being gathered (a WireBatch); the batch goes out to every member as one
// shared object (a member who joined while it gathered gets its own copy of the lines after its
// join) when the output scheduler runs (at the socket edge: at the start of the next flush, see
// drivers/outbox.ts) or earlier if `sync` asks. A member's output is subscribed to the batches
// directly (server.ts): no reducer step, no allocation, one call per batch, however many lines.
// Only events that concern one connection (its welcome, a reply, a whisper, a refused name,
// shutdown) go to its inbox and through its reducer.
//
// Batching must not reorder what one connection sees. So a member's own line (a reply, a whisper,
// `Goodbye`) is written only after `sync()` has delivered the batch gathered so far, which holds
// only lines decided before it; and a member who joins while a batch is gathering gets, from that
// batch, only the lines after its join.
//
// The bus never errors and never completes: a Subject that has errored ignores every later
// `next`, which would silently end the chat for everyone.
import { Observable, Subject, filter, map, observeOn, queueScheduler, share, type SchedulerLike, type Subscriber } from 'rxjs';
import type { Broadcast, ConnId, Intent, RoomEvent } from './protocol/events.ts';
import { Roster, applyIntent } from './protocol/room.ts';
import { WireBatch } from './protocol/wire-batch.ts';
import type { WireLine } from './protocol/wire-line.ts';

export interface Bus {
  /** Publishes an intent. Safe to call from anywhere, including while an event is being delivered. */
  publish(intent: Intent): void;
  /** Every room event, in the one global order (for tests and metrics; sessions use the two below). */
  readonly events$: Observable<RoomEvent>;
  /**
   * Lines for every member, in the global order, in batches, from the moment of subscription
   * (a session listens from its welcome on). Never completes.
   */
  listen(): Observable<Broadcast>;
  /** Delivers the lines gathered so far to every member now, so a line for one member can't overtake them. */
  sync(): void;
  /** Events that concern connection `id` only, in the global order. */
  inbox(id: ConnId): Observable<RoomEvent>;
  /** The roster this bus's room decides against (read-only use: metrics, tests). */
  readonly roster: Roster;
}

/**
 * A bus and its room. `outputScheduler` decides when gathered broadcast lines go out; the
 * default, `queueScheduler`, sends them as soon as the bus has nothing left to decide.
 */
export function createBus(outputScheduler: SchedulerLike = queueScheduler): Bus {
  const published = new Subject<Intent>();
  const roster = new Roster();
  const members = new Subject<Broadcast>();
  const inboxes = new Map<ConnId, Subject<RoomEvent>>();

  // The batch being gathered, and who started listening while it was (with how many of its lines
  // were said before they joined). Both are handed over and reset by `sync`.
  let gathering: WireBatch | null = null;
  let joiners: { readonly subscriber: Subscriber<Broadcast>; readonly skip: number }[] = [];

  const sync = (): void => {
    const batch = gathering;
    if (batch === null) return;
    gathering = null;
    const joined = joiners;
    joiners = [];
    members.next(Object.freeze({ kind: 'broadcast', batch }));
    for (const { subscriber, skip } of joined) {
      if (subscriber.closed) continue;
      if (skip < batch.lines.length) subscriber.next(Object.freeze({ kind: 'broadcast', batch: batch.from(skip) }));
      members.subscribe(subscriber);
    }
  };
  // Run from the output scheduler as a queue action, so an intent published while a batch is being
  // handed out (a member found too slow, say) is decided after everyone has the batch.
  const syncLater = (): void => void queueScheduler.schedule(sync);

  const broadcast = (line: WireLine): void => {
    if (gathering === null) {
      gathering = new WireBatch();
      outputScheduler.schedule(syncLater);
    }
    gathering.push(line);
  };

  const listen = (): Observable<Broadcast> =>
    new Observable<Broadcast>((subscriber) => {
      // Passing the subscriber itself on (no wrapper) keeps a member to one object on the Subject.
      if (gathering === null) members.subscribe(subscriber);
      else joiners.push({ subscriber, skip: gathering.lines.length });
    });

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
        broadcast(event.notice);
        deliver(event.id, event);
        break;
      case 'renamed':
        broadcast(event.notice);
        deliver(event.id, event);
        break;
      case 'said':
        broadcast(event.line);
        break;
      case 'left': // the one who left has stopped listening already
        broadcast(event.notice);
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

  return { publish: (intent) => published.next(intent), events$, listen, sync, inbox, roster };
}
