// THE chat: one deterministic reducer over the ordered log. decide(state, entry) → deliveries.
//
// Every node runs it over the same entries in the same order and so computes the same users,
// rooms, history and events: no clock (time is the entry's `at`), no randomness, no input but the
// entry. It mutates `state` (see state.ts) and returns what happened as events with their audience;
// it renders nothing (front ends do) and sends nothing (the hub does).
//
// Entries it ignores, which is what makes replays, retries and fencing safe:
// - a `seq` not above the node's last one (a retried append, or one read twice);
// - anything from a node that shut down or was declared gone (a zombie is fenced);
// - an intent about a connection that is not that node's user (stale, or not its to speak for).
import type { Audience, ChatEvent, Delivery, HistoryLine, Reply } from './events.ts';
import type { ConnId, Intent, LeaveReason, LogEntry, NodeId } from './intents.ts';
import { LOBBY, LOBBY_KEY, roomKey } from './rooms.ts';
import type { ChatState, Room, User } from './state.ts';

/**
 * Decides one log entry and calls `emit` with each delivery, in order, as soon as it is decided:
 * an audience (a room's members) is read off `state` as it is at that call, so a batch's later
 * intents (someone joining the room) cannot change who got an earlier line. `settled` hears of each
 * intent once its deliveries are made (ignored ones too, but not those of an ignored entry).
 */
export function decide(
  state: ChatState,
  entry: LogEntry,
  emit: (delivery: Delivery) => void,
  settled?: (intent: Intent) => void,
): void {
  const node = state.node(entry.node);
  if (node.gone || entry.seq <= node.seq) return;
  node.seq = entry.seq;
  const out: Delivery[] = [];
  for (const intent of entry.intents) {
    if (node.gone) break; // its own shutdown ends what it says
    decideIntent(state, entry, intent, out);
    for (const delivery of out) emit(delivery);
    out.length = 0;
    // Whatever it was, this intent is decided and its deliveries made (a front end that keeps
    // replies in command order waits for this).
    settled?.(intent);
  }
}

/** The deliveries of one entry as a list (for tests and replays that do not route). */
export function decideAll(state: ChatState, entry: LogEntry): Delivery[] {
  const out: Delivery[] = [];
  decide(state, entry, (d) => out.push(d));
  return out;
}

const toConn = (conn: ConnId): Audience => ({ kind: 'conn', conn });
const toRoom = (room: Room, except: ConnId | null = null): Audience => ({ kind: 'room', room: room.key, except });

function reply(out: Delivery[], conn: ConnId, r: Reply): void {
  out.push({ to: toConn(conn), event: { kind: 'reply', conn, reply: r } });
}

function decideIntent(state: ChatState, entry: LogEntry, intent: Intent, out: Delivery[]): void {
  switch (intent.kind) {
    case 'shutdown':
      return closeNode(state, entry.node, 'shutdown', out);
    case 'node-gone':
      if (state.node(intent.node).gone) return;
      return closeNode(state, intent.node, 'gone', out);
    case 'claim':
      return claim(state, entry, intent, out);
  }
  // Everything else speaks for a user of the appending node.
  const user = state.users.get(intent.conn);
  if (user === undefined || user.node !== entry.node) return;
  const { conn } = user;
  const emit = (to: Audience, event: ChatEvent): void => void out.push({ to, event });
  switch (intent.kind) {
    case 'say': {
      const key = intent.room === null ? user.current : roomKey(intent.room);
      if (key === null) return reply(out, conn, { kind: 'no-room' });
      const room = state.rooms.get(key);
      if (room === undefined) return reply(out, conn, { kind: 'no-such-room', room: intent.room ?? key });
      if (!room.members.has(conn)) return reply(out, conn, { kind: 'not-in-room', room: room.name });
      const { text, style } = intent;
      remember(state, room, { at: entry.at, name: user.name, text, style });
      return emit(toRoom(room), { kind: 'said', conn, name: user.name, room: room.name, text, style });
    }
    case 'msg': {
      const to = state.findUser(intent.to);
      if (to === undefined) return reply(out, conn, { kind: 'no-such-user', name: intent.to });
      const conns = to.conn === conn ? [conn] : [conn, to.conn];
      return emit(
        { kind: 'conns', conns },
        { kind: 'whispered', from: conn, fromName: user.name, to: to.conn, toName: to.name, text: intent.text, style: intent.style },
      );
    }
    case 'rename': {
      const { name } = intent;
      if (name === user.name) return reply(out, conn, { kind: 'already-named', name });
      const holder = state.findUser(name);
      if (holder !== undefined && holder.conn !== conn) {
        return emit(toConn(conn), { kind: 'name-taken', conn, name, renaming: true });
      }
      const from = user.name;
      const audience = sharersOf(state, user, true) ?? toConn(conn);
      state.renameUser(user, name);
      return emit(audience, { kind: 'renamed', conn, from, to: name });
    }
    case 'join':
      return join(state, user, intent.room, out);
    case 'part':
      return part(state, user, intent.room, intent.message ?? null, out);
    case 'who':
      return reply(out, conn, { kind: 'who', names: Array.from(state.users.values(), (u) => u.name) });
    case 'members': {
      const room = state.rooms.get(roomKey(intent.room));
      if (room === undefined) return reply(out, conn, { kind: 'no-such-room', room: intent.room });
      return reply(out, conn, { kind: 'members', room: room.name, names: state.memberNames(room) });
    }
    case 'rooms': {
      const rooms = Array.from(state.rooms.values())
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        .map((r) => ({ room: r.name, users: r.members.size }));
      return reply(out, conn, { kind: 'rooms', rooms });
    }
    case 'history': {
      const room = user.current === null ? undefined : state.rooms.get(user.current);
      if (room === undefined) return reply(out, conn, { kind: 'no-room' });
      const n = Math.min(intent.count ?? state.config.replay, state.config.history);
      const lines = n > 0 ? room.history.slice(-n) : [];
      return reply(out, conn, lines.length === 0 ? { kind: 'no-history', room: room.name } : { kind: 'history', room: room.name, lines });
    }
    case 'whois': {
      const who = state.findUser(intent.name);
      if (who === undefined) return reply(out, conn, { kind: 'no-such-user', name: intent.name });
      const rooms = who.rooms.map((k) => state.rooms.get(k)?.name ?? k);
      return reply(out, conn, { kind: 'whois', name: who.name, rooms });
    }
    case 'leave':
      return leave(state, user, intent.reason, intent.message ?? null, out);
  }
}

function claim(state: ChatState, entry: LogEntry, intent: Extract<Intent, { kind: 'claim' }>, out: Delivery[]): void {
  const { conn, name } = intent;
  if (state.users.has(conn)) return; // already a user: a stale or repeated claim
  if (state.findUser(name) !== undefined) {
    out.push({ to: toConn(conn), event: { kind: 'name-taken', conn, name, renaming: false } });
    return;
  }
  const user: User = { conn, node: entry.node, name, rooms: [], current: null };
  state.addUser(user);
  out.push({ to: toConn(conn), event: { kind: 'welcome', conn, name } });
  if (!intent.lobby) return;
  const lobby = state.addMember(user, LOBBY_KEY, LOBBY);
  out.push({ to: toRoom(lobby, conn), event: { kind: 'connected', conn, name, room: lobby.name } });
}

function join(state: ChatState, user: User, typed: string, out: Delivery[]): void {
  const { conn, name } = user;
  const key = roomKey(typed);
  const existing = state.rooms.get(key);
  if (existing !== undefined && existing.members.has(conn)) {
    user.current = key;
    out.push({ to: toConn(conn), event: { kind: 'entered', conn, name, room: existing.name, users: state.memberNames(existing), history: null } });
    return;
  }
  const { maxRoomsPerUser, maxRooms, replay } = state.config;
  if (user.rooms.length >= maxRoomsPerUser) return reply(out, conn, { kind: 'too-many-rooms', max: maxRoomsPerUser });
  if (existing === undefined && state.rooms.size >= maxRooms) return reply(out, conn, { kind: 'max-rooms', max: maxRooms });
  const room = state.addMember(user, key, typed);
  const history = replay > 0 ? room.history.slice(-replay) : [];
  out.push({ to: toConn(conn), event: { kind: 'entered', conn, name, room: room.name, users: state.memberNames(room), history } });
  out.push({ to: toRoom(room, conn), event: { kind: 'joined-room', conn, name, room: room.name } });
}

function part(state: ChatState, user: User, typed: string | null, message: string | null, out: Delivery[]): void {
  const { conn, name } = user;
  const key = typed === null ? user.current : roomKey(typed);
  if (key === null) return reply(out, conn, { kind: 'no-room' });
  const room = state.rooms.get(key);
  if (room === undefined || !room.members.has(conn)) {
    return reply(out, conn, { kind: 'not-in-room', room: room?.name ?? typed ?? key });
  }
  const wasCurrent = user.current === key;
  state.removeMember(user, key);
  const now = wasCurrent && user.current !== null ? state.rooms.get(user.current) : undefined;
  const current = now === undefined ? null : { room: now.name, users: now.members.size };
  out.push({ to: toConn(conn), event: { kind: 'parted', conn, name, room: room.name, message, current } });
  if (room.members.size > 0) out.push({ to: toRoom(room), event: { kind: 'left-room', conn, name, room: room.name, message } });
}

function leave(state: ChatState, user: User, reason: LeaveReason, message: string | null, out: Delivery[]): void {
  const audience = sharersOf(state, user, false);
  state.removeUser(user);
  if (audience !== null) out.push({ to: audience, event: { kind: 'left-chat', conn: user.conn, name: user.name, reason, message } });
}

/**
 * A node shuts down or is declared gone: its connections are told first (they close), then its
 * users leave, each announced once to the users of other nodes who shared a room with them.
 */
function closeNode(state: ChatState, node: NodeId, why: 'shutdown' | 'gone', out: Delivery[]): void {
  state.node(node).gone = true;
  out.push({ to: { kind: 'node', node }, event: { kind: 'node-closed', node, why } });
  const leaving = Array.from(state.users.values()).filter((u) => u.node === node);
  const rooms = leaving.map((u) => [...u.rooms]);
  for (const user of leaving) state.removeUser(user);
  leaving.forEach((user, i) => {
    const audience = remaining(state, rooms[i] ?? [], user.conn);
    if (audience !== null) out.push({ to: audience, event: { kind: 'left-chat', conn: user.conn, name: user.name, reason: 'dropped', message: null } });
  });
}

/**
 * Everyone who shares a room with `user`, once each (and the user, with `self`), or null for
 * nobody. A user in one room is that room's audience: no list is built for the common case.
 */
function sharersOf(state: ChatState, user: User, self: boolean): Audience | null {
  if (user.rooms.length === 1) {
    const room = state.rooms.get(user.rooms[0] as string) as Room;
    return self || room.members.size > 1 ? toRoom(room, self ? null : user.conn) : null;
  }
  const conns = new Set<ConnId>();
  for (const key of user.rooms) for (const conn of (state.rooms.get(key) as Room).members.keys()) conns.add(conn);
  if (self) conns.add(user.conn);
  else conns.delete(user.conn);
  return conns.size === 0 ? null : { kind: 'conns', conns: [...conns] };
}

/** The members still in these rooms (by key), once each, without `gone`; null for nobody. */
function remaining(state: ChatState, keys: readonly string[], gone: ConnId): Audience | null {
  const conns = new Set<ConnId>();
  for (const key of keys) {
    const room = state.rooms.get(key);
    if (room !== undefined) for (const conn of room.members.keys()) conns.add(conn);
  }
  conns.delete(gone);
  return conns.size === 0 ? null : { kind: 'conns', conns: [...conns] };
}

function remember(state: ChatState, room: Room, line: HistoryLine): void {
  const max = state.config.history;
  if (max <= 0) return;
  room.history.push(line);
  if (room.history.length > max) room.history.shift();
}
