// IRC's view of the chat: each event as the lines every IRC recipient reads, rendered once.
//
// The hub calls the renderer once per event however many IRC connections get it, and each
// recipient gets the same IrcLines (encoded once). What users do is relayed from their mask,
// `<name>!<name>@rxchat` (PROTOCOL.md "IRC front end"), whichever front end they use:
//
//   said (chat)        :ann!ann@rxchat PRIVMSG #rust :hi            (NOTICE for an IRC notice)
//   said (action)      :ann!ann@rxchat PRIVMSG #rust :\x01ACTION waves\x01
//   whispered          :ann!ann@rxchat PRIVMSG bob :hi
//   connected          :ann!ann@rxchat JOIN #lobby                  (a line or web user arriving)
//   joined-room        :ann!ann@rxchat JOIN #rust
//   left-room, parted  :ann!ann@rxchat PART #rust[ :reason]
//   left-chat          :ann!ann@rxchat QUIT :Quit: bye
//   renamed            :ann!ann@rxchat NICK :anna
//   entered            JOIN echo, 353/366, then the room's history as server NOTICEs (below)
//   node-closed        ERROR :Server is shutting down
//
// Events addressed to one connection whose lines depend on that connection's session (its nick
// for numerics, what it asked) render to nothing here: the session writes them (session.ts).
//
// History on JOIN: each replayed line is a NOTICE from the server to the channel,
// `:rxchat NOTICE #rust :[14:02] <ann> hello` (`* ann waves` for an action). irssi shows it in
// the channel's window as `!rxchat [14:02] <ann> hello`: plainly the server's replay, with the time
// the room decided the line. Replaying it as PRIVMSG from ann would show it at the current time, as
// if ann had just said it, and would set off highlights again; `server-time` is not offered
// (events carry no time), so a NOTICE with the time in the text is the honest form.
import type { ChatEvent, HistoryLine, HubNotice } from '../core/events.ts';
import type { LeaveReason, Style } from '../core/intents.ts';
import { hhmm } from '../line/messages.ts';
import { IrcLine, ircLine, splitToFit, utf8Bytes, MAX_IRC_LINE_BYTES } from './irc-line.ts';
import { message } from './message.ts';
import { namesLines, NODE_GONE, serverNotice, SHUTTING_DOWN, USER_HOST } from './numerics.ts';

/** What the hub hands every IRC recipient of an event: the lines, shared. */
export type IrcRendering = readonly IrcLine[];

const NOTHING: IrcRendering = Object.freeze([]);

/** A user's mask as the source of what they do. */
export const mask = (name: string): string => `${name}!${name}@${USER_HOST}`;

/** CTCP's delimiter; an ACTION is `\x01ACTION <text>\x01`. */
export const CTCP = '\x01';

/**
 * A line said to `target` (a channel or a nick), as PRIVMSG (NOTICE for a notice), split into as
 * many messages as it takes to keep each within 512 bytes (a line user may send 4096 bytes).
 */
export function saidLines(name: string, target: string, text: string, style: Style): IrcLine[] {
  const command = style === 'notice' ? 'NOTICE' : 'PRIVMSG';
  const source = mask(name);
  const wrap = style === 'action' ? (t: string): string => `${CTCP}ACTION ${t}${CTCP}` : (t: string): string => t;
  const overhead = utf8Bytes(`:${source} ${command} ${target} :${wrap('')}`);
  return splitToFit(text, MAX_IRC_LINE_BYTES - overhead).map((piece) => ircLine(message(source, command, target, wrap(piece)), { trailing: true }));
}

/** What other IRC users read when someone leaves the chat. */
export function quitMessage(reason: LeaveReason, given: string | null): string {
  if (reason === 'quit') return given === null || given === '' ? 'Quit' : `Quit: ${given}`;
  if (given !== null && given !== '') return given;
  return reason === 'too-slow' ? 'Too slow to read (sendq exceeded)' : 'Connection closed';
}

/** A history line as the server replays it into a channel: `[14:02] <ann> hello`. */
export function historyText(line: HistoryLine): string {
  const said = line.style === 'action' ? `* ${line.name} ${line.text}` : line.style === 'notice' ? `-${line.name}- ${line.text}` : `<${line.name}> ${line.text}`;
  return `[${hhmm(line.at)}] ${said}`;
}

function part(name: string, room: string, reason: string | null): IrcLine {
  return reason === null || reason === ''
    ? ircLine(message(mask(name), 'PART', room))
    : ircLine(message(mask(name), 'PART', room, reason), { trailing: true });
}

/** The IRC renderer of one server (its name is the source of server lines); one per front end. */
export function ircRenderer(serverName: string): (event: ChatEvent | HubNotice) => IrcRendering {
  return function renderIrc(event) {
    switch (event.kind) {
      case 'said':
        return saidLines(event.name, event.room, event.text, event.style);
      case 'whispered':
        return saidLines(event.fromName, event.toName, event.text, event.style);
      case 'connected':
      case 'joined-room':
        return [ircLine(message(mask(event.name), 'JOIN', event.room))];
      case 'left-room':
      case 'parted':
        return [part(event.name, event.room, event.message)];
      case 'left-chat':
        return [ircLine(message(mask(event.name), 'QUIT', quitMessage(event.reason, event.message)), { trailing: true })];
      case 'renamed':
        return [ircLine(message(mask(event.from), 'NICK', event.to), { trailing: true })];
      case 'entered': {
        // A switch to a room one is in already: IRC ignores a JOIN of a channel one is on.
        if (event.history === null) return NOTHING;
        const lines = [ircLine(message(mask(event.name), 'JOIN', event.room)), ...namesLines(serverName, event.name, event.room, event.users)];
        for (const line of event.history) lines.push(...serverNotice(serverName, event.room, historyText(line)));
        return lines;
      }
      case 'node-closed':
        return [event.why === 'shutdown' ? SHUTTING_DOWN : NODE_GONE];
      case 'welcome':
      case 'name-taken':
      case 'reply':
      case 'undelivered':
      case 'resynced':
        return NOTHING;
    }
  };
}
