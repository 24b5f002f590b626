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
// While open or leaving, the state also holds the roster (roster.ts): who is online, read off the
// sanitised server lines. With `whoOnJoin` (the CLI sets it when the terminal is interactive) the
// welcome is followed by one `/who`, whose reply fills in the users who were there before us and
// is shown like any other notice. Piped sessions send nothing the user did not ask for.
import { USERNAME_PROMPT, isExitCommand, isGoodbye } from '../line/messages.ts';
import { isBlank } from '../core/text.ts';
import { EMPTY_ROSTER, rosterEvent, updateRoster, type Roster } from './roster.ts';
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
  | { readonly kind: 'print'; readonly text: string; readonly style: PrintStyle } // stdout
  | { readonly kind: 'send'; readonly text: string } // one line to the server (LF added by the driver)
  | { readonly kind: 'warn'; readonly text: string } // stderr
  | { readonly kind: 'close' } // end the connection
  | { readonly kind: 'exit'; readonly code: ExitCode }; // always the last effect

/** User input that arrives before the connection is open, kept to be replayed in order. */
type EarlyInput = Extract<ClientInput, { kind: 'user-line' | 'user-eof' }>;

export type ClientState =
  | { readonly phase: 'connecting'; readonly early: readonly EarlyInput[] }
  /**
   * `hidePrompt`: `--name` was sent already, so the server's first `Username?` is not shown.
   * `roster`: who is online, as far as the server's lines have told us (and me, once welcomed).
   */
  | { readonly phase: 'open'; readonly hidePrompt: boolean; readonly roster: Roster }
  /** We sent `exit` (or `/quit`) and wait for `Goodbye…!`; the goodbye timer runs meanwhile. */
  | { readonly phase: 'leaving'; readonly hidePrompt: boolean; readonly roster: Roster }
  | { readonly phase: 'done' };

export interface ClientConfig {
  /** `--name`: sent as the very first line once connected; null to answer the prompt by hand. */
  readonly name: string | null;
  /** `host:port`, for messages such as "connection to 127.0.0.1:7777 lost". */
  readonly server: string;
  /** How long to wait for the server's goodbye after asking to leave. */
  readonly goodbyeTimeoutMs: number;
  /**
   * Send `/who` once, right after the welcome, to learn who was online before us (and show it).
   * The CLI turns it on only for an interactive terminal, so piped sessions are unchanged.
   */
  readonly whoOnJoin: boolean;
}

export interface ClientTransition {
  readonly state: ClientState;
  readonly effects: readonly ClientEffect[];
}

/** The line sent for Ctrl-D, EOF and the first Ctrl-C. */
export const EXIT_LINE = 'exit';
/** The line sent after the welcome when `whoOnJoin` is on (PROTOCOL.md "Commands"). */
export const WHO_LINE = '/who';

/** The roster held by a state: empty before the connection is open, and once it is done. */
export function rosterOf(state: ClientState): Roster {
  return state.phase === 'open' || state.phase === 'leaving' ? state.roster : EMPTY_ROSTER;
}

export const initialClientState: ClientState = Object.freeze({ phase: 'connecting', early: Object.freeze([]) });

const NOTHING: readonly ClientEffect[] = Object.freeze([]);
const DONE: ClientState = Object.freeze({ phase: 'done' });
const CLOSE: ClientEffect = Object.freeze({ kind: 'close' });

const print = (text: string, style: PrintStyle): ClientEffect => ({ kind: 'print', text, style });
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
        state: { phase: 'open', hidePrompt: config.name !== null, roster: EMPTY_ROSTER },
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
  const leave = (line: string): ClientTransition =>
    stay({ phase: 'leaving', hidePrompt: state.hidePrompt, roster: state.roster }, [send(line)]);
  switch (input.kind) {
    case 'server-line':
      // A goodbye we did not ask for (the server let us go): still a clean end.
      return isGoodbye(input.text) ? finish(EXIT_OK, showServerInput(input, state.roster.me)) : showServerLine(state, input, config);
    case 'server-too-long':
      return stay(state, [showServerInput(input, state.roster.me)]);
    case 'user-line':
      if (isBlank(input.text)) return stay(state);
      return isExitCommand(input.text) ? leave(input.text) : stay(state, [send(input.text)]);
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
      return isGoodbye(input.text) ? finish(EXIT_OK, showServerInput(input, state.roster.me)) : showServerLine(state, input, config);
    case 'server-too-long':
      return stay(state, [showServerInput(input, state.roster.me)]);
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
 * Shows a server line, except the first `Username?` when `--name` already answered it, and
 * updates the roster from it. The first welcome, while open and with `whoOnJoin`, is followed by
 * a `/who` (never while leaving: nothing is sent after asking to leave).
 */
function showServerLine(
  state: Extract<ClientState, { phase: 'open' | 'leaving' }>,
  input: Extract<ClientInput, { kind: 'server-line' }>,
  config: ClientConfig,
): ClientTransition {
  if (state.hidePrompt && input.text === USERNAME_PROMPT.text) return stay({ ...state, hidePrompt: false });
  const text = sanitize(input.text);
  const event = rosterEvent(text);
  const roster = event === null ? state.roster : updateRoster(state.roster, event);
  const shown = print(text, styleOf(text, roster.me));
  const askWho = config.whoOnJoin && state.phase === 'open' && event?.kind === 'welcome' && state.roster.me === null;
  return stay(roster === state.roster ? state : { ...state, roster }, askWho ? [shown, send(WHO_LINE)] : [shown]);
}

/** A server line (neutralised) or the notice for a skipped overlong one, as a print effect. */
function showServerInput(input: Extract<ClientInput, { kind: 'server-line' | 'server-too-long' }>, me: string | null): ClientEffect {
  if (input.kind === 'server-too-long') return print('*** (a line from the server was too long and was skipped)', 'notice');
  const text = sanitize(input.text);
  return print(text, styleOf(text, me));
}
