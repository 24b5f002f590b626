// What a registered IRC user's commands do: each becomes intents for the chat or a local answer.
//
// Channels are the chat's rooms and nicks its names, so most commands are a question to the chat
// (replies.ts reads its answer); a few are answered here, in command order (step.ts `answer`).
//
// | command                         | does                                                        |
// |---------------------------------|-------------------------------------------------------------|
// | JOIN #a,#b / JOIN 0             | `join` each (keys ignored) / `part` every channel one is on |
// | PART #a,#b [:reason]            | `part` each, with the reason                                |
// | PRIVMSG/NOTICE #c,nick :text    | `say` in the room / `msg` to the user (up to 4 targets)     |
// | CTCP ACTION                     | style `action` (`/me`); any other CTCP is dropped, see below |
// | NICK new                        | `rename`                                                    |
// | NAMES, WHO, WHOIS, LIST, ISON,  | `members`, `whois`, `who`, `rooms`: replies.ts              |
// |   USERHOST, TOPIC, MODE queries |                                                             |
// | TOPIC #c :text, MODE changes    | refused (482, 501): rooms have no topics, modes or operators |
// | QUIT [:reason]                  | `leave` with the reason, then ERROR and close               |
// | PING, AWAY, MOTD, LUSERS, WHOWAS| answered here (AWAY is acknowledged, not shown to others;   |
// |   VERSION, CAP, PASS, USER      |   WHOWAS finds nobody: no record of past nicks is kept)     |
//
// CTCP other than ACTION (VERSION, PING, DCC…) is dropped, to channels and nicks alike: TCP and web
// users cannot answer it, and the chat strips the control characters that frame it (PROTOCOL.md
// "Text"), so it would arrive as plain words. Formatting (colours, bold) and control characters are
// stripped from text and reasons (text.ts), as every front end strips control characters.
import { checkName } from '../core/names.ts';
import { checkRoom } from '../core/rooms.ts';
import { isBlank, stripControls } from '../core/text.ts';
import { ircKey, sameName } from './casemap.ts';
import type { IrcMessage } from './message.ts';
import {
  alreadyRegistered,
  capAck,
  capList,
  capLs,
  capNak,
  CAPABILITIES,
  chanOpPrivsNeeded,
  endOfBanList,
  endOfExceptList,
  endOfInviteList,
  endOfNames,
  endOfWho,
  erroneousNickname,
  invalidCapCommand,
  lusersLines,
  MAX_MESSAGE_TARGETS,
  needMoreParams,
  noMotd,
  noNicknameGiven,
  noRecipient,
  noSuchChannel,
  noSuchNick,
  noTextToSend,
  nowAway,
  pong,
  quitError,
  tooManyTargets,
  unAway,
  unknownCommand,
  unknownModeFlag,
  userModeIs,
  versionLines,
  whowasNone,
} from './numerics.ts';
import { CTCP } from './render.ts';
import type { Step } from './step.ts';
import { plainText } from './text.ts';

/** Commands a client may send before registration (everything else gets 451). */
export const REGISTRATION_COMMANDS: ReadonlySet<string> = new Set(['CAP', 'PASS', 'NICK', 'USER', 'PING', 'PONG', 'QUIT']);

/** Parameters each command needs at least (461 otherwise). */
const MIN_PARAMS: Readonly<Record<string, number>> = {
  CAP: 1, NICK: 0, USER: 4, PASS: 1, PING: 1, JOIN: 1, PART: 1, PRIVMSG: 0, NOTICE: 0, MODE: 1,
  TOPIC: 1, WHOIS: 1, WHOWAS: 1, ISON: 1, USERHOST: 1, KICK: 2, INVITE: 2,
};

/** True when `msg` lacks parameters its command needs (the 461 is sent). */
export function missingParams(t: Step, msg: IrcMessage): boolean {
  const min = MIN_PARAMS[msg.command] ?? 0;
  if (msg.params.length >= min) return false;
  t.answer(needMoreParams(t.server, t.client, msg.command));
  return true;
}

/** A command from a registered user. */
export function registeredCommand(t: Step, msg: IrcMessage): void {
  if (missingParams(t, msg)) return;
  const s = t.server;
  const me = t.client;
  const p = msg.params;
  const conn = t.session.conn;
  switch (msg.command) {
    case 'PING':
      t.answer(pong(s, p[0] as string));
      return;
    case 'PONG':
      return;
    case 'CAP':
      capCommand(t, msg);
      return;
    case 'PASS':
    case 'USER':
      t.answer(alreadyRegistered(s, me));
      return;
    case 'NICK':
      nickCommand(t, p[0]);
      return;
    case 'JOIN':
      if (p[0] === '0') {
        for (const channel of t.session.channels) t.ask({ kind: 'part', conn, room: channel }, { kind: 'part', channel });
        return;
      }
      for (const channel of targets(p[0])) {
        const room = channelName(t, channel);
        if (room !== null) t.ask({ kind: 'join', conn, room }, { kind: 'join', channel });
      }
      return;
    case 'PART': {
      const reason = p[1] === undefined ? undefined : plainText(p[1]).trim();
      for (const channel of targets(p[0])) {
        const room = channelName(t, channel);
        if (room === null) continue;
        const intent = reason === undefined || reason === '' ? { kind: 'part' as const, conn, room } : { kind: 'part' as const, conn, room, message: reason };
        t.ask(intent, { kind: 'part', channel });
      }
      return;
    }
    case 'PRIVMSG':
    case 'NOTICE':
      messageCommand(t, msg);
      return;
    case 'NAMES':
      if (p[0] === undefined) {
        t.answer(endOfNames(s, me, '*'));
        return;
      }
      for (const channel of targets(p[0])) {
        const room = checkRoom(channel);
        if (!channel.startsWith('#') || !room.ok) t.answer(endOfNames(s, me, channel));
        else t.ask({ kind: 'members', conn, room: room.room }, { kind: 'names', channel });
      }
      return;
    case 'WHO':
      whoCommand(t, p[0]);
      return;
    case 'WHOIS': {
      // WHOIS [<server>] <nick>: the nick is the last parameter; one target (TARGMAX WHOIS:1).
      const nick = targets(p.at(-1))[0] ?? '';
      t.ask({ kind: 'whois', conn, name: nick }, { kind: 'whois', nick });
      return;
    }
    case 'WHOWAS':
      t.answer(whowasNone(s, me, targets(p[0])[0] ?? ''));
      return;
    case 'LIST': {
      const only = p[0] === undefined || p[0] === '' ? null : targets(p[0]).map(ircKey);
      t.ask({ kind: 'rooms', conn }, { kind: 'list', only });
      return;
    }
    case 'TOPIC': {
      const channel = p[0] as string;
      const room = channelName(t, channel);
      if (room !== null) t.ask({ kind: 'members', conn, room }, { kind: 'topic', channel, setting: p.length > 1 });
      return;
    }
    case 'MODE':
      modeCommand(t, p[0] as string, p.slice(1));
      return;
    case 'ISON': {
      const nicks = p.flatMap((param) => param.split(' ')).filter((n) => n !== '');
      t.ask({ kind: 'who', conn }, { kind: 'ison', nicks });
      return;
    }
    case 'USERHOST':
      t.ask({ kind: 'who', conn }, { kind: 'userhost', nicks: p.slice(0, 5) });
      return;
    case 'AWAY':
      t.answer(p[0] === undefined || p[0] === '' ? unAway(s, me) : nowAway(s, me));
      return;
    case 'MOTD':
      t.answer(noMotd(s, me));
      return;
    case 'LUSERS':
      t.answer(lusersLines(s, me, t.config.lusers()));
      return;
    case 'VERSION':
      t.answer(versionLines(t.config.server, me));
      return;
    case 'KICK':
    case 'INVITE':
      t.answer(chanOpPrivsNeeded(s, me, (msg.command === 'KICK' ? p[0] : p[1]) as string, 'rooms have no operators'));
      return;
    case 'QUIT': {
      const reason = p[0] === undefined ? '' : plainText(p[0]).trim();
      t.ask({ kind: 'leave', conn, reason: 'quit', ...(reason === '' ? {} : { message: reason }) }, { kind: 'quit' });
      t.answer(quitError(me, reason));
      t.closeWhenAnswered();
      t.update({ phase: 'quitting' }).log(`${me} quit`);
      return;
    }
    default:
      t.answer(unknownCommand(s, me, msg.command));
  }
}

/** `#a,#b` → ['#a', '#b'] (empty items dropped). */
export function targets(list: string | undefined): string[] {
  return list === undefined ? [] : list.split(',').filter((item) => item !== '');
}

/** A channel parameter as a room name, or null after answering 403 (no `#`, or not a valid room name). */
function channelName(t: Step, channel: string): string | null {
  if (!channel.startsWith('#')) {
    t.answer(noSuchChannel(t.server, t.client, channel));
    return null;
  }
  const check = checkRoom(channel);
  if (check.ok) return check.room;
  t.answer(noSuchChannel(t.server, t.client, channel, `Invalid channel name: ${check.reason}`));
  return null;
}

/** CAP LS / LIST / REQ / END (modern.ircdocs.horse "Capability negotiation"). */
export function capCommand(t: Step, msg: IrcMessage): void {
  const s = t.server;
  const client = t.client;
  const sub = (msg.params[0] ?? '').toUpperCase();
  const registering = t.session.phase === 'registering';
  switch (sub) {
    case 'LS':
      t.answer(capLs(s, client));
      if (registering) t.update({ capping: true });
      return;
    case 'LIST':
      t.answer(capList(s, client, t.session.echo ? ['echo-message'] : []));
      return;
    case 'REQ': {
      const requested = msg.params[1] ?? '';
      const names = requested.split(' ').filter((c) => c !== '');
      const known = names.length > 0 && names.every((c) => CAPABILITIES.includes(c.replace(/^-/, '')));
      if (registering) t.update({ capping: true });
      if (!known) {
        t.answer(capNak(s, client, requested));
        return;
      }
      for (const name of names) if (name.replace(/^-/, '') === 'echo-message') t.update({ echo: !name.startsWith('-') });
      t.answer(capAck(s, client, requested));
      return;
    }
    case 'END':
      if (registering) t.update({ capping: false });
      return;
    default:
      t.answer(invalidCapCommand(s, client, msg.params[0] ?? ''));
  }
}

/** NICK from a registered user: `rename` (the chat answers a taken or unchanged nick). */
function nickCommand(t: Step, raw: string | undefined): void {
  if (raw === undefined || raw === '') {
    t.answer(noNicknameGiven(t.server, t.client));
    return;
  }
  const check = checkName(raw);
  if (!check.ok) {
    t.answer(erroneousNickname(t.server, t.client, stripControls(raw), check.reason));
    return;
  }
  t.ask({ kind: 'rename', conn: t.session.conn, name: check.name }, { kind: 'nick' });
}

/** PRIVMSG / NOTICE to channels (`say`) and nicks (`msg`); CTCP ACTION is an action. */
function messageCommand(t: Step, msg: IrcMessage): void {
  const s = t.server;
  const me = t.client;
  const notice = msg.command === 'NOTICE';
  const [to, raw] = msg.params;
  // No automatic replies to a NOTICE: its errors are dropped.
  if (to === undefined || to === '') {
    if (!notice) t.answer(noRecipient(s, me, msg.command));
    return;
  }
  if (raw === undefined || raw === '') {
    if (!notice) t.answer(noTextToSend(s, me));
    return;
  }
  const said = ctcp(raw);
  if (said === null) return; // CTCP other than ACTION: dropped
  const text = plainText(said.text);
  if (isBlank(text)) return; // blank lines are never said (PROTOCOL.md "Text")
  const style = said.action ? 'action' : notice ? 'notice' : 'chat';
  const conn = t.session.conn;
  const all = targets(to);
  all.forEach((target, i) => {
    if (i >= MAX_MESSAGE_TARGETS) {
      if (!notice) t.answer(tooManyTargets(s, me, target));
      return;
    }
    if (target.startsWith('#')) {
      const room = checkRoom(target);
      if (!room.ok) {
        if (!notice) t.answer(noSuchNick(s, me, target));
        return;
      }
      t.ask({ kind: 'say', conn, room: room.room, text, style }, { kind: 'message', target, notice });
      return;
    }
    const name = checkName(target);
    if (!name.ok) {
      if (!notice) t.answer(noSuchNick(s, me, target));
      return;
    }
    t.ask({ kind: 'msg', conn, to: name.name, text, style }, { kind: 'message', target, notice });
  });
}

/** A message's text: plain, or a CTCP ACTION's; null for any other CTCP (dropped). */
export function ctcp(raw: string): { readonly text: string; readonly action: boolean } | null {
  if (!raw.startsWith(CTCP)) return { text: raw, action: false };
  const body = raw.endsWith(CTCP) && raw.length > 1 ? raw.slice(1, -1) : raw.slice(1);
  const space = body.indexOf(' ');
  const verb = (space === -1 ? body : body.slice(0, space)).toUpperCase();
  if (verb !== 'ACTION') return null;
  return { text: space === -1 ? '' : body.slice(space + 1), action: true };
}

/** WHO <#channel> / WHO <nick> / WHO [*] (everyone). A second parameter (`o`, WHOX) is ignored. */
function whoCommand(t: Step, raw: string | undefined): void {
  const conn = t.session.conn;
  const mask = raw ?? '*';
  if (mask === '' || mask === '*' || mask === '0') {
    t.ask({ kind: 'who', conn }, { kind: 'who', mask: mask === '' ? '*' : mask });
    return;
  }
  if (mask.startsWith('#')) {
    const room = checkRoom(mask);
    if (room.ok) t.ask({ kind: 'members', conn, room: room.room }, { kind: 'who', mask });
    else t.answer(endOfWho(t.server, t.client, mask));
    return;
  }
  t.ask({ kind: 'whois', conn, name: mask }, { kind: 'who', mask });
}

/**
 * MODE: queries answer what there is (channels: `+n`, users: `+`); changes are refused, since rooms
 * have no operators and users no modes. List queries (`b`, `e`, `I`) answer empty lists.
 */
function modeCommand(t: Step, target: string, args: readonly string[]): void {
  const s = t.server;
  const me = t.client;
  const conn = t.session.conn;
  const modes = args[0];
  if (target.startsWith('#')) {
    const room = channelName(t, target);
    if (room === null) return;
    if (modes === undefined) {
      t.ask({ kind: 'members', conn, room }, { kind: 'mode', channel: target });
      return;
    }
    const letters = modes.replace(/^[+-]/, '');
    if (args.length === 1 && !/^-/.test(modes) && /^[beI]$/.test(letters)) {
      t.answer(letters === 'b' ? endOfBanList(s, me, target) : letters === 'e' ? endOfExceptList(s, me, target) : endOfInviteList(s, me, target));
      return;
    }
    t.answer(chanOpPrivsNeeded(s, me, target, 'rooms have no operators or modes to change'));
    return;
  }
  if (!sameName(target, me)) {
    t.ask({ kind: 'whois', conn, name: target }, { kind: 'user-mode', nick: target });
    return;
  }
  t.answer(modes === undefined ? userModeIs(s, me) : unknownModeFlag(s, me));
}
