// The terminal client's pure main, Cycle.js style: driver sources in, a stream of effects out.
//
//   connected$, serverFrame$, serverClosed$,      ┐
//   userLine$, userEof$, interrupt$ ── as inputs ─┼─▶ scan(stepClient) ─┬─▶ effects ─▶ effect$
//   goodbye timer (while leaving) ────────────────┘                     ├─▶ roster ──▶ roster$
//        ▲                                                              ├─▶ rooms ───▶ rooms$
//        │                                                              ├─▶ prompt ──▶ prompt$
//        └──────────────── timer(goodbyeTimeoutMs, scheduler) ◀─────────┘
//
// No sockets, stdin, process or real timers here: time comes only from the injected scheduler,
// so marble tests drive the goodbye timeout. `effect$` completes right after the `exit` effect.
// `roster$`, `rooms$` and `prompt$` are views of the running client (Tab completion, the prompt,
// a page's member and room lists): each holds its latest value, emits each new one before the
// effects of the same step, and completes when `effect$` ends.
import {
  BehaviorSubject,
  EMPTY,
  Subject,
  concatMap,
  connect,
  defer,
  distinctUntilChanged,
  finalize,
  ignoreElements,
  map,
  merge,
  scan,
  switchMap,
  takeWhile,
  tap,
  timer,
  type Observable,
  type OperatorFunction,
  type SchedulerLike,
} from 'rxjs';
import type { Frame } from '../framing.ts';
import {
  PROMPT,
  initialClientState,
  promptOf,
  roomsOf,
  rosterOf,
  stepClient,
  type ClientConfig,
  type ClientEffect,
  type ClientInput,
  type ClientTransition,
} from './client.ts';
import { NO_ROOMS, type Rooms } from './rooms.ts';
import { EMPTY_ROSTER, type Roster } from './roster.ts';

export interface ClientSources {
  /** Emits once the TCP connection is open. */
  readonly connected$: Observable<unknown>;
  /** The server's lines, framed by `splitLines`. */
  readonly serverFrame$: Observable<Frame>;
  /** Emits once when the connection is gone: a reason such as "connection refused", or null. */
  readonly serverClosed$: Observable<string | null>;
  /** Each line the user enters, as typed. */
  readonly userLine$: Observable<string>;
  /** Ctrl-D, or the end of piped stdin. */
  readonly userEof$: Observable<unknown>;
  /** Ctrl-C. */
  readonly interrupt$: Observable<unknown>;
  /** Where the goodbye timer runs (asyncScheduler in the CLI, the TestScheduler in tests). */
  readonly scheduler: SchedulerLike;
}

export interface ClientSinks {
  /** What to do, in order; completes after the `exit` effect. Subscribe once. */
  readonly effect$: Observable<ClientEffect>;
  /**
   * Who is online (and my name), for Tab completion: the current roster on subscription, then
   * each change while `effect$` runs; completes when `effect$` ends.
   */
  readonly roster$: Observable<Roster>;
  /** My current room, my rooms, the current room's members and the last list of rooms; as roster$. */
  readonly rooms$: Observable<Rooms>;
  /** The input prompt: `> `, or the current room before it when that is not #lobby (`#rust> `); as roster$. */
  readonly prompt$: Observable<string>;
}

const CONNECTED: ClientInput = Object.freeze({ kind: 'connected' });
const SERVER_TOO_LONG: ClientInput = Object.freeze({ kind: 'server-too-long' });
const USER_EOF: ClientInput = Object.freeze({ kind: 'user-eof' });
const INTERRUPT: ClientInput = Object.freeze({ kind: 'interrupt' });
const GOODBYE_TIMEOUT: ClientInput = Object.freeze({ kind: 'goodbye-timeout' });

export function chatClient(sources: ClientSources, config: ClientConfig): ClientSinks {
  const roster$ = new BehaviorSubject<Roster>(EMPTY_ROSTER);
  const rooms$ = new BehaviorSubject<Rooms>(NO_ROOMS);
  const prompt$ = new BehaviorSubject<string>(PROMPT);
  const views = [roster$, rooms$, prompt$];
  const effect$ = defer(() => {
    // The one feedback edge: the timer, armed by the state, reports back into the same inbox.
    const feedback$ = new Subject<ClientInput>();
    const inbox$: Observable<ClientInput> = merge(
      sources.connected$.pipe(map(() => CONNECTED)),
      sources.serverFrame$.pipe(map(frameInput)),
      sources.serverClosed$.pipe(map((reason): ClientInput => ({ kind: 'server-closed', reason }))),
      sources.userLine$.pipe(map((text): ClientInput => ({ kind: 'user-line', text }))),
      sources.userEof$.pipe(map(() => USER_EOF)),
      sources.interrupt$.pipe(map(() => INTERRUPT)),
      feedback$,
    );
    const start: ClientTransition = { state: initialClientState, effects: [] };
    return inbox$.pipe(
      scan((previous: ClientTransition, input: ClientInput) => stepClient(previous.state, input, config), start),
      // `connect` subscribes every branch before the inbox starts, so none misses a transition,
      // in this order: the timer, then the views, then the effects of the same step.
      connect((transition$) =>
        merge(
          transition$.pipe(
            goodbyeTimer(config.goodbyeTimeoutMs, sources.scheduler),
            tap((input) => feedback$.next(input)),
            ignoreElements(),
          ),
          transition$.pipe(
            // The reducer keeps an unchanged roster or rooms as is: a view emits only on change.
            tap(({ state }) => {
              publish(roster$, rosterOf(state));
              publish(rooms$, roomsOf(state));
              publish(prompt$, promptOf(state));
            }),
            ignoreElements(),
          ),
          transition$.pipe(concatMap((transition) => transition.effects)),
        ),
      ),
      takeWhile((effect) => effect.kind !== 'exit', true),
      finalize(() => views.forEach((view) => view.complete())),
    );
  });
  return { effect$, roster$: roster$.asObservable(), rooms$: rooms$.asObservable(), prompt$: prompt$.asObservable() };
}

/** Gives a view its new value, unless it holds that very value already. */
function publish<T>(view: BehaviorSubject<T>, value: T): void {
  if (value !== view.value) view.next(value);
}

function frameInput(frame: Frame): ClientInput {
  return frame.kind === 'line' ? { kind: 'server-line', text: frame.text } : SERVER_TOO_LONG;
}

/** One `goodbye-timeout`, `ms` after the client starts leaving; cancelled once it leaves that phase. */
function goodbyeTimer(ms: number, scheduler: SchedulerLike): OperatorFunction<ClientTransition, ClientInput> {
  return (transition$) =>
    transition$.pipe(
      map((transition) => transition.state.phase === 'leaving'),
      distinctUntilChanged(),
      switchMap((isLeaving) => (isLeaving ? timer(ms, scheduler).pipe(map(() => GOODBYE_TIMEOUT)) : EMPTY)),
    );
}
