// Every reply the IRC server itself sends: numerics, CAP, PING/PONG, ERROR and its NOTICEs. The only
// file with the IRC front end's reply text (render.ts has the lines that relay what users do).
//
// Formats follow modern.ircdocs.horse "Numerics": the server's name is the source of every reply
// (`--irc-server-name`), the first parameter is the recipient's nick (`*` before it has one), and
// the human text is the trailing parameter. Lists that may be long (NAMES, WHOIS channels, ISON)
// are split over as many lines as it takes to keep each within 512 bytes.
import { CASEMAPPING } from './casemap.ts';
import { ircLine, IrcLine, splitToFit, utf8Bytes, MAX_IRC_LINE_BYTES } from './irc-line.ts';
import { isMiddle, message } from './message.ts';

/** The host part of every user's mask (`<name>!<name>@rxchat`, PROTOCOL.md "IRC front end"). */
export const USER_HOST = 'rxchat';
/** The software and version 002, 004 and VERSION name. */
export const SERVER_VERSION = 'rxchat-2.0';
/** Longest nick and channel name (core/names.ts, core/rooms.ts: 24 characters; `#` and 32). */
export const NICKLEN = 24;
export const CHANNELLEN = 33;
/** Targets one PRIVMSG or NOTICE may name (ISUPPORT TARGMAX). */
export const MAX_MESSAGE_TARGETS = 4;
/** The capabilities CAP LS offers: only what is implemented fully. */
export const CAPABILITIES: readonly string[] = ['echo-message'];
/** The one channel mode rooms have: +n, only members may speak (the chat refuses others). */
export const CHANNEL_MODES = '+n';

/** What the server says it is: its name and the figures ISUPPORT and the welcome carry. */
export interface ServerInfo {
  /** The source of every reply (`--irc-server-name`). */
  readonly name: string;
  /** When the server started, as 003 tells it. */
  readonly created: string;
  /** Rooms one user may be in (`--max-rooms-per-user`), for CHANLIMIT. */
  readonly maxRoomsPerUser: number;
}

/**
 * The ISUPPORT tokens: honest about a chat whose rooms have no operators, topics or keys (`PREFIX=()`,
 * `CHANMODES=,,,n`). `UTF8ONLY` holds because every line is decoded as UTF-8 before anything is
 * relayed (invalid bytes become U+FFFD, framing.ts) and text is only ever cut between characters,
 * so nothing but UTF-8 leaves the server, as the IRCv3 UTF8ONLY spec asks.
 */
export function isupportTokens(info: ServerInfo): readonly string[] {
  return [
    `CASEMAPPING=${CASEMAPPING}`,
    `CHANLIMIT=#:${info.maxRoomsPerUser}`,
    'CHANMODES=,,,n',
    `CHANNELLEN=${CHANNELLEN}`,
    'CHANTYPES=#',
    'NETWORK=rxchat',
    `NICKLEN=${NICKLEN}`,
    'PREFIX=()',
    `TARGMAX=JOIN:,PART:,NAMES:,PRIVMSG:${MAX_MESSAGE_TARGETS},NOTICE:${MAX_MESSAGE_TARGETS},WHOIS:1,ISON:,USERHOST:5`,
    'UTF8ONLY',
  ];
}

/** A numeric from the server to `client` (its nick, or `*`), the last parameter as trailing text. */
export function numeric(server: string, code: string, client: string, ...params: string[]): IrcLine {
  // A middle parameter echoing what a client sent (`JOIN :#a b`) may hold a space: shown as `*`.
  const safe = params.map((p, i) => (i === params.length - 1 || isMiddle(p) ? p : '*'));
  return ircLine(message(server, code, client, ...safe), { trailing: true });
}

/**
 * A numeric whose last parameter is a space-separated list: as many lines as it takes, each within
 * 512 bytes. An empty list is one line with an empty list.
 */
export function listNumeric(server: string, code: string, client: string, middle: readonly string[], items: readonly string[]): IrcLine[] {
  const head = `:${server} ${code} ${client} ${middle.map((p) => `${p} `).join('')}:`;
  const room = MAX_IRC_LINE_BYTES - utf8Bytes(head);
  const lines: IrcLine[] = [];
  let current = '';
  for (const item of items) {
    const next = current === '' ? item : `${current} ${item}`;
    if (current !== '' && utf8Bytes(next) > room) {
      lines.push(numeric(server, code, client, ...middle, current));
      current = item;
    } else current = next;
  }
  if (current !== '' || lines.length === 0) lines.push(numeric(server, code, client, ...middle, current));
  return lines;
}

/** A NOTICE from the server (to a nick, `*`, or a channel), split to fit when long. */
export function serverNotice(server: string, target: string, text: string): IrcLine[] {
  const room = MAX_IRC_LINE_BYTES - utf8Bytes(`:${server} NOTICE ${target} :`);
  return splitToFit(text, room).map((piece) => ircLine(message(server, 'NOTICE', target, piece), { trailing: true }));
}

// Registration ------------------------------------------------------------------------------

/** 001-005: the welcome, then the server's features (one 005 holds at most 13 tokens). */
export function welcomeLines(info: ServerInfo, nick: string): IrcLine[] {
  const s = info.name;
  const tokens = isupportTokens(info);
  const lines = [
    numeric(s, '001', nick, `Welcome to the rxchat IRC network, ${nick}`),
    numeric(s, '002', nick, `Your host is ${s}, running version ${SERVER_VERSION}`),
    numeric(s, '003', nick, `This server was created ${info.created}`),
    // Rooms have no user or channel modes to list here; clients read the modes from 005 CHANMODES.
    ircLine(message(s, '004', nick, s, SERVER_VERSION)),
  ];
  for (let i = 0; i < tokens.length; i += 13) lines.push(numeric(s, '005', nick, ...tokens.slice(i, i + 13), 'are supported by this server'));
  return lines;
}

/** The figures LUSERS reports, read off the chat's state. */
export interface Lusers {
  /** Users in the whole chat (every front end, every node). */
  readonly users: number;
  /** Nodes of the cluster (1 for a single server). */
  readonly servers: number;
  /** Connections to this node that have no name yet. */
  readonly unknown: number;
  readonly channels: number;
  /** Users connected to this node. */
  readonly local: number;
}

/** 251-255 (252: rooms have no operators, so always 0). */
export function lusersLines(server: string, nick: string, l: Lusers): IrcLine[] {
  return [
    numeric(server, '251', nick, `There are ${l.users} users and 0 invisible on ${l.servers} servers`),
    numeric(server, '252', nick, '0', 'operator(s) online'),
    numeric(server, '253', nick, String(l.unknown), 'unknown connection(s)'),
    numeric(server, '254', nick, String(l.channels), 'channels formed'),
    numeric(server, '255', nick, `I have ${l.local} clients and ${Math.max(0, l.servers - 1)} servers`),
  ];
}

export const noMotd = (server: string, nick: string): IrcLine => numeric(server, '422', nick, 'MOTD File is missing');

export function versionLines(info: ServerInfo, nick: string): IrcLine[] {
  const tokens = isupportTokens(info);
  const lines = [numeric(info.name, '351', nick, SERVER_VERSION, info.name, 'rxchat: one chat for TCP, web and IRC users')];
  for (let i = 0; i < tokens.length; i += 13) lines.push(numeric(info.name, '005', nick, ...tokens.slice(i, i + 13), 'are supported by this server'));
  return lines;
}

// CAP ---------------------------------------------------------------------------------------

export const capLs = (server: string, client: string): IrcLine => ircLine(message(server, 'CAP', client, 'LS', CAPABILITIES.join(' ')), { trailing: true });
export const capList = (server: string, client: string, enabled: readonly string[]): IrcLine =>
  ircLine(message(server, 'CAP', client, 'LIST', enabled.join(' ')), { trailing: true });
export const capAck = (server: string, client: string, requested: string): IrcLine => ircLine(message(server, 'CAP', client, 'ACK', requested), { trailing: true });
export const capNak = (server: string, client: string, requested: string): IrcLine => ircLine(message(server, 'CAP', client, 'NAK', requested), { trailing: true });
export const invalidCapCommand = (server: string, client: string, sub: string): IrcLine => numeric(server, '410', client, sub, 'Invalid CAP command');

// Connection --------------------------------------------------------------------------------

export const pong = (server: string, token: string): IrcLine => ircLine(message(server, 'PONG', server, token), { trailing: true });
export const ping = (server: string): IrcLine => ircLine(message(server, 'PING', server), { trailing: true });
/** The last line before the server closes a connection. */
export const errorLine = (text: string): IrcLine => ircLine(message(null, 'ERROR', text), { trailing: true });
/** To a connection refused because the server is full (listenTcp's `full`). */
export const SERVER_FULL = errorLine('Server full');
export const REGISTRATION_TIMED_OUT = errorLine('Closing link: registration timed out');
/** To every connection of a server shutting down, or declared gone by its cluster. */
export const SHUTTING_DOWN = errorLine('Server is shutting down');
export const NODE_GONE = errorLine('Server lost touch with the cluster: please reconnect');
/** The answer to QUIT (`*` before registration), before the server closes the link. */
export const quitError = (nick: string, reason: string): IrcLine => errorLine(`Closing link: ${nick} (Quit${reason === '' ? '' : `: ${reason}`})`);
/** To a client that never answered the server's PING. */
export const pingTimeoutError = (nick: string, seconds: number): IrcLine => errorLine(`Closing link: ${nick} (Ping timeout: ${seconds} seconds)`);
/** What other IRC users read as the QUIT message of a client dropped for not answering. */
export const pingTimeoutReason = (seconds: number): string => `Ping timeout: ${seconds} seconds`;

// Notices about the log under the chat (PROTOCOL.md "Clusters") and other server remarks.
export const notDelivered = (s: string, c: string, what: string): IrcLine[] =>
  serverNotice(s, c, `Not delivered (the chat's log cannot be reached): ${what}; please try again`);
export const resynced = (s: string, c: string): IrcLine[] => serverNotice(s, c, 'The chat was restored after its log lost data: some lines may be missing');
export const noRoom = (s: string, c: string): IrcLine[] => serverNotice(s, c, 'You are in no room: join a channel first');

// Errors ------------------------------------------------------------------------------------

export const inputTooLong = (s: string, c: string): IrcLine => numeric(s, '417', c, 'Input line was too long');
export const unknownCommand = (s: string, c: string, command: string): IrcLine => numeric(s, '421', c, command, 'Unknown command');
export const needMoreParams = (s: string, c: string, command: string): IrcLine => numeric(s, '461', c, command, 'Not enough parameters');
export const notRegistered = (s: string, c: string): IrcLine => numeric(s, '451', c, 'You have not registered');
export const alreadyRegistered = (s: string, c: string): IrcLine => numeric(s, '462', c, 'You may not reregister');
export const noNicknameGiven = (s: string, c: string): IrcLine => numeric(s, '431', c, 'No nickname given');
export const erroneousNickname = (s: string, c: string, nick: string, reason: string): IrcLine =>
  numeric(s, '432', c, nick, `Erroneous nickname: ${reason}`);
export const nicknameInUse = (s: string, c: string, nick: string): IrcLine => numeric(s, '433', c, nick, 'Nickname is already in use');
export const noSuchNick = (s: string, c: string, nick: string): IrcLine => numeric(s, '401', c, nick, 'No such nick/channel');
export const noSuchChannel = (s: string, c: string, channel: string, why = 'No such channel'): IrcLine => numeric(s, '403', c, channel, why);
export const cannotSendToChannel = (s: string, c: string, channel: string): IrcLine => numeric(s, '404', c, channel, 'Cannot send to channel (join it first)');
export const tooManyChannels = (s: string, c: string, channel: string, max: number): IrcLine =>
  numeric(s, '405', c, channel, `You have joined too many channels (max ${max})`);
export const tooManyTargets = (s: string, c: string, target: string): IrcLine =>
  numeric(s, '407', c, target, `Too many targets (max ${MAX_MESSAGE_TARGETS}): not sent`);
export const noRecipient = (s: string, c: string, command: string): IrcLine => numeric(s, '411', c, `No recipient given (${command})`);
export const noTextToSend = (s: string, c: string): IrcLine => numeric(s, '412', c, 'No text to send');
export const notOnChannel = (s: string, c: string, channel: string): IrcLine => numeric(s, '442', c, channel, "You're not on that channel");
export const chanOpPrivsNeeded = (s: string, c: string, channel: string, why: string): IrcLine =>
  numeric(s, '482', c, channel, `You're not channel operator: ${why}`);
export const unknownModeFlag = (s: string, c: string): IrcLine => numeric(s, '501', c, 'Unknown MODE flag (rxchat has no user modes)');
export const usersDontMatch = (s: string, c: string): IrcLine => numeric(s, '502', c, "Can't view or change mode for other users");

// Queries -----------------------------------------------------------------------------------

export const userModeIs = (s: string, c: string): IrcLine => ircLine(message(s, '221', c, '+'));
export const channelModeIs = (s: string, c: string, channel: string): IrcLine => ircLine(message(s, '324', c, channel, CHANNEL_MODES));
export const noTopic = (s: string, c: string, channel: string): IrcLine => numeric(s, '331', c, channel, 'No topic is set');
export const endOfBanList = (s: string, c: string, channel: string): IrcLine => numeric(s, '368', c, channel, 'End of channel ban list');
export const endOfExceptList = (s: string, c: string, channel: string): IrcLine => numeric(s, '349', c, channel, 'End of channel exception list');
export const endOfInviteList = (s: string, c: string, channel: string): IrcLine => numeric(s, '347', c, channel, 'End of channel invite list');

/** 353 (as many as it takes) and 366 for a channel's members; no prefixes: rooms have no operators. */
export function namesLines(s: string, c: string, channel: string, names: readonly string[]): IrcLine[] {
  return [...listNumeric(s, '353', c, ['=', channel], names), endOfNames(s, c, channel)];
}
export const endOfNames = (s: string, c: string, channel: string): IrcLine => numeric(s, '366', c, channel, 'End of /NAMES list');

/** 352 for one user: username and real name are the nick, the host `rxchat`, flags `H` (here). */
export const whoReply = (s: string, c: string, channel: string, nick: string): IrcLine =>
  numeric(s, '352', c, channel, nick, USER_HOST, s, nick, 'H', `0 ${nick}`);
export const endOfWho = (s: string, c: string, mask: string): IrcLine => numeric(s, '315', c, mask || '*', 'End of WHO list');

export function whoisLines(s: string, c: string, nick: string, channels: readonly string[]): IrcLine[] {
  return [
    numeric(s, '311', c, nick, nick, USER_HOST, '*', nick),
    ...(channels.length === 0 ? [] : listNumeric(s, '319', c, [nick], channels)),
    numeric(s, '312', c, nick, s, 'rxchat chat server'),
    endOfWhois(s, c, nick),
  ];
}
export const endOfWhois = (s: string, c: string, nick: string): IrcLine => numeric(s, '318', c, nick, 'End of /WHOIS list');

/** WHOWAS: the chat keeps no record of nicks no longer in use (irssi asks after a WHOIS finds nobody). */
export const whowasNone = (s: string, c: string, nick: string): IrcLine[] => [
  numeric(s, '406', c, nick, 'There was no such nickname (rxchat keeps no record of past nicks)'),
  numeric(s, '369', c, nick, 'End of WHOWAS'),
];
export const listStart = (s: string, c: string): IrcLine => numeric(s, '321', c, 'Channel', 'Users  Name');
export const listEntry = (s: string, c: string, channel: string, users: number): IrcLine => numeric(s, '322', c, channel, String(users), '');
export const listEnd = (s: string, c: string): IrcLine => numeric(s, '323', c, 'End of /LIST');

export const isOn = (s: string, c: string, nicks: readonly string[]): IrcLine[] => listNumeric(s, '303', c, [], nicks);
export const userHost = (s: string, c: string, nicks: readonly string[]): IrcLine[] =>
  listNumeric(s, '302', c, [], nicks.map((n) => `${n}=+${n}@${USER_HOST}`));
export const unAway = (s: string, c: string): IrcLine => numeric(s, '305', c, 'You are no longer marked as being away');
export const nowAway = (s: string, c: string): IrcLine => numeric(s, '306', c, 'You have been marked as being away (others are not told: rxchat has no away state)');
