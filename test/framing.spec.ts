// Line framing: marble flows for the cases that matter on a real socket, plus properties that
// hold for any byte stream split in any way.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TOO_LONG, createLineDecoder, splitLines, type Frame } from '../src/framing.ts';
import { marbles } from './helpers/marbles.ts';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
const line = (text: string): Frame => ({ kind: 'line', text });

/** Runs the decoder over chunks and returns every frame, end of input included. */
function frames(chunks: readonly Uint8Array[], max: number): Frame[] {
  const decoder = createLineDecoder(max);
  const out: Frame[] = [];
  const emit = (frame: Frame): void => {
    out.push(frame);
  };
  for (const chunk of chunks) decoder.push(chunk, emit);
  decoder.end();
  return out;
}

describe('splitLines', () => {
  it('should join a line split across chunks', () => {
    marbles(({ cold, expectObservable }) => {
      const chunk$ = cold('  -a--b--|', { a: bytes('Bo'), b: bytes('b\n') });
      const expected = '    ----x--|';
      expectObservable(chunk$.pipe(splitLines(4096))).toBe(expected, { x: line('Bob') });
    });
  });

  it('should emit every line of a chunk in order, in the same frame', () => {
    marbles(({ cold, expectObservable }) => {
      const chunk$ = cold('  -a-----|', { a: bytes('Bob\nHello everyone\nexit\n') });
      const expected = '    -(xyz)-|';
      expectObservable(chunk$.pipe(splitLines(4096))).toBe(expected, {
        x: line('Bob'),
        y: line('Hello everyone'),
        z: line('exit'),
      });
    });
  });

  it('should drop the CR of a CRLF line, even when CR and LF arrive apart', () => {
    marbles(({ cold, expectObservable }) => {
      const chunk$ = cold('  -a--b--c|', { a: bytes('Hi\r\n'), b: bytes('there\r'), c: bytes('\n') });
      const expected = '    -x-----y|';
      expectObservable(chunk$.pipe(splitLines(4096))).toBe(expected, { x: line('Hi'), y: line('there') });
    });
  });

  it('should decode a UTF-8 character split across chunks', () => {
    const [first, second] = [Buffer.from([0x52, 0xc3]), Buffer.from([0xb6, 0x63, 0x6b, 0x0a])]; // "R\xC3" + "\xB6ck\n"
    marbles(({ cold, expectObservable }) => {
      const chunk$ = cold('  -a-b-|', { a: first, b: second });
      const expected = '    ---x-|';
      expectObservable(chunk$.pipe(splitLines(4096))).toBe(expected, { x: line('Röck') });
    });
  });

  it('should turn invalid UTF-8 into U+FFFD', () => {
    expect(frames([Buffer.from([0x61, 0xff, 0x62, 0x0a])], 4096)).toEqual([line('a\uFFFDb')]);
  });

  it('should say "too long" as soon as a line passes the limit, then resume at the next line', () => {
    marbles(({ cold, expectObservable }) => {
      // 6 bytes cannot be a line of at most 4 (+ a possible CR): known at once, before any LF.
      const chunk$ = cold('  -a-b-c-|', { a: bytes('123456'), b: bytes('78\nok'), c: bytes('\n') });
      const expected = '    -t---x-|';
      expectObservable(chunk$.pipe(splitLines(4))).toBe(expected, { t: TOO_LONG, x: line('ok') });
    });
  });

  it('should accept a line of exactly the limit, with or without CR', () => {
    expect(frames([bytes('abcd\nabcd\r\n')], 4)).toEqual([line('abcd'), line('abcd')]);
    expect(frames([bytes('abcde\n')], 4)).toEqual([TOO_LONG]);
  });

  it('should count the limit in bytes, not characters', () => {
    expect(frames([bytes('ééé\n')], 4)).toEqual([TOO_LONG]); // 6 bytes
    expect(frames([bytes('éé\n')], 4)).toEqual([line('éé')]);
  });

  it('should drop bytes after the last LF when the input ends: they are not a line', () => {
    marbles(({ cold, expectObservable }) => {
      const chunk$ = cold('  -a-b-|', { a: bytes('bye\n'), b: bytes('half a li') });
      const expected = '    -x---|';
      expectObservable(chunk$.pipe(splitLines(4096))).toBe(expected, { x: line('bye') });
    });
  });

  it('should report a 10 MiB line without a newline once, without keeping it', () => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const chunks = Array.from({ length: 160 }, () => chunk);
    expect(frames(chunks, 4096)).toEqual([TOO_LONG]);
  });

  it('should stop reading its source when unsubscribed', () => {
    marbles(({ hot, expectObservable, expectSubscriptions }) => {
      const chunk$ = hot('   -a--b--c-|', { a: bytes('1\n'), b: bytes('2\n'), c: bytes('3\n') });
      const subs = '         ^----!';
      const expected = '     -x--y';
      expectObservable(chunk$.pipe(splitLines(10)), subs).toBe(expected, { x: line('1'), y: line('2') });
      expectSubscriptions(chunk$.subscriptions).toBe(subs);
    });
  });
});

/**
 * The specification, written the slow obvious way: split on LF, drop one CR, check the length.
 * Bytes after the last LF are no line; they only yield "too long" if they already are.
 */
function referenceFrames(input: Uint8Array, max: number): Frame[] {
  const out: Frame[] = [];
  let start = 0;
  for (let i = 0; i <= input.length; i++) {
    const atEnd = i === input.length;
    if (!atEnd && input[i] !== 0x0a) continue;
    if (atEnd) {
      if (i - start > max + 1) out.push(TOO_LONG); // known too long before any LF could come
      break;
    }
    let end = i;
    if (end > start && input[end - 1] === 0x0d) end--;
    out.push(end - start > max ? TOO_LONG : line(Buffer.from(input.subarray(start, end)).toString('utf8')));
    start = i + 1;
  }
  return out;
}

/** Byte streams rich in the bytes that matter: LF, CR, multi-byte UTF-8, invalid bytes. */
const byteStream = fc
  .array(
    fc.oneof(
      fc.constantFrom(0x0a, 0x0d, 0x61, 0x20, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xff),
      fc.integer({ min: 0, max: 255 }),
    ),
    { maxLength: 200 },
  )
  .map((array) => Uint8Array.from(array));

/** Cuts a byte array into consecutive chunks at the given positions. */
function split(input: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (input.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let previous = 0;
  for (const point of [...points, input.length]) {
    chunks.push(input.subarray(previous, point));
    previous = point;
  }
  return chunks;
}

describe('line framing properties', () => {
  it('any split of any byte stream yields the same frames as the reference', () => {
    fc.assert(
      fc.property(byteStream, fc.array(fc.nat(), { maxLength: 20 }), fc.integer({ min: 1, max: 12 }), (input, cuts, max) => {
        expect(frames(split(input, cuts), max)).toEqual(referenceFrames(input, max));
      }),
      { numRuns: 2000 },
    );
  });

  it('any text sent as UTF-8 lines comes back unchanged, however it is cut', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, ''));
    fc.assert(
      fc.property(fc.array(text, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 30 }), (lines, cuts) => {
        const input = bytes(lines.map((l) => `${l}\n`).join(''));
        expect(frames(split(input, cuts), 4096)).toEqual(lines.map(line));
      }),
      { numRuns: 500 },
    );
  });
});
