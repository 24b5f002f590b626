// Every line of the line protocol the server sends, as constants and tiny functions: the only
// place with the line protocol's wire text (render.ts puts events into these words; the client
// reads them back with the parsers at the end of this file).
//
// The strings follow ../shared/PROTOCOL.md to the letter; tests compare against these functions
// and, in the protocol-level specs, against the literal strings from the protocol table.
import type { LeaveReason } from '../core/intents.ts';
import { checkName } from '../core/names.ts';
import { checkRoom } from '../core/rooms.ts';
import { WireLine } from './wire-line.ts';

/** Sent on accept, and again after every rejected name. */
export const USERNAME_PROMPT = new WireLine('Username?');
/** Sent to a client that says `exit` before it has a name; then it is closed. */
export const GOODBYE_ANONYMOUS = new WireLine('Goodbye!');
/** Sent to a client still at `Username?` when its time is up; then it is closed. */
export const TIMED_OUT = new WireLine('*** Timed out');
/** Sent to a connection past the connection cap; then it is closed. */
export const SERVER_FULL = new WireLine('*** Server full');
/** Sent to every client on SIGINT/SIGTERM; then each is closed. */
export const SHUTTING_DOWN = new WireLine('*** Server is shutting down');

export const welcome = (name: string): WireLine => new WireLine(`You are now connected, ${name}!`);
export const joinedNotice = (name: string): WireLine => new WireLine(`*** ${name} joined the chat`);
export const chatLine = (name: string, text: string): WireLine => new WireLine(`(${name}) ${text}`);
export const goodbye = (name: string): WireLine => new WireLine(`Goodbye ${name}!`);

export const leftNotice = (name: string, reason: LeaveReason): WireLine =>
  new WireLine(reason === 'too-slow' ? `*** ${name} left the chat (too slow)` : `*** ${name} left the chat`);

export const invalidName = (reason: string): WireLine => new WireLine(`*** Invalid username: ${reason}`);
export const nameTaken = (name: string): WireLine => new WireLine(`*** Username ${name} is taken`);
export const lineTooLong = (maxLineBytes: number): WireLine =>
  new WireLine(`*** Line too long (max ${maxLineBytes} bytes)`);

// Commands beyond the lab (PROTOCOL.md "Commands").
export const whoList = (names: readonly string[]): WireLine =>
  new WireLine(`*** Users online (${names.length}): ${names.join(', ')}`);
export const privateLine = (from: string, to: string, text: string): WireLine => new WireLine(`[${from} -> ${to}] ${text}`);
export const noSuchUser = (to: string): WireLine => new WireLine(`*** No such user: ${to}`);
export const renamedNotice = (from: string, to: string): WireLine => new WireLine(`*** ${from} is now known as ${to}`);
export const actionLine = (name: string, action: string): WireLine => new WireLine(`* ${name} ${action}`);
export const unknownCommand = (command: string): WireLine => new WireLine(`*** Unknown command: ${command} (try /help)`);
/** A command missing its arguments; not in the protocol table, which is silent on malformed commands. */
export const usage = (synopsis: string): WireLine => new WireLine(`*** Usage: ${synopsis}`);
/** `/nick` to the name one already has (same letters, same case): nothing to announce. */
export const alreadyNamed = (name: string): WireLine => new WireLine(`*** You are already known as ${name}`);

// Rooms and history (PROTOCOL.md "Rooms", "History").
const users = (n: number): string => (n === 1 ? '1 user' : `${n} users`);
export const nowIn = (room: string, count: number): WireLine => new WireLine(`*** Now in ${room} (${users(count)})`);
export const joinedRoom = (name: string, room: string): WireLine => new WireLine(`*** ${name} joined ${room}`);
export const leftRoom = (name: string, room: string): WireLine => new WireLine(`*** ${name} left ${room}`);
export const youLeft = (room: string): WireLine => new WireLine(`*** You left ${room}`);
export const notInRoom = (room: string): WireLine => new WireLine(`*** You are not in ${room}`);
export const NO_ROOM = new WireLine('*** You are in no room (try /join #lobby)');
export const roomList = (rooms: readonly { readonly room: string; readonly users: number }[]): WireLine =>
  new WireLine(`*** Rooms (${rooms.length}): ${rooms.map((r) => `${r.room} (${r.users})`).join(', ')}`);
export const memberList = (room: string, names: readonly string[]): WireLine =>
  new WireLine(`*** Users in ${room} (${names.length}): ${names.join(', ')}`);
export const noSuchRoom = (room: string): WireLine => new WireLine(`*** No such room: ${room}`);
export const noHistory = (room: string): WireLine => new WireLine(`*** No history in ${room}`);
export const invalidRoom = (reason: string): WireLine => new WireLine(`*** Invalid room name: ${reason}`);
export const tooManyRoomsForUser = (max: number): WireLine => new WireLine(`*** You are in too many rooms (max ${max})`);
export const tooManyRooms = (max: number): WireLine => new WireLine(`*** Too many rooms (max ${max})`);
/** A line of a room that is not the reader's current room: `[#rust] (Ann) hi`. */
export const inRoom = (room: string, line: WireLine): WireLine => new WireLine(`[${room}] ${line.text}`);
/** A history line: `[14:02] (Ann) hello`, the time in UTC as the room decided it. */
export const stamped = (at: number, line: WireLine): WireLine => new WireLine(`[${hhmm(at)}] ${line.text}`);
/** `HH:MM` of a time in ms since the epoch, UTC, 24-hour. */
export function hhmm(at: number): string {
  return new Date(at).toISOString().slice(11, 16);
}
/** Where a user is (IRC's WHOIS asked from the line protocol's side; not in PROTOCOL.md). */
export const whereIs = (name: string, rooms: readonly string[]): WireLine =>
  new WireLine(rooms.length === 0 ? `*** ${name} is in no room` : `*** ${name} is in ${rooms.join(', ')}`);

// About the log under the chat (PROTOCOL.md "Clusters").
/** A line that never reached the log: its sender is told, never left guessing. */
export const notDelivered = (what: string): WireLine => new WireLine(`*** Not delivered: ${what}`);
export const RESYNCED = new WireLine('*** The chat was restored after its log lost data: some lines may be missing');
/** This server was declared gone by the cluster (it lost touch too long): its users must reconnect. */
export const NODE_GONE = new WireLine('*** Server lost touch with the cluster: please reconnect');

/** The /help text: one line per command, each prefixed `*** ` as the protocol asks. */
export const helpLines = (commands: readonly { readonly synopsis: string; readonly does: string }[]): readonly WireLine[] => [
  new WireLine('*** Commands:'),
  ...commands.map((c) => new WireLine(`*** ${c.synopsis.padEnd(20)} ${c.does}`)),
  new WireLine('*** Anything else you type is said in your current room.'),
];

/** Words that end a session (defined with the other commands; re-exported for the client). */
export { isExitCommand } from './commands.ts';

// ---------------------------------------------------------------------------------------------
// The parse side: a server line read back into data, for the clients (the terminal client and the
// web page read every line they show through `parseServerLine`).
//
// Each reader is built from the renderer above that writes its line: `reader(joinedRoom, …)`
// calls `joinedRoom` once with placeholders and looks for the text around them, so the words of a
// line are written once, in its renderer, and a reworded renderer is read as reworded. Lists,
// counts and the history stamp, which are not plain templates, are read by hand right here.
// test/messages.parse.spec.ts checks, for every renderer and any valid arguments, that parsing
// what it renders gives the arguments back.
//
// Strict, so a line means one thing: a name or room must be as the server writes it (valid and
// canonical: `checkName`, `checkRoom`), a count plain decimal, a list's count its length; any
// other `*** ` line is a `notice`, anything else `text`. One line the wire cannot tell apart:
// `*** You left #r` is `youLeft('#r')` to the one who parted and `leftRoom('You', '#r')` to the
// others whose current room it is. It parses as `you-left`; a client that sent no `/part` knows it
// is a user named You. Behind a room tag (`[#r] …`) it can only be someone else's: `left-room`.

/** A room and how many are in it, as `/rooms` lists it. */
export interface RoomCount {
  readonly room: string;
  readonly users: number;
}

/** A line of a room, as it may also come behind a `[#room] ` tag: said in it, or news of it. */
export type RoomLine =
  | { readonly kind: 'chat'; readonly name: string; readonly text: string }
  | { readonly kind: 'action'; readonly name: string; readonly text: string }
  /** `*** <name> joined the chat`: a connection joined #lobby. */
  | { readonly kind: 'joined-chat'; readonly name: string }
  | { readonly kind: 'joined-room'; readonly name: string; readonly room: string }
  | { readonly kind: 'left-room'; readonly name: string; readonly room: string };

/** A line said in a room: what a history line holds. */
export type SaidLine = Extract<RoomLine, { kind: 'chat' | 'action' }>;

/** What one server line says. */
export type ServerLine =
  | RoomLine
  | { readonly kind: 'prompt' }
  | { readonly kind: 'welcome'; readonly name: string }
  /** `Goodbye <name>!`, or `Goodbye!` (null) at the name prompt. */
  | { readonly kind: 'goodbye'; readonly name: string | null }
  | { readonly kind: 'left-chat'; readonly name: string; readonly tooSlow: boolean }
  | { readonly kind: 'renamed'; readonly from: string; readonly to: string }
  /** The `/who` reply: everyone connected. */
  | { readonly kind: 'online'; readonly names: readonly string[] }
  | { readonly kind: 'private'; readonly from: string; readonly to: string; readonly text: string }
  | { readonly kind: 'now-in'; readonly room: string; readonly users: number }
  | { readonly kind: 'you-left'; readonly room: string }
  | { readonly kind: 'rooms'; readonly rooms: readonly RoomCount[] }
  /** The `/who <room>` reply, in the order they joined it. */
  | { readonly kind: 'members'; readonly room: string; readonly names: readonly string[] }
  /** A line of `room`, which is not the reader's current room: `[#rust] (Ann) hi`. */
  | { readonly kind: 'in-room'; readonly room: string; readonly line: RoomLine }
  /** A history line; `time` is `HH:MM`, UTC. */
  | { readonly kind: 'stamped'; readonly time: string; readonly line: SaidLine }
  | { readonly kind: 'where-is'; readonly name: string; readonly rooms: readonly string[] }
  | { readonly kind: 'invalid-name'; readonly reason: string }
  | { readonly kind: 'name-taken'; readonly name: string }
  | { readonly kind: 'line-too-long'; readonly max: number }
  | { readonly kind: 'no-such-user'; readonly name: string }
  | { readonly kind: 'unknown-command'; readonly command: string }
  | { readonly kind: 'usage'; readonly synopsis: string }
  | { readonly kind: 'already-named'; readonly name: string }
  | { readonly kind: 'not-in-room'; readonly room: string }
  | { readonly kind: 'no-such-room'; readonly room: string }
  | { readonly kind: 'no-history'; readonly room: string }
  | { readonly kind: 'invalid-room'; readonly reason: string }
  | { readonly kind: 'too-many-rooms-for-user'; readonly max: number }
  | { readonly kind: 'too-many-rooms'; readonly max: number }
  | { readonly kind: 'not-delivered'; readonly what: string }
  | { readonly kind: 'timed-out' | 'server-full' | 'shutting-down' | 'no-room' | 'resynced' | 'node-gone' }
  /** Another `*** ` line (the /help text): `text` is what follows `*** `. */
  | { readonly kind: 'notice'; readonly text: string }
  /** Not a line the server writes. */
  | { readonly kind: 'text'; readonly text: string };

/** True for a name exactly as the server writes one: valid, trimmed and normalised. */
export function isWireName(name: string): boolean {
  if (ASCII_NAME.test(name)) return true; // the common case, without normalising
  const check = checkName(name);
  return check.ok && check.name === name;
}

/** True for a room name exactly as the server writes one: `#`, valid, normalised. */
export function isWireRoom(room: string): boolean {
  if (ASCII_ROOM.test(room)) return true;
  const check = checkRoom(room);
  return check.ok && check.room === room;
}

/** Plain ASCII names and rooms that `checkName` and `checkRoom` accept as they are. */
const ASCII_NAME = /^[A-Za-z0-9_.-]{1,24}$/;
const ASCII_ROOM = /^#[A-Za-z0-9_.-]{1,32}$/;

/** What one server line (without its LF) says. Total: never throws; unknown lines are `text`. */
export function parseServerLine(text: string): ServerLine {
  const fixed = FIXED.get(text);
  if (fixed !== undefined) return fixed;
  for (const read of readers()) {
    const line = read(text);
    if (line !== null) return line;
  }
  return text.startsWith(NOTICE) ? { kind: 'notice', text: text.slice(NOTICE.length) } : { kind: 'text', text };
}

/** A room's line as it follows a `[#room] ` tag, or null when it is not one. */
export function parseRoomLine(text: string): RoomLine | null {
  for (const read of roomReaders()) {
    const line = read(text);
    if (line !== null) return line;
  }
  return null;
}

const NOTICE = '*** ';

const FIXED: ReadonlyMap<string, ServerLine> = new Map<string, ServerLine>([
  [USERNAME_PROMPT.text, { kind: 'prompt' }],
  [GOODBYE_ANONYMOUS.text, { kind: 'goodbye', name: null }],
  [TIMED_OUT.text, { kind: 'timed-out' }],
  [SERVER_FULL.text, { kind: 'server-full' }],
  [SHUTTING_DOWN.text, { kind: 'shutting-down' }],
  [NO_ROOM.text, { kind: 'no-room' }],
  [RESYNCED.text, { kind: 'resynced' }],
  [NODE_GONE.text, { kind: 'node-gone' }],
]);

/**
 * One argument of a renderer: the placeholder given to the renderer for argument `i` (`fill`),
 * the text that placeholder renders as (`mark`), and the argument read back from its text.
 */
interface Hole<T> {
  fill(i: number): unknown;
  mark(i: number): string;
  read(text: string): T | null;
}

/** A placeholder no renderer's own words contain (NUL never reaches the wire). */
const mark = (i: number): string => `\u0000${i}\u0000`;
const COUNT_MARK = 7_000_000_000;
const PLAIN_COUNT = /^(?:0|[1-9][0-9]{0,14})$/;

const NAME: Hole<string> = { fill: mark, mark, read: (t) => (isWireName(t) ? t : null) };
const ROOM: Hole<string> = { fill: mark, mark, read: (t) => (isWireRoom(t) ? t : null) };
const TEXT: Hole<string> = { fill: mark, mark, read: (t) => t };
const COUNT: Hole<number> = { fill: (i) => COUNT_MARK + i, mark: (i) => String(COUNT_MARK + i), read: readCount };
/** Rooms joined by `, `, at least one. */
const ROOMS: Hole<readonly string[]> = {
  fill: (i) => [mark(i)],
  mark,
  read: (t) => {
    const rooms = t.split(', ');
    return rooms.every(isWireRoom) ? rooms : null;
  },
};
/** A room's line given to `inRoom` (a WireLine). */
const ROOM_LINE: Hole<RoomLine> = { fill: (i) => new WireLine(mark(i)), mark, read: (t) => parseRoomLine(t) };

function readCount(text: string): number | null {
  return PLAIN_COUNT.test(text) ? Number(text) : null;
}

type Reader = (text: string) => ServerLine | null;

/**
 * Reads the lines `render` writes: render once with placeholders, keep the text between them
 * (`pieces`), then cut a line at those pieces and read each argument back. An argument that is
 * not the last is a name, room or count, which never holds the space every piece after it starts
 * or ends with, so cutting at the first match is exact. If the renderer no longer has that shape
 * the reader reads nothing (and the round-trip test fails).
 */
function reader<V extends readonly unknown[], L extends ServerLine>(
  render: (...args: never[]) => WireLine,
  holes: { readonly [K in keyof V]: Hole<V[K]> },
  build: (...values: V) => L | null,
): (text: string) => L | null {
  const all = holes as readonly Hole<unknown>[];
  const text = (render as (...args: unknown[]) => WireLine)(...all.map((hole, i) => hole.fill(i))).text;
  const pieces: string[] = [];
  let from = 0;
  for (const [i, hole] of all.entries()) {
    const at = text.indexOf(hole.mark(i), from);
    if (at === -1) return () => null;
    pieces.push(text.slice(from, at));
    from = at + hole.mark(i).length;
  }
  pieces.push(text.slice(from));
  return (line) => {
    const parts = cut(line, pieces);
    if (parts === null) return null;
    const values: unknown[] = [];
    for (const [i, part] of parts.entries()) {
      const value = all[i]?.read(part) ?? null;
      if (value === null) return null;
      values.push(value);
    }
    return build(...(values as unknown as V));
  };
}

/** The arguments of `line` between `pieces` (the text before, between and after them), or null. */
function cut(line: string, pieces: readonly string[]): string[] | null {
  const first = pieces[0] ?? '';
  const last = pieces.at(-1) ?? '';
  const end = line.length - last.length;
  if (end < first.length || !line.startsWith(first) || !line.endsWith(last)) return null;
  const parts: string[] = [];
  let from = first.length;
  for (const piece of pieces.slice(1, -1)) {
    const at = line.indexOf(piece, from);
    if (at === -1 || at + piece.length > end) return null;
    parts.push(line.slice(from, at));
    from = at + piece.length;
  }
  parts.push(line.slice(from, end));
  return parts;
}

/** `(<n>): a, b, c` after a list's heading: the items, or null unless there are exactly n. */
function countedList(text: string): string[] | null {
  const close = text.indexOf('): ');
  if (!text.startsWith('(') || close === -1) return null;
  const count = readCount(text.slice(1, close));
  const rest = text.slice(close + 3);
  const items = rest === '' ? [] : rest.split(', ');
  return count === items.length ? items : null;
}

/** The said line of a room and its notices: what may follow a `[#room] ` tag. */
type RoomReader = (text: string) => RoomLine | null;
let roomReaderList: readonly RoomReader[] | undefined;
function roomReaders(): readonly RoomReader[] {
  return (roomReaderList ??= [
    reader(chatLine, [NAME, TEXT], (name, text): RoomLine => ({ kind: 'chat', name, text })),
    reader(actionLine, [NAME, TEXT], (name, text): RoomLine => ({ kind: 'action', name, text })),
    reader(joinedNotice, [NAME], (name): RoomLine => ({ kind: 'joined-chat', name })),
    reader(joinedRoom, [NAME, ROOM], (name, room): RoomLine => ({ kind: 'joined-room', name, room })),
    reader(leftRoom, [NAME, ROOM], (name, room): RoomLine => ({ kind: 'left-room', name, room })),
  ]);
}

const HISTORY_STAMP = /^\[((?:[01][0-9]|2[0-3]):[0-5][0-9])\] /;

/** Every reader, in the order tried (`you-left` before `left-room`: see above). */
let readerList: readonly Reader[] | undefined;
function readers(): readonly Reader[] {
  return (readerList ??= [
    reader(welcome, [NAME], (name) => ({ kind: 'welcome', name })),
    reader(goodbye, [NAME], (name) => ({ kind: 'goodbye', name })),
    reader(youLeft, [ROOM], (room) => ({ kind: 'you-left', room })),
    ...roomReaders(),
    reader((name: string) => leftNotice(name, 'quit'), [NAME], (name) => ({ kind: 'left-chat', name, tooSlow: false })),
    reader((name: string) => leftNotice(name, 'too-slow'), [NAME], (name) => ({ kind: 'left-chat', name, tooSlow: true })),
    reader(renamedNotice, [NAME, NAME], (from, to) => ({ kind: 'renamed', from, to })),
    reader(privateLine, [NAME, NAME, TEXT], (from, to, text) => ({ kind: 'private', from, to, text })),
    reader((room: string) => nowIn(room, 1), [ROOM], (room) => ({ kind: 'now-in', room, users: 1 })),
    reader(nowIn, [ROOM, COUNT], (room, users) => (users === 1 ? null : { kind: 'now-in', room, users })),
    // A room's notice names the room it is tagged with.
    reader(inRoom, [ROOM, ROOM_LINE], (room, line) => ('room' in line && line.room !== room ? null : { kind: 'in-room', room, line })),
    readHistoryLine,
    readOnline,
    readMembers,
    readRooms,
    reader((name: string) => whereIs(name, []), [NAME], (name) => ({ kind: 'where-is', name, rooms: [] })),
    reader(whereIs, [NAME, ROOMS], (name, rooms) => ({ kind: 'where-is', name, rooms })),
    reader(invalidName, [TEXT], (reason) => ({ kind: 'invalid-name', reason })),
    reader(nameTaken, [NAME], (name) => ({ kind: 'name-taken', name })),
    reader(lineTooLong, [COUNT], (max) => ({ kind: 'line-too-long', max })),
    reader(noSuchUser, [TEXT], (name) => ({ kind: 'no-such-user', name })),
    reader(unknownCommand, [TEXT], (command) => ({ kind: 'unknown-command', command })),
    reader(usage, [TEXT], (synopsis) => ({ kind: 'usage', synopsis })),
    reader(alreadyNamed, [NAME], (name) => ({ kind: 'already-named', name })),
    reader(notInRoom, [TEXT], (room) => ({ kind: 'not-in-room', room })),
    reader(noSuchRoom, [TEXT], (room) => ({ kind: 'no-such-room', room })),
    reader(noHistory, [ROOM], (room) => ({ kind: 'no-history', room })),
    reader(invalidRoom, [TEXT], (reason) => ({ kind: 'invalid-room', reason })),
    reader(tooManyRoomsForUser, [COUNT], (max) => ({ kind: 'too-many-rooms-for-user', max })),
    reader(tooManyRooms, [COUNT], (max) => ({ kind: 'too-many-rooms', max })),
    reader(notDelivered, [TEXT], (what) => ({ kind: 'not-delivered', what })),
  ]);
}

/** `stamped`: `[HH:MM] ` (hhmm) before a said line. */
function readHistoryLine(text: string): ServerLine | null {
  const stamp = HISTORY_STAMP.exec(text);
  const time = stamp?.[1];
  if (stamp === null || time === undefined) return null;
  const line = parseRoomLine(text.slice(stamp[0].length));
  return line !== null && (line.kind === 'chat' || line.kind === 'action') ? { kind: 'stamped', time, line } : null;
}

/** `whoList`: `*** Users online (<n>): <a>, <b>, ...`. */
function readOnline(text: string): ServerLine | null {
  const heading = '*** Users online ';
  if (!text.startsWith(heading)) return null;
  const names = countedList(text.slice(heading.length));
  return names !== null && names.every(isWireName) ? { kind: 'online', names } : null;
}

/** `memberList`: `*** Users in <room> (<n>): <a>, <b>, ...`. */
function readMembers(text: string): ServerLine | null {
  const heading = '*** Users in ';
  if (!text.startsWith(heading)) return null;
  const space = text.indexOf(' ', heading.length);
  const room = text.slice(heading.length, space);
  const names = space === -1 ? null : countedList(text.slice(space + 1));
  return names !== null && isWireRoom(room) && names.every(isWireName) ? { kind: 'members', room, names } : null;
}

/** `roomList`: `*** Rooms (<n>): <room> (<users>), ...`. */
function readRooms(text: string): ServerLine | null {
  const heading = '*** Rooms ';
  if (!text.startsWith(heading)) return null;
  const items = countedList(text.slice(heading.length));
  if (items === null) return null;
  const rooms: RoomCount[] = [];
  for (const item of items) {
    const space = item.indexOf(' (');
    const room = item.slice(0, space);
    const users = space === -1 || !item.endsWith(')') ? null : readCount(item.slice(space + 2, -1));
    if (users === null || !isWireRoom(room)) return null;
    rooms.push({ room, users });
  }
  return { kind: 'rooms', rooms };
}
