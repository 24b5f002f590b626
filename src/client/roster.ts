// Who is online, as the client knows it: read off the server lines it already shows. Pure.
//
// The server never sends the client a roster of its own accord, so the client reads it off the
// lines it prints, parsed by the line protocol's own parser (line/messages.ts `parseServerLine`,
// which only accepts well-formed names as the server writes them):
//   `You are now connected, <name>!`            that is me, and I am online
//   `*** <name> joined the chat` / `joined <room>` one more (behind a `[#room] ` tag too)
//   `*** <name> left the chat` (`(too slow)`)   one fewer (leaving one room is not leaving the chat)
//   `*** <old> is now known as <new>`           renamed in place (me too, when <old> was me)
//   `*** Users online (<n>): <a>, <b>, ...`     the /who reply: replaces the whole list
//   `*** Users in <room> (<n>): <a>, ...`       the /who <room> reply: each of them is online
//   `(<name>) …`, `* <name> …`, `[<a> -> <b>] …` a live line's speaker (and addressee) is online
// History lines (`[14:02] (Ann) hi`) are old and say nothing about now. Users online before we
// joined are learned from a list; the interactive client asks for one on entering a room
// (client.ts, `whoOnJoin`). At most MAX_ROSTER names are kept (name-list.ts).
import { nameKey } from '../core/names.ts';
import type { ServerLine } from '../line/messages.ts';
import { MAX_NAMES, NO_NAMES, hasName, nameListOf, renamedIn, withName, withNames, withoutName, type NameList } from './name-list.ts';

export { isWireName } from '../line/messages.ts';

/** At most this many names are kept (the server holds at most 10,000 connections). */
export const MAX_ROSTER = MAX_NAMES;

export interface Roster extends NameList {
  /** My own name once the server has welcomed me (following my /nick), else null. */
  readonly me: string | null;
}

export const EMPTY_ROSTER: Roster = Object.freeze({ me: null, ...NO_NAMES });

/** The roster after one (parsed) server line; the very same object when the line changes nothing. */
export function updateRoster(roster: Roster, line: ServerLine): Roster {
  switch (line.kind) {
    case 'welcome':
      return withMe(roster, withName(roster, line.name), line.name);
    case 'joined-chat':
    case 'joined-room':
    case 'chat':
    case 'action':
      return withMe(roster, withName(roster, line.name), roster.me);
    case 'private':
      return withMe(roster, withNames(roster, [line.from, line.to]), roster.me);
    case 'members':
      return withMe(roster, withNames(roster, line.names), roster.me);
    case 'left-chat':
      return withMe(roster, withoutName(roster, line.name), roster.me);
    case 'renamed': {
      const me = roster.me !== null && sameName(roster.me, line.from) ? line.to : roster.me;
      // Someone online before we joined and never listed is learned by their new name.
      return withMe(roster, hasName(roster, line.from) ? renamedIn(roster, line.from, line.to) : withName(roster, line.to), me);
    }
    case 'online':
      return withMe(roster, nameListOf(line.names), roster.me);
    case 'in-room':
      return updateRoster(roster, line.line);
    default:
      return roster;
  }
}

/** True when `name` (any letter case) is in the roster. */
export function isOnline(roster: Roster, name: string): boolean {
  return hasName(roster, name);
}

const sameName = (a: string, b: string): boolean => nameKey(a) === nameKey(b);

/** `list` with `me` as a roster; the old roster itself when neither changed. */
function withMe(old: Roster, list: NameList, me: string | null): Roster {
  if (me === old.me && (list === old || (list.names === old.names && list.keys === old.keys))) return old;
  return { me, names: list.names, keys: list.keys };
}
