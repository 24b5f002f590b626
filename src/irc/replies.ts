// The chat's answers to one IRC connection, as numerics: what a Reply means depends on what was asked.
//
// Several IRC commands ask the chat the same question: NAMES, WHO #room, MODE #room and TOPIC
// all become a `members` intent; WHOIS, WHO <nick> and MODE <nick> a `whois`; ISON, USERHOST and
// WHO * a `who`. The session keeps why it asked (step.ts `Purpose`) and this file reads the Reply
// in that light:
//
// | reply           | asked by                          | numerics                                  |
// |-----------------|-----------------------------------|-------------------------------------------|
// | members         | NAMES / WHO #c / MODE #c / TOPIC  | 353… 366 / 352… 315 / 324 / 331 (482, 442) |
// | whois           | WHOIS / WHO nick / MODE nick      | 311 319 312 318 / 352 315 / 502            |
// | who             | WHO * / ISON / USERHOST           | 352… 315 / 303 / 302                       |
// | rooms           | LIST                              | 321 322… 323                               |
// | no-such-room    | NAMES / WHO / MODE, TOPIC / PRIVMSG | 366 / 315 / 403 / 401                    |
// | no-such-user    | WHOIS / WHO / MODE / PRIVMSG      | 401 318 / 315 / 401 / 401                  |
// | not-in-room     | PRIVMSG, NOTICE / PART            | 404 / 442                                  |
// | too-many-rooms  | JOIN                              | 405                                        |
// | max-rooms       | JOIN                              | 403 (the room cannot be created)           |
// | already-named   | NICK to the nick one has          | nothing                                    |
//
// A NOTICE never gets an error back (modern.ircdocs.horse: no automatic replies to a NOTICE).
import type { Reply } from '../core/events.ts';
import { ircKey, sameName } from './casemap.ts';
import type { IrcLine } from './irc-line.ts';
import {
  cannotSendToChannel,
  chanOpPrivsNeeded,
  channelModeIs,
  endOfNames,
  endOfWho,
  endOfWhois,
  isOn,
  listEnd,
  listEntry,
  listStart,
  namesLines,
  noSuchChannel,
  noRoom,
  noSuchNick,
  noTopic,
  notOnChannel,
  tooManyChannels,
  userHost,
  usersDontMatch,
  whoisLines,
  whoReply,
} from './numerics.ts';
import type { Purpose } from './step.ts';

/** The lines answering `reply` to the user `me`, given why it was asked (null: nothing pending). */
export function replyLines(server: string, me: string, asked: Purpose | null, reply: Reply): IrcLine[] {
  const s = server;
  switch (reply.kind) {
    case 'members':
      switch (asked?.kind) {
        case 'who':
          return [...reply.names.map((n) => whoReply(s, me, reply.room, n)), endOfWho(s, me, asked.mask)];
        case 'mode':
          return [channelModeIs(s, me, reply.room)];
        case 'topic': {
          if (!asked.setting) return [noTopic(s, me, reply.room)];
          const member = reply.names.some((n) => sameName(n, me));
          return [member ? chanOpPrivsNeeded(s, me, reply.room, 'rooms have no topic') : notOnChannel(s, me, reply.room)];
        }
        default:
          return namesLines(s, me, reply.room, reply.names);
      }
    case 'whois':
      switch (asked?.kind) {
        case 'who':
          return [whoReply(s, me, '*', reply.name), endOfWho(s, me, asked.mask)];
        case 'user-mode':
          return [usersDontMatch(s, me)];
        default:
          return whoisLines(s, me, reply.name, reply.rooms);
      }
    case 'who':
      switch (asked?.kind) {
        case 'ison':
          return isOn(s, me, present(asked.nicks, reply.names));
        case 'userhost':
          return userHost(s, me, present(asked.nicks, reply.names));
        default:
          return [...reply.names.map((n) => whoReply(s, me, '*', n)), endOfWho(s, me, asked?.kind === 'who' ? asked.mask : '*')];
      }
    case 'rooms': {
      const only = asked?.kind === 'list' ? asked.only : null;
      const rooms = only === null ? reply.rooms : reply.rooms.filter((r) => only.includes(ircKey(r.room)));
      return [listStart(s, me), ...rooms.map((r) => listEntry(s, me, r.room, r.users)), listEnd(s, me)];
    }
    case 'no-such-room':
      switch (asked?.kind) {
        case 'names':
          return [endOfNames(s, me, asked.channel)];
        case 'who':
          return [endOfWho(s, me, asked.mask)];
        case 'message':
          return asked.notice ? [] : [noSuchNick(s, me, asked.target)];
        case 'mode':
        case 'topic':
          return [noSuchChannel(s, me, asked.channel)];
        default:
          return [noSuchChannel(s, me, reply.room)];
      }
    case 'no-such-user':
      switch (asked?.kind) {
        case 'who':
          return [endOfWho(s, me, asked.mask)];
        case 'whois':
          return [noSuchNick(s, me, asked.nick), endOfWhois(s, me, asked.nick)];
        case 'message':
          return asked.notice ? [] : [noSuchNick(s, me, asked.target)];
        default:
          return [noSuchNick(s, me, reply.name)];
      }
    case 'not-in-room':
      if (asked?.kind === 'message') return asked.notice ? [] : [cannotSendToChannel(s, me, reply.room)];
      return [notOnChannel(s, me, reply.room)];
    case 'too-many-rooms':
      return [tooManyChannels(s, me, asked?.kind === 'join' ? asked.channel : '*', reply.max)];
    case 'max-rooms':
      return [noSuchChannel(s, me, asked?.kind === 'join' ? asked.channel : '*', `Cannot create channel: too many rooms (max ${reply.max})`)];
    case 'already-named':
      return [];
    case 'no-room':
      return noRoom(s, me);
    case 'history':
    case 'no-history':
      return []; // the line protocol's /history; IRC never asks
  }
}

/** The nicks asked about that are online, as the chat spells them, in the order asked. */
function present(asked: readonly string[], online: readonly string[]): string[] {
  const byKey = new Map(online.map((name) => [ircKey(name), name]));
  const found: string[] = [];
  for (const nick of asked) {
    const name = byKey.get(ircKey(nick));
    if (name !== undefined && !found.includes(name)) found.push(name);
  }
  return found;
}
