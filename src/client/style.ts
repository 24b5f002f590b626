// Which kind of line a (sanitised) server line is, so the terminal can show kinds apart. Pure.
//
// The server's lines are told apart by their first characters (PROTOCOL.md, messages.ts); user
// text always comes after a prefix the server writes, so a user cannot forge another kind:
//   `Username?`                    prompt
//   `*** …`, `Goodbye…!`           notice (joins, leaves, renames, the /who list, errors)
//   `[<from> -> <to>] <text>`      private, or private-to-me when <to> is me
//   `* <name> <action>`            action
//   `(<name>) <text>`              chat, or mention when someone else's text names me
// The style is only a hint: paint.ts turns it into colour, or into nothing at all.
import { USERNAME_PROMPT, isGoodbye } from '../line/messages.ts';
import { nameKey } from '../core/names.ts';

/** How a printed line looks; the terminal driver may colour it (only if colour is on). */
export type PrintStyle = 'chat' | 'mention' | 'private' | 'private-to-me' | 'action' | 'notice' | 'prompt';

const PRIVATE = /^\[([^\s\]]+) -> ([^\s\]]+)\] /u;
const ACTION = /^\* \S+ /u;
const CHAT = /^\(([^\s)]+)\) (.*)$/su;

/** The style of one sanitised server line; `me` is my name once known (for private lines and mentions). */
export function styleOf(text: string, me: string | null): PrintStyle {
  if (text === USERNAME_PROMPT.text) return 'prompt';
  if (text.startsWith('*** ') || isGoodbye(text)) return 'notice';
  const whisper = PRIVATE.exec(text);
  if (whisper !== null) return me !== null && nameKey(whisper[2] ?? '') === nameKey(me) ? 'private-to-me' : 'private';
  if (ACTION.test(text)) return 'action';
  const chat = CHAT.exec(text);
  if (chat !== null && me !== null && nameKey(chat[1] ?? '') !== nameKey(me) && mentions(chat[2] ?? '', me)) return 'mention';
  return 'chat';
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
