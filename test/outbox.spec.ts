// The per-socket outbox: one write per socket per flush, flushes spaced out under load, a
// failing socket isolated, and the output budget.
// Sockets and timing are fakes: the clock moves only when a fake write says it took time.
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MAX_GAP_MS, createOutboxes, gapAfter } from '../src/drivers/outbox.ts';
import { FakeTiming } from './helpers/fake-timing.ts';

/** Ends the turn, which must have something scheduled for its end. */
function run(timing: FakeTiming): void {
  expect(timing.scheduled, 'something was scheduled').toBeGreaterThan(0);
  timing.endTurn();
}

/**
 * A socket that records what it is given; each write costs `writeMs` of the fake clock. While
 * `reading` is false its peer reads nothing, so what it is given stays unsent (`writableLength`).
 */
class FakeSocket {
  readonly writes: string[] = [];
  writableLength = 0;
  destroyed = false;
  writable = true;
  reading = true;
  constructor(private readonly clock: FakeTiming, private readonly writeMs = 0) {}
  write(bytes: Buffer): boolean {
    this.writes.push(bytes.toString('utf8'));
    if (!this.reading) this.writableLength += bytes.length;
    this.clock.time += this.writeMs;
    return true;
  }
  throwOnWrite(): void {
    this.write = () => {
      throw new Error('write failed');
    };
  }
  asSocket(): Socket {
    return this as unknown as Socket;
  }
}

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
const NEVER = (): void => {
  throw new Error('not over budget');
};

describe('outbox', () => {
  it('should write what a socket was given in one turn in one write, in order, at the flush', () => {
    const timing = new FakeTiming();
    const outboxes = createOutboxes(timing);
    const a = new FakeSocket(timing);
    const b = new FakeSocket(timing);
    const outA = outboxes.open(a.asSocket(), 1024, NEVER);
    const outB = outboxes.open(b.asSocket(), 1024, NEVER);
    outA.write(bytes('one\n'));
    outB.write(bytes('only\n'));
    outA.write(bytes('two\n'));
    expect(a.writes).toEqual([]);
    expect(timing.scheduled).toBe(1);
    run(timing);
    expect(a.writes).toEqual(['one\ntwo\n']);
    expect(b.writes).toEqual(['only\n']);
    expect(timing.scheduled).toBe(0);
  });

  it('should flush at the end of the turn while the server is not busy, however long the last flush took', () => {
    const timing = new FakeTiming();
    const outboxes = createOutboxes(timing);
    const socket = new FakeSocket(timing, 30);
    const out = outboxes.open(socket.asSocket(), 1024, NEVER);
    out.write(bytes('a\n'));
    run(timing);
    out.write(bytes('b\n'));
    outboxes.noteInput();
    run(timing);
    expect(socket.writes).toEqual(['a\n', 'b\n']);
  });

  it('should, while busy, wait turn by turn while input keeps coming, up to twice as long as the last flush took', () => {
    const timing = new FakeTiming();
    const outboxes = createOutboxes(timing);
    const sockets = [new FakeSocket(timing, 15), new FakeSocket(timing, 15)];
    const outs = sockets.map((s) => outboxes.open(s.asSocket(), 1024, NEVER));
    timing.isBusy = true;
    for (const out of outs) out.write(bytes('x\n'));
    run(timing); // the flush takes 30 ms (t = 0..30): the next may wait until t = 90
    outs[0]?.write(bytes('y\n'));
    for (const t of [35, 60, 89]) {
      outboxes.noteInput(); // this turn brought input: wait for the next
      run(timing);
      expect(sockets[0]?.writes, `still gathering at t = ${t}`).toEqual(['x\n']);
      timing.time = t;
      outs[0]?.write(bytes(`at ${t}\n`));
    }
    timing.time = 90;
    outboxes.noteInput();
    run(timing); // the gap is over: flush, input or not
    expect(sockets[0]?.writes).toEqual(['x\n', 'y\nat 35\nat 60\nat 89\n']);
    expect(timing.scheduled).toBe(0);
  });

  it('should, while busy, flush at the end of the first turn that brought no input', () => {
    const timing = new FakeTiming();
    const outboxes = createOutboxes(timing);
    const socket = new FakeSocket(timing, 40);
    const out = outboxes.open(socket.asSocket(), 1024, NEVER);
    timing.isBusy = true;
    out.write(bytes('x\n'));
    run(timing); // 40 ms: the next may wait until t = 120
    out.write(bytes('echo\n'));
    outboxes.noteInput();
    run(timing); // input this turn: wait
    expect(socket.writes).toEqual(['x\n']);
    run(timing); // nothing came in: nothing to wait for
    expect(socket.writes).toEqual(['x\n', 'echo\n']);
    expect(timing.time).toBe(80); // (the clock moved only by the writes)
  });

  it('should bound the gap between flushes', () => {
    expect(gapAfter(0.2, false)).toBe(0);
    expect(gapAfter(80, false)).toBe(0);
    expect(gapAfter(0.2, true)).toBe(0.4);
    expect(gapAfter(20, true)).toBe(40);
    expect(gapAfter(500, true)).toBe(MAX_GAP_MS);
  });

  it("should write a client's own line at the end of the turn while broadcasts wait for the spaced-out flush", () => {
    const timing = new FakeTiming();
    const outboxes = createOutboxes(timing);
    const member = new FakeSocket(timing, 10);
    const other = new FakeSocket(timing, 10);
    const newcomer = new FakeSocket(timing, 10);
    const outMember = outboxes.open(member.asSocket(), 1024, NEVER);
    const outOther = outboxes.open(other.asSocket(), 1024, NEVER);
    const outNewcomer = outboxes.open(newcomer.asSocket(), 1024, NEVER);
    timing.isBusy = true;
    outMember.write(bytes('warm-up\n'));
    run(timing); // 10 ms: the next flush may wait 20 ms for more
    outMember.write(bytes('(Ann) hi\n'));
    outOther.write(bytes('(Ann) hi\n'));
    outNewcomer.write(bytes('Username?\n'), true);
    outMember.write(bytes('*** Users online (2): Ann, Bob\n'), true);
    outboxes.noteInput();
    run(timing); // the end of the turn: own lines go, broadcasts wait (input is still coming)
    expect(newcomer.writes).toEqual(['Username?\n']);
    expect(member.writes).toEqual(['warm-up\n', '(Ann) hi\n*** Users online (2): Ann, Bob\n']);
    expect(other.writes).toEqual([]);
    run(timing); // a quiet turn: the flush
    expect(other.writes).toEqual(['(Ann) hi\n']);
    expect(member.writes).toHaveLength(2);
    expect(newcomer.writes).toHaveLength(1);
    expect(timing.scheduled).toBe(0);
  });

  it("should leave a client's own line to the flush when that is at the end of the turn anyway", () => {
    const timing = new FakeTiming();
    const outboxes = createOutboxes(timing);
    const socket = new FakeSocket(timing);
    outboxes.open(socket.asSocket(), 1024, NEVER).write(bytes('Username?\n'), true);
    expect(timing.scheduled).toBe(1);
    run(timing);
    expect(socket.writes).toEqual(['Username?\n']);
  });

  it('should go on writing the other sockets, and flushing later, when one write throws', () => {
    const timing = new FakeTiming();
    const errors: unknown[] = [];
    const outboxes = createOutboxes(timing, (err) => errors.push(err));
    const broken = new FakeSocket(timing);
    const fine = new FakeSocket(timing);
    const outBroken = outboxes.open(broken.asSocket(), 1024, NEVER);
    const outFine = outboxes.open(fine.asSocket(), 1024, NEVER);
    broken.throwOnWrite();
    outBroken.write(bytes('a\n'));
    outFine.write(bytes('a\n'));
    run(timing);
    expect(errors).toEqual([new Error('write failed')]);
    expect(fine.writes).toEqual(['a\n']);
    outFine.write(bytes('b\n'));
    run(timing);
    expect(fine.writes).toEqual(['a\n', 'b\n']);
  });

  it('should tell once when what a socket could not send passes its budget, then write nothing more', () => {
    const timing = new FakeTiming();
    const outboxes = createOutboxes(timing);
    const socket = new FakeSocket(timing);
    socket.reading = false; // the kernel takes nothing more: every byte stays unsent
    const told: number[] = [];
    const out = outboxes.open(socket.asSocket(), 10, (unsent) => told.push(unsent));
    out.write(bytes('12345\n'));
    run(timing); // 6 unsent: within the budget
    expect(told).toEqual([]);
    out.write(bytes('6789\n'));
    run(timing); // 11 unsent > 10
    expect(told).toEqual([11]);
    out.write(bytes('more\n'));
    expect(timing.scheduled).toBe(0);
    expect(socket.writes).toEqual(['12345\n', '6789\n']);
  });

  it("should not count one flush's lines against the budget of a client that reads them", () => {
    const timing = new FakeTiming();
    const outboxes = createOutboxes(timing);
    const socket = new FakeSocket(timing);
    const out = outboxes.open(socket.asSocket(), 10, NEVER);
    // A busy window's broadcast lines: 3 × 12 bytes, more than the budget, all taken at once.
    for (const line of ['(ann) line 1', '(bob) line 2', '(cy) line 33']) out.write(bytes(`${line}\n`));
    run(timing);
    expect(socket.writes).toEqual(['(ann) line 1\n(bob) line 2\n(cy) line 33\n']);
  });

  it('should not write to a socket that was destroyed or discarded', () => {
    const timing = new FakeTiming();
    const outboxes = createOutboxes(timing);
    const gone = new FakeSocket(timing);
    const discarded = new FakeSocket(timing);
    const outGone = outboxes.open(gone.asSocket(), 1024, NEVER);
    const outDiscarded = outboxes.open(discarded.asSocket(), 1024, NEVER);
    outGone.write(bytes('lost\n'));
    outDiscarded.write(bytes('dropped\n'));
    gone.destroyed = true;
    outDiscarded.discard();
    run(timing);
    expect(gone.writes).toEqual([]);
    expect(discarded.writes).toEqual([]);
  });
});
