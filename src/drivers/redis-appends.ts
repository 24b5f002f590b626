// What a node holds on its way into the log, and the fate of every intent: each reaches the log
// once, or is handed back as undelivered (its sender is told `*** Not delivered`). Pure: no I/O,
// no clock (times are passed in), so its rules are tested directly (test/cluster-appends.spec.ts).
//
//   append ─▶ held (bounded, oldest first) ─▶ batch (seq n) ─XADD─▶ acked ─read back─▶ done
//                 │ held too long, or full          │ failed: same batch, same seq, again
//                 └────────▶ undelivered ◀──────────┘ only once it can no longer be decided
//
// - A batch is sent with at most one XADD in flight, and a failed XADD is retried with the same
//   batch and sequence number: if the failed try did land, the reducer ignores the copy. A batch is
//   never given up while one of its XADDs may have run; it is done when the node reads it back.
//   A batch none of whose tries can have run (never sent, or refused by Redis) is given up like a
//   held intent, after `holdMs`; its sequence number is skipped (the reducer allows gaps).
// - A batch the node has not read back when a later batch of its own is read can never be decided
//   (the reducer ignores sequence numbers below the last): its intents are undelivered.
// - A batch acknowledged by Redis but not found by a read that began after the acknowledgement and
//   reached the end of the log was lost by Redis: it is sent again (same seq).
// - Held intents (not yet in a batch) are bounded (count, bytes, per connection) and wait at most
//   `holdMs`; past either, they are undelivered. Control intents (leave, shutdown, node-gone) are
//   always kept: they are what keeps every node's users true.
import type { ConnId, Intent } from '../core/intents.ts';
import { isControl } from './redis-entry.ts';

export interface AppendLimits {
  /** Intents held and in batches not yet read back, at most. */
  readonly maxHeld: number;
  /** Bytes (roughly: text length + overhead) held, at most. */
  readonly maxHeldBytes: number;
  /** Intents one connection may have held (not yet in a batch). */
  readonly maxHeldPerConn: number;
  /** How long an intent may wait for the log before it is undelivered, in ms. */
  readonly holdMs: number;
  /** Intents in one batch, at most. */
  readonly maxBatch: number;
  /** Bytes in one batch, at most (one intent always fits). */
  readonly maxBatchBytes: number;
}

export const APPEND_DEFAULTS: Omit<AppendLimits, 'holdMs'> = Object.freeze({
  maxHeld: 20_000,
  maxHeldBytes: 16 * 1024 * 1024,
  maxHeldPerConn: 200,
  maxBatch: 1000,
  maxBatchBytes: 1024 * 1024,
});

export interface Batch {
  readonly seq: number;
  readonly intents: readonly Intent[];
  /** When its oldest intent was appended. */
  readonly firstAt: number;
  state: 'queued' | 'sending' | 'acked';
  /** Reads begun when Redis acknowledged it (see `roundEnded`). */
  ackRound: number;
  /** Read back while its XADD was still out. */
  readBack: boolean;
  /** A later batch was read back while its XADD was still out: it can no longer be decided. */
  doomed: boolean;
  /** An XADD of it failed in a way that leaves open whether it ran (it may be in the log). */
  maybeLanded: boolean;
}

interface Held {
  readonly intent: Intent;
  readonly at: number;
  readonly bytes: number;
}

/** About how many bytes an intent takes in a batch. */
export function intentBytes(intent: Intent): number {
  return 80 + ('text' in intent ? intent.text.length * 3 : 0) + ('name' in intent ? intent.name.length : 0);
}

const connOf = (intent: Intent): ConnId | null => ('conn' in intent ? intent.conn : null);

export class Appends {
  #held: Held[] = [];
  #heldBytes = 0;
  #perConn = new Map<ConnId, number>();
  #batches: Batch[] = [];
  #inBatches = 0;
  #nextSeq = 1;
  #highestRead = 0;
  #fenced = false;
  /** Since when every try has certainly failed (none ran), or null: the log is known out of reach. */
  #failingSince: number | null = null;

  constructor(readonly limits: AppendLimits) {}

  /** Holds an intent for the next batch; false when it is refused (the caller reports it undelivered). */
  hold(intent: Intent, now: number): boolean {
    if (this.#fenced) return false;
    const bytes = intentBytes(intent);
    const conn = connOf(intent);
    if (!isControl(intent)) {
      const mine = conn === null ? 0 : (this.#perConn.get(conn) ?? 0);
      if (this.held() >= this.limits.maxHeld || this.#heldBytes + bytes > this.limits.maxHeldBytes || mine >= this.limits.maxHeldPerConn) {
        return false;
      }
    }
    this.#push({ intent, at: now, bytes });
    return true;
  }

  /**
   * The batch to send now, marked as being sent: the lowest batch waiting to be (re)sent, else a
   * new one from what is held. Null when there is nothing, or when a batch is already being sent.
   */
  next(): Batch | null {
    if (this.#fenced || this.#batches.some((b) => b.state === 'sending')) return null;
    let batch = this.#batches.find((b) => b.state === 'queued');
    if (batch === undefined) {
      if (this.#held.length === 0) return null;
      batch = this.#form();
    }
    batch.state = 'sending';
    return batch;
  }

  /** Redis acknowledged the batch's XADD while `round` reads had begun. Returns intents now undelivered. */
  sent(batch: Batch, round: number): Intent[] {
    this.#failingSince = null;
    if (!this.#batches.includes(batch)) return []; // dropped by fence()
    if (batch.readBack) {
      this.#remove(batch);
      return [];
    }
    if (batch.doomed) return this.#undeliver(batch);
    batch.state = 'acked';
    batch.ackRound = round;
    return [];
  }

  /**
   * The batch's XADD failed: it is sent again, unless already settled. `certain` says this try
   * certainly did not run (never sent, or refused by Redis); a batch no try of which may have run
   * is certainly not in the log, so once it has waited `holdMs` (`now`) it is undelivered.
   */
  failed(batch: Batch, certain = false, now = 0): Intent[] {
    if (certain) this.#failingSince ??= now;
    else this.#failingSince = null;
    if (!this.#batches.includes(batch)) return []; // dropped by fence()
    if (batch.readBack) {
      this.#remove(batch);
      return [];
    }
    if (batch.doomed) return this.#undeliver(batch);
    if (!certain) batch.maybeLanded = true;
    // Waited long enough: itself, or the log has been out of reach longer than that already (a
    // user's next line is then answered at its first try, not a whole hold later).
    const since = Math.min(batch.firstAt, this.#failingSince ?? batch.firstAt);
    if (!batch.maybeLanded && now - since > this.limits.holdMs) return this.#undeliver(batch);
    batch.state = 'queued';
    return [];
  }

  /**
   * One of this node's entries, `seq`, was read (decided or ignored alike). Returns the batch it
   * confirms (if any, for latency) and the intents of earlier batches that can no longer be decided.
   */
  readBack(seq: number): { readonly confirmed: Batch | null; readonly undelivered: Intent[] } {
    if (seq <= this.#highestRead) return { confirmed: null, undelivered: [] }; // a retry's copy
    this.#highestRead = seq;
    let confirmed: Batch | null = null;
    const undelivered: Intent[] = [];
    for (const batch of [...this.#batches]) {
      if (batch.seq > seq) break;
      if (batch.seq === seq) {
        confirmed = batch;
        if (batch.state === 'sending') this.#markReadBack(batch);
        else this.#remove(batch);
      } else if (batch.state === 'sending') {
        batch.doomed = true;
      } else {
        undelivered.push(...this.#undeliver(batch));
      }
    }
    return { confirmed, undelivered };
  }

  /**
   * Read `round` reached the end of the log. An acknowledged batch it should have found and did
   * not was lost by Redis: it waits to be sent again. Returns how many were.
   */
  roundEnded(round: number): number {
    let lost = 0;
    for (const batch of this.#batches) {
      if (batch.state === 'acked' && batch.ackRound < round) {
        batch.state = 'queued';
        lost++;
      }
    }
    return lost;
  }

  /** The node restarted from a snapshot in which its entries up to `seq` are decided. */
  restored(seq: number): void {
    for (const batch of [...this.#batches]) {
      if (batch.seq > seq) break;
      if (batch.state === 'sending') this.#markReadBack(batch);
      else this.#remove(batch);
    }
    if (seq > this.#highestRead) this.#highestRead = seq;
  }

  /** Intents held longer than `holdMs` (not yet in a batch): undelivered, oldest first. */
  expire(now: number): Intent[] {
    const out: Intent[] = [];
    const kept: Held[] = [];
    for (const held of this.#held) {
      if (now - held.at > this.limits.holdMs && !isControl(held.intent)) {
        this.#forget(held);
        out.push(held.intent);
      } else {
        kept.push(held);
      }
    }
    this.#held = kept;
    return out;
  }

  /** The node was declared gone: nothing it holds or sent unread will be decided. Returns those intents. */
  fence(): Intent[] {
    this.#fenced = true;
    // A batch read back (its XADD reply not yet in) was decided: only the others are undelivered.
    const unread = this.#batches.filter((b) => !b.readBack).flatMap((b) => b.intents);
    const out = [...unread, ...this.#held.map((h) => h.intent)].filter((i) => !isControl(i));
    this.#batches = [];
    this.#inBatches = 0;
    this.#held = [];
    this.#heldBytes = 0;
    this.#perConn.clear();
    return out;
  }

  /** Intents held or in batches not yet read back (what the node still owes an answer for). */
  held(): number {
    return this.#held.length + this.#inBatches;
  }

  /** Nothing waits to be sent (batches not yet read back may remain). */
  idle(): boolean {
    return this.#held.length === 0 && this.#batches.every((b) => b.state === 'acked');
  }

  /** The batches not yet read back (tests, logs). */
  batches(): readonly Batch[] {
    return this.#batches;
  }

  #push(held: Held, front = false): void {
    if (front) this.#held.unshift(held);
    else this.#held.push(held);
    this.#heldBytes += held.bytes;
    const conn = connOf(held.intent);
    if (conn !== null) this.#perConn.set(conn, (this.#perConn.get(conn) ?? 0) + 1);
  }

  #forget(held: Held): void {
    this.#heldBytes -= held.bytes;
    const conn = connOf(held.intent);
    if (conn === null) return;
    const n = (this.#perConn.get(conn) ?? 1) - 1;
    if (n <= 0) this.#perConn.delete(conn);
    else this.#perConn.set(conn, n);
  }

  #form(): Batch {
    const intents: Intent[] = [];
    let bytes = 0;
    let firstAt = Number.POSITIVE_INFINITY;
    let taken = 0;
    for (const held of this.#held) {
      if (intents.length >= this.limits.maxBatch || (intents.length > 0 && bytes + held.bytes > this.limits.maxBatchBytes)) break;
      intents.push(held.intent);
      bytes += held.bytes;
      firstAt = Math.min(firstAt, held.at);
      this.#forget(held);
      taken++;
    }
    this.#held = this.#held.slice(taken);
    const batch: Batch = { seq: this.#nextSeq++, intents, firstAt, state: 'queued', ackRound: 0, readBack: false, doomed: false, maybeLanded: false };
    this.#batches.push(batch);
    this.#inBatches += intents.length;
    return batch;
  }

  /** Read back while its XADD is still out: settled (no longer held), removed when the XADD settles. */
  #markReadBack(batch: Batch): void {
    if (batch.readBack) return;
    batch.readBack = true;
    this.#inBatches -= batch.intents.length;
  }

  #remove(batch: Batch): void {
    const i = this.#batches.indexOf(batch);
    if (i < 0) return;
    this.#batches.splice(i, 1);
    if (!batch.readBack) this.#inBatches -= batch.intents.length;
  }

  /** A batch that will never be decided: its intents are undelivered, its control intents held again. */
  #undeliver(batch: Batch): Intent[] {
    this.#remove(batch);
    const control = batch.intents.filter(isControl);
    for (let i = control.length - 1; i >= 0; i--) this.#push({ intent: control[i] as Intent, at: batch.firstAt, bytes: intentBytes(control[i] as Intent) }, true);
    return batch.intents.filter((intent) => !isControl(intent));
  }
}
