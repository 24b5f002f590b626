// Line framing: bytes in, lines out. The only place that knows where one message ends.
//
// PROTOCOL.md: one message per line, lines end with LF, a CR before the LF is dropped, invalid
// UTF-8 becomes U+FFFD, and a line longer than `maxLineBytes` (without its LF) is discarded
// *without buffering it whole*. Memory held per connection is at most `maxLineBytes + 1` bytes
// (the +1 leaves room for the CR of a CRLF line that is exactly at the limit).
//
// UTF-8 split across chunks needs no special care: LF (0x0A) never occurs inside a multi-byte
// UTF-8 sequence, so a line's bytes are gathered first and decoded once, when the line is whole.
import { Observable, type OperatorFunction } from 'rxjs';

/** What the framer yields: a complete line (decoded, without CR/LF), or notice of a discarded one. */
export type Frame = { readonly kind: 'line'; readonly text: string } | { readonly kind: 'too-long' };

/** The single "too long" frame: it carries no data, so every occurrence can share one object. */
export const TOO_LONG: Frame = Object.freeze({ kind: 'too-long' });

const LF = 0x0a;
const CR = 0x0d;

/** A stateful, bounded line splitter. `push` each chunk as it arrives; `end` at end of input. */
export interface LineDecoder {
  /** Feeds one chunk; calls `emit` once per frame completed by it, in order. */
  push(chunk: Uint8Array, emit: (frame: Frame) => void): void;
  /**
   * End of input. Bytes after the last LF are not a message and are dropped: the protocol says a
   * line ends with LF, and a peer that resets mid-line often looks like a clean EOF to the server
   * (the RST arrives after the FIN is read), so delivering the tail would broadcast half a line.
   */
  end(): void;
}

/**
 * Creates a line decoder that accepts lines of at most `maxLineBytes` bytes (CR and LF excluded).
 *
 * A longer line yields one `too-long` frame as soon as it is known to be too long (the sender
 * hears about it at once, even if the line never ends), and the rest of it, up to and including
 * its LF, is skipped without being kept.
 */
export function createLineDecoder(maxLineBytes: number): LineDecoder {
  // Bytes of the unfinished line, copied out of their chunks so no chunk is pinned in memory.
  let pending: Buffer[] = [];
  // How many bytes `pending` holds; never more than maxLineBytes + 1.
  let pendingBytes = 0;
  // True while skipping the remainder of an overlong line, until its LF.
  let discarding = false;

  const finishLine = (tail: Uint8Array, emit: (frame: Frame) => void): void => {
    let bytes: Buffer;
    if (pending.length === 0) bytes = Buffer.from(tail.buffer, tail.byteOffset, tail.byteLength);
    else bytes = Buffer.concat([...pending, tail]);
    pending = [];
    pendingBytes = 0;
    let length = bytes.length;
    if (length > 0 && bytes[length - 1] === CR) length--;
    if (length > maxLineBytes) emit(TOO_LONG);
    else emit({ kind: 'line', text: bytes.toString('utf8', 0, length) });
  };

  return {
    push(chunk, emit) {
      let start = 0;
      for (;;) {
        const lf = chunk.indexOf(LF, start);
        if (lf === -1) {
          const rest = chunk.length - start;
          if (discarding || rest === 0) return;
          if (pendingBytes + rest > maxLineBytes + 1) {
            // Too long already, whatever comes next: say so now and stop keeping bytes.
            pending = [];
            pendingBytes = 0;
            discarding = true;
            emit(TOO_LONG);
            return;
          }
          pending.push(Buffer.from(chunk.subarray(start))); // a copy: bounded, pins nothing
          pendingBytes += rest;
          return;
        }
        if (discarding) discarding = false;
        else finishLine(chunk.subarray(start, lf), emit);
        start = lf + 1;
      }
    },
    end() {
      pending = [];
      pendingBytes = 0;
      discarding = false;
    },
  };
}

/**
 * RxJS operator: a stream of byte chunks becomes a stream of frames.
 *
 * ```
 * chunks:  --"Bo"--"b\nhi"--"\r\n"--|
 * frames:  --------Bob---------hi---|
 * ```
 * Each subscription gets its own decoder. At completion an unterminated last line is dropped.
 */
export function splitLines(maxLineBytes: number): OperatorFunction<Uint8Array, Frame> {
  return (chunk$) =>
    new Observable<Frame>((subscriber) => {
      const decoder = createLineDecoder(maxLineBytes);
      const emit = (frame: Frame): void => subscriber.next(frame);
      return chunk$.subscribe({
        next: (chunk) => decoder.push(chunk, emit),
        error: (err: unknown) => subscriber.error(err),
        complete: () => {
          decoder.end();
          subscriber.complete();
        },
      });
    });
}
