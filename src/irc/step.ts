// The IRC session's state, inputs and effects, and `Step`: how one step builds its transition.
//
// A step never performs anything: it returns effects as data (session.ts runs them through
// front-end.ts's shell). `Step` is a small builder used within one call of `step`, so handlers
// read as "send this, ask the chat that, answer this once that is decided": nothing outside the
// step can see it, so the reducer stays pure.
//
// Replies in command order. A command answered here (PING, a 461, a MODE query) must not overtake
// the answer to an earlier command that went to the chat (WHO, JOIN), however late the log
// decides it (a cluster). So every intent this connection publishes is `pending` until the hub
// says it is settled (hub.ts Port.settled), and a local answer made while anything is pending waits
// in the last pending entry's `after`, leaving when that entry settles. The chat's own answers
// (a WHO's 352s) arrive before their intent settles, in the order of the intents, so they go out at
// once. Reading stops (`hold`) while too much waits, so all of it stays bounded.
import type { ShellEffect } from '../operators/actor-shell.ts';
import type { ChatEvent, HubNotice } from '../core/events.ts';
import type { ConnId, Intent } from '../core/intents.ts';
import type { Frame } from '../framing.ts';
import type { IrcLine } from './irc-line.ts';
import type { Lusers, ServerInfo } from './numerics.ts';

/** Why an intent was published: how to read the chat's answer to it. */
export type Purpose =
  | { readonly kind: 'claim' }
  | { readonly kind: 'join'; readonly channel: string }
  | { readonly kind: 'part'; readonly channel: string }
  /** PRIVMSG or NOTICE (a NOTICE never gets an error back). */
  | { readonly kind: 'message'; readonly target: string; readonly notice: boolean }
  | { readonly kind: 'nick' }
  | { readonly kind: 'names'; readonly channel: string }
  /** WHO of a channel, a nick or everyone (`mask` as the client sent it, for 315). */
  | { readonly kind: 'who'; readonly mask: string }
  | { readonly kind: 'whois'; readonly nick: string }
  /** LIST; `only` the channel keys asked for, or null for every channel. */
  | { readonly kind: 'list'; readonly only: readonly string[] | null }
  | { readonly kind: 'mode'; readonly channel: string }
  | { readonly kind: 'user-mode'; readonly nick: string }
  | { readonly kind: 'topic'; readonly channel: string; readonly setting: boolean }
  | { readonly kind: 'ison'; readonly nicks: readonly string[] }
  | { readonly kind: 'userhost'; readonly nicks: readonly string[] }
  | { readonly kind: 'quit' };

/** What waits for an intent: the intent, why it was asked, and the answers queued behind it. */
export interface Pending {
  readonly intent: Intent;
  readonly purpose: Purpose;
  readonly after: readonly Deferred[];
}

/** An effect that may wait behind pending intents. */
export type Deferred = Extract<Effect, { kind: 'send' } | { kind: 'close' } | { kind: 'log' }>;

export type Phase =
  /** Before 001: waiting for NICK, USER and the end of CAP negotiation, then for the claim. */
  | 'registering'
  | 'registered'
  /** QUIT sent: further input is ignored; the last answers and ERROR leave, then the close. */
  | 'quitting'
  /** Closed (or closing): everything is ignored. */
  | 'closed';

export interface Session {
  readonly conn: ConnId;
  readonly phase: Phase;
  /** Registering: the last valid NICK given (null: none yet). Registered: the user's nick. */
  readonly nick: string | null;
  /** USER has been given. */
  readonly user: boolean;
  /** CAP LS or REQ started a negotiation that CAP END has not ended: registration waits. */
  readonly capping: boolean;
  /** A claim is out: lines wait in `held` until the chat decides it. */
  readonly claiming: boolean;
  readonly held: readonly Frame[];
  /** The `echo-message` capability is enabled. */
  readonly echo: boolean;
  /** The channels the user is on, as the chat named them, in join order. */
  readonly channels: readonly string[];
  readonly pending: readonly Pending[];
  /** Reading is stopped because too much waits. */
  readonly holding: boolean;
  /** Something arrived from the client since the last ping tick; a PING is out unanswered. */
  readonly heard: boolean;
  readonly pinged: boolean;
}

export type SessionInput =
  | { readonly kind: 'open' }
  | Frame
  | { readonly kind: 'hangup' }
  /** Registration's time is up (the line protocol's name timeout). */
  | { readonly kind: 'timeout' }
  /** The ping interval passed: ping an idle client, drop one that never answered. */
  | { readonly kind: 'tick' }
  | { readonly kind: 'too-slow' }
  /** A hub event about this connection, with the lines the renderer made of it. */
  | { readonly kind: 'event'; readonly event: ChatEvent | HubNotice; readonly lines: readonly IrcLine[] }
  /** One of this connection's intents is decided and its deliveries made. */
  | { readonly kind: 'settled'; readonly intent: Intent };

/** What the shell is asked to do, in order (operators/actor-shell.ts carries it out). */
export type Effect = ShellEffect<IrcLine>;

export interface Transition {
  readonly session: Session;
  readonly effects: readonly Effect[];
}

export interface SessionConfig {
  readonly server: ServerInfo;
  /** The chat's figures for LUSERS, read when asked (the hub's state; fixed figures in tests). */
  readonly lusers: () => Lusers;
  /** The ping interval, for the quit message of a client that never answered. */
  readonly pingIntervalMs: number;
}

/** Lines held during a claim, intents pending, or answers waiting, past which reading stops. */
export const HOLD_LIMIT = 64;

/** A new connection, before its `open` input. */
export function initialSession(conn: ConnId): Session {
  return {
    conn,
    phase: 'registering',
    nick: null,
    user: false,
    capping: false,
    claiming: false,
    held: [],
    echo: false,
    channels: [],
    pending: [],
    holding: false,
    heard: false,
    pinged: false,
  };
}

const CLOSE: Deferred = Object.freeze({ kind: 'close' });

/** Builds one transition. */
export class Step {
  readonly effects: Effect[] = [];

  constructor(
    public session: Session,
    readonly config: SessionConfig,
  ) {}

  /** The server's name, the source of every reply. */
  get server(): string {
    return this.config.server.name;
  }

  /** The recipient parameter of numerics: the nick, or `*` before registration. */
  get client(): string {
    return this.session.phase === 'registering' ? '*' : (this.session.nick ?? '*');
  }

  update(patch: Partial<Session>): this {
    this.session = { ...this.session, ...patch };
    return this;
  }

  /** Lines that go now: the chat's answers, which arrive in order. */
  send(lines: readonly IrcLine[] | IrcLine): this {
    for (const line of Array.isArray(lines) ? (lines as readonly IrcLine[]) : [lines as IrcLine]) this.effects.push({ kind: 'send', line });
    return this;
  }

  /** A local answer: now, or behind the intents still pending. */
  answer(lines: readonly IrcLine[] | IrcLine): this {
    const list = Array.isArray(lines) ? (lines as readonly IrcLine[]) : [lines as IrcLine];
    return this.defer(list.map((line) => ({ kind: 'send', line })));
  }

  /** Close once everything asked before has been answered. */
  closeWhenAnswered(): this {
    return this.defer([CLOSE]);
  }

  /** Close now (what is queued for the socket is still flushed). */
  close(): this {
    this.effects.push({ kind: 'close' });
    return this.update({ phase: 'closed' });
  }

  abort(): this {
    this.effects.push({ kind: 'abort' });
    return this.update({ phase: 'closed' });
  }

  log(message: string): this {
    this.effects.push({ kind: 'log', message });
    return this;
  }

  /** Publishes an intent whose answer is read as `purpose`; it is pending until settled. */
  ask(intent: Intent, purpose: Purpose): this {
    this.effects.push({ kind: 'publish', intent });
    return this.update({ pending: [...this.session.pending, { intent, purpose, after: [] }] });
  }

  /** Publishes an intent nobody waits for (the connection closes right after). */
  tell(intent: Intent): this {
    this.effects.push({ kind: 'publish', intent });
    return this;
  }

  /** The purpose of the oldest pending intent: what the chat's answer arriving now answers. */
  get asked(): Purpose | null {
    return this.session.pending[0]?.purpose ?? null;
  }

  /** An intent is settled: it stops pending, and what waited behind it goes. */
  settle(intent: Intent): this {
    const { pending } = this.session;
    const i = pending.findIndex((p) => p.intent.kind === intent.kind);
    if (i === -1) return this;
    return this.drop(i);
  }

  /** Removes pending entry `i`; its waiting answers move to the entry before it, or go now. */
  drop(i: number): this {
    const pending = [...this.session.pending];
    const [gone] = pending.splice(i, 1);
    if (gone === undefined) return this;
    const before = pending[i - 1];
    if (before !== undefined) pending[i - 1] = { ...before, after: [...before.after, ...gone.after] };
    this.update({ pending });
    if (before === undefined) this.run(gone.after);
    return this;
  }

  /** The transition, with `hold`/`release` when how much waits crosses the limit. */
  finish(): Transition {
    const s = this.session;
    if (s.phase !== 'closed') {
      const waiting = s.pending.reduce((n, p) => n + p.after.length, 0);
      const hold = s.held.length >= HOLD_LIMIT || s.pending.length >= HOLD_LIMIT || waiting >= HOLD_LIMIT;
      if (hold !== s.holding) {
        this.effects.push({ kind: hold ? 'hold' : 'release' });
        this.update({ holding: hold });
      }
    }
    return { session: this.session, effects: this.effects };
  }

  private defer(deferred: readonly Deferred[]): this {
    const { pending } = this.session;
    const last = pending.at(-1);
    if (last === undefined) return this.run(deferred);
    return this.update({ pending: [...pending.slice(0, -1), { ...last, after: [...last.after, ...deferred] }] });
  }

  private run(deferred: readonly Deferred[]): this {
    for (const effect of deferred) {
      if (this.session.phase === 'closed') break;
      if (effect.kind === 'close') this.close();
      else this.effects.push(effect);
    }
    return this;
  }
}
