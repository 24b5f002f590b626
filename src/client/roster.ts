// Who is online, as the client knows it: derived from the server lines it already prints. Pure.
//
// The server never sends the client a roster of its own accord, so the client reads it off the
// lines it shows (PROTOCOL.md, src/protocol/messages.ts), after they are sanitised:
//   `You are now connected, <name>!`         that is me, and I am online
//   `*** <name> joined the chat`             one more
//   `*** <name> left the chat` (`(too slow)`) one fewer
//   `*** <old> is now known as <new>`        renamed in place (me too, when <old> was me)
//   `*** Users online (<n>): <a>, <b>, ...`  the /who reply: replaces the whole list
// Users who were online before we joined are only learned from a /who reply; the interactive
// client asks for one right after the welcome (client.ts, `whoOnJoin`).
//
// Names compare case-insensitively (`nameKey`, as on the server). Only well-formed names are kept
// (`checkName`: 1-24 letters, digits, `_` `-` `.`), so nothing here can carry a space or a control
// character into the line the user is editing. The list is capped at MAX_ROSTER names, the
// server's own connection cap, so a hostile server cannot make it grow without bound.
// Every update returns the same object when nothing changed, so `distinctUntilChanged` works.
import { checkName, nameKey } from '../core/names.ts';

/** At most this many names are kept (the server holds at most 10,000 connections). */
export const MAX_ROSTER = 10_000;

export interface Roster {
  /** My own name once the server has welcomed me (following my /nick), else null. */
  readonly me: string | null;
  /** Everyone known to be online, me included, in the order the server announced or listed them. */
  readonly names: readonly string[];
  /** `nameKey` of each name, same index: lookups compare strings without folding case again. */
  readonly keys: readonly string[];
}

export const EMPTY_ROSTER: Roster = Object.freeze({ me: null, names: Object.freeze([]), keys: Object.freeze([]) });

/** What a server line says about who is online. */
export type RosterEvent =
  | { readonly kind: 'welcome'; readonly name: string }
  | { readonly kind: 'joined'; readonly name: string }
  | { readonly kind: 'left'; readonly name: string }
  | { readonly kind: 'renamed'; readonly from: string; readonly to: string }
  | { readonly kind: 'who'; readonly names: readonly string[] };

const WELCOME = /^You are now connected, (\S+)!$/u;
const JOINED = /^\*\*\* (\S+) joined the chat$/u;
const LEFT = /^\*\*\* (\S+) left the chat(?: \(too slow\))?$/u;
const RENAMED = /^\*\*\* (\S+) is now known as (\S+)$/u;
const WHO = /^\*\*\* Users online \(\d+\): (.*)$/u;

/** True for a name exactly as the server would send it: valid, already trimmed and normalised. */
export function isWireName(name: string): boolean {
  const check = checkName(name);
  return check.ok && check.name === name;
}

/** The roster news in one (sanitised) server line, or null when it has none. */
export function rosterEvent(line: string): RosterEvent | null {
  let m: RegExpExecArray | null;
  if ((m = WELCOME.exec(line)) !== null) return named('welcome', m[1]);
  if ((m = JOINED.exec(line)) !== null) return named('joined', m[1]);
  if ((m = LEFT.exec(line)) !== null) return named('left', m[1]);
  if ((m = RENAMED.exec(line)) !== null) {
    const [from, to] = [m[1] ?? '', m[2] ?? ''];
    return isWireName(from) && isWireName(to) ? { kind: 'renamed', from, to } : null;
  }
  if ((m = WHO.exec(line)) !== null) {
    const list = m[1] ?? '';
    // Split lazily: a hostile reply may be long, but we never keep more than MAX_ROSTER names.
    const names: string[] = [];
    for (const name of list === '' ? [] : list.split(', ')) {
      if (names.length >= MAX_ROSTER) break;
      if (isWireName(name)) names.push(name);
    }
    return { kind: 'who', names };
  }
  return null;
}

function named(kind: 'welcome' | 'joined' | 'left', name: string | undefined): RosterEvent | null {
  return name !== undefined && isWireName(name) ? { kind, name } : null;
}

/** The roster after `event`; the very same object when the event changes nothing. */
export function updateRoster(roster: Roster, event: RosterEvent): Roster {
  switch (event.kind) {
    case 'welcome': {
      const added = add(roster, event.name);
      return roster.me === event.name ? added : { ...added, me: event.name };
    }
    case 'joined':
      return add(roster, event.name);
    case 'left': {
      const at = roster.keys.indexOf(nameKey(event.name));
      return at === -1 ? roster : { me: roster.me, names: without(roster.names, at), keys: without(roster.keys, at) };
    }
    case 'renamed':
      return rename(roster, event.from, event.to);
    case 'who': {
      const names: string[] = [];
      const keys: string[] = [];
      const seen = new Set<string>();
      for (const name of event.names) {
        const key = nameKey(name);
        if (seen.has(key) || names.length >= MAX_ROSTER) continue;
        seen.add(key);
        names.push(name);
        keys.push(key);
      }
      return { me: roster.me, names, keys };
    }
  }
}

/** True when `name` (any letter case) is in the roster. */
export function isOnline(roster: Roster, name: string): boolean {
  return roster.keys.includes(nameKey(name));
}

/** Appends `name` unless it is there already (any letter case) or the roster is full. */
function add(roster: Roster, name: string): Roster {
  const key = nameKey(name);
  if (roster.keys.includes(key) || roster.names.length >= MAX_ROSTER) return roster;
  return { me: roster.me, names: [...roster.names, name], keys: [...roster.keys, key] };
}

/** Renames in place; an unknown `from` (online before we joined) just adds `to`. */
function rename(roster: Roster, from: string, to: string): Roster {
  const fromKey = nameKey(from);
  const toKey = nameKey(to);
  const me = roster.me !== null && nameKey(roster.me) === fromKey ? to : roster.me;
  const at = roster.keys.indexOf(fromKey);
  let next: Roster;
  if (at === -1) {
    next = add(roster, to);
  } else {
    // Anyone else already listed under the new name would be a stale entry: drop it.
    const names: string[] = [];
    const keys: string[] = [];
    roster.names.forEach((name, i) => {
      const key = roster.keys[i] ?? nameKey(name);
      if (i === at) {
        names.push(to);
        keys.push(toKey);
      } else if (key !== toKey) {
        names.push(name);
        keys.push(key);
      }
    });
    next = { me: roster.me, names, keys };
  }
  return me === next.me ? next : { ...next, me };
}

function without<T>(items: readonly T[], at: number): T[] {
  return [...items.slice(0, at), ...items.slice(at + 1)];
}
