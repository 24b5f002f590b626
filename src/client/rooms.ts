// Where I am, as the client knows it: my current room, the rooms I am in, who is in the current
// room, and the last list of rooms. Read off the parsed server lines (PROTOCOL.md "Rooms"). Pure.
//
//   `You are now connected, <me>!`       in #lobby, and it is current (the protocol's connect)
//   `*** Now in <room> (<n> users)`      <room> is current, and one of mine; a new current room's
//                                        members are unknown (only me, when n is 1)
//   `*** You left <room>`                no longer mine; if it was current, no current room until
//                                        the `*** Now in …` that may follow
//   `*** Users in <room> (<n>): …`       the /who <room> reply: the current room's members
//   `*** <name> joined <room>` / `left <room>`, `joined the chat` (#lobby), `left the chat`,
//   `*** <old> is now known as <new>`    keep the current room's members up to date
//   `*** Rooms (<n>): <room> (<users>), …` the /rooms reply: the list of rooms
// `*** You left <room>` is only mine if I asked to /part; client.ts decides that before this
// module sees the line (messages.ts explains why the wire cannot).
//
// Only the current room's members are tracked: a room I switch to is asked about again (client.ts,
// `whoOnJoin`). Every list is bounded (MAX_ROOMS rooms, name-list.ts MAX_NAMES names), and an
// update that changes nothing returns the very same object, so views emit only on change.
import { LOBBY, roomKey } from '../core/rooms.ts';
import type { RoomCount, ServerLine } from '../line/messages.ts';
import { NO_NAMES, nameListOf, renamedIn, withName, withoutName, type NameList } from './name-list.ts';

/** At most this many rooms are kept, joined or listed (the server's default --max-rooms is 1,000). */
export const MAX_ROOMS = 10_000;

export interface Rooms {
  /** The room a plain line goes to, as the server spells it; null before the welcome and when in no room. */
  readonly current: string | null;
  /** The rooms I am in, in the order I joined them (the most recent last, as the server counts). */
  readonly joined: readonly string[];
  /** Who is in the current room, in the order they joined it, as far as the server's lines told us. */
  readonly members: NameList;
  /** True when `members` is the current room's whole list (a /who <room> reply, kept up to date since). */
  readonly membersKnown: boolean;
  /** Every room with its member count, from the last `/rooms` reply (sorted as the server sorts them). */
  readonly list: readonly RoomCount[];
}

export const NO_ROOMS: Rooms = Object.freeze({
  current: null,
  joined: Object.freeze([]),
  members: NO_NAMES,
  membersKnown: false,
  list: Object.freeze([]),
});

/** True when `a` and `b` name the same room (any letter case). */
export const sameRoom = (a: string | null, b: string): boolean => a !== null && roomKey(a) === roomKey(b);

/** Every room known by name: mine, then the listed ones, each once; for Tab completion. */
export function knownRooms(rooms: Rooms): string[] {
  const seen = new Set(rooms.joined.map(roomKey));
  const known = [...rooms.joined];
  for (const { room } of rooms.list) {
    const key = roomKey(room);
    if (seen.has(key)) continue;
    seen.add(key);
    known.push(room);
  }
  return known;
}

/** The rooms after one (parsed) server line; `me` is my name, once welcomed. */
export function updateRooms(rooms: Rooms, line: ServerLine, me: string | null): Rooms {
  switch (line.kind) {
    case 'welcome':
      return { ...rooms, current: LOBBY, joined: [LOBBY], members: withName(NO_NAMES, line.name), membersKnown: false };
    case 'now-in':
      return enter(rooms, line.room, line.users, me);
    case 'you-left':
      return leave(rooms, line.room);
    case 'members':
      return sameRoom(rooms.current, line.room) ? { ...rooms, members: nameListOf(line.names), membersKnown: true } : rooms;
    case 'rooms':
      return { ...rooms, list: line.rooms.slice(0, MAX_ROOMS) };
    case 'no-such-room': {
      const list = rooms.list.filter((r) => !sameRoom(r.room, line.room));
      return list.length === rooms.list.length ? rooms : { ...rooms, list };
    }
    case 'joined-chat':
      return memberJoined(rooms, LOBBY, line.name);
    case 'joined-room':
      return memberJoined(rooms, line.room, line.name);
    case 'left-room':
      return sameRoom(rooms.current, line.room) ? withMembers(rooms, withoutName(rooms.members, line.name)) : rooms;
    case 'left-chat':
      return withMembers(rooms, withoutName(rooms.members, line.name));
    case 'renamed':
      return withMembers(rooms, renamedIn(rooms.members, line.from, line.to));
    case 'in-room': {
      // A line of a room that is not current: only its own notices could matter, and they name it.
      const inner = line.line;
      if (inner.kind === 'joined-chat') return memberJoined(rooms, line.room, inner.name);
      return inner.kind === 'joined-room' || inner.kind === 'left-room' ? updateRooms(rooms, inner, me) : rooms;
    }
    default:
      return rooms;
  }
}

/** `*** Now in <room> (<users>)`: it is current and mine. */
function enter(rooms: Rooms, room: string, users: number, me: string | null): Rooms {
  const mine = rooms.joined.some((r) => sameRoom(r, room));
  const joined = mine || rooms.joined.length >= MAX_ROOMS ? rooms.joined : [...rooms.joined, room];
  if (sameRoom(rooms.current, room)) {
    // Still here (a `/join` of the current room): the count tells whether the list still holds.
    const membersKnown = rooms.membersKnown && rooms.members.names.length === users;
    return rooms.current === room && joined === rooms.joined && membersKnown === rooms.membersKnown
      ? rooms
      : { ...rooms, current: room, joined, membersKnown };
  }
  // Somewhere new: who is there is unknown, unless it is only me.
  const alone = users === 1 && me !== null;
  return { ...rooms, current: room, joined, members: alone ? withName(NO_NAMES, me) : NO_NAMES, membersKnown: alone };
}

/** `*** You left <room>` (mine): no longer mine, and no longer current. */
function leave(rooms: Rooms, room: string): Rooms {
  const joined = rooms.joined.filter((r) => !sameRoom(r, room));
  if (!sameRoom(rooms.current, room)) return joined.length === rooms.joined.length ? rooms : { ...rooms, joined };
  return { ...rooms, current: null, joined, members: NO_NAMES, membersKnown: false };
}

function memberJoined(rooms: Rooms, room: string, name: string): Rooms {
  return sameRoom(rooms.current, room) ? withMembers(rooms, withName(rooms.members, name)) : rooms;
}

function withMembers(rooms: Rooms, members: NameList): Rooms {
  return members === rooms.members ? rooms : { ...rooms, members };
}
