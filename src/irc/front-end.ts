// The IRC front end: one actor per connection on the hub, as line/front-end.ts does for the line
// protocol. No sockets here: a driver (drivers/tcp-server.ts, with a 510-byte line limit) hands
// over each connection's frames and carries out the outputs (completion = close after flushing).
//
//   open, frames ─pace─…, hangup ┐
//   registration timer (once)    │
//   ping ticks (every interval)  ├─ownInputs (queue)─┐
//   too slow (from the driver)   ┘                  ├─▶ scan(step) ─▶ carryOut ─▶ output$
//   hub events about this connection, settled ──────┘                    ▲
//   every other line the hub renders for this connection ────────────────┘ (port.deliver)
//
// The hub renders each event once for every IRC connection (one renderer per front end, so the
// hub's memo shares it). Lines about others (a room's PRIVMSG, JOIN, QUIT…) go straight to the
// output in the order decided; events about this connection (its welcome, its replies, its own
// lines for echo-message) and `settled` go to the reducer, which keeps replies in command order.
import { EMPTY, Observable, Subject, asyncScheduler, merge, type SchedulerLike } from 'rxjs';
import type { ChatEvent, HubNotice } from '../core/events.ts';
import type { ConnId } from '../core/intents.ts';
import type { Frame } from '../framing.ts';
import type { Hub, Port } from '../hub/hub.ts';
import type { Connection, FrontEnd, Output } from '../line/front-end.ts';
import { ownInputs, reading, runActor } from '../operators/actor-shell.ts';
import { pace } from '../operators/pace.ts';
import type { IrcLine } from './irc-line.ts';
import type { Lusers, ServerInfo } from './numerics.ts';
import { ircRenderer, type IrcRendering } from './render.ts';
import { initialSession, step, type Session, type SessionConfig, type SessionInput } from './session.ts';

export interface IrcConfig {
  /** The source of every server reply (`--irc-server-name`). */
  readonly serverName: string;
  /** How long a connection may take to register, in ms (the line protocol's name timeout). */
  readonly registrationTimeoutMs: number;
  /** How often silent clients are checked: pinged at one check, dropped at the next; 0: no pings. */
  readonly pingIntervalMs: number;
  /** Input lines per second, sustained; 0 turns flood control off. */
  readonly rate: number;
  readonly burst: number;
}

/** The default ping interval: every 90 s a client silent since the last check is pinged, and one
 * still silent at the next check is dropped (PING after 90-180 s of silence, the drop 90 s later). */
export const IRC_PING_INTERVAL_MS = 90_000;


/** The hub events the reducer must see: those about this connection (the rest are only written). */
export function concernsSession(event: ChatEvent | HubNotice, conn: ConnId): boolean {
  switch (event.kind) {
    case 'welcome':
    case 'name-taken':
    case 'renamed':
    case 'entered':
    case 'parted':
    case 'reply':
    case 'said':
    case 'undelivered':
      return event.conn === conn;
    case 'whispered':
      return event.from === conn;
    case 'node-closed':
    case 'resynced':
      return true;
    default:
      return false;
  }
}

/** The chat's figures for LUSERS, from the hub's state. */
export function hubLusers(hub: Hub): Lusers {
  const { state } = hub;
  let local = 0;
  for (const user of state.users.values()) if (user.node === hub.node) local++;
  let servers = 0;
  for (const record of state.nodes.values()) if (!record.gone) servers++;
  return { users: state.users.size, servers: Math.max(1, servers), unknown: Math.max(0, hub.connections() - local), channels: state.rooms.size, local };
}

/** IRC on `hub`; `scheduler` is where time comes from (virtual in marble tests). */
export function ircFrontEnd(hub: Hub, config: IrcConfig, scheduler: SchedulerLike = asyncScheduler): FrontEnd {
  const server: ServerInfo = {
    name: config.serverName,
    created: new Date(scheduler.now()).toUTCString(),
    maxRoomsPerUser: hub.state.config.maxRoomsPerUser,
  };
  const sessionConfig: SessionConfig = { server, lusers: () => hubLusers(hub), pingIntervalMs: config.pingIntervalMs };
  // One renderer for every connection of this front end: the hub renders an event once for all.
  const render = ircRenderer(config.serverName);

  function connect({ id, frame$, tooSlow$ = EMPTY }: Connection): Observable<Output> {
    return new Observable<Output>((subscriber) => {
      // Reading stops while flood control holds lines back or the session has too much waiting.
      const flow = reading((control) => subscriber.next(control));
      const input$ = config.rate > 0 ? frame$.pipe(pace(config, scheduler, flow.paced)) : frame$;
      const local$ = ownInputs(input$, tooSlow$, { timeoutMs: config.registrationTimeoutMs, tickMs: config.pingIntervalMs }, scheduler);

      const inbox = new Subject<SessionInput>();
      const port: Port<IrcRendering> = {
        render,
        deliver(event, lines) {
          if (concernsSession(event, id)) inbox.next({ kind: 'event', event, lines });
          else for (const line of lines) subscriber.next({ kind: 'send', line, soon: false });
        },
        settled(intent) {
          inbox.next({ kind: 'settled', intent });
        },
      };
      const detach = hub.attach(id, port as Port);
      return runActor<Session, SessionInput, IrcLine>(hub, id, merge(inbox, local$), (session, input) => step(session, input, sessionConfig), initialSession(id), flow.holding, detach)
        .subscribe(subscriber);
    });
  }
  return { connect };
}
