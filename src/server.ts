// The chat server's pure main: connections in, per-connection output out. No sockets here.
//
// For each connection the listener hands us (an id and an Observable of its frames), `connect`
// returns an Observable of what to write to it; completion means "close it, after flushing".
//
//   inbox$ = merge( open, client frames…, hangup  ──observeOn(queue)─┐
//                   room events from the bus ─────────────────────────┴─▶ scan(step) ─▶ carryOut ─▶ output$
//
// `scan(step)` is the actor: a pure reducer over everything that reaches this connection.
// `carryOut` is its thin shell: it publishes intents to the bus, turns `close` into completion
// and passes `send`/`log` effects on to the listener as they are (no per-line allocation).
import { Observable, concat, finalize, merge, observeOn, of, queueScheduler, scan, type OperatorFunction } from 'rxjs';
import { createBus, type Bus } from './bus.ts';
import type { Frame } from './framing.ts';
import type { ConnId } from './protocol/events.ts';
import { initialSession, step, type Effect, type SessionConfig, type SessionInput, type Transition } from './protocol/session.ts';

/** What the listener knows about a connection. */
export interface Connection {
  readonly id: ConnId;
  /** The client's lines; completes when the client's side ends (EOF, reset, error). Never errors. */
  readonly frame$: Observable<Frame>;
}

/** What the listener is asked to do for a connection: write a line, or log about it. */
export type Output = Extract<Effect, { kind: 'send' } | { kind: 'log' }>;

export type ServerConfig = SessionConfig;

export interface ChatServer {
  /** Runs one connection's actor. Subscribe once; completion means close the connection. */
  connect(connection: Connection): Observable<Output>;
  readonly bus: Bus;
}

const OPEN: SessionInput = Object.freeze({ kind: 'open' });
const HANGUP: SessionInput = Object.freeze({ kind: 'hangup' });

export function createChatServer(config: ServerConfig, bus: Bus = createBus()): ChatServer {
  function connect({ id, frame$ }: Connection): Observable<Output> {
    // Inputs from outside the bus go through the same trampoline as the bus, so a session's
    // effects are all carried out before anything it published is decided (see bus.ts).
    const local$ = concat(of(OPEN), frame$, of(HANGUP)).pipe(observeOn(queueScheduler));
    const inbox$: Observable<SessionInput> = merge(local$, bus.events$);
    const start: Transition = { session: initialSession(id), effects: [] };
    return inbox$.pipe(
      scan((previous: Transition, input: SessionInput) => step(previous.session, input, config), start),
      carryOut(bus),
      // However the actor ends (closed, unsubscribed, or a bug threw), the room hears that it
      // left. After a normal leave this is a no-op: the room ignores a second leave.
      finalize(() => bus.publish({ kind: 'leave', id, reason: 'dropped' })),
    );
  }
  return { connect, bus };
}

/** The shell: carries out each transition's effects in order. `close` completes the output. */
function carryOut(bus: Bus): OperatorFunction<Transition, Output> {
  return (transition$) =>
    new Observable<Output>((subscriber) =>
      transition$.subscribe({
        next({ effects }) {
          for (const effect of effects) {
            if (subscriber.closed) return;
            switch (effect.kind) {
              case 'send':
              case 'log':
                subscriber.next(effect);
                break;
              case 'publish':
                bus.publish(effect.intent);
                break;
              case 'close':
                subscriber.complete();
                break;
            }
          }
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      }),
    );
}
