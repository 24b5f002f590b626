// The chat server's pure main: connections in, per-connection output out. No sockets here.
//
// For each connection the listener hands us (an id, an Observable of its frames and one that
// fires if the client is too slow to read), `connect` returns an Observable of what to do with
// it: write a line, log, pause or resume reading, abort. Completion means "close, after flushing".
//
//   open, frames ─pace─…, hangup ┐
//   name timer (once)            ├─ownInputs (queue)─┐
//   too slow (from the listener) ┘                  ├─▶ scan(step) ─▶ carryOut ─▶ output$
//   this connection's inbox on the bus ─────────────┘                    ▲
//   the bus's broadcast batches, once `listen`ed to ─────────────────────┘
//
// `scan(step)` is the actor: a pure reducer over everything that concerns this connection.
// `carryOut` is its thin shell: it publishes intents to the bus, turns `close` into completion,
// subscribes the output to the room's broadcast batches on `listen`, and passes `send`/`log`/`abort`
// effects on to the listener as they are (a member's own lines after `bus.sync()`, so they never
// overtake a broadcast line decided before them). A batch of broadcast lines costs each recipient
// one hand-over of a shared object: no reducer step and no allocation per delivery.
import {
  EMPTY,
  Observable,
  asyncScheduler,
  finalize,
  merge,
  queueScheduler,
  scan,
  take,
  type OperatorFunction,
  type SchedulerLike,
} from 'rxjs';
import { createBus, type Bus } from './bus.ts';
import type { Frame } from './framing.ts';
import { pace } from './operators/pace.ts';
import type { Broadcast, ConnId } from './protocol/events.ts';
import { initialSession, step, type Effect, type SessionConfig, type SessionInput, type Transition } from './protocol/session.ts';

/** What the listener knows about a connection. */
export interface Connection {
  readonly id: ConnId;
  /** The client's lines; completes when the client's side ends (EOF, reset, error). Never errors. */
  readonly frame$: Observable<Frame>;
  /** Fires when the client's unsent output passes its budget (the listener measures it). */
  readonly tooSlow$?: Observable<unknown>;
}

/** Ask the listener to stop or restart reading a socket (flood control pushes back through TCP). */
export type FlowControl = { readonly kind: 'pause' } | { readonly kind: 'resume' };

/** What the listener is asked to do for a connection. */
export type Output = Extract<Effect, { kind: 'send' } | { kind: 'log' } | { kind: 'abort' }> | Broadcast | FlowControl;

export interface ServerConfig extends SessionConfig {
  /** How long a client may stay at `Username?`, in ms. */
  readonly nameTimeoutMs: number;
  /** Input lines per second, sustained; 0 turns flood control off. */
  readonly rate: number;
  /** Input lines accepted at once after a quiet spell. */
  readonly burst: number;
}

export interface ServerSources {
  /** Fires once to shut down: every client is told and closed. */
  readonly shutdown$?: Observable<unknown>;
  /** Where time comes from (timers, flood control); virtual in marble tests. */
  readonly scheduler?: SchedulerLike;
  /**
   * When gathered broadcast lines go out to the members (see bus.ts). bin/chat-server.ts passes the
   * listener's, which runs at the start of its next flush; the default sends them once the bus has
   * nothing left to decide.
   */
  readonly outputScheduler?: SchedulerLike;
}

export interface ChatServer {
  /** Runs one connection's actor. Subscribe once; completion means close the connection. */
  connect(connection: Connection): Observable<Output>;
  readonly bus: Bus;
}

const OPEN: SessionInput = Object.freeze({ kind: 'open' });
const HANGUP: SessionInput = Object.freeze({ kind: 'hangup' });
const TIMEOUT: SessionInput = Object.freeze({ kind: 'timeout' });
const TOO_SLOW: SessionInput = Object.freeze({ kind: 'too-slow' });
const PAUSE: FlowControl = Object.freeze({ kind: 'pause' });
const RESUME: FlowControl = Object.freeze({ kind: 'resume' });

export function createChatServer(config: ServerConfig, sources: ServerSources = {}): ChatServer {
  const bus = createBus(sources.outputScheduler);
  const scheduler = sources.scheduler ?? asyncScheduler;
  // Shutdown is an intent like any other: it takes its place in the global order, after every
  // line already said, and reaches every session in one fan-out.
  sources.shutdown$?.pipe(take(1)).subscribe(() => bus.publish({ kind: 'shutdown' }));

  function connect({ id, frame$, tooSlow$ = EMPTY }: Connection): Observable<Output> {
    return new Observable<Output>((subscriber) => {
      // Flood control: lines beyond the rate wait in `pace`, and reading stops while any wait.
      let paused = false;
      const onHeld = (held: number): void => {
        if (held > 0 === paused) return;
        paused = held > 0;
        subscriber.next(paused ? PAUSE : RESUME);
      };
      const paced$ = config.rate > 0 ? frame$.pipe(pace(config, scheduler, onHeld)) : frame$;
      const local$ = ownInputs(paced$, tooSlow$, config.nameTimeoutMs, scheduler);
      const start: Transition = { session: initialSession(id), effects: [] };
      // The inbox is subscribed first, so it exists before any input of this connection is handled
      // (an input source may emit as soon as it is subscribed, and its claim be decided at once).
      return merge(bus.inbox(id), local$)
        .pipe(
          scan((previous: Transition, input: SessionInput) => step(previous.session, input, config), start),
          carryOut(bus),
          // However the actor ends (closed, unsubscribed, or a bug threw), the room hears that it
          // left. After a normal leave this is a no-op: the room ignores a second leave.
          finalize(() => bus.publish({ kind: 'leave', id, reason: 'dropped' })),
        )
        .subscribe(subscriber);
    });
  }
  return { connect, bus };
}

/**
 * A connection's own inputs: `open`, then its frames, then `hangup` when they end; a
 * `timeout` when the name prompt's time is up; `too-slow` once if the listener says so.
 *
 * Each goes through the same queueScheduler trampoline as the bus, so a session's effects are
 * all carried out before anything it published is decided (see bus.ts). This is what
 * `merge(concat(of(open), frame$, of(hangup)), timer(…), tooSlow$).pipe(observeOn(queueScheduler))`
 * would do, written by hand: that chain holds ~7 KiB of subscriber objects per connection
 * (measured), which thousands of idle connections pay for nothing.
 */
function ownInputs(
  frame$: Observable<Frame>,
  tooSlow$: Observable<unknown>,
  nameTimeoutMs: number,
  scheduler: SchedulerLike,
): Observable<SessionInput> {
  return new Observable<SessionInput>((subscriber) => {
    // A closed subscriber ignores a delivery still queued when it was unsubscribed.
    const deliver = (input: SessionInput): void => void queueScheduler.schedule(() => subscriber.next(input));
    const hangup = (): void => deliver(HANGUP);
    deliver(OPEN);
    subscriber.add(scheduler.schedule(() => deliver(TIMEOUT), nameTimeoutMs));
    // A failing input fails this connection (the listener logs it and cuts the socket), nobody else.
    const fail = (err: unknown): void => void queueScheduler.schedule(() => subscriber.error(err));
    subscriber.add(frame$.subscribe({ next: deliver, error: fail, complete: hangup }));
    let slow = false;
    subscriber.add(
      tooSlow$.subscribe(() => {
        if (slow) return;
        slow = true;
        deliver(TOO_SLOW);
      }),
    );
  });
}

/** The shell: carries out each transition's effects in order. `close` and `abort` end the output. */
function carryOut(bus: Bus): OperatorFunction<Transition, Output> {
  return (transition$) =>
    new Observable<Output>((subscriber) => {
      let listening = false;
      return transition$.subscribe({
        next({ effects }) {
          for (const effect of effects) {
            if (subscriber.closed) return;
            switch (effect.kind) {
              case 'send':
                // Broadcast lines decided before this one go first (they may be gathering).
                if (listening) bus.sync();
                subscriber.next(effect);
                break;
              case 'log':
                subscriber.next(effect);
                break;
              case 'publish':
                bus.publish(effect.intent);
                break;
              case 'abort':
                subscriber.next(effect);
                subscriber.complete();
                break;
              case 'listen':
                // The output's own subscriber joins the members: a batch reaches the listener in
                // one call, with no wrapper per recipient. It leaves when the output ends.
                listening = true;
                bus.listen().subscribe(subscriber);
                break;
              case 'close':
                if (listening) bus.sync();
                subscriber.complete();
                break;
            }
          }
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}
