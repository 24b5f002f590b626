// The broadcast lines of one flush window, in the global order, put on the wire as one Buffer.
//
// Every member gets the same lines, so the bus gathers them between two flushes into one batch
// and hands that one object to every member: a member costs one call per batch instead of one per
// line, and the bytes are concatenated once for all of them instead of once per socket. A member
// who joined while a batch was gathering gets only the lines said after its join (`from`).
import type { WireLine } from './wire-line.ts';

export class WireBatch {
  readonly #lines: WireLine[];
  #bytes: Buffer | undefined;

  constructor(lines: WireLine[] = []) {
    this.#lines = lines;
  }

  /** The lines, in order. */
  get lines(): readonly WireLine[] {
    return this.#lines;
  }

  /** Adds a line at the end (the bus does so only while the batch is gathering, before anyone has it). */
  push(line: WireLine): void {
    this.#lines.push(line);
    this.#bytes = undefined;
  }

  /** The lines from `index` on, as a batch of their own. */
  from(index: number): WireBatch {
    return new WireBatch(this.#lines.slice(index));
  }

  /** The bytes to put on the wire: every line's bytes, back to back, concatenated once and then shared. */
  encode(): Buffer {
    if (this.#bytes === undefined) {
      const lines = this.#lines;
      this.#bytes = lines.length === 1 ? (lines[0] as WireLine).encode() : Buffer.concat(lines.map((line) => line.encode()));
    }
    return this.#bytes;
  }
}
