// What the chat decided: events that carry data (no wire text) and name their audience.
//
// The decider (decide.ts) turns each log entry into deliveries: an event and who gets it. Each
// front end renders an event once for its protocol (line, IRC) and hands the same bytes to every
// local recipient; the hub (hub/hub.ts) finds those recipients from the audience.
import type { ConnId, Intent, LeaveReason, NodeId, Style } from './intents.ts';

/** A line of a room's history: who said what, how, and when the room decided it (ms since the epoch). */
export interface HistoryLine {
  readonly at: number;
  readonly name: string;
  readonly text: string;
  readonly style: Style;
}

/** Who gets an event, resolved by the hub against the state right after the event was decided. */
export type Audience =
  | { readonly kind: 'conn'; readonly conn: ConnId }
  /** Every member of the room (its key), but `except`. */
  | { readonly kind: 'room'; readonly room: string; readonly except: ConnId | null }
  /** These connections, each once. */
  | { readonly kind: 'conns'; readonly conns: readonly ConnId[] }
  /** Every connection of this node, named or not (its shutdown, or its fencing). */
  | { readonly kind: 'node'; readonly node: NodeId };

export interface Delivery {
  readonly to: Audience;
  readonly event: ChatEvent;
}

/** An answer to one user's question or a refusal, in the order of the user's intents. */
export type Reply =
  | { readonly kind: 'who'; readonly names: readonly string[] }
  | { readonly kind: 'members'; readonly room: string; readonly names: readonly string[] }
  | { readonly kind: 'rooms'; readonly rooms: readonly { readonly room: string; readonly users: number }[] }
  | { readonly kind: 'history'; readonly room: string; readonly lines: readonly HistoryLine[] }
  | { readonly kind: 'whois'; readonly name: string; readonly rooms: readonly string[] }
  | { readonly kind: 'no-history'; readonly room: string }
  | { readonly kind: 'no-such-room'; readonly room: string }
  | { readonly kind: 'no-such-user'; readonly name: string }
  | { readonly kind: 'not-in-room'; readonly room: string }
  /** A line, `/me` or `/history` with no current room. */
  | { readonly kind: 'no-room' }
  /** Joining past `--max-rooms-per-user`. */
  | { readonly kind: 'too-many-rooms'; readonly max: number }
  /** Creating a room past `--max-rooms`. */
  | { readonly kind: 'max-rooms'; readonly max: number }
  /** `/nick` to exactly the name one has. */
  | { readonly kind: 'already-named'; readonly name: string };

export type ChatEvent =
  /** A claim accepted: the connection is now the user `name`. */
  | { readonly kind: 'welcome'; readonly conn: ConnId; readonly name: string }
  /** A claim or rename refused: someone holds the name. */
  | { readonly kind: 'name-taken'; readonly conn: ConnId; readonly name: string; readonly renaming: boolean }
  /** A connection joined the chat (and #lobby): to the lobby's other members. */
  | { readonly kind: 'connected'; readonly conn: ConnId; readonly name: string; readonly room: string }
  /** To the joiner: now in `room` with `users` (join order); `history` on a fresh join, null on a switch. */
  | {
      readonly kind: 'entered';
      readonly conn: ConnId;
      readonly name: string;
      readonly room: string;
      readonly users: readonly string[];
      readonly history: readonly HistoryLine[] | null;
    }
  /** To the room's other members. */
  | { readonly kind: 'joined-room'; readonly conn: ConnId; readonly name: string; readonly room: string }
  /** A line said in a room: to every member, the sayer included. */
  | { readonly kind: 'said'; readonly conn: ConnId; readonly name: string; readonly room: string; readonly text: string; readonly style: Style }
  /** A private line: to both ends (once when they are the same). */
  | {
      readonly kind: 'whispered';
      readonly from: ConnId;
      readonly fromName: string;
      readonly to: ConnId;
      readonly toName: string;
      readonly text: string;
      readonly style: Style;
    }
  /** To the renamed user and everyone who shares a room with them, once each. */
  | { readonly kind: 'renamed'; readonly conn: ConnId; readonly from: string; readonly to: string }
  /** To the room's remaining members. */
  | { readonly kind: 'left-room'; readonly conn: ConnId; readonly name: string; readonly room: string; readonly message: string | null }
  /** To the one who parted; `current` is the room now current (with its user count), if any. */
  | {
      readonly kind: 'parted';
      readonly conn: ConnId;
      readonly name: string;
      readonly room: string;
      readonly message: string | null;
      readonly current: { readonly room: string; readonly users: number } | null;
    }
  /** To everyone who shared a room with the user, once each. */
  | { readonly kind: 'left-chat'; readonly conn: ConnId; readonly name: string; readonly reason: LeaveReason; readonly message: string | null }
  | { readonly kind: 'reply'; readonly conn: ConnId; readonly reply: Reply }
  /** The node is shut down (`shutdown`) or declared gone (`gone`): its connections close. */
  | { readonly kind: 'node-closed'; readonly node: NodeId; readonly why: 'shutdown' | 'gone' };

/** What the hub itself tells a connection (not decided by the chat: about the log under it). */
export type HubNotice =
  /** This connection's intent never reached the log. */
  | { readonly kind: 'undelivered'; readonly conn: ConnId; readonly intent: Intent }
  /** The log lost entries this node had shown; the chat was restored from what the log still holds. */
  | { readonly kind: 'resynced' };
