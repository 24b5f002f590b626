// The log's vocabulary: what actors append (intents), grouped in entries that carry who and when.
//
// Every front end and every node speaks to the chat only by appending intents to the one log;
// the decider (decide.ts) reads the log in order and decides each entry. An entry carries the
// node that appended it, that node's sequence number (a retried append is recognised by it) and
// the log's time (`at`, ms since the epoch): time comes from the log, never from a clock, so a
// replay decides exactly as the first run did.
//
// Intents name connections by `ConnId`, unique across front ends and nodes (`<node>/<n>`).
// Names and room names arrive already validated (names.ts, rooms.ts); the decider checks only
// what needs the shared state: uniqueness, membership, limits.

/** One run of one server process (a node of the cluster, or the only node). */
export type NodeId = string;

/** A connection, for its whole life, unique across front ends and nodes: `<node>/<n>`. */
export type ConnId = string;

/** Why a user left the chat; only "too slow" is spelled out in the line protocol. */
export type LeaveReason = 'quit' | 'dropped' | 'too-slow';

/** How a line is said: a chat line, a `/me` action, or an IRC NOTICE (a chat line to line users). */
export type Style = 'chat' | 'action' | 'notice';

export type Intent =
  /** Ask for a name; accepted, the connection is a user (and with `lobby`, a member of #lobby). */
  | { readonly kind: 'claim'; readonly conn: ConnId; readonly name: string; readonly lobby: boolean }
  /** A line for a room: `room` null means the user's current room. */
  | { readonly kind: 'say'; readonly conn: ConnId; readonly room: string | null; readonly text: string; readonly style: Style }
  /** A private line to the user named `to` (any letter case). */
  | { readonly kind: 'msg'; readonly conn: ConnId; readonly to: string; readonly text: string; readonly style: Style }
  | { readonly kind: 'rename'; readonly conn: ConnId; readonly name: string }
  /** Become a member of `room` (created if new) and make it current; already a member: make it current. */
  | { readonly kind: 'join'; readonly conn: ConnId; readonly room: string }
  /** Leave `room` (null: the current one); `message` is an IRC part reason. */
  | { readonly kind: 'part'; readonly conn: ConnId; readonly room: string | null; readonly message?: string }
  /** Everyone connected (`/who`). */
  | { readonly kind: 'who'; readonly conn: ConnId }
  /** The members of one room (`/who <room>`, IRC NAMES and WHO). */
  | { readonly kind: 'members'; readonly conn: ConnId; readonly room: string }
  | { readonly kind: 'rooms'; readonly conn: ConnId }
  /** The current room's last `count` lines (null: the replay default). */
  | { readonly kind: 'history'; readonly conn: ConnId; readonly count: number | null }
  /** One user's rooms (IRC WHOIS, WHO <nick>). */
  | { readonly kind: 'whois'; readonly conn: ConnId; readonly name: string }
  /** The connection ended; `message` is an IRC quit reason. */
  | { readonly kind: 'leave'; readonly conn: ConnId; readonly reason: LeaveReason; readonly message?: string }
  /** The appending node is shutting down: its users leave, and nothing it sends later counts. */
  | { readonly kind: 'shutdown' }
  /** Another node's lease expired: its users leave, and nothing it sends later counts. */
  | { readonly kind: 'node-gone'; readonly node: NodeId };

/** One append by one node: its intents in order, with the log's time. */
export interface LogEntry {
  readonly node: NodeId;
  /** The node's sequence number for this append, from 1: a repeated one is a retry and ignored. */
  readonly seq: number;
  /** The log's time of the append, ms since the epoch. */
  readonly at: number;
  readonly intents: readonly Intent[];
}
