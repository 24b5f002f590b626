// Tab completion for the terminal client: the line typed so far → readline's [candidates, substring].
// Pure and total: the terminal driver calls it from readline's `completer` with the roster and rooms.
//
// What the word before the cursor completes to:
//   `/ms`          a line that is one `/word` so far: a command name from COMMANDS; a command that
//                  needs arguments gets a space after it (`/msg `, `/join `), the others none
//                  (`/who`, `/part`: Enter sends them as they are)
//   `/join ru`     the second word of /join or /who: a room I am in or saw in a `/rooms` list;
//   `/part #r`     of /part: a room I am in. With the `#` typed, the name with it (`#rust`);
//                  without, the name without it (`rust`: the server adds it), so what was typed
//                  stays; an empty word lists them all (`#…`). No space after: the room ends the line
//   `/msg An`      the second word of /msg: a user name and a space (an empty word lists everyone)
//   `An`           the first word of a chat line: `Ann: `, IRC-style addressing
//   `hi An`        any later word (chat, /me, the text of /msg): `Ann `
//   `/nick An`     nothing: a name that is taken would be refused anyway
// Outside `/msg `, an empty word completes nothing, so Tab on an empty line or after a completed
// name never inserts a name nobody started to type. My own name is never offered.
//
// Matching is a case-insensitive prefix match (`nameKey`, as the server compares names); all the
// candidates are returned, sorted, and readline shows them on a second Tab. Readline then puts
// the candidates' common prefix in place of the word; when that prefix is shorter than the word
// (two names differing in case inside what was typed: `bob` with `Bob` and `BOBBY`) readline
// would drop typed letters, so only the candidates matching the word's exact case are offered.
import { COMMANDS } from '../line/commands.ts';
import { nameKey } from '../core/names.ts';
import { NO_ROOMS, knownRooms, type Rooms } from './rooms.ts';
import type { Roster } from './roster.ts';

/** What readline's `completer` returns: the candidates and the text before the cursor they replace. */
export type Completion = [candidates: string[], substring: string];

/** Each command as completed: with a trailing space when it needs arguments (`/msg <name> <text>`, not `/who [<room>]`). */
const COMMAND_WORDS: readonly string[] = COMMANDS.map((c) => (c.synopsis.replace(/\[[^\]]*\]/gu, '').includes('<') ? `${c.name} ` : c.name));

/** Commands whose first argument is a room, and which rooms each offers. */
const ROOM_COMMANDS: Readonly<Record<string, (rooms: Rooms) => readonly string[]>> = {
  '/join': knownRooms,
  '/who': knownRooms,
  '/part': (rooms) => rooms.joined,
};

const NONE = (word: string): Completion => [[], word];

/** The completion of `line` (the text before the cursor) against who is online and the rooms known. */
export function complete(line: string, roster: Roster, rooms: Rooms = NO_ROOMS): Completion {
  const word = /\S*$/u.exec(line)?.[0] ?? '';
  const before = line.slice(0, line.length - word.length);
  const firstWord = before.trim() === '';

  if (firstWord && word.startsWith('/')) {
    return guarded(matching(COMMAND_WORDS, word), word);
  }
  const command = firstWord ? '' : (/^\s*(\/\S*)/u.exec(before)?.[1] ?? '').toLowerCase();
  const secondWord = /^\s*\S+\s+$/u.test(before);
  const roomsOf = Object.hasOwn(ROOM_COMMANDS, command) ? ROOM_COMMANDS[command] : undefined;
  if (roomsOf !== undefined) return secondWord ? roomNames(word, roomsOf(rooms)) : NONE(word);
  if (command === '/msg' && secondWord) return names(word, roster, ' ', true);
  if (command === '/nick') return NONE(word);
  return names(word, roster, firstWord ? ': ' : ' ', false);
}

/** User names (not mine) starting with `word` in any case, each followed by `suffix`. */
function names(word: string, roster: Roster, suffix: string, emptyListsAll: boolean): Completion {
  if (word === '' && !emptyListsAll) return NONE(word);
  const prefix = nameKey(word);
  const meKey = roster.me === null ? null : nameKey(roster.me);
  const found: string[] = [];
  roster.keys.forEach((key, i) => {
    const name = roster.names[i];
    if (name !== undefined && key !== meKey && key.startsWith(prefix)) found.push(name);
  });
  found.sort((a, b) => compareKeys(nameKey(a), nameKey(b)) || compareKeys(a, b));
  return guarded(
    found.map((name) => name + suffix),
    word,
  );
}

/**
 * Room names starting with `word` in any letter case: `#ru` → `#rust`; `ru` → `rust` (the server
 * takes a room without its `#`), so the typed text is kept; an empty word → every room, with `#`.
 */
function roomNames(word: string, rooms: readonly string[]): Completion {
  const bare = word !== '' && !word.startsWith('#');
  const prefix = nameKey(bare ? `#${word}` : word);
  const found = rooms.filter((room) => nameKey(room).startsWith(prefix)).map((room) => (bare ? room.slice(1) : room));
  found.sort((a, b) => compareKeys(nameKey(a), nameKey(b)) || compareKeys(a, b));
  return guarded(found, word);
}

/** The words that start with `word` in any letter case, in their own order. */
function matching(words: readonly string[], word: string): string[] {
  const prefix = nameKey(word);
  return words.filter((w) => nameKey(w).startsWith(prefix));
}

/**
 * The completion made safe for readline, which (Node 20, `kTabCompleter`) computes the candidates'
 * common prefix P and then: inserts what P adds when P extends the word; leaves the line alone
 * when the word starts with P; otherwise replaces the word with P. That last case loses typed
 * letters unless P covers the word in some letter case; then keep only the exact-case candidates.
 */
function guarded(candidates: string[], word: string): Completion {
  if (candidates.length < 2) return [candidates, word];
  const common = commonPrefix(candidates);
  const safe = common.startsWith(word) || word.startsWith(common) || nameKey(common).startsWith(nameKey(word));
  return [safe ? candidates : candidates.filter((c) => c.startsWith(word)), word];
}

/** The longest common prefix of the strings, code unit by code unit, as readline computes it. */
export function commonPrefix(strings: readonly string[]): string {
  const first = strings[0];
  if (first === undefined) return '';
  let length = first.length;
  for (const s of strings) {
    let i = 0;
    while (i < length && i < s.length && s[i] === first[i]) i++;
    length = i;
  }
  return first.slice(0, length);
}

const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
