// Per-socket output batching: every line queued for a socket before a flush leaves in one
// `socket.write`, and each socket's unsent bytes are measured against its budget.
//
// A broadcast reaches N sockets; a burst of K lines would otherwise be K × N writes, each a trip
// through the stream machinery and a syscall (on loopback ~10 µs each). Here lines are queued
// per socket (shared, encode-once Buffers) and one flush writes every socket that has something
// queued: one write per socket per flush. Sockets that queued the same lines in the same order
// (a room's members, between two flushes) share them as one `Run`, and the flush joins a run's
// lines into one Buffer once for all of them: a line to 5,000 members costs each socket one
// step along the run, and the flush one concatenation, not 5,000.
//
// When flushes run adapts to load. An idle server flushes at the end of the turn (setImmediate),
// so a line leaves at once. While the event loop is saturated (over 90% utilised in the last
// 50 ms) flushes are spaced out: the next one waits, turn by turn, while input keeps arriving
// (`noteInput`), up to `gapAfter` the end of the last flush: twice as long as that flush took, at
// most 100 ms. While input keeps coming, a busy server thus spends no more than about a third of
// its time in these flushes, however many sockets it has, and one write carries many turns'
// lines. In a 5,000-client join storm a flush is 5,000 writes
// (~45 ms) and each turn carries one or two joins: flushing every turn would spend nearly all the
// time writing, one join per write. The wait is work-conserving: the first turn that brings no
// input ends it, so clients that wait for their own echo before they say more (a closed loop)
// never wait on a timer while the server sits idle.
//
// Only broadcast lines wait for a spaced-out flush. A line for one client alone (the prompt, the
// welcome, a reply) is written with `soon`, and its socket is written at the end of the turn:
// joining clients wait for exactly those lines, and a join storm would otherwise slow itself.
//
// The budget (`--sendq-bytes`) limits a socket's backlog: what Node still holds unsent after a
// flush (`writableLength`) because the kernel would not take it. Past it the outbox stops taking
// lines and reports the socket as too slow, exactly once. The lines gathered for the next flush
// do not count: they are mostly the shared broadcast Buffers, and a busy window's lines, however
// many, must not cut off a client that reads. Memory per slow client stays within the budget plus
// one flush's lines.
import type { Socket } from 'node:net';
import { ioCounters } from './io-counters.ts';

export interface Outbox {
  /**
   * Queues bytes for the next flush; ignored once over budget or closed. With `soon`, the
   * socket is written at the end of this turn even while the next flush is spaced out: for a
   * line that concerns this client alone (the prompt, the welcome, a reply), which it may be
   * waiting for, while broadcast lines can wait for the flush.
   */
  write(bytes: Buffer, soon?: boolean): void;
  /** Queues a line's bytes: `line.encode()`, encoded once however many sockets get the line. */
  writeLine(line: { encode(): Buffer }, soon?: boolean): void;
  /** Writes what is queued now (before `end`). */
  flush(): void;
  /** Drops what is queued (before `destroy`). */
  discard(): void;
}

export interface Outboxes {
  /** An outbox for one socket; `onOverBudget` is called once when it passes `budgetBytes`. */
  open(socket: Socket, budgetBytes: number, onOverBudget: (unsentBytes: number) => void): Outbox;
  /** Tells that input arrived (a chunk read, a connection accepted): a spaced-out flush waits for more. */
  noteInput(): void;
}

/** When to flush: `soon` at the end of this turn. */
export interface FlushTiming {
  soon(flush: () => void): void;
  /** A monotonic clock in ms, to time each flush. */
  now(): number;
  /** Called after each flush; true while the server is busy enough to batch across turns. */
  busy(): boolean;
}

/** The longest gap between flushes, and how busy is busy. */
export const MAX_GAP_MS = 100;
const BUSY_UTILISATION = 0.9;
const SAMPLE_MS = 50;

/** How long after a flush that took `flushMs` the next one may wait for more input. */
export function gapAfter(flushMs: number, busy: boolean): number {
  return busy ? Math.min(MAX_GAP_MS, 2 * flushMs) : 0;
}

/** Real timing: setImmediate for the end of the turn, the event loop's utilisation for `busy`. */
export function adaptiveTiming(): FlushTiming {
  let last = performance.eventLoopUtilization();
  let busy = false;
  return {
    soon: (flush) => void setImmediate(flush),
    now: () => performance.now(),
    busy() {
      const now = performance.eventLoopUtilization();
      const since = performance.eventLoopUtilization(now, last);
      if (since.idle + since.active >= SAMPLE_MS) {
        busy = since.utilization > BUSY_UTILISATION;
        last = now;
      }
      return busy;
    },
  };
}

/**
 * One flusher for every socket of the process. `timing` is injectable for tests;
 * `onError` hears of anything that threw during a flush (the flush goes on).
 */
export function createOutboxes(timing: FlushTiming = adaptiveTiming(), onError: (err: unknown) => void = reportLater): Outboxes {
  let dirty: SocketOutbox[] = [];
  let scheduled = false;
  // Whether the flush that is scheduled is spaced out (`gather`) rather than at the turn's end.
  let spaced = false;
  // Input events since the last flush, or since `gather` last looked.
  let inputs = 0;
  // The earliest time (timing.now()) the next flush may start.
  let notBefore = 0;
  // Sockets to write at the end of this turn, ahead of a spaced-out flush.
  let urgent: SocketOutbox[] = [];

  // A socket that throws is reported; the others are still written.
  const each = <T>(items: readonly T[], run: (item: T) => void): void => {
    for (const item of items) {
      try {
        run(item);
      } catch (err) {
        onError(err);
      }
    }
  };
  const flushUrgent = (): void => {
    const batch = urgent;
    urgent = [];
    each(batch, writeUrgent);
  };

  const flushAll = (): void => {
    // `scheduled` stays true until the end: what is written meanwhile goes out in this flush.
    const start = timing.now();
    try {
      const batch = dirty;
      dirty = [];
      heads = new Map(); // a line written from now on starts a new run
      latest = null;
      each(batch, writeQueued);
    } finally {
      const end = timing.now();
      notBefore = end + gapAfter(end - start, timing.busy());
      scheduled = false;
      spaced = false;
      inputs = 0;
      if (dirty.length > 0) schedule();
    }
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    spaced = notBefore - timing.now() >= 1;
    timing.soon(spaced ? gather : flushAll);
  };
  // A spaced-out flush: at the end of each turn, flush if no input came since the last look (or
  // since the last flush) or the gap is over; otherwise look again at the end of the next turn.
  const gather = (): void => {
    if (inputs === 0 || timing.now() >= notBefore) {
      flushAll();
    } else {
      inputs = 0;
      timing.soon(gather);
    }
  };

  // Where a socket with nothing queued starts. If another socket just got the same line, in the
  // run it extended (a socket emptied by an end-of-turn write joins a broadcast's run where the
  // others stand); else in the run that line started since the last flush, or a new one. So a
  // broadcast's members end up in one run.
  let heads = new Map<Buffer, Run>();
  let latest: Run | null = null;
  const runFrom = (bytes: Buffer): Run => {
    let run = heads.get(bytes);
    if (run === undefined) {
      run = new Run([bytes]);
      heads.set(bytes, run);
    }
    return run;
  };

  class SocketOutbox implements Outbox {
    /** What is queued: lines `#start` to `#count` of `#run` (shared with other sockets, never changed). */
    #run: Run | null = null;
    #start = 0;
    #count = 0;
    #queued = false;
    #urgent = false;
    #over = false;

    constructor(
      private readonly socket: Socket,
      private readonly budgetBytes: number,
      private readonly onOverBudget: (unsentBytes: number) => void,
    ) {}

    write(bytes: Buffer, soon = false): void {
      if (this.#over) return;
      const run = this.#run;
      if (run === null) {
        const at = latest === null ? -1 : latest.lines.length - 1;
        if (at >= 0 && latest!.lines[at] === bytes) {
          this.#run = latest;
          this.#start = this.#count = at;
        } else {
          this.#run = runFrom(bytes);
        }
      } else if (this.#count === run.lines.length) {
        run.push(bytes); // the first of its run to get this line: it extends the run
      } else if (run.lines[this.#count] !== bytes) {
        this.#run = run.branch(this.#count, bytes); // its lines differ from the run's from here
      } // else another socket of the run got the same line first: it follows
      this.#count++;
      if (this.#count === this.#run!.lines.length) latest = this.#run;
      ioCounters.linesOut++;
      if (!this.#queued) {
        this.#queued = true;
        dirty.push(this);
        schedule();
      }
      if (soon && spaced && !this.#urgent) {
        this.#urgent = true;
        if (urgent.length === 0) timing.soon(flushUrgent);
        urgent.push(this);
      }
    }

    writeLine(line: { encode(): Buffer }, soon = false): void {
      this.write(line.encode(), soon);
    }

    /** The flush of every socket: this one is no longer queued. */
    flushQueued(): void {
      this.#queued = false;
      this.flush();
    }

    /** The end-of-turn write ahead of a spaced-out flush (it stays queued for that flush). */
    flushUrgent(): void {
      this.#urgent = false;
      this.flush();
    }

    flush(): void {
      const run = this.#run;
      if (run === null) return;
      const start = this.#start;
      const count = this.#count;
      this.#run = null;
      this.#start = this.#count = 0;
      if (this.#over || this.socket.destroyed || !this.socket.writable) return;
      const bytes = run.slice(start, count);
      this.socket.write(bytes);
      ioCounters.bytesOut += bytes.length;
      // What the kernel did not take stays in Node's buffer: that backlog is what the budget limits.
      const unsent = this.socket.writableLength;
      if (unsent > this.budgetBytes) {
        this.#over = true;
        ioCounters.sendqCutoffs++;
        this.onOverBudget(unsent);
      }
    }

    discard(): void {
      this.#run = null;
      this.#start = this.#count = 0;
    }
  }

  return {
    open: (socket, budgetBytes, onOverBudget) => new SocketOutbox(socket, budgetBytes, onOverBudget),
    noteInput: () => void inputs++,
  };
}

/**
 * Lines queued for the next flush, in order, shared by every socket that queued the same lines:
 * a socket holds lines `start` to `end` of a run (most often all of them). Lines are only ever
 * appended, so a socket's lines never change under it. A flush joins a run's lines into one
 * Buffer once, and each socket writes its slice of it: a line to 5,000 members is one
 * concatenation, not 5,000, and so is a window's worth of lines to members who joined it at
 * different points.
 *
 * Sockets whose lines part from a run's (a reply to one member went into the run first, and the
 * next broadcast line follows it for the others) move to a branch: the run's first n lines, then
 * theirs. Every socket that parts at the same point with the same line takes the same branch.
 */
class Run {
  /** ends[i]: the bytes of lines 0 to i, so that any socket's lines are a slice of the joined run. */
  readonly #ends: number[] = [];
  /** The run's first lines joined (as many as the last flush asked for). */
  #joined: Buffer | null = null;
  /** The branches off this run, by the line they part with (each knows where it parts). */
  #branches: Map<Buffer, Run> | null = null;

  /** `base`: how many first lines it shares with the run it branched off. */
  constructor(
    readonly lines: Buffer[],
    private readonly base = 0,
  ) {
    let bytes = 0;
    for (const line of lines) this.#ends.push((bytes += line.length));
  }

  push(line: Buffer): void {
    this.#ends.push((this.#ends.at(-1) ?? 0) + line.length);
    this.lines.push(line);
  }

  /** Lines `start` to `end` (excluded) as they go on the wire: a slice of the joined run (shared). */
  slice(start: number, end: number): Buffer {
    if (end - start === 1) return this.lines[start] as Buffer;
    const ends = this.#ends;
    const to = ends[end - 1] as number;
    if (this.#joined === null || this.#joined.length < to) this.#joined = Buffer.concat(this.lines, ends.at(-1));
    const from = start === 0 ? 0 : (ends[start - 1] as number);
    return from === 0 && to === this.#joined.length ? this.#joined : this.#joined.subarray(from, to);
  }

  /** The run for a socket whose first `count` lines are this run's and whose next is `bytes`, not this run's next. */
  branch(count: number, bytes: Buffer): Run {
    this.#branches ??= new Map();
    let run = this.#branches.get(bytes);
    if (run === undefined || run.base !== count) {
      const lines = this.lines.slice(0, count);
      lines.push(bytes);
      run = new Run(lines, count);
      this.#branches.set(bytes, run);
    }
    return run;
  }
}

// The per-item steps of a flush, as shared functions (no closure per socket on the hot path).
const writeQueued = (outbox: { flushQueued(): void }): void => outbox.flushQueued();
const writeUrgent = (outbox: { flushUrgent(): void }): void => outbox.flushUrgent();

/** An error from a flush, thrown where it can't break the flush (Node reports it). */
function reportLater(err: unknown): void {
  setTimeout(() => {
    throw err;
  });
}
