// A scheduler that holds its work until told: for tests that hold the bus's broadcast batches
// back (as the listener does until its next flush) and look at what clients have meanwhile.
import { Subscription, type SchedulerAction, type SchedulerLike } from 'rxjs';

/** A scheduler whose work waits until `run()` (delays ignored: nothing here uses them). */
export class HeldScheduler implements SchedulerLike {
  #work: (() => void)[] = [];
  now(): number {
    return 0;
  }
  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, _delay?: number, state?: T): Subscription {
    const action = new Subscription() as Subscription & SchedulerAction<T>;
    action.schedule = () => {
      throw new Error('not used');
    };
    this.#work.push(() => {
      if (!action.closed) work.call(action, state);
    });
    return action;
  }
  get waiting(): number {
    return this.#work.length;
  }
  run(): void {
    while (this.#work.length > 0) {
      const work = this.#work;
      this.#work = [];
      for (const w of work) w();
    }
  }
}

