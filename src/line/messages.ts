// Every line of the line protocol the server sends, as constants and tiny functions: the only
// place with the line protocol's wire text (render.ts puts events into these words; the client
// reads them back with the parsers at the end of this file).
//
// The strings follow ../shared/PROTOCOL.md to the letter; tests compare against these functions
// and, in the protocol-level specs, against the literal strings from the protocol table.
import type { LeaveReason } from '../core/intents.ts';
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
  new WireLine('*** Anything else you type is said to everyone.'),
];

/** Words that end a session (defined with the other commands; re-exported for the client). */
export { isExitCommand } from './commands.ts';

/** True for the server's farewell, `Goodbye!` or `Goodbye <name>!` (the client waits for it). */
export function isGoodbye(line: string): boolean {
  return /^Goodbye( \S.*)?!$/u.test(line);
}
