// One outgoing IRC line: its text, and its bytes with CR LF encoded once however many clients get it.
//
// modern.ircdocs.horse: a message is at most 512 bytes including its CR LF, and every line the
// server sends ends in CR LF. Builders (numerics.ts, render.ts) split long text beforehand
// (`splitToFit`), so a line is cut here only as a last resort, at a character boundary.
import { serializeMessage, type IrcMessage, type SerializeOptions } from './message.ts';

/** Bytes of a line without its CR LF (512 with it). */
export const MAX_IRC_LINE_BYTES = 510;

const CRLF = '\r\n';

export class IrcLine {
  readonly text: string;
  #bytes: Buffer | undefined;

  constructor(text: string) {
    this.text = fitBytes(text, MAX_IRC_LINE_BYTES);
  }

  /** The bytes to put on the wire: UTF-8 of `text` + CR LF, computed once and then shared. */
  encode(): Buffer {
    return (this.#bytes ??= Buffer.from(this.text + CRLF, 'utf8'));
  }

  toString(): string {
    return this.text;
  }
}

/** A message as an outgoing line. */
export function ircLine(msg: IrcMessage, options?: SerializeOptions): IrcLine {
  return new IrcLine(serializeMessage(msg, options));
}

/** UTF-8 length of a string, without encoding it. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** The longest prefix of `text` of at most `max` UTF-8 bytes that ends on a character boundary. */
export function fitBytes(text: string, max: number): string {
  if (text.length <= max / 3 || utf8Bytes(text) <= max) return text;
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const size = utf8Bytes(ch);
    if (bytes + size > max) break;
    bytes += size;
    end += ch.length;
  }
  return text.slice(0, end);
}

/**
 * Splits `text` into pieces of at most `max` UTF-8 bytes each (never an empty piece, never a
 * character cut in two), breaking after the last space of a piece when there is one in its
 * second half, so words stay whole. `max` is at least 4 (one character always fits).
 */
export function splitToFit(text: string, max: number): string[] {
  const limit = Math.max(4, max);
  const pieces: string[] = [];
  let rest = text;
  while (utf8Bytes(rest) > limit) {
    let piece = fitBytes(rest, limit);
    const space = piece.lastIndexOf(' ');
    if (space >= piece.length / 2) piece = piece.slice(0, space + 1);
    pieces.push(piece);
    rest = rest.slice(piece.length);
  }
  if (rest !== '' || pieces.length === 0) pieces.push(rest);
  return pieces;
}
