// THE state machine of one line-protocol connection: a pure reducer (session, input) → (session, effects).
//
// It is run with `scan` over the connection's own inputs merged with the hub events that change
// it (front-end.ts). It never performs anything: it returns effects as data, which a thin shell
// carries out — send a line to this client, publish an intent to the log, close, write a log line.
//
//   awaiting-name ──welcome──▶ chatting ──exit, /quit, hang-up, too slow, server closing──▶ leaving
//        │  ▲ claim published       │                                                     ▲
//        │  └──name taken──┘        └─────────────────────────────────────────────────────┘
//        └──────────exit, /quit, hang-up, timeout, too slow, server closing (never joined)──┘
//
// The chat's own lines (welcome, chat, notices, replies) never pass through here: the hub renders
// them once and hands them to the connection (front-end.ts). This reducer only learns what changes
// the session: its claim was accepted or refused, it was renamed, the server is closing.
//
// Nothing here assumes a decision is synchronous. While a claim is out (the log may be remote),
// the client's further lines are held, in order, and handled once the claim is decided: as chat
// once welcomed, as the next name attempt once refused. None is dropped.
import type { Frame } from '../framing.ts';
import type { ChatEvent, HubNotice } from '../core/events.ts';
import type { ConnId, Intent } from '../core/intents.ts';
import { checkName } from '../core/names.ts';
import { checkRoom } from '../core/rooms.ts';
import { isBlank, stripControls } from '../core/text.ts';
import { COMMANDS, isExitCommand, parseCommand } from './commands.ts';
import {
  GOODBYE_ANONYMOUS,
  TIMED_OUT,
  USERNAME_PROMPT,
  goodbye,
  helpLines,
  invalidName,
  invalidRoom,
  lineTooLong,
  unknownCommand,
  usage,
} from './messages.ts';
import type { WireLine } from './wire-line.ts';

export type Session =
  /** Prompted for a name; `claiming` is a name sent to the log and not yet decided, `held` the lines typed since. */
  | { readonly phase: 'awaiting-name'; readonly conn: ConnId; readonly claiming: string | null; readonly held: readonly Frame[] }
  | { readonly phase: 'chatting'; readonly conn: ConnId; readonly name: string }
  /** Done: the last line (if any) is sent and the connection is closing. Everything is ignored. */
  | { readonly phase: 'leaving'; readonly conn: ConnId };

/** The hub events a session reacts to (everything else the hub renders straight to the client). */
export type HubInput = Extract<ChatEvent | HubNotice, { kind: 'welcome' | 'name-taken' | 'renamed' | 'node-closed' | 'undelivered' }>;

/** Everything that can arrive in a session's inbox. */
export type SessionInput =
  | { readonly kind: 'open' } // the connection was accepted
  | Frame // a line from the client, or notice that one was too long
  | { readonly kind: 'hangup' } // the client's side ended: EOF, reset or error
  | { readonly kind: 'timeout' } // the name prompt's time is up
  | { readonly kind: 'too-slow' } // the client's unsent output passed its budget
  | HubInput;

/** What the shell is asked to do, in order. */
export type Effect =
  | { readonly kind: 'send'; readonly line: WireLine }
  | { readonly kind: 'publish'; readonly intent: Intent }
  /** Close after flushing what was sent. */
  | { readonly kind: 'close' }
  /** Close at once, dropping unsent output (a client too slow to read it). */
  | { readonly kind: 'abort' }
  /** Stop reading the client (`hold`) while many lines wait for a claim; read again (`release`). */
  | { readonly kind: 'hold' }
  | { readonly kind: 'release' }
  | { readonly kind: 'log'; readonly message: string };

export interface Transition {
  readonly session: Session;
  readonly effects: readonly Effect[];
}

export interface SessionConfig {
  readonly maxLineBytes: number;
}

/** Lines held while a claim is out before the shell stops reading the client (they stay bounded). */
export const HOLD_LIMIT = 64;

const NOTHING: readonly Effect[] = Object.freeze([]);
const CLOSE: Effect = Object.freeze({ kind: 'close' });
const ABORT: Effect = Object.freeze({ kind: 'abort' });
const HOLD: Effect = Object.freeze({ kind: 'hold' });
const RELEASE: Effect = Object.freeze({ kind: 'release' });
const send = (line: WireLine): Effect => ({ kind: 'send', line });
const PROMPT: Effect = send(USERNAME_PROMPT);
const HELP: readonly Effect[] = Object.freeze(helpLines(COMMANDS).map(send));
const publish = (intent: Intent): Effect => ({ kind: 'publish', intent });

/** A new connection, before its `open` input. */
export function initialSession(conn: ConnId): Session {
  return { phase: 'awaiting-name', conn, claiming: null, held: [] };
}

/** One step of the state machine. Total: every input is valid in every phase. */
export function step(session: Session, input: SessionInput, config: SessionConfig): Transition {
  switch (session.phase) {
    case 'awaiting-name':
      return awaitingName(session, input, config);
    case 'chatting':
      return chatting(session, input, config);
    case 'leaving':
      return { session, effects: NOTHING };
  }
}

type AwaitingName = Extract<Session, { phase: 'awaiting-name' }>;

function awaitingName(session: AwaitingName, input: SessionInput, config: SessionConfig): Transition {
  const { conn } = session;
  switch (input.kind) {
    case 'open':
      return { session, effects: [PROMPT] };
    case 'line':
    case 'too-long':
      if (session.claiming !== null) {
        // Decided later: keep it, in order, and stop reading when many wait.
        const held = [...session.held, input];
        return { session: { ...session, held }, effects: held.length === HOLD_LIMIT ? [HOLD] : NOTHING };
      }
      return nameAttempt(session, input, config);
    case 'welcome':
      if (input.conn !== conn) return { session, effects: NOTHING };
      // The hub wrote the welcome; now the held lines, as chat.
      return replay(
        { session: { phase: 'chatting', conn, name: input.name }, effects: [{ kind: 'log', message: `joined as ${input.name}` }] },
        session.held,
        config,
      );
    case 'name-taken':
    case 'undelivered':
      if (input.conn !== conn || session.claiming === null) return { session, effects: NOTHING };
      if (input.kind === 'undelivered' && input.intent.kind !== 'claim') return { session, effects: NOTHING };
      // The hub wrote why; ask again, then take the held lines as the next attempts.
      return replay({ session: { phase: 'awaiting-name', conn, claiming: null, held: [] }, effects: [PROMPT] }, session.held, config);
    case 'hangup':
      return { session: { phase: 'leaving', conn }, effects: [CLOSE] };
    case 'timeout':
      return {
        session: { phase: 'leaving', conn },
        effects: [send(TIMED_OUT), { kind: 'log', message: 'timed out at the name prompt' }, CLOSE],
      };
    case 'too-slow':
      return { session: { phase: 'leaving', conn }, effects: [ABORT] };
    case 'node-closed':
      return { session: { phase: 'leaving', conn }, effects: [CLOSE] };
    case 'renamed':
      return { session, effects: NOTHING };
  }
}

/** A line (or a too-long one) at the name prompt, with no claim out. */
function nameAttempt(session: AwaitingName, input: Frame, config: SessionConfig): Transition {
  const { conn } = session;
  if (input.kind === 'too-long') return { session, effects: [send(lineTooLong(config.maxLineBytes)), PROMPT] };
  const text = stripControls(input.text);
  if (isExitCommand(text)) return { session: { phase: 'leaving', conn }, effects: [send(GOODBYE_ANONYMOUS), CLOSE] };
  // An empty line is an invalid name too (v2): a person who just pressed Enter is answered.
  const check = checkName(text);
  if (!check.ok) return { session, effects: [send(invalidName(check.reason)), PROMPT] };
  return {
    session: { phase: 'awaiting-name', conn, claiming: check.name, held: [] },
    effects: [publish({ kind: 'claim', conn, name: check.name, lobby: true })],
  };
}

/** Steps through lines held during a claim, after `start`; reading resumes if it had stopped. */
function replay(start: Transition, held: readonly Frame[], config: SessionConfig): Transition {
  let { session } = start;
  const effects = [...start.effects];
  if (held.length >= HOLD_LIMIT) effects.push(RELEASE);
  for (const frame of held) {
    const next = step(session, frame, config);
    session = next.session;
    effects.push(...next.effects);
  }
  return { session, effects };
}

type Chatting = Extract<Session, { phase: 'chatting' }>;

function chatting(session: Chatting, input: SessionInput, config: SessionConfig): Transition {
  const { conn, name } = session;
  switch (input.kind) {
    case 'line':
      return command(session, stripControls(input.text));
    case 'too-long':
      return { session, effects: [send(lineTooLong(config.maxLineBytes))] };
    case 'renamed':
      // The hub wrote the notice; here the session only learns its new name.
      if (input.conn !== conn) return { session, effects: NOTHING };
      return { session: { phase: 'chatting', conn, name: input.to }, effects: [{ kind: 'log', message: `renamed ${name} -> ${input.to}` }] };
    case 'hangup':
      return { session: { phase: 'leaving', conn }, effects: [publish({ kind: 'leave', conn, reason: 'dropped' }), CLOSE] };
    case 'too-slow':
      return {
        session: { phase: 'leaving', conn },
        effects: [publish({ kind: 'leave', conn, reason: 'too-slow' }), { kind: 'log', message: `${name} cut off: too slow to read` }, ABORT],
      };
    case 'node-closed':
      return { session: { phase: 'leaving', conn }, effects: [CLOSE] };
    case 'open':
    case 'timeout':
    case 'welcome':
    case 'name-taken':
    case 'undelivered':
      return { session, effects: NOTHING };
  }
}

/** A line typed while chatting, already cleaned of control characters. */
function command(session: Chatting, text: string): Transition {
  const { conn, name } = session;
  if (isBlank(text)) return { session, effects: NOTHING };
  const parsed = parseCommand(text);
  const ask = (intent: Intent): Transition => ({ session, effects: [publish(intent)] });
  const withRoom = (typed: string, then: (room: string) => Intent): Transition => {
    const check = checkRoom(typed);
    return check.ok ? ask(then(check.room)) : { session, effects: [send(invalidRoom(check.reason))] };
  };
  switch (parsed.kind) {
    case 'say':
      return ask({ kind: 'say', conn, room: null, text, style: 'chat' });
    case 'me':
      return ask({ kind: 'say', conn, room: null, text: parsed.action, style: 'action' });
    case 'who':
      return ask({ kind: 'who', conn });
    case 'members':
      return withRoom(parsed.room, (room) => ({ kind: 'members', conn, room }));
    case 'join':
      return withRoom(parsed.room, (room) => ({ kind: 'join', conn, room }));
    case 'part':
      return parsed.room === null ? ask({ kind: 'part', conn, room: null }) : withRoom(parsed.room, (room) => ({ kind: 'part', conn, room }));
    case 'rooms':
      return ask({ kind: 'rooms', conn });
    case 'history':
      return ask({ kind: 'history', conn, count: parsed.count });
    case 'msg':
      return ask({ kind: 'msg', conn, to: parsed.to, text: parsed.text, style: 'chat' });
    case 'nick': {
      const check = checkName(parsed.name);
      if (!check.ok) return { session, effects: [send(invalidName(check.reason))] };
      return ask({ kind: 'rename', conn, name: check.name });
    }
    case 'help':
      return { session, effects: HELP };
    case 'usage':
      return { session, effects: [send(usage(parsed.usage))] };
    case 'unknown':
      return { session, effects: [send(unknownCommand(parsed.command))] };
    case 'quit':
      return {
        session: { phase: 'leaving', conn },
        effects: [send(goodbye(name)), publish({ kind: 'leave', conn, reason: 'quit' }), CLOSE],
      };
  }
}
