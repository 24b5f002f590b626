// Flush timing under a test's control, for the outbox specs: a turn ends when the test says so,
// the clock moves only when the test (or a fake write) moves it.
import type { FlushTiming } from '../../src/drivers/outbox.ts';

export class FakeTiming implements FlushTiming {
  time = 0;
  isBusy = false;
  #pending: (() => void)[] = [];
  soon(flush: () => void): void {
    this.#pending.push(flush);
  }
  now(): number {
    return this.time;
  }
  busy(): boolean {
    return this.isBusy;
  }
  /** How many end-of-turn callbacks wait. */
  get scheduled(): number {
    return this.#pending.length;
  }
  /** Ends the turn: runs what was scheduled for its end (not what that schedules in turn). */
  endTurn(): void {
    const due = this.#pending;
    this.#pending = [];
    for (const fn of due) fn();
  }
  /** Ends turns (time passing) until nothing is left to write. */
  drain(): void {
    for (let i = 0; i < 100 && this.#pending.length > 0; i++) {
      this.time += 200;
      this.endTurn();
    }
  }
}
