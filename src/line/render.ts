// The line protocol's view of the chat: each event (and hub notice) as the lines a client reads.
//
// The hub calls `renderLine` once per event, however many line-protocol connections get it, and
// every recipient shares the resulting WireLines (encoded once). A room's line comes in two forms:
// `plain` for members whose current room it is, `prefixed` (`[#rust] (Ann) hi`) for the others.
import type { ChatEvent, HistoryLine, HubNotice, Reply } from '../core/events.ts';
import type { Intent, Style } from '../core/intents.ts';
import {
  NODE_GONE,
  NO_ROOM,
  RESYNCED,
  SHUTTING_DOWN,
  actionLine,
  alreadyNamed,
  chatLine,
  inRoom,
  joinedNotice,
  joinedRoom,
  leftNotice,
  leftRoom,
  memberList,
  nameTaken,
  noHistory,
  noSuchRoom,
  noSuchUser,
  notDelivered,
  notInRoom,
  nowIn,
  privateLine,
  renamedNotice,
  roomList,
  stamped,
  tooManyRooms,
  tooManyRoomsForUser,
  welcome,
  whereIs,
  whoList,
  youLeft,
} from './messages.ts';
import type { WireLine } from './wire-line.ts';

export interface LineRendering {
  /** The lines for a reader whose current room the event's room is (or for any reader). */
  readonly plain: readonly WireLine[];
  /** For a member whose current room it is not; null when the event is not a room's. */
  readonly prefixed: readonly WireLine[] | null;
  /** True for lines that concern one client alone: written at the end of the turn (outbox.ts). */
  readonly soon: boolean;
}

const own = (...plain: WireLine[]): LineRendering => ({ plain, prefixed: null, soon: true });
const everyone = (...plain: WireLine[]): LineRendering => ({ plain, prefixed: null, soon: false });
const ofRoom = (room: string, line: WireLine): LineRendering => ({ plain: [line], prefixed: [inRoom(room, line)], soon: false });

/** A said line as the line protocol shows it: `(Ann) hi`, or `* Ann waves` for an action. */
export const saidLine = (name: string, text: string, style: Style): WireLine =>
  style === 'action' ? actionLine(name, text) : chatLine(name, text);

/** A history line with its time: `[14:02] (Ann) hello`. */
export const historyLine = (line: HistoryLine): WireLine => stamped(line.at, saidLine(line.name, line.text, line.style));

/** Renders one event for the line protocol (the hub's Renderer for line connections). */
export function renderLine(event: ChatEvent | HubNotice): LineRendering {
  switch (event.kind) {
    case 'welcome':
      return own(welcome(event.name));
    case 'name-taken':
      return own(nameTaken(event.name));
    case 'connected':
      return ofRoom(event.room, joinedNotice(event.name));
    case 'entered': {
      const lines = [nowIn(event.room, event.users.length)];
      if (event.history !== null) for (const line of event.history) lines.push(historyLine(line));
      return own(...lines);
    }
    case 'joined-room':
      return ofRoom(event.room, joinedRoom(event.name, event.room));
    case 'said':
      return ofRoom(event.room, saidLine(event.name, event.text, event.style));
    case 'whispered': {
      const text = event.style === 'action' ? `* ${event.fromName} ${event.text}` : event.text;
      return own(privateLine(event.fromName, event.toName, text));
    }
    case 'renamed':
      return everyone(renamedNotice(event.from, event.to));
    case 'left-room':
      return ofRoom(event.room, leftRoom(event.name, event.room));
    case 'parted':
      return event.current === null ? own(youLeft(event.room)) : own(youLeft(event.room), nowIn(event.current.room, event.current.users));
    case 'left-chat':
      return everyone(leftNotice(event.name, event.reason));
    case 'reply':
      return own(...replyLines(event.reply));
    case 'node-closed':
      return own(event.why === 'shutdown' ? SHUTTING_DOWN : NODE_GONE);
    case 'undelivered':
      return own(notDelivered(describeIntent(event.intent)));
    case 'resynced':
      return own(RESYNCED);
  }
}

function replyLines(reply: Reply): WireLine[] {
  switch (reply.kind) {
    case 'who':
      return [whoList(reply.names)];
    case 'members':
      return [memberList(reply.room, reply.names)];
    case 'rooms':
      return [roomList(reply.rooms)];
    case 'history':
      return reply.lines.map(historyLine);
    case 'whois':
      return [whereIs(reply.name, reply.rooms)];
    case 'no-history':
      return [noHistory(reply.room)];
    case 'no-such-room':
      return [noSuchRoom(reply.room)];
    case 'no-such-user':
      return [noSuchUser(reply.name)];
    case 'not-in-room':
      return [notInRoom(reply.room)];
    case 'no-room':
      return [NO_ROOM];
    case 'too-many-rooms':
      return [tooManyRoomsForUser(reply.max)];
    case 'max-rooms':
      return [tooManyRooms(reply.max)];
    case 'already-named':
      return [alreadyNamed(reply.name)];
  }
}

/** What an undelivered intent was, for `*** Not delivered: …`: the line as typed where there is one. */
export function describeIntent(intent: Intent): string {
  switch (intent.kind) {
    case 'say':
      return intent.style === 'action' ? `/me ${intent.text}` : intent.text;
    case 'msg':
      return `/msg ${intent.to} ${intent.text}`;
    case 'claim':
      return `your name ${intent.name} (try again)`;
    case 'rename':
      return `/nick ${intent.name}`;
    case 'join':
      return `/join ${intent.room}`;
    case 'part':
      return intent.room === null ? '/part' : `/part ${intent.room}`;
    default:
      return `/${intent.kind}`;
  }
}
