// The vocabulary of the bus: what actors publish (intents) and what the room decides (events).
//
// Actors never talk to each other. A session publishes an Intent; the room, the single place
// that owns the roster, turns each intent into at most one RoomEvent; every session sees every
// RoomEvent in the same order. That one order is the "global order" of PROTOCOL.md.
import type { LeaveReason } from './messages.ts';
import type { WireLine } from './wire-line.ts';

/** A connection's identity for its whole life (assigned by the listener, never reused). */
export type ConnId = number;

/** What a session asks the room for. Names arrive already validated; the room checks uniqueness. */
export type Intent =
  | { readonly kind: 'claim'; readonly id: ConnId; readonly name: string }
  | { readonly kind: 'say'; readonly id: ConnId; readonly text: string }
  | { readonly kind: 'leave'; readonly id: ConnId; readonly reason: LeaveReason };

/**
 * What the room decided, in the one global order. Broadcast lines are rendered once, here, and
 * shared by every recipient (see WireLine).
 */
export type RoomEvent =
  | { readonly kind: 'joined'; readonly id: ConnId; readonly name: string; readonly welcome: WireLine; readonly notice: WireLine }
  | { readonly kind: 'name-taken'; readonly id: ConnId; readonly name: string }
  | { readonly kind: 'said'; readonly id: ConnId; readonly line: WireLine }
  | { readonly kind: 'left'; readonly id: ConnId; readonly name: string; readonly reason: LeaveReason; readonly notice: WireLine };
