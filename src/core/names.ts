// User names: cleaning, validation and the case-insensitive key that makes them unique.
//
// PROTOCOL.md "Names": surrounding whitespace trimmed; 1-24 characters, each a Unicode letter or
// digit or `_` `-` `.`; unique among connected users, compared case-insensitively. Control
// characters are stripped first ("Text" applies to names too).
//
// Two readings where the protocol is silent, chosen for what users expect:
// - Names are NFC-normalised, so "José" typed with a combining accent is the same name as "José"
//   typed precomposed (and counts 4 characters, not 5).
// - A combining mark (\p{M}) may follow a letter or digit: without it names in Devanagari, Thai
//   and other scripts whose letters carry marks could not be written at all. A mark may not stand
//   first, and marks count toward the 24 characters.
import { stripControls } from './text.ts';

export const MAX_NAME_CHARS = 24;

const NAME_CHAR = /^[\p{L}\p{Nd}_.-]$/u;
const MARK = /^\p{M}$/u;

export type NameCheck = { readonly ok: true; readonly name: string } | { readonly ok: false; readonly reason: string };

/** Cleans and validates a proposed name; the reason, when rejected, completes `*** Invalid username: `. */
export function checkName(raw: string): NameCheck {
  const name = stripControls(raw).trim().normalize('NFC');
  const chars = Array.from(name);
  if (chars.length === 0) return { ok: false, reason: 'name is empty' };
  if (chars.length > MAX_NAME_CHARS) {
    return { ok: false, reason: `too long (${chars.length} characters, max ${MAX_NAME_CHARS})` };
  }
  for (const [i, ch] of chars.entries()) {
    if (NAME_CHAR.test(ch) || (i > 0 && MARK.test(ch))) continue;
    const shown = /\s/u.test(ch) ? 'spaces are' : `'${ch}' is`;
    return { ok: false, reason: `${shown} not allowed (use letters, digits, '_', '-' or '.')` };
  }
  return { ok: true, name };
}

/**
 * The key under which a name is unique: a case-insensitive form of it.
 * Upper- then lower-casing folds the cases that plain lower-casing misses (ß ~ SS ~ ss).
 */
export function nameKey(name: string): string {
  return name.toUpperCase().toLowerCase();
}
