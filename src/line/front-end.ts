// The line protocol's front end: runs one actor per connection on the hub. No sockets here.
//
// For each connection a driver hands us (an id from the hub, an Observable of its frames and one
// that fires if the client is too slow to read), `connect` returns an Observable of what to do
// with it: write a line, log, pause or resume reading, abort. Completion means "close, after flushing".
//
//   open, frames ─pace─…, hangup ┐
//   name timer (once)            ├─ownInputs (queue)─┐
//   too slow (from the driver)   ┘                  ├─▶ scan(step) ─▶ carryOut ─▶ output$
//   the hub's events that change the session ───────┘                    ▲
//   every line the hub renders for this connection ──────────────────────┘ (LinePort.deliver;
//                                                  to the driver's sink, when it gives one)
//
// `scan(step)` is the actor: a pure reducer over everything that changes this session. `carryOut`
// is its thin shell: it publishes intents to the hub, turns `close` into completion and passes
// `send`/`log`/`abort` on to the driver. The chat's lines skip the reducer: the hub renders each
// event once for every line connection (render.ts) and the port hands the shared lines straight
// to the output, in the order decided, interleaved with the actor's own lines as they happen.
import { EMPTY, Observable, asyncScheduler, type SchedulerLike, type Subscriber } from 'rxjs';
import type { ChatEvent, HubNotice } from '../core/events.ts';
import type { ConnId } from '../core/intents.ts';
import type { Frame } from '../framing.ts';
import type { Hub, Port } from '../hub/hub.ts';
import { ownInputs, reading, runActor, type FlowControl } from '../operators/actor-shell.ts';
import { pace } from '../operators/pace.ts';
import { renderLine, type LineRendering } from './render.ts';
import { SETTLED, initialSession, step, type Effect, type HubInput, type Session, type SessionConfig, type SessionInput } from './session.ts';

/** What a driver knows about a connection. */
export interface Connection {
  /** From `hub.newConn()`: unique across front ends and nodes. */
  readonly id: ConnId;
  /** The client's lines; completes when the client's side ends (EOF, reset, error). Never errors. */
  readonly frame$: Observable<Frame>;
  /** Fires when the client's unsent output passes its budget (the driver measures it). */
  readonly tooSlow$?: Observable<unknown>;
  /**
   * Where the driver takes this connection's lines directly, if it can. The hub's lines (a
   * broadcast reaches thousands of connections) then go straight there, with no Output object and
   * no subscriber chain per line; the actor's own lines still come as `send` outputs. Both reach
   * the driver synchronously as they happen, so they keep one order. Without it, every line is a
   * `send` output (marble tests read them so).
   */
  readonly sink?: LineSink;
}

/** A driver's queue for one connection's lines (the TCP driver's outbox). */
export interface LineSink {
  /** Queues `line`; `soon` for a line that concerns this client alone (written at the end of the turn). */
  writeLine(line: Send['line'], soon: boolean): void;
}

/** Ask the driver to stop or restart reading a socket (flood control pushes back through TCP). */
export type { FlowControl };

/** A line to write; `soon` for lines that concern this client alone (written at the end of the turn). */
export interface Send {
  readonly kind: 'send';
  readonly line: { readonly text: string; encode(): Buffer };
  readonly soon: boolean;
}

/** What the driver is asked to do for a connection, in order. */
export type Output = Send | Extract<Effect, { kind: 'log' } | { kind: 'abort' }> | FlowControl;

export interface LineConfig extends SessionConfig {
  /** How long a client may stay at `Username?`, in ms. */
  readonly nameTimeoutMs: number;
  /** Input lines per second, sustained; 0 turns flood control off. */
  readonly rate: number;
  /** Input lines accepted at once after a quiet spell. */
  readonly burst: number;
}

/** A front end: how a driver's connection becomes a conversation on the hub. */
export interface FrontEnd {
  /** Runs one connection's actor. Subscribe once; completion means close the connection. */
  connect(connection: Connection): Observable<Output>;
}


/** The hub events the actor itself must see (the rest are only written). */
function concernsSession(event: ChatEvent | HubNotice, conn: ConnId): event is Exclude<HubInput, typeof SETTLED> {
  switch (event.kind) {
    case 'welcome':
    case 'name-taken':
    case 'renamed':
    case 'undelivered':
      return event.conn === conn;
    case 'node-closed':
      return true;
    default:
      return false;
  }
}

/** The line protocol on `hub`; `scheduler` is where time comes from (virtual in marble tests). */
export function lineFrontEnd(hub: Hub, config: LineConfig, scheduler: SchedulerLike = asyncScheduler): FrontEnd {
  function connect({ id, frame$, tooSlow$ = EMPTY, sink }: Connection): Observable<Output> {
    return new Observable<Output>((subscriber) => {
      // Reading stops while flood control holds lines back or the session holds input.
      const flow = reading((control) => subscriber.next(control));
      // The hub's events: every rendered line straight to the driver's sink (or out as a `send`),
      // the few that change the session also to the actor (see LinePort).
      const lines: LineSink = sink ?? { writeLine: (line, soon) => subscriber.next({ kind: 'send', line, soon }) };
      const port = new LinePort(id, lines, (err) => subscriber.error(err));
      const detach = hub.attach(id, port as Port);
      const input$ = config.rate > 0 ? frame$.pipe(pace(config, scheduler, flow.paced)) : frame$;
      // The name prompt's timeout is cancelled once the name is accepted (LinePort.named).
      const local$ = ownInputs(input$, tooSlow$, { timeoutMs: config.nameTimeoutMs, cancelTimeout: (cancel) => (port.named = cancel) }, scheduler);
      // Everything the actor reads: the hub's events, pushed by the port as they are delivered, and
      // the connection's own inputs. `merge(inbox, local$)` with an inbox Subject, written by hand:
      // the Subject and merge's three subscribers cost ~2 KiB per connection (measured), and
      // local$ (which never completes) needs no subscriber of its own.
      const actorInput$ = new Observable<SessionInput>((actor) => {
        port.actor = actor;
        local$.subscribe(actor);
        return () => {
          port.actor = null;
        };
      });
      return runActor<Session, SessionInput, Send['line']>(hub, id, actorInput$, (session, input) => step(session, input, config), initialSession(id), flow.holding, detach)
        .subscribe(subscriber);
    });
  }
  return { connect };
}

const NOTHING = (): void => {};

/**
 * A line connection as the hub sees it. The hub hands it every event for the connection, rendered
 * once for every line connection: its lines go straight to the sink, in the order decided; the few
 * events that change the session also go to the actor, after their lines (`Username?` follows
 * `*** Username Bob is taken`). A class, so that a broadcast to 5,000 connections runs one
 * `deliver` over 5,000 small objects rather than 5,000 closures.
 */
class LinePort implements Port<LineRendering> {
  readonly render = renderLine;
  /** The actor's input while it runs. */
  actor: Subscriber<SessionInput> | null = null;
  /** Cancels the name prompt's timeout, once: when the connection's name is accepted. */
  named: () => void = NOTHING;

  constructor(
    private readonly id: ConnId,
    private readonly sink: LineSink,
    /** A sink that throws fails this connection (the driver closes it), never the hub's delivery to the others. */
    private readonly fail: (err: unknown) => void,
  ) {}

  deliver(event: ChatEvent | HubNotice, rendering: LineRendering, inCurrentRoom: boolean): void {
    const lines = inCurrentRoom || rendering.prefixed === null ? rendering.plain : rendering.prefixed;
    const { soon } = rendering;
    try {
      for (let i = 0; i < lines.length; i++) this.sink.writeLine(lines[i]!, soon);
    } catch (err) {
      this.fail(err);
      return;
    }
    if (!concernsSession(event, this.id)) return;
    if (event.kind === 'welcome') {
      const cancel = this.named;
      this.named = NOTHING; // lets the timer go
      cancel();
    }
    this.actor?.next(event);
  }

  /** The session holds further input while its intents are outstanding (session.ts). */
  settled(): void {
    this.actor?.next(SETTLED);
  }
}
