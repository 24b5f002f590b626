// The chat's state: users, rooms with their members and history, and what is known of each node.
//
// Only the decider (decide.ts) changes it, one log entry at a time; the hub reads it to find an
// event's audience. It is mutated in place (copying a 10,000-user map per entry would make a join
// storm quadratic), so `decide` is a function of the history of entries it was given, and
// `snapshot()` / `restore()` turn it into plain data and back: the same entries after the same
// snapshot give the same state on every node.
import type { HistoryLine } from './events.ts';
import type { ConnId, NodeId } from './intents.ts';
import { nameKey } from './names.ts';
import { LOBBY, LOBBY_KEY, roomKey } from './rooms.ts';

/** The limits the decider enforces; every node of a cluster must run with the same ones. */
export interface ChatConfig {
  /** Lines each room keeps (`--history`; 0 keeps none). */
  readonly history: number;
  /** Lines replayed on `/join` (`--replay`). */
  readonly replay: number;
  /** Rooms at once (`--max-rooms`), #lobby included. */
  readonly maxRooms: number;
  /** Rooms one user is in at once (`--max-rooms-per-user`), #lobby included. */
  readonly maxRoomsPerUser: number;
}

export const CHAT_DEFAULTS: ChatConfig = Object.freeze({ history: 100, replay: 20, maxRooms: 1000, maxRoomsPerUser: 20 });

export interface User {
  readonly conn: ConnId;
  /** The node that claimed it: only that node may speak for it. */
  readonly node: NodeId;
  name: string;
  /** Keys of the rooms it is in, in the order it became a member of each. */
  readonly rooms: string[];
  /** Key of the room a plain line goes to, if any. */
  current: string | null;
}

export interface Room {
  /** As first created, with its `#`. */
  readonly name: string;
  readonly key: string;
  /** In the order they joined it (the user object, so routing needs no lookup). */
  readonly members: Map<ConnId, User>;
  /** The last `history` lines, oldest first. */
  readonly history: HistoryLine[];
}

export interface NodeRecord {
  /** The last sequence number decided from this node. */
  seq: number;
  /** Shut down or declared gone: nothing it appends counts any more. */
  gone: boolean;
}

/** The state as plain data (JSON-safe), for snapshots. */
export interface Snapshot {
  readonly version: 1;
  readonly users: readonly { readonly conn: ConnId; readonly node: NodeId; readonly name: string; readonly rooms: readonly string[]; readonly current: string | null }[];
  readonly rooms: readonly { readonly name: string; readonly members: readonly ConnId[]; readonly history: readonly HistoryLine[] }[];
  readonly nodes: readonly { readonly node: NodeId; readonly seq: number; readonly gone: boolean }[];
}

export class ChatState {
  /** Users in the order they connected. */
  readonly users = new Map<ConnId, User>();
  readonly #byName = new Map<string, ConnId>();
  /** Rooms by key; #lobby always. */
  readonly rooms = new Map<string, Room>();
  readonly nodes = new Map<NodeId, NodeRecord>();

  constructor(readonly config: ChatConfig = CHAT_DEFAULTS) {
    this.rooms.set(LOBBY_KEY, newRoom(LOBBY));
  }

  get lobby(): Room {
    return this.rooms.get(LOBBY_KEY) as Room;
  }

  node(node: NodeId): NodeRecord {
    let record = this.nodes.get(node);
    if (record === undefined) {
      record = { seq: 0, gone: false };
      this.nodes.set(node, record);
    }
    return record;
  }

  /** The user holding this name, in any letter case. */
  findUser(name: string): User | undefined {
    const conn = this.#byName.get(nameKey(name));
    return conn === undefined ? undefined : this.users.get(conn);
  }

  addUser(user: User): void {
    this.users.set(user.conn, user);
    this.#byName.set(nameKey(user.name), user.conn);
  }

  renameUser(user: User, name: string): void {
    this.#byName.delete(nameKey(user.name));
    user.name = name;
    this.#byName.set(nameKey(name), user.conn);
  }

  /** Removes a user from the chat and from every room (forgetting rooms left empty). */
  removeUser(user: User): void {
    for (const key of user.rooms) this.#dropMember(key, user.conn);
    user.rooms.length = 0;
    user.current = null;
    this.users.delete(user.conn);
    this.#byName.delete(nameKey(user.name));
  }

  /** Makes `user` a member of `room` (created if new, with this display name) and its current room. */
  addMember(user: User, key: string, name: string): Room {
    let room = this.rooms.get(key);
    if (room === undefined) {
      room = newRoom(name);
      this.rooms.set(key, room);
    }
    room.members.set(user.conn, user);
    user.rooms.push(key);
    user.current = key;
    return room;
  }

  /** Takes `user` out of a room; a room left empty is forgotten, with its history (never #lobby). */
  removeMember(user: User, key: string): void {
    const i = user.rooms.indexOf(key);
    if (i >= 0) user.rooms.splice(i, 1);
    if (user.current === key) user.current = user.rooms.at(-1) ?? null;
    this.#dropMember(key, user.conn);
  }

  #dropMember(key: string, conn: ConnId): void {
    const room = this.rooms.get(key);
    if (room === undefined) return;
    room.members.delete(conn);
    if (room.members.size === 0 && key !== LOBBY_KEY) this.rooms.delete(key);
  }

  /** Names of the members of a room, in join order. */
  memberNames(room: Room): string[] {
    const names: string[] = [];
    for (const user of room.members.values()) names.push(user.name);
    return names;
  }

  snapshot(): Snapshot {
    return {
      version: 1,
      users: Array.from(this.users.values(), (u) => ({ conn: u.conn, node: u.node, name: u.name, rooms: [...u.rooms], current: u.current })),
      rooms: Array.from(this.rooms.values(), (r) => ({ name: r.name, members: [...r.members.keys()], history: [...r.history] })),
      nodes: Array.from(this.nodes, ([node, r]) => ({ node, seq: r.seq, gone: r.gone })),
    };
  }

  static restore(snapshot: Snapshot, config: ChatConfig = CHAT_DEFAULTS): ChatState {
    const state = new ChatState(config);
    for (const u of snapshot.users) state.addUser({ conn: u.conn, node: u.node, name: u.name, rooms: [...u.rooms], current: u.current });
    state.rooms.clear();
    for (const r of snapshot.rooms) {
      const room = newRoom(r.name);
      for (const conn of r.members) {
        const user = state.users.get(conn);
        if (user !== undefined) room.members.set(conn, user);
      }
      room.history.push(...r.history);
      state.rooms.set(room.key, room);
    }
    if (!state.rooms.has(LOBBY_KEY)) state.rooms.set(LOBBY_KEY, newRoom(LOBBY));
    for (const n of snapshot.nodes) state.nodes.set(n.node, { seq: n.seq, gone: n.gone });
    return state;
  }
}

function newRoom(name: string): Room {
  return { name, key: roomKey(name), members: new Map(), history: [] };
}
