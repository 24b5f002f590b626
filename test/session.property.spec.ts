// Properties of the session actors and the room, over random interleavings of many clients.
//
// Whatever clients connect, type, overflow or drop, in any order:
// - the room's event log is the one global order, and each client's room lines are exactly its
//   slice of that log: nothing from before it joined, nothing after it left, nothing reordered
//   (room lines are told apart by identity: a broadcast is one WireLine object shared by all);
// - each user is announced joined once and left once, and names are unique case-insensitively;
// - `Goodbye …!` is the last line a client gets, and when everyone is gone the roster is empty.
// Broadcast batches are held back and handed out only at random `flush` points (as the listener
// does at its flushes), so these properties also hold however the lines are batched.
import fc from 'fast-check';
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { TOO_LONG, type Frame } from '../src/framing.ts';
import type { RoomEvent } from '../src/protocol/events.ts';
import type { WireLine } from '../src/protocol/wire-line.ts';
import { createChatServer } from '../src/server.ts';
import { HeldScheduler } from './helpers/held-scheduler.ts';

type Action =
  | { readonly kind: 'connect' }
  | { readonly kind: 'line'; readonly who: number; readonly text: string }
  | { readonly kind: 'too-long'; readonly who: number }
  | { readonly kind: 'drop'; readonly who: number }
  | { readonly kind: 'flush' };

/** Names: mostly distinct, some colliding by case (ann/ANN, ß/SS), one invalid. */
const NAMES = ['ann', 'bob', 'cy', 'dee', 'ANN', 'ß', 'SS', 'bad name'];
/** What chatting users type: chat, commands naming the users above, and rarer ways out. */
const CHAT = [
  'hi', '', '  ', '(ann) fake', '*** bob joined the chat', '\u001b[1mbold', '/who', '/me waves', '/msg ann hi',
  '/msg BOB hey', '/msg cy x', '/msg nobody x', '/nick ann', '/nick SS', '/nick eve', '/nick bad name', '/help', '/x',
];
const text = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...CHAT) },
  { weight: 2, arbitrary: fc.constantFrom(...NAMES) },
  { weight: 1, arbitrary: fc.constantFrom('exit', '/quit', 'x'.repeat(25)) },
);

const body: fc.Arbitrary<Action> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<Action>({ kind: 'connect' }) },
  { weight: 12, arbitrary: fc.record({ kind: fc.constant('line' as const), who: fc.nat(), text }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('too-long' as const), who: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), who: fc.nat() }) },
  { weight: 3, arbitrary: fc.constant<Action>({ kind: 'flush' }) },
);

/** A few clients connect and name themselves, then anything happens, in any order. */
const scenario: fc.Arbitrary<Action[]> = fc
  .tuple(fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 5 }), fc.array(body, { maxLength: 50 }))
  .map(([names, rest]) => [
    ...names.flatMap((name, i): Action[] => [{ kind: 'connect' }, { kind: 'line', who: i, text: name }]),
    ...rest,
  ]);

interface Client {
  readonly id: number;
  readonly input: Subject<Frame>;
  readonly lines: string[];
  readonly wires: WireLine[];
  closed: boolean;
}

/** Plays the actions against a fresh server; at the end every remaining client drops. */
function play(actions: readonly Action[]): { log: RoomEvent[]; clients: Client[]; rosterSize: number } {
  const output = new HeldScheduler();
  const chat = createChatServer({ maxLineBytes: 64, nameTimeoutMs: 60_000, rate: 0, burst: 1 }, { outputScheduler: output });
  const log: RoomEvent[] = [];
  chat.bus.events$.subscribe((event) => log.push(event));
  const clients: Client[] = [];
  const pick = (who: number): Client | undefined => (clients.length === 0 ? undefined : clients[who % clients.length]);
  for (const a of actions) {
    if (a.kind === 'flush') {
      output.run();
      continue;
    }
    if (a.kind === 'connect') {
      const client: Client = { id: clients.length + 1, input: new Subject<Frame>(), lines: [], wires: [], closed: false };
      clients.push(client);
      chat.connect({ id: client.id, frame$: client.input }).subscribe({
        next: (output) => {
          const wires = output.kind === 'send' ? [output.line] : output.kind === 'broadcast' ? output.batch.lines : [];
          for (const wire of wires) {
            client.lines.push(wire.text);
            client.wires.push(wire);
          }
        },
        complete: () => {
          client.closed = true;
        },
      });
      continue;
    }
    const client = pick(a.who);
    if (client === undefined || client.closed) continue;
    if (a.kind === 'line') client.input.next({ kind: 'line', text: a.text });
    else if (a.kind === 'too-long') client.input.next(TOO_LONG);
    else client.input.complete();
  }
  for (const client of clients) client.input.complete();
  output.run();
  return { log, clients, rosterSize: chat.bus.roster.size };
}

/** The lines a room event puts on the wire, and for whom (the welcome is the start, not counted). */
function roomLines(e: RoomEvent, id: number): WireLine[] {
  switch (e.kind) {
    case 'said':
    case 'renamed':
      return [e.kind === 'said' ? e.line : e.notice];
    case 'joined':
    case 'left':
      return e.id === id ? [] : [e.notice];
    case 'whispered':
      return e.from === id || e.to === id ? [e.line] : [];
    case 'reply':
      return e.id === id ? [e.line] : [];
    case 'name-taken':
    case 'shutdown':
      return [];
  }
}

/** What a client should have seen of the room: its slice of the log, rendered for it. */
function expectedRoomLines(log: readonly RoomEvent[], id: number): WireLine[] {
  const joined = log.findIndex((e) => e.kind === 'joined' && e.id === id);
  if (joined === -1) return [];
  const left = log.findIndex((e) => e.kind === 'left' && e.id === id);
  return log.slice(joined + 1, left === -1 ? log.length : left).flatMap((e) => roomLines(e, id));
}

/** Every line object any room event carries (for telling room lines from direct replies). */
function allRoomLines(log: readonly RoomEvent[]): Set<WireLine> {
  const lines = new Set<WireLine>();
  for (const e of log) {
    if (e.kind === 'said' || e.kind === 'whispered' || e.kind === 'reply') lines.add(e.line);
    if (e.kind === 'joined' || e.kind === 'left' || e.kind === 'renamed') lines.add(e.notice);
  }
  return lines;
}

/** The test's own case folding (independent of the server's): ß, SS and ss are one name. */
const nameKey = (name: string): string => name.toUpperCase().toLowerCase();

describe('session and room properties', () => {
  it('every client sees exactly its slice of one global order', () => {
    fc.assert(
      fc.property(scenario, (actions) => {
        const { log, clients } = play(actions);
        const fromRoom = allRoomLines(log);
        for (const client of clients) {
          const received = client.wires.filter((w) => fromRoom.has(w));
          expect(received).toEqual(expectedRoomLines(log, client.id));
          const welcome = client.lines.findIndex((l) => l.startsWith('You are now connected, '));
          const firstRoomLine = client.wires.findIndex((w) => fromRoom.has(w));
          if (firstRoomLine !== -1) expect(welcome).toBeLessThan(firstRoomLine);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('each user joins once and leaves once; names are unique at every instant; all end closed', () => {
    fc.assert(
      fc.property(scenario, (actions) => {
        const { log, clients, rosterSize } = play(actions);
        const present = new Map<number, string>();
        const seen = new Set<number>();
        for (const event of log) {
          if (event.kind === 'renamed') {
            expect(present.has(event.id)).toBe(true);
            const others = [...present].filter(([id]) => id !== event.id).map(([, key]) => key);
            expect(others).not.toContain(nameKey(event.name));
            present.set(event.id, nameKey(event.name));
          } else if (event.kind === 'joined') {
            expect(seen.has(event.id)).toBe(false);
            expect([...present.values()]).not.toContain(nameKey(event.name));
            present.set(event.id, nameKey(event.name));
            seen.add(event.id);
          } else if (event.kind === 'left') {
            expect(present.has(event.id)).toBe(true);
            present.delete(event.id);
          } else if (event.kind === 'said') {
            expect(present.has(event.id)).toBe(true);
          }
        }
        expect(present.size).toBe(0);
        expect(rosterSize).toBe(0);
        for (const client of clients) {
          expect(client.closed).toBe(true);
          const goodbye = client.lines.findIndex((l) => /^Goodbye( .+)?!$/u.test(l));
          if (goodbye !== -1) expect(goodbye).toBe(client.lines.length - 1);
          expect(client.lines[0]).toBe('Username?');
        }
      }),
      { numRuns: 1000 },
    );
  });
});
