// Every line the server sends, as constants and tiny functions: the only file with wire text.
//
// The strings follow ../shared/PROTOCOL.md to the letter; tests compare against these functions
// and, in the protocol-level specs, against the literal strings from the protocol table.
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

/** Why a chatting user left; only "too slow" is spelled out to the others. */
export type LeaveReason = 'quit' | 'dropped' | 'too-slow' | 'shutdown';

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
