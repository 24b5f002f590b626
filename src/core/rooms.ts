// Room names: cleaning, validation and the case-insensitive key that makes them unique.
//
// PROTOCOL.md "Rooms": `#` and 1-32 characters, each a Unicode letter or digit or `_` `-` `.`;
// compared case-insensitively like names, shown as first created; in commands the `#` may be left
// out (`/join rust` is `/join #rust`). As with names, control characters are stripped, the name is
// NFC-normalised and a combining mark may follow a letter or digit (see names.ts).
import { nameKey } from './names.ts';
import { stripControls } from './text.ts';

/** The room every connection joins on connect; it always exists and is never forgotten. */
export const LOBBY = '#lobby';
export const MAX_ROOM_CHARS = 32;

const ROOM_CHAR = /^[\p{L}\p{Nd}_.-]$/u;
const MARK = /^\p{M}$/u;

export type RoomCheck = { readonly ok: true; readonly room: string } | { readonly ok: false; readonly reason: string };

/** Cleans and validates a room name as typed (`rust` or `#rust`); the reason completes `*** Invalid room name: `. */
export function checkRoom(raw: string): RoomCheck {
  const cleaned = stripControls(raw).trim().normalize('NFC');
  const bare = cleaned.startsWith('#') ? cleaned.slice(1) : cleaned;
  const chars = Array.from(bare);
  if (chars.length === 0) return { ok: false, reason: 'name is empty' };
  if (chars.length > MAX_ROOM_CHARS) {
    return { ok: false, reason: `too long (${chars.length} characters, max ${MAX_ROOM_CHARS})` };
  }
  for (const [i, ch] of chars.entries()) {
    if (ROOM_CHAR.test(ch) || (i > 0 && MARK.test(ch))) continue;
    const shown = /\s/u.test(ch) ? 'spaces are' : `'${ch}' is`;
    return { ok: false, reason: `${shown} not allowed (use letters, digits, '_', '-' or '.')` };
  }
  return { ok: true, room: `#${bare}` };
}

/** The key under which a room is unique (its name in any letter case is the same room). */
export function roomKey(room: string): string {
  return nameKey(room);
}

/** The lobby's key, precomputed. */
export const LOBBY_KEY = roomKey(LOBBY);
