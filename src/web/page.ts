// THE web page's state machine: a pure reducer from (state, input) to (state, effects), around the
// terminal client's own reducer (src/client/client.ts), which runs here unchanged.
//
// The client reducer models one connection: it reads every server line through the line
// protocol's parser, keeps the roster and the rooms, sends the name and `/who <room>`, and ends in
// an exit. A page outlives its connections, so this reducer adds what a browser needs around it:
//
//   connecting ──open──▶ open ──lost──▶ waiting (backoff) ──timer, Enter, online──▶ connecting
//        │                 │ Goodbye…! (exit, /quit)           ▲
//        └──lost──▶ waiting │ *** Timed out, then closed        │
//                          ▼                                   │
//                         idle ──────────Enter─────────────────┘
//
// - Reconnect with backoff (1 s doubling to 30 s, with jitter), reset by a welcome; `online` and
//   Enter retry at once. The name the server last welcomed answers the new connection's prompt,
//   and the rooms we were in are joined again, the current one last. A name still held by our own
//   dead connection (the server cuts it within two heartbeats) is retried with backoff.
// - A visible gap marker when a connection we chatted on was lost: from when it was lost to when
//   the new one was welcomed. Nothing is ever shown twice: the history a room replays when we join
//   it again after a drop is not shown (the log holds those lines already), and nothing is shown
//   before the server sends it (our own lines included: the server echoes them).
// - Unread counts: lines while the tab is hidden (the title), lines of rooms other than the
//   current one (the room list).
// - What to remember across a reload (memory.ts).
// Time and randomness come in with the inputs, so the reducer is deterministic.
import { initialClientState, roomsOf, rosterOf, stepClient, type ClientConfig, type ClientEffect, type ClientInput, type ClientState, type PrintStyle } from '../client/client.ts';
import { sanitize } from '../client/sanitize.ts';
import { nameKey } from '../core/names.ts';
import { LOBBY, roomKey } from '../core/rooms.ts';
import { parseServerLine, type ServerLine } from '../line/messages.ts';
import { FORGOTTEN, sameMemory, type Memory } from './memory.ts';

/** Everything that can happen to the page. Socket events carry the session they belong to. */
export type PageInput =
  | { readonly kind: 'socket-open'; readonly session: number }
  | { readonly kind: 'socket-line'; readonly session: number; readonly text: string; readonly at: number }
  /** `random` in [0, 1): the jitter of the next reconnect's delay. */
  | { readonly kind: 'socket-closed'; readonly session: number; readonly at: number; readonly random: number }
  /** The user pressed Enter in the Message field. */
  | { readonly kind: 'user-line'; readonly text: string }
  /** The user picked a room in the room list. */
  | { readonly kind: 'switch-room'; readonly room: string }
  | { readonly kind: 'timer'; readonly timer: TimerName }
  | { readonly kind: 'visibility'; readonly hidden: boolean }
  /** The browser says the network is back. */
  | { readonly kind: 'online' };

export type TimerName = 'reconnect' | 'goodbye' | 'name-retry';

/** What the drivers are asked to do, in order. */
export type PageEffect =
  | { readonly kind: 'connect'; readonly session: number }
  | { readonly kind: 'send'; readonly text: string }
  | { readonly kind: 'disconnect' }
  /** One server line into the log; `room` when it is another room's (its text starts with `[room] `). */
  | { readonly kind: 'show'; readonly text: string; readonly style: PrintStyle; readonly room?: string }
  /** The gap marker: lines said between `from` and `to` (ms since the epoch) were not received. */
  | { readonly kind: 'gap'; readonly from: number; readonly to: number }
  /** Starts (or restarts) a timer; it comes back as a `timer` input. */
  | { readonly kind: 'start-timer'; readonly timer: TimerName; readonly ms: number }
  | { readonly kind: 'stop-timer'; readonly timer: TimerName }
  | { readonly kind: 'remember'; readonly memory: Memory }
  /** The line typed was used: clear the field. (Not taken: it stays there.) */
  | { readonly kind: 'take-input' };

export type Link =
  | { readonly phase: 'connecting' }
  | { readonly phase: 'open' }
  /** Lost; the next attempt is due at `retryAt` (ms since the epoch). */
  | { readonly phase: 'waiting'; readonly retryAt: number }
  /** Not connecting until the user asks: they left, or sat at the name prompt too long. */
  | { readonly phase: 'idle'; readonly why: 'left' | 'timed-out' };

export interface PageState {
  readonly link: Link;
  /** The current connection's number: events of older ones are ignored. */
  readonly session: number;
  /** The terminal client's state for this connection. */
  readonly client: ClientState;
  /** The name the page answers this connection's prompt with, for the user (remembered or typed while away), or null. */
  readonly auto: string | null;
  /** `auto` was sent at this connection's first prompt. */
  readonly answered: boolean;
  /**
   * The page answered the prompt and the user has typed nothing since: if they now type that same
   * name (they saw `Username?` and did not notice the page signed them in), it is not sent again
   * as a chat line.
   */
  readonly nameEcho: boolean;
  readonly memory: Memory;
  /** Connections lost or refused since the last welcome: the backoff's exponent. */
  readonly failures: number;
  /** This connection was welcomed. */
  readonly welcomed: boolean;
  /** When a welcomed connection was lost, until the next welcome shows the gap. */
  readonly lostAt: number | null;
  /** This connection heard `*** Timed out`. */
  readonly timedOut: boolean;
  /** How often `auto` was found taken and sent again; -1 once the user answers the prompt themselves. */
  readonly nameRetries: number;
  /** `/join`s sent to restore our rooms and not yet answered. */
  readonly restoring: number;
  /** Keys of rooms joined again after a drop whose replayed history must not be shown again. */
  readonly quiet: readonly string[];
  /** Inside the history a `quiet` room replays. */
  readonly replaying: boolean;
  /**
   * Keys of rooms the client asked `/who <room>` about by itself (`whoOnJoin`, on entering a room
   * whose members it does not know): the reply fills the member list and is not shown in the log,
   * which holds what the user's own actions bring, as a plain line client would see it.
   */
  readonly askedWho: readonly string[];
  /** Lines in the log. */
  readonly shown: number;
  readonly hidden: boolean;
  /** Lines said while the tab was hidden. */
  readonly unread: number;
  /** One of them named me, or was private to me. */
  readonly highlight: boolean;
  /** Lines said in each room (by roomKey) since it was last current. */
  readonly unreadIn: Readonly<Record<string, number>>;
}

export interface PageConfig {
  /** `host:port`, for the client's messages. */
  readonly server: string;
  /** How long to wait for the server's goodbye after `exit`. */
  readonly goodbyeTimeoutMs: number;
}

export interface PageTransition {
  readonly state: PageState;
  readonly effects: readonly PageEffect[];
}

export const RECONNECT_MIN_MS = 1000;
export const RECONNECT_MAX_MS = 30_000;
/** Retries of a name still held by our dead connection: 1, 2, 4 … 32 s, about as long as the server's two heartbeats. */
export const NAME_RETRIES = 6;

/** The delay before reconnect attempt `failures` (1, 2, …): doubling from 1 s to 30 s, times 0.5–1 (`random` jitter). */
export function reconnectDelay(failures: number, random: number): number {
  const base = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.5 + 0.5 * Math.min(1, Math.max(0, random))));
}

/** The first state, connecting: `memory` is what the tab remembered (a reload). */
export function startPage(memory: Memory): PageTransition {
  const state: PageState = {
    link: { phase: 'connecting' },
    session: 1,
    client: initialClientState,
    auto: memory.name,
    answered: false,
    nameEcho: false,
    memory,
    failures: 0,
    welcomed: false,
    lostAt: null,
    timedOut: false,
    nameRetries: 0,
    restoring: 0,
    quiet: [],
    replaying: false,
    askedWho: [],
    shown: 0,
    hidden: false,
    unread: 0,
    highlight: false,
    unreadIn: {},
  };
  return { state, effects: [{ kind: 'connect', session: 1 }] };
}

/** One step of the page. Total: every input is valid in every state, and it never throws. */
export function stepPage(state: PageState, input: PageInput, config: PageConfig): PageTransition {
  switch (input.kind) {
    case 'socket-open':
      if (input.session !== state.session || state.link.phase !== 'connecting') return stay(state);
      return client({ ...state, link: { phase: 'open' } }, { kind: 'connected' }, config);
    case 'socket-line':
      if (input.session !== state.session || state.link.phase !== 'open') return stay(state);
      return serverLine(state, input.text, input.at, config);
    case 'socket-closed':
      if (input.session !== state.session || (state.link.phase !== 'open' && state.link.phase !== 'connecting')) return stay(state);
      return client(state, { kind: 'server-closed', reason: null }, config, { at: input.at, random: input.random });
    case 'user-line':
      return userLine(state, input.text, config);
    case 'switch-room':
      if (state.link.phase !== 'open' || !state.welcomed || state.client.phase !== 'open') return stay(state);
      return client(state, { kind: 'user-line', text: `/join ${input.room}` }, config);
    case 'timer':
      return timer(state, input.timer, config);
    case 'visibility':
      return stay(input.hidden ? { ...state, hidden: true } : { ...state, hidden: false, unread: 0, highlight: false });
    case 'online':
      return state.link.phase === 'waiting' ? reconnect(state, state.memory.name, [{ kind: 'stop-timer', timer: 'reconnect' }]) : stay(state);
  }
}

// ---------------------------------------------------------------------------------------------

const NOTHING: readonly PageEffect[] = Object.freeze([]);
const TAKE: PageEffect = Object.freeze({ kind: 'take-input' });
const stay = (state: PageState, effects: readonly PageEffect[] = NOTHING): PageTransition => ({ state, effects });

/** The styles of lines someone said (the rest are notices and prompts). */
const SAID: ReadonlySet<PrintStyle> = new Set<PrintStyle>(['chat', 'mention', 'private', 'private-to-me', 'action']);
const FOR_ME: ReadonlySet<PrintStyle> = new Set<PrintStyle>(['mention', 'private-to-me']);

function clientConfig(state: PageState, config: PageConfig): ClientConfig {
  // No `--name`: the page answers the prompt itself (afterLine), so the prompt is shown like any line.
  return { name: null, server: config.server, goodbyeTimeoutMs: config.goodbyeTimeoutMs, whoOnJoin: true };
}

/** When a connection ends: the time and the jitter for the next attempt's delay. */
interface Ending {
  readonly at: number;
  readonly random: number;
}

/**
 * Steps the client reducer and carries its effects into the page: prints become log lines (unless
 * `hide`), sends and the close go to the socket, the exit ends this connection.
 */
function client(state: PageState, input: ClientInput, config: PageConfig, ending: Ending = { at: 0, random: 0 }, hide = false): PageTransition {
  const before = state.client.phase;
  const step = stepClient(state.client, input, clientConfig(state, config));
  let next: PageState = { ...state, client: step.state };
  const effects: PageEffect[] = [];
  for (const effect of step.effects) {
    const more = carry(next, effect, before, ending, hide, input.kind === 'server-line');
    next = more.state;
    effects.push(...more.effects);
  }
  if (before === 'open' && step.state.phase === 'leaving') effects.push({ kind: 'start-timer', timer: 'goodbye', ms: config.goodbyeTimeoutMs });
  return { state: next, effects };
}

function carry(state: PageState, effect: ClientEffect, before: ClientState['phase'], ending: Ending, hide: boolean, auto: boolean): PageTransition {
  switch (effect.kind) {
    case 'print': {
      if (hide) return stay(state);
      const show: PageEffect =
        effect.room === undefined ? { kind: 'show', text: effect.text, style: effect.style } : { kind: 'show', text: effect.text, style: effect.style, room: effect.room };
      return stay(counted({ ...state, shown: state.shown + 1 }, effect.style, effect.room), [show]);
    }
    case 'send': {
      // A `/who <room>` the client sent on its own, hearing a server line: its reply is the page's.
      const who = auto ? /^\/who (#\S+)$/u.exec(effect.text) : null;
      const next = who === null ? state : { ...state, askedWho: [...state.askedWho, roomKey(who[1] ?? '')] };
      return stay(next, [{ kind: 'send', text: effect.text }]);
    }
    case 'close':
      return stay(state, [{ kind: 'disconnect' }]);
    case 'warn':
      return stay(state); // the status line says what happened (statusOf)
    case 'exit':
      return ended(state, effect.code === 0 || before === 'leaving', ending);
  }
}

/** Unread counts after a line of `style` was shown (`room`: another room's line). */
function counted(state: PageState, style: PrintStyle, room: string | undefined): PageState {
  if (!SAID.has(style)) return state;
  let next = state;
  if (state.hidden) next = { ...next, unread: next.unread + 1, highlight: next.highlight || FOR_ME.has(style) };
  if (room !== undefined) {
    const key = roomKey(room);
    next = { ...next, unreadIn: { ...next.unreadIn, [key]: (next.unreadIn[key] ?? 0) + 1 } };
  }
  return next;
}

/** The client is done with this connection: the user left, or it was lost. */
function ended(state: PageState, left: boolean, { at, random }: Ending): PageTransition {
  const stopAll: PageEffect[] = [
    { kind: 'stop-timer', timer: 'goodbye' },
    { kind: 'stop-timer', timer: 'name-retry' },
  ];
  if (left) {
    // The user said goodbye: a reload must not bring them back in.
    return stay({ ...state, link: { phase: 'idle', why: 'left' }, memory: FORGOTTEN, lostAt: null }, [...stopAll, { kind: 'remember', memory: FORGOTTEN }]);
  }
  if (state.timedOut) return stay({ ...state, link: { phase: 'idle', why: 'timed-out' } }, stopAll);
  const failures = state.failures + 1;
  const delay = reconnectDelay(failures, random);
  return stay(
    { ...state, link: { phase: 'waiting', retryAt: at + delay }, failures, lostAt: state.lostAt ?? (state.welcomed ? at : null) },
    [...stopAll, { kind: 'start-timer', timer: 'reconnect', ms: delay }],
  );
}

/** A new connection; `name` is sent for the user once it opens (null: the user answers the prompt). */
function reconnect(state: PageState, name: string | null, before: readonly PageEffect[] = NOTHING): PageTransition {
  const session = state.session + 1;
  return stay(
    {
      ...state,
      link: { phase: 'connecting' },
      session,
      client: initialClientState,
      auto: name,
      answered: false,
      nameEcho: false,
      welcomed: false,
      timedOut: false,
      nameRetries: 0,
      restoring: 0,
      quiet: [],
      replaying: false,
      askedWho: [],
    },
    [...before, { kind: 'connect', session }],
  );
}

function serverLine(state: PageState, raw: string, at: number, config: PageConfig): PageTransition {
  const line = parseServerLine(sanitize(raw));
  // History replayed by a room we joined again after a drop: already in the log. The reply to a
  // `/who <room>` the client asked by itself: it goes to the member list.
  const answersWho = line.kind === 'members' && state.askedWho.includes(roomKey(line.room));
  const hide = (state.replaying && line.kind === 'stamped') || answersWho;
  let next: PageState = state;
  if (answersWho) {
    const key = roomKey(line.room);
    const at = next.askedWho.indexOf(key);
    next = { ...next, askedWho: [...next.askedWho.slice(0, at), ...next.askedWho.slice(at + 1)] };
  }
  if (line.kind === 'now-in') {
    const key = roomKey(line.room);
    const quiet = next.quiet.includes(key);
    const { [key]: _seen, ...unreadIn } = next.unreadIn;
    next = { ...next, replaying: quiet, quiet: quiet ? next.quiet.filter((k) => k !== key) : next.quiet, unreadIn };
  } else if (line.kind !== 'stamped' && next.replaying) {
    next = { ...next, replaying: false };
  }
  const step = client(next, { kind: 'server-line', text: raw }, config, { at, random: 0 }, hide);
  return afterLine(step, line, at, config);
}

/** What a server line means to the page beyond the client: welcome, name retries, restoring, memory. */
function afterLine({ state, effects }: PageTransition, line: ServerLine, at: number, config: PageConfig): PageTransition {
  let next = state;
  const more: PageEffect[] = [];
  switch (line.kind) {
    case 'prompt':
      // The first prompt of a connection is answered for the user with their name (a reload, a
      // reconnect, or a name typed while disconnected); later ones only by the retry timer.
      if (!next.welcomed && next.auto !== null && !next.answered && next.nameRetries >= 0 && next.client.phase === 'open') {
        const answer = client({ ...next, answered: true, nameEcho: true }, { kind: 'user-line', text: next.auto }, config);
        next = answer.state;
        more.push(...answer.effects);
      }
      break;
    case 'welcome': {
      next = { ...next, welcomed: true, failures: 0, nameRetries: -1 };
      more.push({ kind: 'stop-timer', timer: 'name-retry' });
      if (state.lostAt !== null) {
        more.push({ kind: 'gap', from: state.lostAt, to: at });
        next = { ...next, lostAt: null };
      }
      const restored = restore(next, state.lostAt !== null, config);
      next = restored.state;
      more.push(...restored.effects);
      break;
    }
    case 'name-taken':
      if (!next.welcomed && next.auto !== null && nameKey(line.name) === nameKey(next.auto) && next.nameRetries >= 0 && next.nameRetries < NAME_RETRIES) {
        more.push({ kind: 'start-timer', timer: 'name-retry', ms: RECONNECT_MIN_MS * 2 ** next.nameRetries });
        next = { ...next, nameRetries: next.nameRetries + 1 };
      }
      break;
    case 'timed-out':
      next = { ...next, timedOut: true };
      break;
    case 'now-in':
    case 'too-many-rooms':
    case 'too-many-rooms-for-user':
    case 'invalid-room':
      if (next.restoring > 0) next = { ...next, restoring: next.restoring - 1 };
      break;
    default:
      break;
  }
  const remembered = remember(next);
  return { state: remembered.state, effects: [...effects, ...more, ...remembered.effects] };
}

/**
 * Joins the remembered rooms again (after a drop or a reload), the remembered current room last.
 * After a drop (`quiet`) their replayed history is already in the log and is not shown again.
 */
function restore(state: PageState, quiet: boolean, config: PageConfig): PageTransition {
  const { rooms, current } = state.memory;
  const joins = rooms.filter((room) => roomKey(room) !== roomKey(LOBBY));
  if (current !== null && (joins.length === 0 ? roomKey(current) !== roomKey(LOBBY) : roomKey(joins.at(-1) ?? '') !== roomKey(current))) joins.push(current);
  if (joins.length === 0) return stay(state);
  let next: PageState = { ...state, restoring: joins.length, quiet: quiet ? joins.map(roomKey) : [] };
  const effects: PageEffect[] = [];
  for (const room of joins) {
    const step = client(next, { kind: 'user-line', text: `/join ${room}` }, config);
    next = step.state;
    effects.push(...step.effects);
  }
  return { state: next, effects };
}

/** Keeps the memory in step with the client: my name, my rooms (not while restoring them). */
function remember(state: PageState): PageTransition {
  if (!state.welcomed || state.link.phase !== 'open') return stay(state);
  const me = rosterOf(state.client).me;
  const rooms = roomsOf(state.client);
  const memory: Memory = state.restoring > 0 ? { ...state.memory, name: me } : { name: me, rooms: rooms.joined, current: rooms.current };
  return sameMemory(memory, state.memory) ? stay(state) : stay({ ...state, memory }, [{ kind: 'remember', memory }]);
}

function userLine(state: PageState, text: string, config: PageConfig): PageTransition {
  const blank = text.trim() === '';
  switch (state.link.phase) {
    case 'open': {
      if (state.client.phase !== 'open') return stay(state);
      const echo = state.nameEcho && state.auto !== null && nameKey(text.trim()) === nameKey(state.auto);
      const typed: PageState = state.nameEcho ? { ...state, nameEcho: false } : state;
      if (echo) return stay(typed, [TAKE]); // the name the page already answered the prompt with
      // Answering the prompt by hand ends our own retries of the remembered name.
      const answering = !typed.welcomed && !blank && typed.auto !== null && typed.nameRetries >= 0;
      const next = answering ? { ...typed, nameRetries: -1 } : typed;
      const step = client(next, { kind: 'user-line', text }, config);
      const stop: readonly PageEffect[] = answering ? [{ kind: 'stop-timer', timer: 'name-retry' }] : NOTHING;
      return { state: step.state, effects: [...stop, ...step.effects, TAKE] };
    }
    case 'connecting': {
      // Before the first connection opens, what the user types is kept in order (it is their
      // name); while a remembered name is being signed in again, a line waits in the field.
      if (state.auto !== null) return stay(state);
      const step = client(state, { kind: 'user-line', text }, config);
      return { state: step.state, effects: [...step.effects, TAKE] };
    }
    case 'waiting':
      // Enter on an empty field retries now; a line stays in the field until we are back.
      return blank ? reconnect(state, state.memory.name, [{ kind: 'stop-timer', timer: 'reconnect' }]) : stay(state);
    case 'idle':
      // Enter connects again; what was typed is the name to ask for.
    {
      const again = reconnect({ ...state, failures: 0 }, blank ? state.memory.name : text.trim());
      return { state: again.state, effects: [...again.effects, TAKE] };
    }
  }
}

function timer(state: PageState, name: TimerName, config: PageConfig): PageTransition {
  switch (name) {
    case 'reconnect':
      return state.link.phase === 'waiting' ? reconnect(state, state.memory.name) : stay(state);
    case 'goodbye':
      return state.client.phase === 'leaving' ? client(state, { kind: 'goodbye-timeout' }, config) : stay(state);
    case 'name-retry':
      if (state.link.phase !== 'open' || state.welcomed || state.client.phase !== 'open' || state.auto === null || state.nameRetries < 0) return stay(state);
      return client(state, { kind: 'user-line', text: state.auto }, config);
  }
}

// ---------------------------------------------------------------------------------------------
// Views of the state (the DOM shows them)

/** The status line: where the connection stands and what Enter will do. `now` for the countdown. */
export function statusOf(state: PageState, now: number): string {
  const { link } = state;
  switch (link.phase) {
    case 'connecting':
      return state.lostAt === null && state.failures === 0 ? 'Connecting…' : 'Reconnecting…';
    case 'open': {
      if (state.client.phase === 'leaving') return 'Leaving…';
      const me = rosterOf(state.client).me;
      if (state.welcomed && me !== null) {
        const current = roomsOf(state.client).current;
        return current === null ? `Connected as ${me}, in no room (try /join #lobby)` : `Connected as ${me} in ${current}`;
      }
      if (state.auto !== null && state.nameRetries > 0) return `${state.auto} is still taken (our previous connection may not have closed yet); trying again…`;
      if (state.auto !== null && state.nameRetries >= 0) return `Signing in as ${state.auto}…`;
      return 'Connected: type your name and press Enter';
    }
    case 'waiting': {
      const seconds = Math.max(0, Math.ceil((link.retryAt - now) / 1000));
      const what = state.lostAt === null ? 'Cannot reach the server; retrying' : 'Connection lost; reconnecting';
      return `${what} in ${seconds} s (press Enter to retry now)`;
    }
    case 'idle':
      return link.why === 'left' ? 'You left the chat; press Enter to join again' : 'Timed out at the name prompt; press Enter to connect again';
  }
}

/** The tab's title: the unread count while hidden, then the current room. */
export function titleOf(state: PageState): string {
  const room = state.welcomed ? roomsOf(state.client).current : null;
  const count = state.hidden && state.unread > 0 ? `(${state.unread}${state.highlight ? '!' : ''}) ` : '';
  return `${count}${room === null ? 'rxchat' : `${room} · rxchat`}`;
}

/** The Message field's placeholder: what Enter will do. */
export function placeholderOf(state: PageState): string {
  if (state.link.phase === 'idle' || state.link.phase === 'waiting') return 'Press Enter to connect';
  if (!state.welcomed) return 'Your name';
  const current = roomsOf(state.client).current;
  return current === null ? 'Message (you are in no room: /join #lobby)' : `Message ${current}`;
}

/** One entry of a room list. */
export interface RoomEntry {
  readonly room: string;
  readonly current: boolean;
  readonly unread: number;
  /** Its member count, for a room from the `/rooms` list. */
  readonly users?: number;
}

/** My rooms, in the order I joined them, with their unread counts. */
export function roomListOf(state: PageState): RoomEntry[] {
  if (!state.welcomed) return [];
  const rooms = roomsOf(state.client);
  return rooms.joined.map((room) => ({
    room,
    current: rooms.current !== null && roomKey(rooms.current) === roomKey(room),
    unread: state.unreadIn[roomKey(room)] ?? 0,
  }));
}

/** The rooms of the last `/rooms` reply that I am not in, with their member counts. */
export function otherRoomsOf(state: PageState): RoomEntry[] {
  if (!state.welcomed) return [];
  const rooms = roomsOf(state.client);
  const mine = new Set(rooms.joined.map(roomKey));
  return rooms.list.filter((r) => !mine.has(roomKey(r.room))).map((r) => ({ room: r.room, current: false, unread: 0, users: r.users }));
}

/** Who is in the current room (and whether the list is complete), me included. */
export function membersOf(state: PageState): { readonly names: readonly string[]; readonly known: boolean; readonly me: string | null } {
  if (!state.welcomed) return { names: [], known: false, me: null };
  const rooms = roomsOf(state.client);
  return { names: rooms.members.names, known: rooms.membersKnown, me: rosterOf(state.client).me };
}
