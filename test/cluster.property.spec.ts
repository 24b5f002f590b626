// Property tests of what state-machine replication rests on (PROTOCOL.md "Clusters", issue #11):
// - the reducer is deterministic and idempotent under duplicated or retried batches: a log with
//   copies of batches anywhere after the first (a retried XADD that had landed, a frozen Redis
//   running an abandoned XADD on waking) decides exactly what the log without them decides;
// - any interleaving of several nodes' batches gives every node the same events: replicas that
//   start from a snapshot taken at any point (and restored from its JSON) decide the rest of the
//   log exactly as a replica that read it all; each node's lines come out in the order it sent them;
// - a node's append bookkeeping (redis-appends.ts) against a model Redis that acknowledges, fails,
//   runs an XADD whose reply was lost, and loses unread entries: every line is decided exactly once
//   or answered undelivered, never both, never neither, in the order appended; a leave is never
//   undelivered;
// - the stream entry codec: encode → decode is the identity, and any fields decode or are refused
//   without throwing.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decide } from '../src/core/decide.ts';
import type { Delivery } from '../src/core/events.ts';
import type { Intent, LogEntry } from '../src/core/intents.ts';
import { ChatState, type ChatConfig } from '../src/core/state.ts';
import { Appends } from '../src/drivers/redis-appends.ts';
import { decodeEntry, encodeBatch } from '../src/drivers/redis-entry.ts';

const CONFIG: ChatConfig = { history: 5, replay: 3, maxRooms: 4, maxRoomsPerUser: 3 };
const NODES = ['a', 'b', 'c'] as const;

// ---- Arbitraries -------------------------------------------------------------------------------

const name = fc.constantFrom('Ann', 'Bob', 'Cyd', 'ann', 'Dee');
const room = fc.constantFrom('#lobby', '#rust', '#Rust', '#go', '#x');
const text = fc.constantFrom('hi', 'yo', 'a b', '');
/** One intent a user on `node` could send, over a few connections of that node. */
const userIntent = (node: string): fc.Arbitrary<Intent> => {
  const conn = fc.constantFrom(`${node}/1`, `${node}/2`);
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('claim' as const), conn, name, lobby: fc.boolean() }) },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('say' as const), conn, room: fc.option(room, { nil: null }), text, style: fc.constantFrom('chat' as const, 'action' as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('msg' as const), conn, to: name, text, style: fc.constant('chat' as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('rename' as const), conn, name }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('join' as const), conn, room }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('part' as const), conn, room: fc.option(room, { nil: null }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('who' as const), conn }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('history' as const), conn, count: fc.option(fc.integer({ min: 1, max: 9 }), { nil: null }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('leave' as const), conn, reason: fc.constantFrom('quit' as const, 'dropped' as const, 'too-slow' as const) }) },
  );
};
const nodeIntent = (node: string): fc.Arbitrary<Intent> =>
  fc.oneof(
    { weight: 80, arbitrary: userIntent(node) },
    { weight: 1, arbitrary: fc.constant<Intent>({ kind: 'shutdown' }) },
    { weight: 1, arbitrary: fc.constantFrom(...NODES).map((n): Intent => ({ kind: 'node-gone', node: n })) },
  );

/** Each node's batches (its seq from 1), merged in a random order: one log, as the stream orders it. */
const batchesOf = (node: string): fc.Arbitrary<Intent[][]> => fc.array(fc.array(nodeIntent(node), { minLength: 1, maxLength: 3 }), { minLength: 2, maxLength: 14 });
const interleavedLog: fc.Arbitrary<LogEntry[]> = fc
  .tuple(batchesOf('a'), batchesOf('b'), batchesOf('c'), fc.array(fc.nat(), { minLength: 10, maxLength: 40 }))
  .map(([a, b, c, picks]) => {
    // Each node's connections first claim names (the random claims then race for a few shared ones).
    const opening = (node: string): Intent[] => [1, 2].map((n): Intent => ({ kind: 'claim', conn: `${node}/${n}`, name: `${node.toUpperCase()}${n}`, lobby: true }));
    const queues = [a, b, c].map((batches, k) =>
      [opening(NODES[k] as string), ...batches].map((intents, i): LogEntry => ({ node: NODES[k] as string, seq: i + 1, at: 0, intents })),
    );
    const log: LogEntry[] = [];
    let p = 0;
    while (queues.some((q) => q.length > 0)) {
      const open = queues.filter((q) => q.length > 0);
      const q = open[(picks[p++] ?? 0) % open.length] as LogEntry[];
      log.push(q.shift() as LogEntry);
    }
    return log.map((e, i) => ({ ...e, at: 1_700_000_000_000 + i * 1000 }));
  });

/** The log with copies of some batches inserted anywhere after their first landing (retries). */
const withRetries = (log: LogEntry[]): fc.Arbitrary<LogEntry[]> =>
  fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 10 }).map((copies) => {
    const out = [...log];
    for (const [which, where] of copies) {
      if (log.length === 0) break;
      const entry = log[which % log.length] as LogEntry;
      const first = out.indexOf(entry);
      const at = first + 1 + (where % (out.length - first));
      out.splice(at, 0, { ...entry, at: entry.at + 7 });
    }
    return out;
  });

const decideLog = (log: readonly LogEntry[], state = new ChatState(CONFIG)): { deliveries: Delivery[][]; state: ChatState } => {
  const deliveries = log.map((entry) => {
    const out: Delivery[] = [];
    decide(state, entry, (d) => out.push(d));
    return out;
  });
  return { deliveries, state };
};
const flat = (d: Delivery[][]): Delivery[] => d.flat();

// ---- The reducer -------------------------------------------------------------------------------

describe('the reducer under replication', () => {
  test('deterministic: the same log decides the same deliveries and state twice', () => {
    fc.assert(
      fc.property(interleavedLog, (log) => {
        const one = decideLog(log);
        const two = decideLog(log);
        expect(two.deliveries).toEqual(one.deliveries);
        expect(two.state.snapshot()).toEqual(one.state.snapshot());
      }),
      { numRuns: 300 },
    );
  });

  test('idempotent under duplicated or retried batches: copies change nothing', () => {
    fc.assert(
      fc.property(interleavedLog.chain((log) => fc.tuple(fc.constant(log), withRetries(log))), ([log, retried]) => {
        const plain = decideLog(log);
        const copied = decideLog(retried);
        expect(flat(copied.deliveries)).toEqual(flat(plain.deliveries));
        expect(copied.state.snapshot()).toEqual(plain.state.snapshot());
      }),
      { numRuns: 300 },
    );
  });

  test('every replica decides the same events, whichever snapshot it started from', () => {
    fc.assert(
      fc.property(
        interleavedLog.chain((log) => fc.tuple(fc.constant(log), withRetries(log), fc.array(fc.nat(), { minLength: 1, maxLength: 3 }))),
        ([, log, cuts]) => {
          const whole = decideLog(log);
          for (const raw of cuts) {
            const cut = raw % (log.length + 1);
            const prefix = decideLog(log.slice(0, cut));
            // The snapshot goes through JSON, as it does through Redis.
            const restored = ChatState.restore(JSON.parse(JSON.stringify(prefix.state.snapshot())), CONFIG);
            const rest = decideLog(log.slice(cut), restored);
            expect(rest.deliveries).toEqual(whole.deliveries.slice(cut));
            expect(rest.state.snapshot()).toEqual(whole.state.snapshot());
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  test("any interleaving keeps each node's lines in the order it sent them, each decided once", () => {
    // Every line gets its own text, `<node>.<seq>.<k>`, before copies of batches are added.
    const labelled = interleavedLog.map((log) =>
      log.map((e) => ({ ...e, intents: e.intents.map((intent, k): Intent => (intent.kind === 'say' ? { ...intent, text: `${e.node}.${e.seq}.${k}` } : intent)) })),
    );
    fc.assert(
      fc.property(labelled.chain((log) => fc.tuple(fc.constant(log), withRetries(log))), ([log, retried]) => {
        const said = flat(decideLog(retried).deliveries).flatMap((d) => (d.event.kind === 'said' ? [d.event.text] : []));
        expect(new Set(said).size).toBe(said.length);
        for (const node of NODES) {
          const mine = said.filter((t) => t.startsWith(`${node}.`)).map((t) => t.split('.').slice(1).map(Number) as [number, number]);
          const sorted = [...mine].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
          expect(mine).toEqual(sorted);
        }
        expect(said.length).toBe(flat(decideLog(log).deliveries).filter((d) => d.event.kind === 'said').length);
      }),
      { numRuns: 200 },
    );
  });
});

// ---- A node's appends against a model Redis -----------------------------------------------------

type Op =
  | { readonly kind: 'append'; readonly leave: boolean }
  | { readonly kind: 'start' }
  /** The XADD's outcome: acknowledged; failed, not run; refused by Redis (certainly not run); ran but the reply was lost. */
  | { readonly kind: 'finish'; readonly outcome: 'ok' | 'fail' | 'refused' | 'landed-but-failed' }
  | { readonly kind: 'read-issue' }
  | { readonly kind: 'read-complete'; readonly n: number }
  | { readonly kind: 'lose-unread' }
  | { readonly kind: 'wait-long' }
  /** This node reads its own node-gone: the reducer ignores everything it appends from here on. */
  | { readonly kind: 'fenced' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 9 }).map((k): Op => ({ kind: 'append', leave: k === 0 })) },
  { weight: 4, arbitrary: fc.constant<Op>({ kind: 'start' }) },
  {
    weight: 4,
    arbitrary: fc.constantFrom<Op>(
      { kind: 'finish', outcome: 'ok' },
      { kind: 'finish', outcome: 'ok' },
      { kind: 'finish', outcome: 'fail' },
      { kind: 'finish', outcome: 'refused' },
      { kind: 'finish', outcome: 'landed-but-failed' },
    ),
  },
  { weight: 3, arbitrary: fc.constant<Op>({ kind: 'read-issue' }) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 4 }).map((n): Op => ({ kind: 'read-complete', n })) },
  { weight: 1, arbitrary: fc.constant<Op>({ kind: 'lose-unread' }) },
  { weight: 1, arbitrary: fc.constant<Op>({ kind: 'wait-long' }) },
  { weight: 1, arbitrary: fc.constant<Op>({ kind: 'fenced' }) },
);

describe("a node's appends (redis-appends.ts) against a model Redis", () => {
  test('every line is decided exactly once or answered undelivered, in order; leaves always land', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 40, maxLength: 160 }), fc.integer({ min: 1, max: 6 }), (ops, maxHeldPerConn) => {
        const appends = new Appends({ maxHeld: 12, maxHeldBytes: 1 << 20, maxHeldPerConn, holdMs: 100, maxBatch: 3, maxBatchBytes: 1 << 20 });
        const stream: { seq: number; intents: readonly Intent[] }[] = [];
        let readPos = 0;
        let lastDecided = 0;
        let rounds = 0;
        let outstanding: number | null = null;
        let fenced = false;
        let sending: ReturnType<Appends['next']> = null;
        let now = 0;
        let n = 0;
        const appended: string[] = [];
        const decided: string[] = [];
        const undelivered: string[] = [];
        const label = (i: Intent): string => (i.kind === 'say' ? i.text : i.kind === 'leave' ? `leave:${i.conn}` : i.kind);
        const refuse = (intents: Intent[]): void => void undelivered.push(...intents.map(label));
        const read = (max: number): void => {
          const round = outstanding ?? ++rounds;
          outstanding = null;
          let got = 0;
          while (readPos < stream.length && got < max) {
            const entry = stream[readPos++] as (typeof stream)[number];
            got++;
            if (!fenced && entry.seq > lastDecided) {
              lastDecided = entry.seq;
              decided.push(...entry.intents.map(label));
            }
            refuse(appends.readBack(entry.seq).undelivered);
          }
          if (got < max) appends.roundEnded(round);
        };
        const step = (o: Op): void => {
          switch (o.kind) {
            case 'append': {
              const conn = `a/${n % 2}`;
              const intent: Intent = o.leave ? { kind: 'leave', conn: `a/x${n}`, reason: 'dropped' } : { kind: 'say', conn, room: null, text: `t${n}`, style: 'chat' };
              n++;
              appended.push(label(intent));
              if (!appends.hold(intent, now)) refuse([intent]);
              return;
            }
            case 'start':
              sending ??= appends.next();
              return;
            case 'finish': {
              if (sending === null) return;
              const batch = sending;
              sending = null;
              if (o.outcome === 'ok' || o.outcome === 'landed-but-failed') stream.push({ seq: batch.seq, intents: batch.intents });
              refuse(o.outcome === 'ok' ? appends.sent(batch, rounds) : appends.failed(batch, o.outcome === 'refused', now));
              return;
            }
            case 'read-issue':
              outstanding ??= ++rounds;
              return;
            case 'read-complete':
              if (outstanding !== null) read(o.n);
              return;
            case 'lose-unread':
              stream.splice(readPos);
              return;
            case 'wait-long':
              now += 101;
              refuse(appends.expire(now));
              return;
            case 'fenced':
              // Read in order: the node-gone is read now, after everything read so far.
              if (!fenced) refuse(appends.fence());
              fenced = true;
              return;
          }
        };
        for (const o of ops) {
          step(o);
          // What the node still owes an answer for: held, or sent and not yet read back.
          const owed = appended.filter((l) => !decided.includes(l) && !undelivered.includes(l)).length;
          expect(appends.held()).toBe(fenced ? 0 : owed);
        }
        // Redis behaves from now on: everything held goes out and is read back.
        for (let guard = 0; guard < 500 && (appends.held() > 0 || sending !== null || readPos < stream.length); guard++) {
          step({ kind: 'start' });
          step({ kind: 'finish', outcome: 'ok' });
          outstanding = null;
          read(Number.POSITIVE_INFINITY);
        }
        expect(appends.held()).toBe(0);
        // Exactly once, or undelivered; never both; never neither; in order; leaves always decided.
        expect(new Set(decided).size).toBe(decided.length);
        for (const line of appended) {
          const d = decided.includes(line);
          const u = undelivered.includes(line);
          // A fenced node's control intents are dropped (the reducer ignores them); anything else is answered.
          if (fenced && line.startsWith('leave:')) expect(d && u).toBe(false);
          else expect(d !== u, `${line}: decided ${d}, undelivered ${u}`).toBe(true);
          if (line.startsWith('leave:') && !fenced) expect(d).toBe(true);
        }
        const says = decided.filter((l) => l.startsWith('t')).map((l) => Number(l.slice(1)));
        expect(says).toEqual([...says].sort((x, y) => x - y));
      }),
      { numRuns: 500 },
    );
  });
});

// ---- The entry codec ---------------------------------------------------------------------------

describe('the stream entry codec', () => {
  test('encode then decode gives the batch back, its time from the id', () => {
    fc.assert(
      fc.property(fc.constantFrom(...NODES), fc.integer({ min: 1, max: 1e9 }), fc.array(nodeIntent('a'), { maxLength: 5 }), fc.nat({ max: 4e12 }), (node, seq, intents, ms) => {
        const decoded = decodeEntry(`${ms}-3`, encodeBatch(node, seq, intents));
        expect(decoded).toEqual({ ok: true, entry: { node, seq, at: ms, intents } });
      }),
    );
  });

  test('any fields decode or are refused with a reason, never a throw', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.oneof(fc.string(), fc.json(), fc.constantFrom('v', '1', 'n', 's', 'i', '[{"kind":"say"}]'))), (id, fields) => {
        const decoded = decodeEntry(id, fields);
        if (!decoded.ok) expect(decoded.reason.length).toBeGreaterThan(0);
      }),
    );
    expect(decodeEntry('1-0', ['v', '1', 'n', 'a', 's', '1', 'i', '[{"kind":"say","conn":"a/1"}]'])).toMatchObject({ ok: false });
    expect(decodeEntry('1-0', ['v', '2', 'n', 'a', 's', '1', 'i', '[]'])).toMatchObject({ ok: false, reason: expect.stringMatching(/format/) });
    expect(decodeEntry('1-0', ['v', '1', 'n', 'a', 's', '0', 'i', '[]'])).toMatchObject({ ok: false });
  });
});
