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
// Nothing here assumes a decision is synchronous. Every intent this session publishes is
// outstanding (`pending`) until the hub says it is settled (decided, its lines delivered) or that it
// never reached the log. While any is outstanding, input that needs the outcome, or that the
// session would answer itself, is held, in order, and handled once all are settled: a claim's held
// lines become chat once welcomed or the next name attempt once refused; an answer the session
// gives itself (`/help`, `*** Usage`, `Goodbye`) never overtakes the reply to an earlier command; a
// client that hangs up right after its last lines still has them said. A chatting user's plain
// requests (lines, queries) are not held: they follow the outstanding ones into the log, which
// decides them in order, so a busy sender keeps the log fed. None is dropped. With the memory log
// every intent settles before the next input arrives, so nothing is ever held there.
import type { ShellEffect } from '../operators/actor-shell.ts';
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

/** Input that waits while intents are outstanding: the client's lines, and its hang-up after them. */
export type Held = Frame | { readonly kind: 'hangup' };

/** What a live session keeps besides its phase: intents not yet settled, and the input held meanwhile. */
interface Waiting {
  readonly pending: number;
  readonly held: readonly Held[];
}

export type Session =
  /** Prompted for a name; `claiming` is a name sent to the log and not yet decided. */
  | ({ readonly phase: 'awaiting-name'; readonly conn: ConnId; readonly claiming: string | null } & Waiting)
  | ({ readonly phase: 'chatting'; readonly conn: ConnId; readonly name: string } & Waiting)
  /** Done: the last line (if any) is sent and the connection is closing. Everything is ignored. */
  | { readonly phase: 'leaving'; readonly conn: ConnId };

/** One of this session's intents is decided and its lines delivered (the hub's Port.settled). */
export const SETTLED = Object.freeze({ kind: 'settled' } as const);

/** The hub events a session reacts to (everything else the hub renders straight to the client). */
export type HubInput =
  | Extract<ChatEvent | HubNotice, { kind: 'welcome' | 'name-taken' | 'renamed' | 'node-closed' | 'undelivered' }>
  | typeof SETTLED;

/** Everything that can arrive in a session's inbox. */
export type SessionInput =
  | { readonly kind: 'open' } // the connection was accepted
  | Frame // a line from the client, or notice that one was too long
  | { readonly kind: 'hangup' } // the client's side ended: EOF, reset or error
  | { readonly kind: 'timeout' } // the name prompt's time is up
  | { readonly kind: 'too-slow' } // the client's unsent output passed its budget
  | { readonly kind: 'tick' } // a periodic tick (the line protocol has no use for it)
  | HubInput;

/**
 * What the shell is asked to do, in order (operators/actor-shell.ts carries it out): send a line
 * to this client, publish an intent, close after flushing (`close`) or at once (`abort`), stop
 * reading the client while much input waits (`hold`) and read again (`release`), log.
 */
export type Effect = ShellEffect<WireLine>;

export interface Transition {
  readonly session: Session;
  readonly effects: readonly Effect[];
}

export interface SessionConfig {
  readonly maxLineBytes: number;
}

/** Input held while intents are outstanding before the shell stops reading the client (so it stays bounded). */
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
  return { phase: 'awaiting-name', conn, claiming: null, pending: 0, held: [] };
}

/**
 * One step of the state machine. Total: every input is valid in every phase. Reading stops when
 * the held input reaches HOLD_LIMIT and starts again when it falls below.
 */
export function step(session: Session, input: SessionInput, config: SessionConfig): Transition {
  const next = stepPhase(session, input, config);
  const before = heldCount(session);
  const after = heldCount(next.session);
  if (before < HOLD_LIMIT && after >= HOLD_LIMIT) return { session: next.session, effects: [...next.effects, HOLD] };
  if (before >= HOLD_LIMIT && after < HOLD_LIMIT) return { session: next.session, effects: [RELEASE, ...next.effects] };
  return next;
}

const heldCount = (session: Session): number => (session.phase === 'leaving' ? 0 : session.held.length);

function stepPhase(session: Session, input: SessionInput, config: SessionConfig): Transition {
  switch (session.phase) {
    case 'awaiting-name':
      return awaitingName(session, input, config);
    case 'chatting':
      return chatting(session, input, config);
    case 'leaving':
      return { session, effects: NOTHING };
  }
}

type Live = Exclude<Session, { phase: 'leaving' }>;

/** Keeps input for later, in order, while intents are outstanding. */
const hold = (session: Live, input: Held): Transition => ({ session: { ...session, held: [...session.held, input] }, effects: NOTHING });

/**
 * One outstanding intent is done with (`settled`, or never reached the log). When none is left,
 * the held input is handled now, in order, as if it arrived just now; what it publishes holds the
 * rest again.
 */
function done(start: Transition & { session: Live }, config: SessionConfig): Transition {
  const session = { ...start.session, pending: Math.max(0, start.session.pending - 1) };
  if (session.pending > 0 || session.held.length === 0) return { session, effects: start.effects };
  let current: Session = { ...session, held: [] };
  const effects = [...start.effects];
  for (const input of session.held) {
    const next = stepPhase(current, input, config);
    current = next.session;
    effects.push(...next.effects);
  }
  return { session: current, effects };
}

/** Publishes an intent, which is outstanding until it is settled. */
function ask<S extends Live>(session: S, intent: Intent, ...before: Effect[]): Transition {
  return { session: { ...session, pending: session.pending + 1 }, effects: [...before, publish(intent)] };
}

type AwaitingName = Extract<Session, { phase: 'awaiting-name' }>;

function awaitingName(session: AwaitingName, input: SessionInput, config: SessionConfig): Transition {
  const { conn } = session;
  switch (input.kind) {
    case 'open':
      return { session, effects: [PROMPT] };
    case 'line':
    case 'too-long':
      return session.pending > 0 ? hold(session, input) : nameAttempt(session, input, config);
    case 'settled':
      return done({ session, effects: NOTHING }, config);
    case 'welcome':
      if (input.conn !== conn) return { session, effects: NOTHING };
      // The hub wrote the welcome; the held lines become chat once the claim is settled.
      return {
        session: { phase: 'chatting', conn, name: input.name, pending: session.pending, held: session.held },
        effects: [{ kind: 'log', message: `joined as ${input.name}` }],
      };
    case 'name-taken':
      if (input.conn !== conn || session.claiming === null) return { session, effects: NOTHING };
      // The hub wrote why; ask again. Held lines are the next attempts, once the claim is settled.
      return { session: { ...session, claiming: null }, effects: [PROMPT] };
    case 'undelivered':
      if (input.conn !== conn) return { session, effects: NOTHING };
      // The hub wrote why; a claim that never reached the log is asked again.
      return done({ session: { ...session, claiming: null }, effects: input.intent.kind === 'claim' ? [PROMPT] : NOTHING }, config);
    case 'hangup':
      if (session.pending > 0) return hold(session, input);
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
    case 'tick':
      return { session, effects: NOTHING };
  }
}

/** A line (or a too-long one) at the name prompt, with nothing outstanding. */
function nameAttempt(session: AwaitingName, input: Frame, config: SessionConfig): Transition {
  const { conn } = session;
  if (input.kind === 'too-long') return { session, effects: [send(lineTooLong(config.maxLineBytes)), PROMPT] };
  const text = stripControls(input.text);
  if (isExitCommand(text)) return { session: { phase: 'leaving', conn }, effects: [send(GOODBYE_ANONYMOUS), CLOSE] };
  // An empty line is an invalid name too (v2): a person who just pressed Enter is answered.
  const check = checkName(text);
  if (!check.ok) return { session, effects: [send(invalidName(check.reason)), PROMPT] };
  return ask({ ...session, claiming: check.name }, { kind: 'claim', conn, name: check.name, lobby: true });
}

type Chatting = Extract<Session, { phase: 'chatting' }>;

function chatting(session: Chatting, input: SessionInput, config: SessionConfig): Transition {
  const { conn, name } = session;
  switch (input.kind) {
    case 'line': {
      if (session.pending === 0) return command(session, stripControls(input.text));
      // A line that only asks the chat for something (a chat line, a query) may follow what is
      // outstanding straight away: the log decides it after them, in order. One the session would
      // answer itself (`/help`, a refusal, `Goodbye`) waits, so its answer cannot overtake theirs.
      if (session.held.length === 0) {
        const next = command(session, stripControls(input.text));
        if (next.effects.every((effect) => effect.kind === 'publish')) return next;
      }
      return hold(session, input);
    }
    case 'too-long':
      return session.pending > 0 ? hold(session, input) : { session, effects: [send(lineTooLong(config.maxLineBytes))] };
    case 'settled':
      return done({ session, effects: NOTHING }, config);
    case 'undelivered':
      return input.conn === conn ? done({ session, effects: NOTHING }, config) : { session, effects: NOTHING };
    case 'renamed':
      // The hub wrote the notice; here the session only learns its new name.
      if (input.conn !== conn) return { session, effects: NOTHING };
      return { session: { ...session, name: input.to }, effects: [{ kind: 'log', message: `renamed ${name} -> ${input.to}` }] };
    case 'hangup':
      if (session.pending > 0) return hold(session, input);
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
    case 'tick':
    case 'welcome':
    case 'name-taken':
      return { session, effects: NOTHING };
  }
}

/** A line typed while chatting, already cleaned of control characters. */
function command(session: Chatting, text: string): Transition {
  const { conn, name } = session;
  if (isBlank(text)) return { session, effects: NOTHING };
  const parsed = parseCommand(text);
  const withRoom = (typed: string, then: (room: string) => Intent): Transition => {
    const check = checkRoom(typed);
    return check.ok ? ask(session, then(check.room)) : { session, effects: [send(invalidRoom(check.reason))] };
  };
  switch (parsed.kind) {
    case 'say':
      return ask(session, { kind: 'say', conn, room: null, text, style: 'chat' });
    case 'me':
      return ask(session, { kind: 'say', conn, room: null, text: parsed.action, style: 'action' });
    case 'who':
      return ask(session, { kind: 'who', conn });
    case 'members':
      return withRoom(parsed.room, (room) => ({ kind: 'members', conn, room }));
    case 'join':
      return withRoom(parsed.room, (room) => ({ kind: 'join', conn, room }));
    case 'part':
      return parsed.room === null ? ask(session, { kind: 'part', conn, room: null }) : withRoom(parsed.room, (room) => ({ kind: 'part', conn, room }));
    case 'rooms':
      return ask(session, { kind: 'rooms', conn });
    case 'history':
      return ask(session, { kind: 'history', conn, count: parsed.count });
    case 'msg':
      return ask(session, { kind: 'msg', conn, to: parsed.to, text: parsed.text, style: 'chat' });
    case 'nick': {
      const check = checkName(parsed.name);
      if (!check.ok) return { session, effects: [send(invalidName(check.reason))] };
      return ask(session, { kind: 'rename', conn, name: check.name });
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
