// The room: the one place that owns the roster and decides every intent, in one global order.
//
// `applyIntent(roster, intent)` is the room's reducer. It is run by exactly one subscriber of the
// bus (see bus.ts), so the roster is derived from the bus and nowhere else: two sessions claiming
// the same name at once are decided here, first come first served, never in the sessions.
//
// The roster is mutated in place by that single reducer (nothing else holds it), because copying
// a 10,000-member map on every join would make a join storm quadratic. Seen from outside,
// `applyIntent` is still a function of the history of intents it was given.
import type { ConnId, Intent, RoomEvent } from './events.ts';
import {
  actionLine,
  alreadyNamed,
  chatLine,
  joinedNotice,
  leftNotice,
  noSuchUser,
  privateLine,
  renamedNotice,
  welcome,
  whoList,
} from './messages.ts';
import { nameKey } from './names.ts';
import type { WireLine } from './wire-line.ts';

const SHUTDOWN: RoomEvent = Object.freeze({ kind: 'shutdown' });

/** A chatting user: a connection with an accepted name. */
export interface Member {
  readonly id: ConnId;
  readonly name: string;
}

/** Members in join order, indexed by connection and by case-insensitive name; and whether the room is open. */
export class Roster {
  // A Map iterates in insertion order, which is join order.
  readonly #byId = new Map<ConnId, Member>();
  readonly #idByKey = new Map<string, ConnId>();
  #closed = false;

  /** True once the server is shutting down: nothing more is decided. */
  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    this.#closed = true;
  }

  get size(): number {
    return this.#byId.size;
  }

  get(id: ConnId): Member | undefined {
    return this.#byId.get(id);
  }

  /** True when someone already holds this name, in any letter case. */
  isTaken(name: string): boolean {
    return this.#idByKey.has(nameKey(name));
  }

  /** The member holding this name, in any letter case. */
  find(name: string): Member | undefined {
    const id = this.#idByKey.get(nameKey(name));
    return id === undefined ? undefined : this.#byId.get(id);
  }

  /** Gives a member a new name, keeping its place in join order. */
  rename(id: ConnId, name: string): void {
    const member = this.#byId.get(id);
    if (member === undefined) return;
    this.#idByKey.delete(nameKey(member.name));
    this.#byId.set(id, { id, name }); // set on an existing key keeps its position
    this.#idByKey.set(nameKey(name), id);
  }

  add(member: Member): void {
    this.#byId.set(member.id, member);
    this.#idByKey.set(nameKey(member.name), member.id);
  }

  remove(id: ConnId): Member | undefined {
    const member = this.#byId.get(id);
    if (member === undefined) return undefined;
    this.#byId.delete(id);
    this.#idByKey.delete(nameKey(member.name));
    return member;
  }

  /** Members in join order. */
  members(): IterableIterator<Member> {
    return this.#byId.values();
  }
}

/**
 * Decides one intent against the roster and returns what happened, or `null` when nothing did.
 *
 * - `claim`: the name is free → `joined` (the member is added); held by anyone → `name-taken`.
 * - `say` / `act`: from a member → `said` with `(<name>) <text>` / `* <name> <action>`.
 * - `who`: → a `reply` listing members in join order.
 * - `msg`: recipient found (any letter case) → `whispered`, rendered with both current names;
 *   otherwise → a `reply` saying there is no such user.
 * - `rename`: free (or the member's own name in another case) → `renamed`; held by someone
 *   else → `name-taken`; exactly the current name → a `reply`, nothing to announce.
 * - Anything from a non-member (not yet joined, or already left) → nothing.
 * - `leave`: from a member → `left` (the member is removed); repeated or from a non-member → nothing,
 *   which is what makes "exactly one leave notice per user" hold however a connection ends.
 * - `shutdown` → `shutdown`, once; from then on nothing is decided, so the departures that follow
 *   are not announced one by one to people who are leaving too.
 */
export function applyIntent(roster: Roster, intent: Intent): RoomEvent | null {
  if (roster.closed) return null;
  switch (intent.kind) {
    case 'shutdown':
      roster.close();
      return SHUTDOWN;
    case 'claim': {
      const { id, name } = intent;
      if (roster.get(id) !== undefined) return null; // already a member: a stale or repeated claim
      if (roster.isTaken(name)) return { kind: 'name-taken', id, name };
      roster.add({ id, name });
      const notice = joinedNotice(name);
      return { kind: 'joined', id, name, welcome: welcome(name), notice };
    }
    case 'say': {
      const member = roster.get(intent.id);
      if (member === undefined) return null;
      const line = chatLine(member.name, intent.text);
      return { kind: 'said', id: member.id, line };
    }
    case 'act': {
      const member = roster.get(intent.id);
      if (member === undefined) return null;
      const line = actionLine(member.name, intent.action);
      return { kind: 'said', id: member.id, line };
    }
    case 'who': {
      if (roster.get(intent.id) === undefined) return null;
      const names = Array.from(roster.members(), (m) => m.name);
      return { kind: 'reply', id: intent.id, line: whoList(names) };
    }
    case 'msg': {
      const sender = roster.get(intent.id);
      if (sender === undefined) return null;
      const recipient = roster.find(intent.to);
      if (recipient === undefined) return { kind: 'reply', id: sender.id, line: noSuchUser(intent.to) };
      const line = privateLine(sender.name, recipient.name, intent.text);
      return { kind: 'whispered', from: sender.id, to: recipient.id, line };
    }
    case 'rename': {
      const member = roster.get(intent.id);
      if (member === undefined) return null;
      const { id, name } = intent;
      if (name === member.name) return { kind: 'reply', id, line: alreadyNamed(name) };
      const holder = roster.find(name);
      if (holder !== undefined && holder.id !== id) return { kind: 'name-taken', id, name };
      roster.rename(id, name);
      const notice = renamedNotice(member.name, name);
      return { kind: 'renamed', id, name, notice };
    }
    case 'leave': {
      const member = roster.remove(intent.id);
      if (member === undefined) return null;
      const { id, name } = member;
      const notice = leftNotice(name, intent.reason);
      return { kind: 'left', id, name, reason: intent.reason, notice };
    }
  }
}
