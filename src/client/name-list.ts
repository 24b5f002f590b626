// A bounded list of user names in a meaningful order, with each name's case-insensitive key: who
// is online (roster.ts) and who is in the current room (rooms.ts). Pure.
//
// Names compare as the server compares them (`nameKey`). At most MAX_NAMES are kept, the server's
// own connection cap, so a hostile server cannot make a list grow without bound. Every update
// returns the very same list when nothing changed, so views built on it emit only on change.
import { nameKey } from '../core/names.ts';

/** At most this many names are kept (the server holds at most 10,000 connections). */
export const MAX_NAMES = 10_000;

export interface NameList {
  /** The names, in the order the server announced or listed them. */
  readonly names: readonly string[];
  /** `nameKey` of each name, same index: lookups compare strings without folding case again. */
  readonly keys: readonly string[];
}

export const NO_NAMES: NameList = Object.freeze({ names: Object.freeze([]), keys: Object.freeze([]) });

/** True when `name` (any letter case) is in the list. */
export function hasName(list: NameList, name: string): boolean {
  return list.keys.includes(nameKey(name));
}

/** The names in this order, without repeats (any letter case), at most MAX_NAMES of them. */
export function nameListOf(names: readonly string[]): NameList {
  const kept: string[] = [];
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (kept.length >= MAX_NAMES) break;
    const key = nameKey(name);
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(name);
    keys.push(key);
  }
  return { names: kept, keys };
}

/** Appends `name` unless it is there already (any letter case) or the list is full. */
export function withName(list: NameList, name: string): NameList {
  const key = nameKey(name);
  if (list.keys.includes(key) || list.names.length >= MAX_NAMES) return list;
  return { names: [...list.names, name], keys: [...list.keys, key] };
}

/** Appends each of `names` that is not there yet, while there is room. */
export function withNames(list: NameList, names: readonly string[]): NameList {
  let next = list;
  for (const name of names) {
    if (next.names.length >= MAX_NAMES) break;
    next = withName(next, name);
  }
  return next;
}

/** Removes `name` (any letter case). */
export function withoutName(list: NameList, name: string): NameList {
  const at = list.keys.indexOf(nameKey(name));
  return at === -1 ? list : { names: without(list.names, at), keys: without(list.keys, at) };
}

/**
 * Renames `from` to `to` in place; anyone else listed under the new name (a stale entry) is
 * dropped. An unknown `from` changes nothing.
 */
export function renamedIn(list: NameList, from: string, to: string): NameList {
  const at = list.keys.indexOf(nameKey(from));
  if (at === -1) return list;
  const toKey = nameKey(to);
  const names: string[] = [];
  const keys: string[] = [];
  list.names.forEach((name, i) => {
    const key = list.keys[i] ?? nameKey(name);
    if (i === at) {
      names.push(to);
      keys.push(toKey);
    } else if (key !== toKey) {
      names.push(name);
      keys.push(key);
    }
  });
  return { names, keys };
}

function without<T>(items: readonly T[], at: number): T[] {
  return [...items.slice(0, at), ...items.slice(at + 1)];
}
