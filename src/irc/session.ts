// THE state machine of one IRC connection: a pure reducer (session, input) → (session, effects).
//
// Run with `scan` over the connection's own inputs and the hub events about it (front-end.ts); it
// returns effects as data (step.ts), which the shell carries out.
//
//   registering ──NICK+USER, CAP ended──▶ claim out ──welcome──▶ registered ──QUIT──▶ quitting ──▶ closed
//        ▲                                   │                       │                       ▲
//        └──────433 (name taken): a new NICK─┘                       └─hang-up, ping timeout,┘
//                                                                      too slow, server closing
//
// Registration (modern.ircdocs.horse "Connection Registration"): NICK and USER in either order;
// `CAP LS`/`REQ` suspend registration until `CAP END`; PASS is ignored (no password is needed);
// anything else is 451. Once all is in, the nick is claimed through the hub like any name
// (`lobby: false`: an IRC user is in no room until it JOINs), so it is unique across TCP, web and
// IRC. While the claim is out, lines wait (bounded) and are handled once it is decided: as
// commands after 001-005, or as registration again after 433.
//
// Time: `timeout` (registration's, the line protocol's name timeout) and `tick` (every ping
// interval) come from the shell's scheduler. A tick after a quiet interval sends PING; a tick after
// an unanswered PING drops the client (`Ping timeout`). Any line from the client counts as an answer.
import type { ChatEvent, HubNotice } from '../core/events.ts';
import { checkName } from '../core/names.ts';
import { stripControls } from '../core/text.ts';
import { sameName } from './casemap.ts';
import { capCommand, missingParams, registeredCommand, REGISTRATION_COMMANDS } from './commands.ts';
import type { IrcLine } from './irc-line.ts';
import { parseMessage, type IrcMessage } from './message.ts';
import {
  erroneousNickname,
  inputTooLong,
  lusersLines,
  nicknameInUse,
  noMotd,
  noNicknameGiven,
  notDelivered,
  notRegistered,
  ping,
  pingTimeoutError,
  pingTimeoutReason,
  pong,
  quitError,
  REGISTRATION_TIMED_OUT,
  resynced,
  welcomeLines,
} from './numerics.ts';
import { replyLines } from './replies.ts';
import { Step, type Session, type SessionConfig, type SessionInput, type Transition } from './step.ts';

export { initialSession, HOLD_LIMIT, type Session, type SessionConfig, type SessionInput, type Effect, type Transition } from './step.ts';

/** One step of the state machine. Total: every input is valid in every phase. */
export function step(session: Session, input: SessionInput, config: SessionConfig): Transition {
  const t = new Step(session, config);
  if (session.phase === 'closed') return t.finish();
  switch (input.kind) {
    case 'open':
    case 'timeout':
    case 'tick':
      timer(t, input.kind);
      break;
    case 'line':
    case 'too-long':
      if (session.phase === 'quitting') break;
      if (!session.heard || session.pinged) t.update({ heard: true, pinged: false });
      if (session.phase === 'registering') registering(t, input);
      else if (input.kind === 'too-long') t.answer(inputTooLong(t.server, t.client));
      else command(t, input.text);
      break;
    case 'hangup':
      if (session.phase === 'registered') t.tell({ kind: 'leave', conn: session.conn, reason: 'dropped' });
      t.close();
      break;
    case 'too-slow':
      if (session.phase === 'registered' || session.phase === 'quitting') {
        t.tell({ kind: 'leave', conn: session.conn, reason: 'too-slow' }).log(`${session.nick ?? '?'} cut off: too slow to read`);
      }
      t.abort();
      break;
    case 'event':
      event(t, input.event, input.lines);
      break;
    case 'settled':
      t.settle(input.intent);
      break;
  }
  return t.finish();
}

function timer(t: Step, kind: 'open' | 'timeout' | 'tick'): void {
  const s = t.session;
  if (kind === 'open') return; // an IRC server waits for the client to speak first
  if (kind === 'timeout') {
    if (s.phase === 'registering') t.send(REGISTRATION_TIMED_OUT).log('timed out before registering').close();
    return;
  }
  if (s.phase !== 'registered') return;
  if (s.heard) {
    t.update({ heard: false });
  } else if (!s.pinged) {
    t.send(ping(t.server)).update({ pinged: true });
  } else {
    const seconds = Math.round((2 * t.config.pingIntervalMs) / 100) / 10;
    t.tell({ kind: 'leave', conn: s.conn, reason: 'dropped', message: pingTimeoutReason(seconds) });
    t.send(pingTimeoutError(s.nick ?? '*', seconds)).log(`${s.nick ?? '?'} ping timeout`).close();
  }
}

/** A line or a too-long one before 001. */
function registering(t: Step, frame: Extract<SessionInput, { kind: 'line' | 'too-long' }>): void {
  const s = t.session;
  if (s.claiming) {
    t.update({ held: [...s.held, frame] });
    return;
  }
  if (frame.kind === 'too-long') {
    t.answer(inputTooLong(t.server, '*'));
    return;
  }
  const msg = parseMessage(frame.text);
  if (msg === null) return;
  if (!REGISTRATION_COMMANDS.has(msg.command)) {
    t.answer(notRegistered(t.server, '*'));
    return;
  }
  if (missingParams(t, msg)) return;
  switch (msg.command) {
    case 'CAP':
      capCommand(t, msg);
      break;
    case 'PASS':
    case 'PONG':
      break; // no password is needed; a PONG only shows the client is alive
    case 'PING':
      t.answer(pong(t.server, msg.params[0] as string));
      break;
    case 'NICK':
      registrationNick(t, msg);
      break;
    case 'USER':
      t.update({ user: true });
      break;
    case 'QUIT':
      t.update({ phase: 'quitting' }).answer(quitError('*', '')).closeWhenAnswered();
      return;
  }
  claimWhenReady(t);
}

function registrationNick(t: Step, msg: IrcMessage): void {
  const raw = msg.params[0];
  if (raw === undefined || raw === '') {
    t.answer(noNicknameGiven(t.server, '*'));
    return;
  }
  const check = checkName(raw);
  if (!check.ok) {
    t.answer(erroneousNickname(t.server, '*', stripControls(raw), check.reason));
    return;
  }
  t.update({ nick: check.name });
}

/** NICK, USER and the end of any CAP negotiation are in: claim the nick through the hub. */
function claimWhenReady(t: Step): void {
  const s = t.session;
  if (s.phase !== 'registering' || s.nick === null || !s.user || s.capping || s.claiming) return;
  t.ask({ kind: 'claim', conn: s.conn, name: s.nick, lobby: false }, { kind: 'claim' }).update({ claiming: true });
}

/** A line from a registered user. */
function command(t: Step, text: string): void {
  const msg = parseMessage(text);
  if (msg !== null) registeredCommand(t, msg);
}

/** Handles the lines that waited for a claim, as the session now is. */
function replayHeld(t: Step): void {
  const held = t.session.held;
  t.update({ held: [] });
  for (const frame of held) {
    if (t.session.phase === 'closed' || t.session.phase === 'quitting') return;
    if (t.session.claiming) {
      t.update({ held: [...t.session.held, frame] });
    } else if (t.session.phase === 'registering') {
      registering(t, frame);
    } else if (frame.kind === 'too-long') {
      t.answer(inputTooLong(t.server, t.client));
    } else {
      command(t, frame.text);
    }
  }
}

/** A hub event about this connection (front-end.ts sends only those), with its rendered lines. */
function event(t: Step, event: ChatEvent | HubNotice, lines: readonly IrcLine[]): void {
  const s = t.session;
  switch (event.kind) {
    case 'welcome': {
      if (s.phase !== 'registering') return;
      const nick = event.name;
      t.update({ phase: 'registered', nick, claiming: false, heard: true, pinged: false });
      t.send(welcomeLines(t.config.server, nick))
        .send(lusersLines(t.server, nick, t.config.lusers()))
        .send(noMotd(t.server, nick))
        .log(`registered as ${nick}`);
      replayHeld(t);
      return;
    }
    case 'name-taken':
      if (!event.renaming) {
        if (s.phase !== 'registering') return;
        t.send(nicknameInUse(t.server, '*', event.name)).update({ nick: null, claiming: false });
        replayHeld(t);
      } else {
        t.send(nicknameInUse(t.server, t.client, event.name));
      }
      return;
    case 'renamed':
      t.send(lines).update({ nick: event.to }).log(`renamed ${event.from} -> ${event.to}`);
      return;
    case 'entered':
      if (event.history !== null && !s.channels.some((c) => sameName(c, event.room))) t.update({ channels: [...s.channels, event.room] });
      t.send(lines);
      return;
    case 'parted':
      t.update({ channels: s.channels.filter((c) => !sameName(c, event.room)) }).send(lines);
      return;
    case 'said':
      if (s.echo) t.send(lines); // one's own line comes back only with echo-message
      return;
    case 'whispered':
      if (s.echo || event.to === s.conn) t.send(lines);
      return;
    case 'reply':
      t.send(replyLines(t.server, t.client, t.asked, event.reply));
      return;
    case 'undelivered': {
      const i = s.pending.findIndex((p) => p.intent.kind === event.intent.kind);
      if (event.intent.kind === 'claim' && s.phase === 'registering') {
        t.update({ nick: null, claiming: false });
      }
      t.send(notDelivered(t.server, t.client, event.intent.kind));
      if (i !== -1) t.drop(i);
      if (event.intent.kind === 'claim') replayHeld(t);
      return;
    }
    case 'resynced':
      t.send(resynced(t.server, t.client));
      return;
    case 'node-closed':
      t.send(lines).close();
      return;
    default:
      // Everything else was written by the front end before it reached here.
      t.send(lines);
  }
}
