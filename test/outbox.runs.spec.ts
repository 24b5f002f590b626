// The outbox's shared runs (outbox.ts `Run`): sockets that queue the same lines in the same order
// share them, and a flush joins them once for all. Sharing must never change what any socket is
// sent: each socket gets exactly its own lines, in order, whatever the others got.
import type { Socket } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createOutboxes } from '../src/drivers/outbox.ts';
import { FakeTiming } from './helpers/fake-timing.ts';

/** A socket that keeps the Buffers it is given; each write takes `writeMs` of `timing`'s clock. */
class RecordingSocket {
  readonly writes: Buffer[] = [];
  readonly writableLength = 0;
  readonly destroyed = false;
  readonly writable = true;
  constructor(
    private readonly timing?: FakeTiming,
    private readonly writeMs = 0,
  ) {}
  write(bytes: Buffer): boolean {
    this.writes.push(bytes);
    if (this.timing !== undefined) this.timing.time += this.writeMs;
    return true;
  }
  received(): string {
    return Buffer.concat(this.writes).toString('utf8');
  }
  asSocket(): Socket {
    return this as unknown as Socket;
  }
}

const NEVER = (): void => {
  throw new Error('not over budget');
};

describe('outbox runs', () => {
  it("should hand a broadcast's members one joined Buffer, and a member with other lines its own", () => {
    const timing = new FakeTiming();
    const outboxes = createOutboxes(timing);
    const sockets = [new RecordingSocket(), new RecordingSocket(), new RecordingSocket()];
    const [a, b, c] = sockets.map((s) => outboxes.open(s.asSocket(), 1 << 20, NEVER));
    const hello = Buffer.from('(Ann) hello\n');
    const again = Buffer.from('(Bob) again\n');
    const reply = Buffer.from('*** Users online (2): Ann, Bob\n');
    for (const out of [a!, b!, c!]) out.write(hello);
    c!.write(reply); // c's lines differ from here on
    for (const out of [a!, b!, c!]) out.write(again);
    timing.endTurn();
    const [sa, sb, sc] = sockets;
    expect(sa!.received()).toBe('(Ann) hello\n(Bob) again\n');
    expect(sc!.received()).toBe('(Ann) hello\n*** Users online (2): Ann, Bob\n(Bob) again\n');
    expect(sb!.writes[0]).toBe(sa!.writes[0]); // the same Buffer: joined once
    expect(sc!.writes[0]).not.toBe(sa!.writes[0]);
  });

  it("should let a socket written early rejoin a broadcast's run where it stands: one joined Buffer, sliced", () => {
    const timing = new FakeTiming();
    const outboxes = createOutboxes(timing);
    const [old, fresh] = [new RecordingSocket(timing, 5), new RecordingSocket(timing, 5)];
    const outOld = outboxes.open(old.asSocket(), 1 << 20, NEVER);
    const outFresh = outboxes.open(fresh.asSocket(), 1 << 20, NEVER);
    // A busy server whose last flush took 5 ms: the next one waits while input keeps coming, but a
    // client's own line leaves at the end of the turn.
    timing.isBusy = true;
    outOld.write(Buffer.from('warm-up\n'));
    timing.endTurn();
    outFresh.write(Buffer.from('You are now connected, Cy!\n'), true);
    const joins = ['*** Di joined the chat\n', '*** Ed joined the chat\n', '*** Flo joined the chat\n'].map((line) => Buffer.from(line));
    outOld.write(joins[0]!);
    outboxes.noteInput();
    timing.endTurn(); // Cy's welcome leaves now; the join waits for the flush
    expect(fresh.received()).toBe('You are now connected, Cy!\n');
    for (const out of [outOld, outFresh]) out.write(joins[1]!); // Cy joins the others' run at its tip
    for (const out of [outOld, outFresh]) out.write(joins[2]!);
    timing.drain();
    expect(old.received()).toBe('warm-up\n*** Di joined the chat\n*** Ed joined the chat\n*** Flo joined the chat\n');
    expect(fresh.received()).toBe('You are now connected, Cy!\n*** Ed joined the chat\n*** Flo joined the chat\n');
    // Cy's two lines are the tail of the very bytes the others were sent: joined once, sliced.
    const [oldLast, freshLast] = [old.writes.at(-1)!, fresh.writes.at(-1)!];
    expect(freshLast.buffer).toBe(oldLast.buffer);
    expect(freshLast.byteOffset + freshLast.length).toBe(oldLast.byteOffset + oldLast.length);
  });

  it('should give every socket exactly its own lines, in order, however sockets share and part', () => {
    const lines = Array.from({ length: 6 }, (_, i) => Buffer.from(`line ${i}\n`));
    const op = fc.oneof(
      // One line to some sockets, in socket order (a broadcast, or a reply when only one).
      fc.record({ kind: fc.constant('write' as const), line: fc.nat(lines.length - 1), to: fc.subarray([0, 1, 2, 3]), soon: fc.boolean() }),
      fc.record({ kind: fc.constant('turn' as const), busy: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const timing = new FakeTiming();
        const outboxes = createOutboxes(timing);
        const sockets = [0, 1, 2, 3].map(() => new RecordingSocket());
        const outs = sockets.map((s) => outboxes.open(s.asSocket(), 1 << 20, NEVER));
        const expected = sockets.map(() => '');
        for (const o of ops) {
          if (o.kind === 'turn') {
            timing.isBusy = o.busy;
            timing.time += 1;
            timing.endTurn();
            continue;
          }
          const line = lines[o.line]!;
          for (const i of o.to) {
            outs[i]!.write(line, o.soon);
            expected[i] += line.toString('utf8');
          }
        }
        timing.drain();
        expect(sockets.map((s) => s.received())).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
