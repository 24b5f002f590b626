// Which kind of line a server line is, so the terminal can show kinds apart. Pure.
//
// The kind comes from the line protocol's own parser (line/messages.ts `parseServerLine`); user
// text always comes after a prefix the server writes, so a user cannot forge another kind:
//   `Username?`                    prompt
//   `*** …`, `Goodbye…!`           notice (joins, leaves, renames, lists, refusals, /help)
//   `[<from> -> <to>] <text>`      private, or private-to-me when <to> is me
//   `* <name> <action>`            action
//   `(<name>) <text>`              chat, or mention when someone else's text names me
//   `[#room] <line>`, `[HH:MM] <line>`  the style of the line behind the room tag or history stamp
//                                  (the tag itself is coloured by paint.ts)
// The style is only a hint: paint.ts turns it into colour, or into nothing at all.
import { nameKey } from '../core/names.ts';
import type { ServerLine } from '../line/messages.ts';

/** How a printed line looks; the terminal driver may colour it (only if colour is on). */
export type PrintStyle = 'chat' | 'mention' | 'private' | 'private-to-me' | 'action' | 'notice' | 'prompt';

/** The style of one parsed server line; `me` is my name once known (for private lines and mentions). */
export function styleOf(line: ServerLine, me: string | null): PrintStyle {
  switch (line.kind) {
    case 'prompt':
      return 'prompt';
    case 'private':
      return me !== null && nameKey(line.to) === nameKey(me) ? 'private-to-me' : 'private';
    case 'action':
      return 'action';
    case 'chat':
      return me !== null && nameKey(line.name) !== nameKey(me) && mentions(line.text, me) ? 'mention' : 'chat';
    case 'in-room':
    case 'stamped':
      return styleOf(line.line, me);
    case 'welcome':
    case 'text':
      return 'chat';
    default:
      return 'notice';
  }
}

/** Name characters for the purpose of word boundaries: `Bob.` and `@Bob,` mention Bob, `Bobby` does not. */
const WORD_CHAR = /[\p{L}\p{M}\p{Nd}_]/u;

/** True when `text` names `me` as a whole word, in any letter case. */
export function mentions(text: string, me: string): boolean {
  const haystack = nameKey(text);
  const needle = nameKey(me);
  if (needle === '') return false;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    const before = at === 0 ? '' : lastChar(haystack.slice(0, at));
    const after = firstChar(haystack.slice(at + needle.length));
    if (!WORD_CHAR.test(before) && !WORD_CHAR.test(after)) return true;
  }
  return false;
}

const firstChar = (s: string): string => String.fromCodePoint(s.codePointAt(0) ?? 0x20);
const lastChar = (s: string): string => Array.from(s.slice(-2)).at(-1) ?? ' ';
