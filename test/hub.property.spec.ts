// The hub under random interleavings, with a log that decides late (as Redis would): connects,
// name claims decided at random points, joins, parts, lines, renames, whispers, queries, drops,
// exits and a shutdown, across several connections and rooms.
//
// Each run is checked four ways:
// - against an oracle (helpers/chat-oracle.ts: PROTOCOL.md written a second time, plainly) fed the
//   same entries the hub decided: every connection read exactly the oracle's lines, in its order.
//   That covers one global order, nobody hearing a room they are not in (or from before they
//   joined it), exactly one notice per event per recipient, and history being the last N lines;
// - the same chat lines reach any two connections in the same relative order;
// - no line typed while a claim (or any command) was pending is lost, hang-up or not: each
//   reaches the log, in typed order;
// - determinism: the released entries replayed into a fresh state give identical deliveries.
import fc from 'fast-check';
import { Subject, VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { decideAll } from '../src/core/decide.ts';
import type { Delivery } from '../src/core/events.ts';
import { ChatState, type ChatConfig } from '../src/core/state.ts';
import type { Frame } from '../src/framing.ts';
import { createHub } from '../src/hub/hub.ts';
import { lineFrontEnd } from '../src/line/front-end.ts';
import { ChatOracle } from './helpers/chat-oracle.ts';
import { createDelayedLog } from './helpers/delayed-log.ts';

const CONNS = [1, 2, 3, 4] as const;
const CHAT: ChatConfig = { history: 3, replay: 2, maxRooms: 4, maxRoomsPerUser: 3 };

/** What a client may type; `%` is replaced by a number unique to the run, so each chat line is unique. */
const TYPED = [
  'Ann', 'ann', 'Bob', 'Cid', 'bad name', '', 'm%', 'm%', 'm%', 'm%', '/me a%', '/join #r1', '/join R1', '/join #r2', '/join r3',
  '/part', '/part #r1', '/part #lobby', '/nick Dan', '/nick ann', '/who', '/who #r1', '/rooms', '/history', '/history 2',
  '/msg Ann p%', '/msg nobody p%', 'exit',
] as const;

type Action =
  | { readonly kind: 'open'; readonly conn: number }
  | { readonly kind: 'type'; readonly conn: number; readonly pick: number }
  | { readonly kind: 'hangup'; readonly conn: number }
  | { readonly kind: 'release'; readonly count: number; readonly batch: boolean }
  | { readonly kind: 'shutdown' };

const conn = fc.constantFrom(...CONNS);
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 2, arbitrary: conn.map((c) => ({ kind: 'open', conn: c }) as const) },
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('type' as const), conn, pick: fc.nat(TYPED.length - 1) }) },
  { weight: 1, arbitrary: conn.map((c) => ({ kind: 'hangup', conn: c }) as const) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('release' as const), count: fc.integer({ min: 1, max: 5 }), batch: fc.boolean() }) },
);
const script = fc.tuple(fc.array(action, { minLength: 10, maxLength: 120, size: 'large' }), fc.boolean());

/** Lines a connection's own session writes (prompts, refusals it decides alone): not the chat's. */
const isLocal = (line: string): boolean =>
  line === 'Username?' ||
  line === '*** Server is shutting down' ||
  /^Goodbye( .*)?!$/u.test(line) ||
  /^\*\*\* (Invalid username|Usage|Unknown command|Line too long|Invalid room name)\b/u.test(line);

interface Run {
  readonly read: Map<string, string[]>;
  readonly oracle: ChatOracle;
  readonly typed: Map<string, string[]>;
  readonly open: Set<string>;
  readonly deliveries: Delivery[];
  readonly log: ReturnType<typeof createDelayedLog>;
}

export function play([actions, shutdownAtEnd]: [readonly Action[], boolean]): Run {
  const log = createDelayedLog('n1');
  const oracle = new ChatOracle(CHAT);
  // The oracle decides each entry as the hub does (subscribed first, so just before it).
  log.items$.subscribe((item) => item.kind === 'entry' && oracle.apply(item.entry));
  const hub = createHub(log, CHAT);
  const deliveries: Delivery[] = [];
  hub.deliveries$.subscribe((d) => deliveries.push(d));
  // rate 0: no flood control; the name timer is on a scheduler nobody advances.
  const front = lineFrontEnd(hub, { maxLineBytes: 4096, nameTimeoutMs: 60_000, rate: 0, burst: 1 }, new VirtualTimeScheduler());
  const inputs = new Map<string, Subject<Frame>>();
  const open = new Set<string>(); // attached: opened, not yet closed
  const hungUp = new Set<string>(); // the client's side ended (the server may still owe it lines)
  const read = new Map<string, string[]>();
  const typed = new Map<string, string[]>();
  let stopped = false;
  const release = (count: number, batch: boolean): void => log.release(count, batch);
  let unique = 0;
  // Each slot holds one connection at a time; `open` on a slot whose connection closed opens a new one.
  const generation = new Map<number, number>();
  const idOf = (slot: number): string => `n1/${slot}.${generation.get(slot) ?? 0}`;
  const opening: Action[] = CONNS.map((c) => ({ kind: 'open', conn: c }));
  for (const a of [...opening, ...actions]) {
    if (a.kind === 'release') {
      release(a.count, a.batch);
      continue;
    }
    if (stopped) continue;
    if (a.kind === 'open' && inputs.has(idOf(a.conn)) && !open.has(idOf(a.conn))) generation.set(a.conn, (generation.get(a.conn) ?? 0) + 1);
    const id = idOf(a.kind === 'shutdown' ? 0 : a.conn);
    switch (a.kind) {
      case 'open': {
        if (inputs.has(id)) break;
        const input = new Subject<Frame>();
        inputs.set(id, input);
        open.add(id);
        read.set(id, []);
        typed.set(id, []);
        front.connect({ id, frame$: input }).subscribe({
          next: (o) => void (o.kind === 'send' && read.get(id)!.push(o.line.text)),
          complete: () => open.delete(id),
        });
        break;
      }
      case 'type': {
        if (!open.has(id) || hungUp.has(id)) break;
        const text = TYPED[a.pick]!.replace('%', String(++unique));
        typed.get(id)!.push(text);
        inputs.get(id)!.next({ kind: 'line', text });
        break;
      }
      case 'hangup':
        if (!open.has(id) || hungUp.has(id)) break;
        hungUp.add(id);
        inputs.get(id)!.complete();
        break;
    }
  }
  if (shutdownAtEnd && !stopped) {
    stopped = true;
    hub.shutdown();
  }
  // Everything decided, including what held lines turn into once their claims are.
  while (log.pending() > 0) release(log.pending(), false);
  return { read, oracle, typed, open, deliveries, log };
}

/** The live `m<k>` chat lines a connection read, in order (each text is said once; replays left out). */
const chatLinesRead = (lines: readonly string[]): string[] =>
  lines.flatMap((l) => (/^\[\d\d:\d\d\] /u.test(l) ? [] : (/^(?:\[#\w+\] )?\(\w+\) (m\d+)$/u.exec(l)?.[1] ?? [])));

const stats = { lines: 0, entries: 0 };

describe('hub: random interleavings with claims and joins decided late', () => {
  it('should give every connection exactly what the oracle says, in one order, losing no pipelined line, deterministically', () => {
    fc.assert(
      fc.property(script, (s) => {
        const run = play(s);
        // 1. Each connection read exactly the oracle's lines (its own session's lines aside): all of
        //    them if it is still open, the ones decided before it closed if not.
        for (const [id, lines] of run.read) {
          const read = lines.filter((l) => !isLocal(l));
          const expected = run.oracle.lines.get(id) ?? [];
          expect(read, id).toEqual(run.open.has(id) ? expected : expected.slice(0, read.length));
        }
        // 2. Any two connections read common chat lines in the same relative order.
        const orders = [...run.read.values()].map(chatLinesRead);
        for (const a of orders) {
          for (const b of orders) {
            const common = a.filter((x) => b.includes(x));
            expect(b.filter((x) => common.includes(x))).toEqual(common);
          }
        }
        // 3. No line is lost: every connection's typed lines up to its `exit` reached the log, in
        //    order, even those typed while a claim or a command was outstanding and those followed
        //    by a hang-up (a held line became a name attempt or a chat line). A shutdown cuts short
        //    what was still held, by design: the server is going away.
        if (!s[1]) {
          for (const [id, typed] of run.typed) {
            const mine = run.log.released.flatMap((e) => e.intents).filter((i) => 'conn' in i && i.conn === id);
            const logged = mine.flatMap((i) => (i.kind === 'say' ? [i.text] : i.kind === 'claim' ? [i.name] : []));
            const untilExit = typed.includes('exit') ? typed.slice(0, typed.indexOf('exit')) : typed;
            expect(logged.filter((t) => /^m\d+$/u.test(t)), id).toEqual(untilExit.filter((t) => /^m\d+$/u.test(t)));
          }
        }
        stats.lines += [...run.read.values()].reduce((n, l) => n + l.length, 0);
        stats.entries += run.log.released.length;
        // 4. Determinism: a fresh state fed the same entries decides the same deliveries.
        const replayed = new ChatState(CHAT);
        expect(run.log.released.flatMap((e) => decideAll(replayed, e))).toEqual(run.deliveries);
      }),
      { numRuns: 300 },
    );
    // The runs did something: connections read lines and the log decided entries.
    expect(stats.lines).toBeGreaterThan(3000);
    expect(stats.entries).toBeGreaterThan(3000);
  });

  it('should decide the same whether entries come one by one or batched', () => {
    fc.assert(
      fc.property(script, (s) => {
        const run = play(s);
        const intents = run.log.released.flatMap((e) => e.intents);
        const single = new ChatState(CHAT);
        const one = intents.flatMap((intent, i) => decideAll(single, { node: 'n1', seq: i + 1, at: 0, intents: [intent] }));
        const batched = new ChatState(CHAT);
        const all = decideAll(batched, { node: 'n1', seq: 1, at: 0, intents });
        expect(JSON.stringify(all.map((d) => d.event))).toEqual(JSON.stringify(one.map((d) => d.event)));
        const { users, rooms } = single.snapshot();
        expect(batched.snapshot()).toMatchObject({ users, rooms });
      }),
      { numRuns: 100 },
    );
  });
});
