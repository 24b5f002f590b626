// One outgoing protocol line, encoded to bytes at most once however many clients receive it.
//
// A broadcast reaches every chatting client; building the text once and encoding it once (lazily,
// on first write) keeps the fan-out free of per-recipient string and Buffer work.

/** An outgoing line: its text (no LF) and, on demand, its UTF-8 bytes with the LF appended. */
export class WireLine {
  #bytes: Buffer | undefined;

  constructor(readonly text: string) {}

  /** The bytes to put on the wire: UTF-8 of `text + "\n"`, computed once and then shared. */
  encode(): Buffer {
    return (this.#bytes ??= Buffer.from(this.text + '\n', 'utf8'));
  }

  toString(): string {
    return this.text;
  }
}
