// What every front end's actor needs around its pure reducer, in one place (the line protocol's
// and IRC's): its own inputs as one Observable, and the thin shell that carries out its effects.
//
//   open, frames, hangup ┐
//   timeout (once)       ├─ownInputs (queue)─▶ merge(hub events) ─▶ scan(step) ─▶ carryOut(hub) ─▶ output$
//   tick (every …)       │
//   too slow (once)      ┘
import { Observable, finalize, queueScheduler, scan, type OperatorFunction, type SchedulerAction, type SchedulerLike } from 'rxjs';
import type { ConnId, Intent } from '../core/intents.ts';
import type { Frame } from '../framing.ts';
import type { Hub } from '../hub/hub.ts';

/** The inputs a connection brings by itself, besides its frames. */
export type OwnInput = { readonly kind: 'open' } | { readonly kind: 'hangup' } | { readonly kind: 'timeout' } | { readonly kind: 'tick' } | { readonly kind: 'too-slow' };

const OPEN: OwnInput = Object.freeze({ kind: 'open' });
const HANGUP: OwnInput = Object.freeze({ kind: 'hangup' });
const TIMEOUT: OwnInput = Object.freeze({ kind: 'timeout' });
const TICK: OwnInput = Object.freeze({ kind: 'tick' });
const TOO_SLOW: OwnInput = Object.freeze({ kind: 'too-slow' });

export interface OwnInputsOptions {
  /** After this many ms, one `timeout` (the name prompt's or registration's time is up). */
  readonly timeoutMs: number;
  /** Every this many ms, a `tick` (IRC's idle pings); none when absent, 0 or infinite. */
  readonly tickMs?: number;
  /**
   * Hands the front end a function that cancels the pending `timeout`, to call once it is moot
   * (the connection has its name): a registered connection then holds no timer (~0.4 KiB each).
   */
  readonly cancelTimeout?: (cancel: () => void) => void;
}

/**
 * A connection's own inputs: `open`, then its frames, then `hangup` when they end; a `timeout`
 * once; a `tick` every `tickMs`; `too-slow` once if the driver says so.
 *
 * Each goes through the queueScheduler trampoline the memory log decides on, so a step's effects
 * are all carried out before anything it published is decided. This is what
 * `merge(concat(of(open), frame$, of(hangup)), timer(…), tooSlow$).pipe(observeOn(queueScheduler))`
 * would do, written by hand: that chain holds ~7 KiB of subscriber objects per connection
 * (measured), which thousands of idle connections pay for nothing.
 */
export function ownInputs(
  frame$: Observable<Frame>,
  tooSlow$: Observable<unknown>,
  options: OwnInputsOptions,
  scheduler: SchedulerLike,
): Observable<OwnInput | Frame> {
  return new Observable<OwnInput | Frame>((subscriber) => {
    // A closed subscriber ignores a delivery still queued when it was unsubscribed.
    const deliver = (input: OwnInput | Frame): void => void queueScheduler.schedule(() => subscriber.next(input));
    deliver(OPEN);
    const timeout = scheduler.schedule(() => deliver(TIMEOUT), options.timeoutMs);
    subscriber.add(timeout);
    // Bound rather than a closure, so the other closures here do not keep a cancelled timer alive.
    options.cancelTimeout?.(timeout.unsubscribe.bind(timeout));
    const every = options.tickMs ?? 0;
    if (every > 0 && Number.isFinite(every)) {
      subscriber.add(
        scheduler.schedule(function (this: SchedulerAction<unknown>) {
          deliver(TICK);
          this.schedule(undefined, every);
        }, every),
      );
    }
    // A failing input fails this connection (the driver logs it and cuts the socket), nobody else.
    const fail = (err: unknown): void => void queueScheduler.schedule(() => subscriber.error(err));
    subscriber.add(frame$.subscribe({ next: deliver, error: fail, complete: () => deliver(HANGUP) }));
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

/** Ask the driver to stop or restart reading a socket (flood control pushes back through TCP). */
export type FlowControl = { readonly kind: 'pause' } | { readonly kind: 'resume' };

const PAUSE: FlowControl = Object.freeze({ kind: 'pause' });
const RESUME: FlowControl = Object.freeze({ kind: 'resume' });

/** The two reasons to stop reading a connection, combined into one pause or resume per change. */
export interface Reading {
  /** Flood control holds `held` lines back (pace's `onHeld`). */
  paced(held: number): void;
  /** The actor holds input it cannot handle yet (its `hold` and `release` effects). */
  holding(hold: boolean): void;
}

/** Reading stops while flood control holds lines back or the actor holds input; `emit` hears each change once. */
export function reading(emit: (control: FlowControl) => void): Reading {
  let paced = false;
  let holding = false;
  let paused = false;
  const update = (): void => {
    const pause = paced || holding;
    if (pause === paused) return;
    paused = pause;
    emit(pause ? PAUSE : RESUME);
  };
  return {
    paced(held) {
      paced = held > 0;
      update();
    },
    holding(hold) {
      holding = hold;
      update();
    },
  };
}

/** The effects every actor speaks; a front end's own effects may carry a richer `line`. */
export type ShellEffect<L> =
  | { readonly kind: 'send'; readonly line: L }
  | { readonly kind: 'publish'; readonly intent: Intent }
  | { readonly kind: 'close' }
  | { readonly kind: 'abort' }
  | { readonly kind: 'hold' }
  | { readonly kind: 'release' }
  | { readonly kind: 'log'; readonly message: string };

/** What the shell hands the driver. */
export type ShellOutput<L> =
  | { readonly kind: 'send'; readonly line: L; readonly soon: boolean }
  | { readonly kind: 'log'; readonly message: string }
  | { readonly kind: 'abort' };

/**
 * The shell: carries out each transition's effects in order — `send` (a line for this client
 * alone: written at the end of the turn) and `log` to the driver, `publish` to the hub, `hold` and
 * `release` to `hold` (reading stops while input waits) — and ends the output on `close` (after
 * flushing) or `abort` (at once).
 */
export function carryOut<L>(hub: Hub, hold: (holding: boolean) => void): OperatorFunction<{ readonly effects: readonly ShellEffect<L>[] }, ShellOutput<L>> {
  return (transition$) =>
    new Observable<ShellOutput<L>>((subscriber) =>
      transition$.subscribe({
        next({ effects }) {
          for (const effect of effects) {
            if (subscriber.closed) return;
            switch (effect.kind) {
              case 'send':
                subscriber.next({ kind: 'send', line: effect.line, soon: true });
                break;
              case 'log':
                subscriber.next(effect);
                break;
              case 'publish':
                hub.publish(effect.intent);
                break;
              case 'hold':
              case 'release':
                hold(effect.kind === 'hold');
                break;
              case 'abort':
                subscriber.next(effect);
                subscriber.complete();
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

/** One step of an actor: its next state, and what to do, in order. */
export interface Step<S, L> {
  readonly session: S;
  readonly effects: readonly ShellEffect<L>[];
}

/**
 * Runs a connection's actor: `scan(step)` over its input from `start`, the shell carrying out the
 * effects. However it ends (closed, unsubscribed, or a bug threw), its port is detached and the
 * chat hears that it left: after a normal leave that is a no-op, since the chat ignores a second
 * leave (and a leave from a connection that never had a name).
 */
export function runActor<S, I, L>(
  hub: Hub,
  conn: ConnId,
  input$: Observable<I>,
  step: (session: S, input: I) => Step<S, L>,
  start: S,
  hold: (holding: boolean) => void,
  detach: () => void,
): Observable<ShellOutput<L>> {
  const first: Step<S, L> = { session: start, effects: [] };
  return input$.pipe(
    scan((previous: Step<S, L>, input: I) => step(previous.session, input), first),
    carryOut<L>(hub, hold),
    finalize(() => {
      detach();
      hub.publish({ kind: 'leave', conn, reason: 'dropped' });
    }),
  );
}
