// Per-socket output batching: every line written to a socket in one event-loop turn leaves in one
// `socket.write`, and each socket's unsent bytes are measured against its budget.
//
// A broadcast reaches N sockets; a burst of K lines would otherwise be K × N writes, each a trip
// through the stream machinery and a syscall (on loopback ~10-20 µs each). Here lines are queued
// per socket (the Buffers are the shared, encode-once WireLine bytes, never copied per recipient
// until the flush) and one flush writes every socket that has something queued: one write per
// socket per flush, whatever the fan-out.
//
// When the flush runs adapts to load. An idle server flushes at the end of the current turn
// (setImmediate), so a line leaves at once. A busy one (the event loop more than 90% utilised
// over the last 50 ms, e.g. in a join storm where each turn carries one join that every socket
// must hear) flushes on a short (10 ms) timer instead, so one write carries many turns' lines; the
// delay it adds is small next to the queueing such a load causes anyway.
//
// The budget (`--sendq-bytes`) counts what is queued here plus what Node's socket holds unsent
// (`writableLength`). Past it the outbox stops taking lines, drops what it queued, and reports
// the socket as too slow exactly once. Memory per slow client stays within budget + one line.
import type { Socket } from 'node:net';

export interface Outbox {
  /** Queues bytes for this turn's flush; ignored once over budget or closed. */
  write(bytes: Buffer): void;
  /** Writes what is queued now (before `end`). */
  flush(): void;
  /** Drops what is queued (before `destroy`). */
  discard(): void;
}

export interface Outboxes {
  /** An outbox for one socket; `onOverBudget` is called once when it passes `budgetBytes`. */
  open(socket: Socket, budgetBytes: number, onOverBudget: (unsentBytes: number) => void): Outbox;
}

/** When to flush: `soon` at the end of this turn, `later` after a short window. */
export interface FlushTiming {
  soon(flush: () => void): void;
  later(flush: () => void): void;
  /** Called after each flush; true while the server is busy enough to batch across turns. */
  busy(): boolean;
}

/** How long a busy server lets output gather before it writes, and how busy is busy. */
const WINDOW_MS = 10;
const BUSY_UTILISATION = 0.9;
const SAMPLE_MS = 50;

/** Real timing: setImmediate when idle, a WINDOW_MS timer while the event loop is saturated. */
export function adaptiveTiming(): FlushTiming {
  let last = performance.eventLoopUtilization();
  let busy = false;
  return {
    soon: (flush) => void setImmediate(flush),
    later: (flush) => void setTimeout(flush, WINDOW_MS),
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

/** One flush scheduler for every socket of a listener. `timing` is injectable for tests. */
export function createOutboxes(timing: FlushTiming = adaptiveTiming()): Outboxes {
  let dirty: SocketOutbox[] = [];
  let scheduled = false;
  let batching = false;

  const flushAll = (): void => {
    scheduled = false;
    const batch = dirty;
    dirty = [];
    for (const outbox of batch) outbox.flush();
    batching = timing.busy();
  };
  const schedule = (): void => {
    if (batching) timing.later(flushAll);
    else timing.soon(flushAll);
  };

  class SocketOutbox implements Outbox {
    #chunks: Buffer[] = [];
    #bytes = 0;
    #queued = false;
    #over = false;
    // What Node's socket still held unsent after the last flush. A write compares against this
    // instead of asking the socket (a broadcast touches every outbox; the socket's stream state
    // is kept out of that loop), and asks for the real figure only when the budget looks passed.
    #unsentAtFlush = 0;

    constructor(
      private readonly socket: Socket,
      private readonly budgetBytes: number,
      private readonly onOverBudget: (unsentBytes: number) => void,
    ) {}

    write(bytes: Buffer): void {
      if (this.#over) return;
      this.#chunks.push(bytes);
      this.#bytes += bytes.length;
      if (this.#bytes + this.#unsentAtFlush > this.budgetBytes) {
        this.#unsentAtFlush = this.socket.writableLength;
        const unsent = this.#bytes + this.#unsentAtFlush;
        if (unsent > this.budgetBytes) {
          this.#over = true;
          this.discard();
          this.onOverBudget(unsent);
          return;
        }
      }
      if (!this.#queued) {
        this.#queued = true;
        dirty.push(this);
        if (!scheduled) {
          scheduled = true;
          schedule();
        }
      }
    }

    flush(): void {
      this.#queued = false;
      const chunks = this.#chunks;
      if (chunks.length === 0) return;
      const bytes = this.#bytes;
      this.#chunks = [];
      this.#bytes = 0;
      if (this.socket.destroyed || !this.socket.writable) return;
      this.socket.write(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, bytes));
      this.#unsentAtFlush = this.socket.writableLength;
    }

    discard(): void {
      this.#chunks = [];
      this.#bytes = 0;
    }
  }

  return { open: (socket, budgetBytes, onOverBudget) => new SocketOutbox(socket, budgetBytes, onOverBudget) };
}
