// THE state machine of one connection: a pure reducer from (session, input) to (session, effects).
//
// It is run with `scan` over the connection's inbox (its own lines merged with room events, see
// server.ts). It never performs anything: it returns effects as data, which a thin shell carries
// out — send a line to this client, publish an intent to the bus, close, write a log line.
//
//   awaiting-name ──claim accepted──▶ chatting ──exit, /quit, hang-up, too slow, shutdown──▶ leaving
//        │                                                                                   ▲
//        └──────────exit, /quit, hang-up, timeout, too slow, shutdown (never joined)─────────┘
//
// Entering `leaving` always comes with `close` or `abort`, which ends the actor (server.ts): its
// inbox is unsubscribed, and `finalize` there tells the room it left, whatever happened.
//
// A session is a member of the room only from its `joined` event to its `leave` intent. It hears
// the room's broadcast lines only from its welcome (the `listen` effect) until it closes: nobody
// hears a line from before they joined or after they left. Events that concern this connection
// alone (its welcome, replies, whispers, a refused name, shutdown) arrive in its inbox.
import type { Frame } from '../framing.ts';
import { COMMANDS, isExitCommand, parseCommand } from './commands.ts';
import type { ConnId, Intent, RoomEvent } from './events.ts';
import {
  GOODBYE_ANONYMOUS,
  SHUTTING_DOWN,
  TIMED_OUT,
  USERNAME_PROMPT,
  goodbye,
  helpLines,
  invalidName,
  lineTooLong,
  nameTaken,
  unknownCommand,
  usage,
} from './messages.ts';
import { checkName } from './names.ts';
import { isBlank, stripControls } from './text.ts';
import type { WireLine } from './wire-line.ts';

export type Session =
  /** Prompted for a name; `claiming` is a name sent to the room and not yet decided. */
  | { readonly phase: 'awaiting-name'; readonly id: ConnId; readonly claiming: string | null }
  | { readonly phase: 'chatting'; readonly id: ConnId; readonly name: string }
  /** Done: the last line (if any) is sent and the connection is closing. Everything is ignored. */
  | { readonly phase: 'leaving'; readonly id: ConnId };

/** Everything that can arrive in a session's inbox. */
export type SessionInput =
  | { readonly kind: 'open' } // the connection was accepted
  | Frame // a line from the client, or notice that one was too long
  | { readonly kind: 'hangup' } // the client's side ended: EOF, reset or error
  | { readonly kind: 'timeout' } // the name prompt's time is up
  | { readonly kind: 'too-slow' } // the client's unsent output passed its budget
  | RoomEvent;

/** What the shell is asked to do, in order. */
export type Effect =
  | { readonly kind: 'send'; readonly line: WireLine }
  | { readonly kind: 'publish'; readonly intent: Intent }
  /** Close after flushing what was sent. */
  | { readonly kind: 'close' }
  /** Close at once, dropping unsent output (a client too slow to read it). */
  | { readonly kind: 'abort' }
  /** Start receiving the room's broadcast lines (chat, joins, leaves, renames), straight to the output. */
  | { readonly kind: 'listen' }
  | { readonly kind: 'log'; readonly message: string };

export interface Transition {
  readonly session: Session;
  readonly effects: readonly Effect[];
}

export interface SessionConfig {
  readonly maxLineBytes: number;
}

const NOTHING: readonly Effect[] = Object.freeze([]);
const CLOSE: Effect = Object.freeze({ kind: 'close' });
const ABORT: Effect = Object.freeze({ kind: 'abort' });
const LISTEN: Effect = Object.freeze({ kind: 'listen' });
const send = (line: WireLine): Effect => ({ kind: 'send', line });
const HELP: readonly Effect[] = Object.freeze(helpLines(COMMANDS).map(send));
const publish = (intent: Intent): Effect => ({ kind: 'publish', intent });

/** A new connection, before its `open` input. */
export function initialSession(id: ConnId): Session {
  return { phase: 'awaiting-name', id, claiming: null };
}

/** One step of the state machine. Total: every input is valid in every phase. */
export function step(session: Session, input: SessionInput, config: SessionConfig): Transition {
  switch (session.phase) {
    case 'awaiting-name':
      return awaitingName(session, input, config);
    case 'chatting':
      return chatting(session, input, config);
    case 'leaving':
      return leaving(session);
  }
}

function awaitingName(
  session: Extract<Session, { phase: 'awaiting-name' }>,
  input: SessionInput,
  config: SessionConfig,
): Transition {
  const { id } = session;
  switch (input.kind) {
    case 'open':
      return { session, effects: [send(USERNAME_PROMPT)] };
    case 'too-long':
      return {
        session,
        effects: session.claiming === null ? [send(lineTooLong(config.maxLineBytes)), send(USERNAME_PROMPT)] : [send(lineTooLong(config.maxLineBytes))],
      };
    case 'line': {
      // A claim is decided before this session's next input is handled (the bus runs first, see
      // bus.ts), so a line while claiming cannot arrive; the reducer stays total and ignores it.
      const text = stripControls(input.text);
      if (session.claiming !== null || isBlank(text)) return { session, effects: NOTHING };
      if (isExitCommand(text)) {
        return { session: { phase: 'leaving', id }, effects: [send(GOODBYE_ANONYMOUS), CLOSE] };
      }
      const check = checkName(text);
      if (!check.ok) return { session, effects: [send(invalidName(check.reason)), send(USERNAME_PROMPT)] };
      return {
        session: { phase: 'awaiting-name', id, claiming: check.name },
        effects: [publish({ kind: 'claim', id, name: check.name })],
      };
    }
    case 'joined':
      if (input.id !== id) return { session, effects: NOTHING };
      return {
        session: { phase: 'chatting', id, name: input.name },
        // After the welcome, every broadcast line reaches this client without a reducer step (bus.ts).
        effects: [send(input.welcome), LISTEN, { kind: 'log', message: `joined as ${input.name}` }],
      };
    case 'name-taken':
      if (input.id !== id) return { session, effects: NOTHING };
      return {
        session: { phase: 'awaiting-name', id, claiming: null },
        effects: [send(nameTaken(input.name)), send(USERNAME_PROMPT)],
      };
    case 'hangup':
      return { session: { phase: 'leaving', id }, effects: [CLOSE] };
    case 'timeout':
      return {
        session: { phase: 'leaving', id },
        effects: [send(TIMED_OUT), { kind: 'log', message: 'timed out at the name prompt' }, CLOSE],
      };
    case 'too-slow':
      return { session: { phase: 'leaving', id }, effects: [ABORT] };
    case 'shutdown':
      return { session: { phase: 'leaving', id }, effects: [send(SHUTTING_DOWN), CLOSE] };
    case 'said':
    case 'left':
    case 'renamed':
    case 'whispered':
    case 'reply':
      return { session, effects: NOTHING }; // not in the room yet: hears nothing
  }
}

function chatting(
  session: Extract<Session, { phase: 'chatting' }>,
  input: SessionInput,
  config: SessionConfig,
): Transition {
  const { id, name } = session;
  switch (input.kind) {
    case 'line':
      return command(session, stripControls(input.text));
    case 'too-long':
      return { session, effects: [send(lineTooLong(config.maxLineBytes))] };
    case 'said':
    case 'joined':
    case 'left':
      // Broadcast lines reach a chatting session through `listen`, not its inbox (bus.ts).
      return { session, effects: NOTHING };
    case 'renamed':
      // The notice itself is a broadcast line; here the session only learns its new name.
      if (input.id !== id) return { session, effects: NOTHING };
      return {
        session: { phase: 'chatting', id, name: input.name },
        effects: [{ kind: 'log', message: `renamed ${name} -> ${input.name}` }],
      };
    case 'whispered':
      return { session, effects: input.from === id || input.to === id ? [send(input.line)] : NOTHING };
    case 'reply':
      return { session, effects: input.id === id ? [send(input.line)] : NOTHING };
    case 'name-taken': // a /nick to a name someone holds: no prompt, the user keeps chatting
      return { session, effects: input.id === id ? [send(nameTaken(input.name))] : NOTHING };
    case 'hangup':
      return {
        session: { phase: 'leaving', id },
        effects: [publish({ kind: 'leave', id, reason: 'dropped' }), CLOSE],
      };
    case 'too-slow':
      return {
        session: { phase: 'leaving', id },
        effects: [publish({ kind: 'leave', id, reason: 'too-slow' }), { kind: 'log', message: `${name} cut off: too slow to read` }, ABORT],
      };
    case 'shutdown':
      return { session: { phase: 'leaving', id }, effects: [send(SHUTTING_DOWN), CLOSE] };
    case 'open':
    case 'timeout':
      return { session, effects: NOTHING };
  }
}

/** A line typed while chatting, already cleaned of control characters. */
function command(session: Extract<Session, { phase: 'chatting' }>, text: string): Transition {
  const { id, name } = session;
  if (isBlank(text)) return { session, effects: NOTHING };
  const parsed = parseCommand(text);
  switch (parsed.kind) {
    case 'say':
      return { session, effects: [publish({ kind: 'say', id, text })] };
    case 'me':
      return { session, effects: [publish({ kind: 'act', id, action: parsed.action })] };
    case 'who':
      return { session, effects: [publish({ kind: 'who', id })] };
    case 'msg':
      return { session, effects: [publish({ kind: 'msg', id, to: parsed.to, text: parsed.text })] };
    case 'nick': {
      const check = checkName(parsed.name);
      if (!check.ok) return { session, effects: [send(invalidName(check.reason))] };
      return { session, effects: [publish({ kind: 'rename', id, name: check.name })] };
    }
    case 'help':
      return { session, effects: HELP };
    case 'usage':
      return { session, effects: [send(usage(parsed.usage))] };
    case 'unknown':
      return { session, effects: [send(unknownCommand(parsed.command))] };
    case 'quit':
      return {
        session: { phase: 'leaving', id },
        effects: [send(goodbye(name)), publish({ kind: 'leave', id, reason: 'quit' }), CLOSE],
      };
  }
}

function leaving(session: Extract<Session, { phase: 'leaving' }>): Transition {
  // Nothing reaches a leaving session in the server (its close ends the actor); kept total anyway.
  return { session, effects: NOTHING };
}
