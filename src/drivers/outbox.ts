// Per-socket output batching: every line written to a socket in one event-loop turn leaves in one
// `socket.write`, and each socket's unsent bytes are measured against its budget.
//
// A broadcast reaches N sockets; a burst of K lines would otherwise be K × N writes, each a trip
// through the stream machinery and a syscall. Here lines are queued per socket (the Buffers are
// the shared, encode-once WireLine bytes, never copied per recipient until the flush), and one
// `setImmediate` per turn flushes every socket that has something queued: one write per socket
// per turn, whatever the fan-out. An idle server pays no latency for it: setImmediate runs as
// soon as the current I/O callbacks are done.
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

/** One flush scheduler for every socket of a listener. `schedule` is injectable for tests. */
export function createOutboxes(schedule: (flushAll: () => void) => void = (f) => void setImmediate(f)): Outboxes {
  let dirty: SocketOutbox[] = [];
  let scheduled = false;

  const flushAll = (): void => {
    scheduled = false;
    const batch = dirty;
    dirty = [];
    for (const outbox of batch) outbox.flush();
  };

  class SocketOutbox implements Outbox {
    #chunks: Buffer[] = [];
    #bytes = 0;
    #queued = false;
    #over = false;

    constructor(
      private readonly socket: Socket,
      private readonly budgetBytes: number,
      private readonly onOverBudget: (unsentBytes: number) => void,
    ) {}

    write(bytes: Buffer): void {
      if (this.#over || this.socket.destroyed || !this.socket.writable) return;
      this.#chunks.push(bytes);
      this.#bytes += bytes.length;
      const unsent = this.#bytes + this.socket.writableLength;
      if (unsent > this.budgetBytes) {
        this.#over = true;
        this.discard();
        this.onOverBudget(unsent);
        return;
      }
      if (!this.#queued) {
        this.#queued = true;
        dirty.push(this);
        if (!scheduled) {
          scheduled = true;
          schedule(flushAll);
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
    }

    discard(): void {
      this.#chunks = [];
      this.#bytes = 0;
    }
  }

  return { open: (socket, budgetBytes, onOverBudget) => new SocketOutbox(socket, budgetBytes, onOverBudget) };
}
