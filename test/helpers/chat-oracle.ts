// An oracle for the chat: PROTOCOL.md's rooms and history rules written a second time, as plainly
// as possible (arrays, linear scans, strings built here), with none of the decider's data
// structures or the server's message module. Property tests feed it the same log entries the hub
// decided and compare what each connection should have read with what it did read.
import type { Intent, LogEntry } from '../../src/core/intents.ts';

interface OUser {
  conn: string;
  name: string;
  rooms: string[]; // keys, in the order the user became a member
  current: string | null;
}
interface ORoom {
  name: string;
  members: string[]; // conns, join order
  history: { name: string; text: string; action: boolean }[];
}

const key = (s: string): string => s.toUpperCase().toLowerCase();
const count = (n: number): string => (n === 1 ? '1 user' : `${n} users`);
const said = (name: string, text: string, action: boolean): string => (action ? `* ${name} ${text}` : `(${name}) ${text}`);

export class ChatOracle {
  readonly users: OUser[] = [];
  readonly rooms = new Map<string, ORoom>([['#lobby', { name: '#lobby', members: [], history: [] }]]);
  /** What each connection should read from the chat (not its own session's prompts and answers). */
  readonly lines = new Map<string, string[]>();
  /** Connections that were welcomed (whether or not they were still there to read it). */
  readonly welcomed = new Set<string>();
  #closed = false;

  constructor(readonly config: { history: number; replay: number; maxRooms: number; maxRoomsPerUser: number }) {}

  /**
   * Decides one entry. What it says to a connection is added to that connection's lines whether or
   * not it is still there to read them: a connection that closed read a prefix of its lines.
   */
  apply(entry: LogEntry): void {
    if (this.#closed) return;
    for (const intent of entry.intents) {
      if (this.#closed) return;
      this.#intent(intent, (conn, line) => {
        const list = this.lines.get(conn) ?? [];
        list.push(line);
        this.lines.set(conn, list);
      });
    }
  }

  #user(conn: string): OUser | undefined {
    return this.users.find((u) => u.conn === conn);
  }

  #byName(name: string): OUser | undefined {
    return this.users.find((u) => key(u.name) === key(name));
  }

  #intent(intent: Intent, send: (conn: string, line: string) => void): void {
    const toRoom = (k: string, line: string, except: string | null): void => {
      const room = this.rooms.get(k) as ORoom;
      for (const m of room.members) {
        if (m === except) continue;
        send(m, this.#user(m)?.current === k ? line : `[${room.name}] ${line}`);
      }
    };
    const sharers = (u: OUser, self: boolean): string[] => {
      const out: string[] = [];
      for (const k of u.rooms) for (const m of (this.rooms.get(k) as ORoom).members) if (!out.includes(m)) out.push(m);
      if (self && !out.includes(u.conn)) out.push(u.conn);
      return self ? out : out.filter((m) => m !== u.conn);
    };
    const removeFrom = (u: OUser, k: string): void => {
      const room = this.rooms.get(k) as ORoom;
      room.members = room.members.filter((m) => m !== u.conn);
      u.rooms = u.rooms.filter((r) => r !== k);
      if (room.members.length === 0 && k !== '#lobby') this.rooms.delete(k);
    };
    if (intent.kind === 'shutdown') {
      this.#closed = true;
      return;
    }
    if (intent.kind === 'node-gone') return;
    if (intent.kind === 'claim') {
      if (this.#user(intent.conn) !== undefined) return;
      if (this.#byName(intent.name) !== undefined) return send(intent.conn, `*** Username ${intent.name} is taken`);
      const u: OUser = { conn: intent.conn, name: intent.name, rooms: [], current: null };
      this.users.push(u);
      this.welcomed.add(u.conn);
      send(u.conn, `You are now connected, ${u.name}!`);
      if (intent.lobby) {
        (this.rooms.get('#lobby') as ORoom).members.push(u.conn);
        u.rooms.push('#lobby');
        u.current = '#lobby';
        toRoom('#lobby', `*** ${u.name} joined the chat`, u.conn);
      }
      return;
    }
    const u = this.#user(intent.conn);
    if (u === undefined) return;
    const me = u.conn;
    switch (intent.kind) {
      case 'say': {
        if (u.current === null) return send(me, '*** You are in no room (try /join #lobby)');
        const room = this.rooms.get(u.current) as ORoom;
        const action = intent.style === 'action';
        room.history.push({ name: u.name, text: intent.text, action });
        if (room.history.length > this.config.history) room.history.shift();
        return toRoom(u.current, said(u.name, intent.text, action), null);
      }
      case 'msg': {
        const to = this.#byName(intent.to);
        if (to === undefined) return send(me, `*** No such user: ${intent.to}`);
        const line = `[${u.name} -> ${to.name}] ${intent.text}`;
        send(me, line);
        if (to.conn !== me) send(to.conn, line);
        return;
      }
      case 'rename': {
        if (intent.name === u.name) return send(me, `*** You are already known as ${u.name}`);
        const holder = this.#byName(intent.name);
        if (holder !== undefined && holder !== u) return send(me, `*** Username ${intent.name} is taken`);
        for (const m of sharers(u, true)) send(m, `*** ${u.name} is now known as ${intent.name}`);
        u.name = intent.name;
        return;
      }
      case 'join': {
        const k = key(intent.room);
        const existing = this.rooms.get(k);
        if (existing !== undefined && existing.members.includes(me)) {
          u.current = k;
          return send(me, `*** Now in ${existing.name} (${count(existing.members.length)})`);
        }
        if (u.rooms.length >= this.config.maxRoomsPerUser) return send(me, `*** You are in too many rooms (max ${this.config.maxRoomsPerUser})`);
        if (existing === undefined && this.rooms.size >= this.config.maxRooms) return send(me, `*** Too many rooms (max ${this.config.maxRooms})`);
        const room = existing ?? { name: intent.room, members: [], history: [] };
        this.rooms.set(k, room);
        room.members.push(me);
        u.rooms.push(k);
        u.current = k;
        send(me, `*** Now in ${room.name} (${count(room.members.length)})`);
        if (this.config.replay > 0) for (const h of room.history.slice(-this.config.replay)) send(me, `[00:00] ${said(h.name, h.text, h.action)}`);
        return toRoom(k, `*** ${u.name} joined ${room.name}`, me);
      }
      case 'part': {
        const k = intent.room === null ? u.current : key(intent.room);
        if (k === null) return send(me, '*** You are in no room (try /join #lobby)');
        const room = this.rooms.get(k);
        if (room === undefined || !room.members.includes(me)) return send(me, `*** You are not in ${room?.name ?? intent.room}`);
        const wasCurrent = u.current === k;
        removeFrom(u, k);
        send(me, `*** You left ${room.name}`);
        if (wasCurrent) {
          u.current = u.rooms.at(-1) ?? null;
          if (u.current !== null) {
            const now = this.rooms.get(u.current) as ORoom;
            send(me, `*** Now in ${now.name} (${count(now.members.length)})`);
          }
        }
        if (this.rooms.has(k)) toRoom(k, `*** ${u.name} left ${room.name}`, null);
        return;
      }
      case 'who':
        return send(me, `*** Users online (${this.users.length}): ${this.users.map((x) => x.name).join(', ')}`);
      case 'members': {
        const room = this.rooms.get(key(intent.room));
        if (room === undefined) return send(me, `*** No such room: ${intent.room}`);
        const names = room.members.map((m) => (this.#user(m) as OUser).name);
        return send(me, `*** Users in ${room.name} (${names.length}): ${names.join(', ')}`);
      }
      case 'rooms': {
        const all = [...this.rooms.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return send(me, `*** Rooms (${all.length}): ${all.map(([, r]) => `${r.name} (${r.members.length})`).join(', ')}`);
      }
      case 'history': {
        if (u.current === null) return send(me, '*** You are in no room (try /join #lobby)');
        const room = this.rooms.get(u.current) as ORoom;
        const n = Math.min(intent.count ?? this.config.replay, this.config.history);
        const lines = n > 0 ? room.history.slice(-n) : [];
        if (lines.length === 0) return send(me, `*** No history in ${room.name}`);
        for (const h of lines) send(me, `[00:00] ${said(h.name, h.text, h.action)}`);
        return;
      }
      case 'leave': {
        const others = sharers(u, false);
        for (const k of [...u.rooms]) removeFrom(u, k);
        this.users.splice(this.users.indexOf(u), 1);
        const line = intent.reason === 'too-slow' ? `*** ${u.name} left the chat (too slow)` : `*** ${u.name} left the chat`;
        for (const m of others) send(m, line);
        return;
      }
      case 'whois':
        return;
    }
  }
}
