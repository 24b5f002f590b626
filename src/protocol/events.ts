// The vocabulary of the bus: what actors publish (intents) and what the room decides (events).
//
// Actors never talk to each other. A session publishes an Intent; the room, the single place
// that owns the roster, turns each intent into at most one RoomEvent; every session sees every
// RoomEvent in the same order. That one order is the "global order" of PROTOCOL.md.
import type { LeaveReason } from './messages.ts';
import type { WireBatch } from './wire-batch.ts';
import type { WireLine } from './wire-line.ts';

/** A connection's identity for its whole life (assigned by the listener, never reused). */
export type ConnId = number;

/** What a session asks the room for. Names arrive already validated; the room checks uniqueness. */
export type Intent =
  | { readonly kind: 'claim'; readonly id: ConnId; readonly name: string }
  | { readonly kind: 'say'; readonly id: ConnId; readonly text: string }
  | { readonly kind: 'act'; readonly id: ConnId; readonly action: string }
  | { readonly kind: 'who'; readonly id: ConnId }
  | { readonly kind: 'msg'; readonly id: ConnId; readonly to: string; readonly text: string }
  | { readonly kind: 'rename'; readonly id: ConnId; readonly name: string }
  | { readonly kind: 'leave'; readonly id: ConnId; readonly reason: LeaveReason }
  /** The server is stopping: tell everyone once, then decide nothing more. */
  | { readonly kind: 'shutdown' };

/** Lines every member gets, as the one output all their connections share (no per-recipient object). */
export interface Broadcast {
  readonly kind: 'broadcast';
  readonly batch: WireBatch;
}

/**
 * What the room decided, in the one global order. Lines are rendered once, here, and shared by
 * every recipient (see WireLine). `joined`, `said`, `renamed` and `left` carry a line for every
 * member (the `notice`, or the chat `line`), which the bus broadcasts (see bus.ts).
 */
export type RoomEvent =
  | { readonly kind: 'joined'; readonly id: ConnId; readonly name: string; readonly welcome: WireLine; readonly notice: WireLine }
  | { readonly kind: 'name-taken'; readonly id: ConnId; readonly name: string }
  /** A line for every member: chat `(<name>) <text>` or action `* <name> <action>`. */
  | { readonly kind: 'said'; readonly id: ConnId; readonly line: WireLine }
  /** A private message: delivered to `to` and echoed to `from` (once, if they are the same). */
  | { readonly kind: 'whispered'; readonly from: ConnId; readonly to: ConnId; readonly line: WireLine }
  | { readonly kind: 'renamed'; readonly id: ConnId; readonly name: string; readonly notice: WireLine }
  /** An answer for one member only (the /who list, no such user, …), in the global order. */
  | { readonly kind: 'reply'; readonly id: ConnId; readonly line: WireLine }
  /** The last event: every session says so and closes; the room is closed from now on. */
  | { readonly kind: 'shutdown' }
  | { readonly kind: 'left'; readonly id: ConnId; readonly name: string; readonly reason: LeaveReason; readonly notice: WireLine };
