// THE terminal client's state machine: a pure reducer from (state, input) to (state, effects).
//
// It is run with `scan` over one merged inbox (see chat-client.ts). It never performs anything:
// it returns effects as data (print, send, warn, close, exit) that the drivers carry out.
//
//   connecting ──connected──▶ open ──exit, /quit, EOF, Ctrl-C──▶ leaving ──Goodbye…! or closed──▶ done: exit 0
//       │                      │                                  │
//       │ refused: exit 1      │ lost: exit 1                     │ no goodbye within 2 s: exit 1
//       │ Ctrl-C: exit 130     │ Goodbye…!: exit 0                │ Ctrl-C again: exit 130
//       └──────────────────────┴──────────────────────────────────┴──▶ done
//
// Every server line is neutralised (sanitize.ts) before it is printed, and styled (style.ts) by
// what kind of line it is. Exit codes: 0 the user left and the server said goodbye (or closed);
// 1 the session ended without the user leaving (refused, lost, shut down, timed out) or the
// goodbye never came; 130 (128 + SIGINT) the user pressed Ctrl-C while already leaving, or
// before the connection was open.
//
// Each server line is read once, by the line protocol's own parser (line/messages.ts
// `parseServerLine`), and that one reading drives everything: the style, the roster (roster.ts:
// who is online) and the rooms (rooms.ts: my current room, my rooms, the current room's members,
// the list of rooms), which the drivers show as views (chat-client.ts: Tab completion, the prompt
// `#rust> `; the web page's member and room lists). A line of another room keeps its `[#room] `
// tag in the text, and the print effect names that room so the tag can be coloured.
//
// With `whoOnJoin` (the CLI sets it when the terminal is interactive) the client asks who is in
// each room it enters whose members it does not know: `/who #lobby` after the welcome, `/who
// <room>` after a `*** Now in <room>` (not for a room of one: that is me). The reply is shown like
// any other notice, as IRC clients show a channel's names on joining. Piped sessions send nothing
// the user did not ask for.
//
// `*** You left <room>` is also what the others see when a user named `You` parts their current
// room (messages.ts). The server only says it to me in answer to my `/part`, so the client counts
// the `/part` lines it sent (`partsAwaited`) and reads a `You left` it did not ask for as that user's.
import { USERNAME_PROMPT, isExitCommand, parseServerLine, type ServerLine } from '../line/messages.ts';
import { parseCommand } from '../line/commands.ts';
import { LOBBY } from '../core/rooms.ts';
import { isBlank } from '../core/text.ts';
import { EMPTY_ROSTER, updateRoster, type Roster } from './roster.ts';
import { NO_ROOMS, sameRoom, updateRooms, type Rooms } from './rooms.ts';
import { sanitize } from './sanitize.ts';
import { styleOf, type PrintStyle } from './style.ts';

export type { PrintStyle } from './style.ts';

/** Everything that can reach the client's inbox. */
export type ClientInput =
  | { readonly kind: 'connected' } // the TCP connection is open
  | { readonly kind: 'server-line'; readonly text: string } // one line from the server, raw
  | { readonly kind: 'server-too-long' } // the server sent a line longer than we accept
  | { readonly kind: 'server-closed'; readonly reason: string | null } // null: a clean close
  | { readonly kind: 'user-line'; readonly text: string } // the user pressed Enter
  | { readonly kind: 'user-eof' } // Ctrl-D, or piped stdin ended
  | { readonly kind: 'interrupt' } // Ctrl-C
  | { readonly kind: 'goodbye-timeout' }; // we have been leaving for too long

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_INTERRUPTED = 130;
export type ExitCode = typeof EXIT_OK | typeof EXIT_FAILURE | typeof EXIT_INTERRUPTED;

/** What the drivers are asked to do, in order. */
export type ClientEffect =
  | PrintEffect // stdout
  | { readonly kind: 'send'; readonly text: string } // one line to the server (LF added by the driver)
  | { readonly kind: 'warn'; readonly text: string } // stderr
  | { readonly kind: 'close' } // end the connection
  | { readonly kind: 'exit'; readonly code: ExitCode }; // always the last effect

/**
 * A line to show: its (sanitised) text and style; `room` when the line is another room's, so the
 * text starts with `[<room>] ` (the tag a driver may colour).
 */
export interface PrintEffect {
  readonly kind: 'print';
  readonly text: string;
  readonly style: PrintStyle;
  readonly room?: string;
}

/** What the client knows of the chat while it is in it: read off the server's lines. */
export interface Chatting {
  /** `--name` was sent already, so the server's first `Username?` is not shown. */
  readonly hidePrompt: boolean;
  /** Who is online, as far as the server's lines have told us (and me, once welcomed). */
  readonly roster: Roster;
  /** My current room, my rooms, the current room's members, the last list of rooms. */
  readonly rooms: Rooms;
  /** `/part` lines sent and not yet answered by `*** You left …` (see the header). */
  readonly partsAwaited: number;
}

/** User input that arrives before the connection is open, kept to be replayed in order. */
type EarlyInput = Extract<ClientInput, { kind: 'user-line' | 'user-eof' }>;

export type ClientState =
  | { readonly phase: 'connecting'; readonly early: readonly EarlyInput[] }
  | ({ readonly phase: 'open' } & Chatting)
  /** We sent `exit` (or `/quit`) and wait for `Goodbye…!`; the goodbye timer runs meanwhile. */
  | ({ readonly phase: 'leaving' } & Chatting)
  | { readonly phase: 'done' };

export interface ClientConfig {
  /** `--name`: sent as the very first line once connected; null to answer the prompt by hand. */
  readonly name: string | null;
  /** `host:port`, for messages such as "connection to 127.0.0.1:7777 lost". */
  readonly server: string;
  /** How long to wait for the server's goodbye after asking to leave. */
  readonly goodbyeTimeoutMs: number;
  /**
   * Ask who is in each room the client enters and does not know (`/who #lobby` after the welcome,
   * `/who <room>` after `*** Now in <room>`), and show the reply. The CLI turns it on only for an
   * interactive terminal, so piped sessions are unchanged.
   */
  readonly whoOnJoin: boolean;
}

export interface ClientTransition {
  readonly state: ClientState;
  readonly effects: readonly ClientEffect[];
}

/** The line sent for Ctrl-D, EOF and the first Ctrl-C. */
export const EXIT_LINE = 'exit';
/** What `whoOnJoin` sends on entering `room` (PROTOCOL.md "Rooms": `/who <room>`). */
export const whoLine = (room: string): string => `/who ${room}`;

/** The prompt before the welcome and in #lobby; elsewhere the current room stands before it. */
export const PROMPT = '> ';
/** The prompt when the user is in no room (a plain line would be refused). */
export const NO_ROOM_PROMPT = '(no room)> ';

/** The roster held by a state: empty before the connection is open, and once it is done. */
export function rosterOf(state: ClientState): Roster {
  return state.phase === 'open' || state.phase === 'leaving' ? state.roster : EMPTY_ROSTER;
}

/** The rooms held by a state: none before the connection is open, and once it is done. */
export function roomsOf(state: ClientState): Rooms {
  return state.phase === 'open' || state.phase === 'leaving' ? state.rooms : NO_ROOMS;
}

/** The input prompt for a state: `> ` in #lobby (and before the welcome), `#rust> ` in #rust. */
export function promptOf(state: ClientState): string {
  if ((state.phase !== 'open' && state.phase !== 'leaving') || state.roster.me === null) return PROMPT;
  const { current } = state.rooms;
  if (current === null) return NO_ROOM_PROMPT;
  return sameRoom(current, LOBBY) ? PROMPT : `${current}${PROMPT}`;
}

export const initialClientState: ClientState = Object.freeze({ phase: 'connecting', early: Object.freeze([]) });

const NOTHING: readonly ClientEffect[] = Object.freeze([]);
const DONE: ClientState = Object.freeze({ phase: 'done' });
const CLOSE: ClientEffect = Object.freeze({ kind: 'close' });

const print = (text: string, style: PrintStyle, room?: string): ClientEffect =>
  room === undefined ? { kind: 'print', text, style } : { kind: 'print', text, style, room };
const send = (text: string): ClientEffect => ({ kind: 'send', text });
const warn = (text: string): ClientEffect => ({ kind: 'warn', text });
/** Close, then exit: the only way to `done`, so nothing can follow an exit. */
const finish = (code: ExitCode, ...before: ClientEffect[]): ClientTransition => ({
  state: DONE,
  effects: [...before, CLOSE, { kind: 'exit', code }],
});
const stay = (state: ClientState, effects: readonly ClientEffect[] = NOTHING): ClientTransition => ({ state, effects });

/** One step of the client. Total: every input is valid in every phase, and it never throws. */
export function stepClient(state: ClientState, input: ClientInput, config: ClientConfig): ClientTransition {
  switch (state.phase) {
    case 'connecting':
      return connecting(state, input, config);
    case 'open':
      return open(state, input, config);
    case 'leaving':
      return leaving(state, input, config);
    case 'done':
      return stay(state);
  }
}

function connecting(state: Extract<ClientState, { phase: 'connecting' }>, input: ClientInput, config: ClientConfig): ClientTransition {
  switch (input.kind) {
    case 'connected': {
      // `--name` goes first, then whatever the user typed (or piped) meanwhile, in order.
      let next: ClientTransition = {
        state: { phase: 'open', hidePrompt: config.name !== null, roster: EMPTY_ROSTER, rooms: NO_ROOMS, partsAwaited: 0 },
        effects: config.name === null ? NOTHING : [send(config.name)],
      };
      for (const early of state.early) {
        const after = stepClient(next.state, early, config);
        next = { state: after.state, effects: [...next.effects, ...after.effects] };
      }
      return next;
    }
    case 'user-line':
    case 'user-eof':
      return stay({ phase: 'connecting', early: [...state.early, input] });
    case 'server-closed':
      return finish(EXIT_FAILURE, warn(`rxchat: cannot connect to ${config.server}: ${input.reason ?? 'connection closed'}`));
    case 'interrupt':
      return finish(EXIT_INTERRUPTED); // nothing to say goodbye to yet
    case 'server-line':
    case 'server-too-long':
      return stay(state, [showServerInput(input, null)]); // cannot come before `connected`; shown anyway
    case 'goodbye-timeout':
      return stay(state);
  }
}

function open(state: Extract<ClientState, { phase: 'open' }>, input: ClientInput, config: ClientConfig): ClientTransition {
  const leave = (line: string): ClientTransition => stay({ ...state, phase: 'leaving' }, [send(line)]);
  switch (input.kind) {
    case 'server-line':
      // A goodbye we did not ask for (the server let us go) is still a clean end: see showServerLine.
      return showServerLine(state, input, config);
    case 'server-too-long':
      return stay(state, [TOO_LONG_NOTICE]);
    case 'user-line': {
      if (isBlank(input.text)) return stay(state);
      if (isExitCommand(input.text)) return leave(input.text);
      const parting = parseCommand(input.text).kind === 'part';
      return stay(parting ? { ...state, partsAwaited: state.partsAwaited + 1 } : state, [send(input.text)]);
    }
    case 'user-eof':
    case 'interrupt':
      return leave(EXIT_LINE);
    case 'server-closed':
      return finish(EXIT_FAILURE, warn(`rxchat: connection to ${config.server} lost (${input.reason ?? 'closed by the server'})`));
    case 'connected':
    case 'goodbye-timeout':
      return stay(state);
  }
}

function leaving(state: Extract<ClientState, { phase: 'leaving' }>, input: ClientInput, config: ClientConfig): ClientTransition {
  switch (input.kind) {
    case 'server-line':
      return showServerLine(state, input, config);
    case 'server-too-long':
      return stay(state, [TOO_LONG_NOTICE]);
    case 'server-closed':
      return finish(EXIT_OK); // we asked to leave; the server closing is as good as a goodbye
    case 'interrupt':
      return finish(EXIT_INTERRUPTED);
    case 'goodbye-timeout':
      return finish(
        EXIT_FAILURE,
        warn(`rxchat: no goodbye from ${config.server} within ${config.goodbyeTimeoutMs / 1000} s; closing the connection`),
      );
    case 'connected':
    case 'user-line':
    case 'user-eof':
      return stay(state); // nothing more is sent once we asked to leave
  }
}

/**
 * Shows a server line (a goodbye ends the session with exit 0), except the first `Username?` when
 * `--name` already answered it, and updates the roster and the rooms from it. With `whoOnJoin`,
 * while open (nothing is sent after asking to leave), entering a room whose members are unknown
 * asks who is in it.
 */
function showServerLine(
  state: Extract<ClientState, { phase: 'open' | 'leaving' }>,
  input: Extract<ClientInput, { kind: 'server-line' }>,
  config: ClientConfig,
): ClientTransition {
  if (state.hidePrompt && input.text === USERNAME_PROMPT.text) return stay({ ...state, hidePrompt: false });
  const text = sanitize(input.text);
  const parsed = parseServerLine(text);
  const line = parsed.kind === 'you-left' && state.partsAwaited === 0 ? someoneNamedYouLeft(parsed.room) : parsed;
  const partsAwaited = line.kind === 'you-left' ? state.partsAwaited - 1 : state.partsAwaited;
  const roster = updateRoster(state.roster, line);
  const rooms = updateRooms(state.rooms, line, roster.me);
  const shown = print(text, styleOf(line, roster.me), line.kind === 'in-room' ? line.room : undefined);
  if (line.kind === 'goodbye') return finish(EXIT_OK, shown);

  const next = roster === state.roster && rooms === state.rooms && partsAwaited === state.partsAwaited ? state : { ...state, roster, rooms, partsAwaited };
  const entered = rooms.current !== null && !sameRoom(state.rooms.current, rooms.current);
  const askWho = config.whoOnJoin && state.phase === 'open' && entered && !rooms.membersKnown;
  return stay(next, askWho && rooms.current !== null ? [shown, send(whoLine(rooms.current))] : [shown]);
}

/** `*** You left <room>` that answers no `/part` of mine: a user named You left my current room. */
const someoneNamedYouLeft = (room: string): ServerLine => ({ kind: 'left-room', name: 'You', room });

const TOO_LONG_NOTICE: ClientEffect = print('*** (a line from the server was too long and was skipped)', 'notice');

/** A server line (neutralised) or the notice for a skipped overlong one, as a print effect. */
function showServerInput(input: Extract<ClientInput, { kind: 'server-line' | 'server-too-long' }>, me: string | null): ClientEffect {
  if (input.kind === 'server-too-long') return TOO_LONG_NOTICE;
  const text = sanitize(input.text);
  const line = parseServerLine(text);
  return print(text, styleOf(line, me), line.kind === 'in-room' ? line.room : undefined);
}
