// The hub: the one place between the log and the connections of this node.
//
//   front end ─publish(intent)─▶ log ─items$─▶ decide(state, entry) ─delivery─▶ route ─▶ port.deliver
//
// It reads the log in order, decides each entry with the pure decider (core/decide.ts) and routes
// every delivery to the local connections in its audience, at once and in that order: one room
// line to a room's members, a reply to its asker, a node's shutdown to all its connections. A
// connection's front end gives it a Port: how to render an event for its protocol, and where to put
// the rendered lines. The hub renders each event at most once per protocol (per Renderer) and hands
// the same rendering to every local recipient, so a line to 5,000 members is encoded once.
//
// Because every line a connection gets (from the chat, and from its own actor) is handed over in
// the order it happens, one per-connection queue downstream keeps the one order: a connection's own
// line can never overtake a broadcast decided before it.
import { Subject, type Observable, type Subscription } from 'rxjs';
import { decide } from '../core/decide.ts';
import type { ChatEvent, Delivery, HubNotice } from '../core/events.ts';
import type { ConnId, Intent, NodeId } from '../core/intents.ts';
import { ChatState, type ChatConfig } from '../core/state.ts';
import type { ChatLog, LogItem } from './log.ts';

/** Renders an event for one protocol; called at most once per event whatever the recipients. */
export type Renderer<R> = (event: ChatEvent | HubNotice) => R;

/** A local connection as the hub sees it. */
export interface Port<R = unknown> {
  readonly render: Renderer<R>;
  /**
   * An event for this connection, with its rendering. `inCurrentRoom` tells whether a room's
   * event is about the connection's current room (the line protocol prefixes the others).
   */
  deliver(event: ChatEvent | HubNotice, rendering: R, inCurrentRoom: boolean): void;
  /**
   * This connection's intent has been decided and its deliveries made (only for intents this node
   * appended). A front end that must answer commands in order (IRC: PONG after a WHO's reply)
   * holds its local answers until the intents before them are settled.
   */
  settled?(intent: Intent): void;
}

export interface Hub {
  readonly node: NodeId;
  /** A connection id unique across this node's front ends (and, with the node in it, the cluster). */
  newConn(): ConnId;
  /** Routes this connection's events to `port` from now on; returns the detach. */
  attach(conn: ConnId, port: Port): () => void;
  /** Appends an intent to the log; it is decided when the log gives it back. */
  publish(intent: Intent): void;
  /** This node shuts down: every local connection is told at once, and the cluster when the log has it. */
  shutdown(): void;
  /** The chat as decided so far (read only: metrics, tests, the bench). */
  readonly state: ChatState;
  /** Every delivery, as decided (tests and metrics). */
  readonly deliveries$: Observable<Delivery>;
  /** How many connections are attached. */
  connections(): number;
  /** Stops reading the log. */
  dispose(): void;
}

export function createHub(log: ChatLog, config?: ChatConfig): Hub {
  const { node } = log;
  let state = new ChatState(config);
  const ports = new Map<ConnId, Port>();
  const deliveries = new Subject<Delivery>();
  let counter = 0;
  let closed = false;

  // One rendering per renderer per event: most deliveries meet one or two front ends.
  let memoEvent: object | null = null;
  let memoRender: Renderer<unknown> | null = null;
  let memoValue: unknown;
  let memoMore: Map<Renderer<unknown>, unknown> | null = null;
  const rendering = (port: Port, event: ChatEvent | HubNotice): unknown => {
    if (memoEvent !== event) {
      memoEvent = event;
      memoRender = port.render;
      memoValue = port.render(event);
      memoMore = null;
      return memoValue;
    }
    if (memoRender === port.render) return memoValue;
    memoMore ??= new Map();
    let value = memoMore.get(port.render);
    if (value === undefined) {
      value = port.render(event);
      memoMore.set(port.render, value);
    }
    return value;
  };
  const give = (port: Port, event: ChatEvent | HubNotice, inCurrentRoom: boolean): void =>
    port.deliver(event, rendering(port, event), inCurrentRoom);

  const toNode = (event: ChatEvent | HubNotice): void => {
    // A snapshot: connections detach while they are told.
    for (const port of Array.from(ports.values())) give(port, event, true);
  };

  const route = (delivery: Delivery): void => {
    deliveries.next(delivery);
    const { to, event } = delivery;
    switch (to.kind) {
      case 'conn': {
        const port = ports.get(to.conn);
        if (port !== undefined) give(port, event, true);
        return;
      }
      case 'room': {
        const room = state.rooms.get(to.room);
        if (room === undefined) return;
        const except = to.except;
        for (const [conn, user] of room.members) {
          if (conn === except) continue;
          const port = ports.get(conn);
          if (port !== undefined) give(port, event, user.current === to.room);
        }
        return;
      }
      case 'conns':
        for (const conn of to.conns) {
          const port = ports.get(conn);
          if (port !== undefined) give(port, event, true);
        }
        return;
      case 'node':
        if (to.node !== node) return;
        if (closed && event.kind === 'node-closed' && event.why === 'shutdown') return; // told already
        closed = true;
        toNode(event);
        return;
    }
  };

  const settle = (intent: Intent): void => {
    if (!('conn' in intent)) return;
    ports.get(intent.conn)?.settled?.(intent);
  };

  const onItem = (item: LogItem): void => {
    switch (item.kind) {
      case 'entry':
        decide(state, item.entry, route, item.entry.node === node ? settle : undefined);
        return;
      case 'restore': {
        const before = state;
        state = item.snapshot === null ? new ChatState(config) : ChatState.restore(item.snapshot, config);
        if (item.lost) {
          toNode({ kind: 'resynced' });
          // The restored chat may have forgotten users of this node (their lines would be ignored
          // from now on: close them, they reconnect) and may remember ones that left (leave).
          for (const [conn, port] of Array.from(ports)) {
            if (before.users.has(conn) && !state.users.has(conn)) give(port, { kind: 'node-closed', node, why: 'gone' }, true);
          }
          for (const user of state.users.values()) {
            if (user.node === node && !ports.has(user.conn)) log.append({ kind: 'leave', conn: user.conn, reason: 'dropped' });
          }
        }
        return;
      }
      case 'undelivered':
        for (const intent of item.intents) {
          if (!('conn' in intent)) continue;
          const port = ports.get(intent.conn);
          if (port !== undefined) give(port, { kind: 'undelivered', conn: intent.conn, intent }, true);
        }
        return;
    }
  };
  const subscription: Subscription = log.items$.subscribe(onItem);

  return {
    node,
    newConn: () => `${node}/${++counter}`,
    attach(conn, port) {
      ports.set(conn, port);
      return () => {
        if (ports.get(conn) === port) ports.delete(conn);
      };
    },
    publish: (intent) => log.append(intent),
    shutdown() {
      if (closed) return;
      // The log first: anything this node's users do from now on (leaving) comes after it there and
      // is ignored. A memory log decides it at once; a remote one may be slow or unreachable, so
      // this node's connections are told now either way, once.
      log.append({ kind: 'shutdown' });
      if (closed) return;
      closed = true;
      toNode({ kind: 'node-closed', node, why: 'shutdown' });
    },
    get state() {
      return state;
    },
    deliveries$: deliveries.asObservable(),
    connections: () => ports.size,
    dispose: () => subscription.unsubscribe(),
  };
}
