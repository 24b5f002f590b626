// How one log line is drawn: the server's text cut into pieces, some of them marked (the room tag,
// the history stamp, the speaker's name) so the page can colour them. Pure.
//
// The pieces always join back into exactly the server's line: the page puts each in a text node
// (never HTML), so `li.textContent` is the line as the server sent it, and nothing a user types can
// become markup. Marks only follow the shapes the server writes (PROTOCOL.md); a user's text comes
// after them and is never cut.
import type { PrintStyle } from '../client/client.ts';
import { nameKey } from '../core/names.ts';

export type SegmentKind = 'tag' | 'stamp' | 'nick' | 'text';

export interface Segment {
  readonly text: string;
  readonly kind: SegmentKind;
  /** For a nick: which of NICK_COLOURS colours it, the same for a name in any letter case. */
  readonly colour?: number;
}

/** How many nick colours the stylesheet has (.nick-0 … .nick-7). */
export const NICK_COLOURS = 8;

const STAMP = /^\[(?:[01][0-9]|2[0-3]):[0-5][0-9]\] /u;
const CHAT = /^\(([^\s)]+)\)(?= )/u;
const ACTION = /^(\* )(\S+)(?= )/u;
const PRIVATE = /^\[([^\s\]]+) -> ([^\s\]]+)\](?= )/u;

/** The pieces of a line of `style`; `room` when it is another room's line (tagged `[room] `). */
export function segments(text: string, style: PrintStyle, room?: string): Segment[] {
  const out: Segment[] = [];
  let rest = text;
  const take = (length: number, kind: SegmentKind, colour?: number): void => {
    out.push(colour === undefined ? { text: rest.slice(0, length), kind } : { text: rest.slice(0, length), kind, colour });
    rest = rest.slice(length);
  };
  if (room !== undefined && rest.startsWith(`[${room}] `)) take(room.length + 3, 'tag');
  const stamp = STAMP.exec(rest);
  if (stamp !== null) take(stamp[0].length, 'stamp');
  if (style === 'chat' || style === 'mention') {
    const chat = CHAT.exec(rest);
    if (chat !== null) take(chat[0].length, 'nick', nickColour(chat[1] ?? ''));
  } else if (style === 'action') {
    const action = ACTION.exec(rest);
    if (action !== null) {
      take((action[1] ?? '').length, 'text');
      take((action[2] ?? '').length, 'nick', nickColour(action[2] ?? ''));
    }
  } else if (style === 'private' || style === 'private-to-me') {
    const whisper = PRIVATE.exec(rest);
    if (whisper !== null) take(whisper[0].length, 'tag');
  }
  if (rest !== '') out.push({ text: rest, kind: 'text' });
  return out;
}

/** A name's colour: a small hash of its case-insensitive key (FNV-1a), so it is stable everywhere. */
export function nickColour(name: string): number {
  let hash = 0x811c9dc5;
  for (const ch of nameKey(name)) {
    hash ^= ch.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % NICK_COLOURS;
}
