// What one client saw (after its welcome, or in its room), folded into constant space: counts and
// order hashes.
//
// Three fingerprints (two 32-bit hashes each, so a collision needs both to collide):
//   all  — every event (join notices and chat lines), in order;
//   tail — every event but the first, which lets the coordinator chain clients together
//          (see bench/verify.ts): c's tail must equal the `all` of the client whose join c saw first;
//   chat — the chat lines alone: every client must end with the same one.
import type { ClientSummary, RoomSummary, Sequence } from './messages.ts';
import { HASH_SEED_A, HASH_SEED_B, chatCode, joinCode, stepA, stepB } from './protocol.ts';

export class OrderFingerprint {
  events = 0;
  joins = 0;
  /** The client whose join notice came first; -1 if the first event was not a join (or none came). */
  firstJoin = -1;
  #allA = HASH_SEED_A;
  #allB = HASH_SEED_B;
  #tailA = HASH_SEED_A;
  #tailB = HASH_SEED_B;
  #chatA = HASH_SEED_A;
  #chatB = HASH_SEED_B;

  /** A join notice for client `g`. */
  join(g: number): void {
    if (this.events === 0) this.firstJoin = g;
    this.#event(joinCode(g));
    this.joins++;
  }

  /** Chat line `seq` of sender `sender`. */
  chat(sender: number, seq: number): void {
    const code = chatCode(sender, seq);
    this.#event(code);
    this.#chatA = stepA(this.#chatA, code);
    this.#chatB = stepB(this.#chatB, code);
  }

  summary(g: number, welcomed: boolean, chatComplete: boolean, room: RoomSummary | null = null): ClientSummary {
    return { g, welcomed, chatComplete, room, ...this.sequence() };
  }

  sequence(): Sequence {
    return {
      firstJoin: this.firstJoin,
      events: this.events,
      joins: this.joins,
      all: [this.#allA, this.#allB],
      tail: [this.#tailA, this.#tailB],
      chat: [this.#chatA, this.#chatB],
    };
  }

  #event(code: number): void {
    if (this.events > 0) {
      this.#tailA = stepA(this.#tailA, code);
      this.#tailB = stepB(this.#tailB, code);
    }
    this.#allA = stepA(this.#allA, code);
    this.#allB = stepB(this.#allB, code);
    this.events++;
  }
}
