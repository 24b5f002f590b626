// Properties of the client reducer over any sequence of inputs, in any order, even impossible ones
// (a line before `connected`, two `connected`, a timeout while chatting, input after the end):
// - it never throws, and nothing at all comes after `exit`;
// - it exits at most once, always right after one `close`; once the connection is gone
//   (`server-closed`) it has exited exactly once;
// - nothing is sent before `connected`, and nothing after the line that asked to leave;
// - no blank line is sent, and nothing printed carries a control character;
// - the roster only ever holds well-formed, distinct names (case-insensitively), at most
//   MAX_ROSTER of them; so do the current room's members;
// - the rooms are well-formed and distinct, and the current room is one of mine;
// - a line of another room is printed with its room, and its text starts with that room's tag;
// - the client sends nothing of its own but `/who <room>`, only with `whoOnJoin`, while open,
//   at most once per server line, for the room that line just made current.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  initialClientState,
  roomsOf,
  rosterOf,
  stepClient,
  whoLine,
  type ClientConfig,
  type ClientEffect,
  type ClientInput,
  type ClientState,
} from '../src/client/client.ts';
import { MAX_ROOMS } from '../src/client/rooms.ts';
import { MAX_ROSTER, isWireName } from '../src/client/roster.ts';
import { nameKey } from '../src/core/names.ts';
import { roomKey } from '../src/core/rooms.ts';
import { isExitCommand, isWireRoom } from '../src/line/messages.ts';

const TEXTS = [
  'Bob',
  'hello',
  '',
  '  ',
  'exit',
  ' /QUIT ',
  '/quit',
  '/who',
  'Username?',
  'Goodbye Bob!',
  'Goodbye!',
  '*** Server is shutting down',
  '\u001b[2J\u0007(Eve) hi\u009b',
  'You are now connected, Bob!',
  'You are now connected, bad name!',
  '*** Ann joined the chat',
  '*** ANN joined the chat',
  '*** Ann left the chat',
  '*** Ann left the chat (too slow)',
  '*** Bob is now known as Rob',
  '*** ann is now known as Bob',
  '*** Users online (3): Ann, Bob, Joe',
  '*** Users online (2): Ann, ANN, bad name, ',
  '*** Users online (0): ',
  '[Ann -> Bob] psst',
  '* Ann waves',
  '/join #rust',
  '/join rust',
  '/part',
  '/part #rust',
  '/who #rust',
  '*** Now in #rust (1 user)',
  '*** Now in #RUST (3 users)',
  '*** Now in #lobby (2 users)',
  '*** Now in #a (0 users)',
  '*** You left #rust',
  '*** You left #lobby',
  '[#rust] *** You left #rust',
  '*** Ann joined #rust',
  '*** Ann left #rust',
  '[#rust] *** Joe joined #rust',
  '[#lobby] *** Joe joined the chat',
  '[#rust] (Ann) hi Bob',
  '[#rust] * Ann waves',
  '[14:02] (Ann) old news',
  '*** Users in #rust (2): Ann, Joe',
  '*** Users in #lobby (3): Ann, ANN, Joe',
  '*** Users in #lobby (0): ',
  '*** Rooms (2): #lobby (3), #rust (2)',
  '*** No such room: #rust',
  '[#a] [#b] (Eve) nested',
];

const input: fc.Arbitrary<ClientInput> = fc.oneof(
  fc.constant<ClientInput>({ kind: 'connected' }),
  fc.record({ kind: fc.constant('server-line' as const), text: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...TEXTS) }, fc.string()) }),
  fc.constant<ClientInput>({ kind: 'server-too-long' }),
  fc.record({ kind: fc.constant('server-closed' as const), reason: fc.constantFrom(null, 'connection reset') }),
  fc.record({ kind: fc.constant('user-line' as const), text: fc.oneof(fc.constantFrom(...TEXTS), fc.string()) }),
  fc.constant<ClientInput>({ kind: 'user-eof' }),
  fc.constant<ClientInput>({ kind: 'interrupt' }),
  fc.constant<ClientInput>({ kind: 'goodbye-timeout' }),
);

/** Any inputs; half the time after a connection and a welcome, so the room flows get exercised. */
const session: fc.Arbitrary<ClientInput[]> = fc.oneof(
  fc.array(input, { maxLength: 40 }),
  fc
    .array(input, { maxLength: 40 })
    .map((rest): ClientInput[] => [{ kind: 'connected' }, { kind: 'server-line', text: 'You are now connected, Bob!' }, ...rest]),
);
/** Each property is cheap: many runs. */
const RUNS = { numRuns: 500 };

const config: fc.Arbitrary<ClientConfig> = fc.record({
  name: fc.constantFrom(null, 'Bob'),
  server: fc.constant('127.0.0.1:7777'),
  goodbyeTimeoutMs: fc.constant(2000),
  whoOnJoin: fc.boolean(),
});

/** Folds the inputs through the reducer, as `scan` does; returns every effect, in order. */
function run(inputs: readonly ClientInput[], cfg: ClientConfig): ClientEffect[] {
  let state = initialClientState;
  const effects: ClientEffect[] = [];
  for (const i of inputs) {
    const next = stepClient(state, i, cfg);
    state = next.state;
    effects.push(...next.effects);
  }
  return effects;
}

describe('client reducer: properties', () => {
  it('should exit at most once, last, right after a single close, and exactly once after the connection is gone', () => {
    fc.assert(
      fc.property(session, config, (inputs, cfg) => {
        const effects = run(inputs, cfg);
        const exits = effects.filter((e) => e.kind === 'exit').length;
        const closes = effects.filter((e) => e.kind === 'close').length;
        expect(exits).toBeLessThanOrEqual(1);
        expect(closes).toBe(exits);
        if (exits === 1) {
          expect(effects.at(-1)?.kind).toBe('exit');
          expect(effects.at(-2)?.kind).toBe('close');
        }
        if (inputs.some((i) => i.kind === 'server-closed')) expect(exits).toBe(1);
      }),
      RUNS,
    );
  });

  it('should send nothing before connected, nothing blank, and nothing after asking to leave', () => {
    fc.assert(
      fc.property(session, config, (inputs, cfg) => {
        // What was sent by the time each input was handled.
        let sentBeforeConnected = false;
        let state = initialClientState;
        const sent: string[] = [];
        for (const i of inputs) {
          const next = stepClient(state, i, cfg);
          const sends = next.effects.flatMap((e) => (e.kind === 'send' ? [e.text] : []));
          if (state.phase === 'connecting' && i.kind !== 'connected' && sends.length > 0) sentBeforeConnected = true;
          sent.push(...sends);
          state = next.state;
        }
        expect(sentBeforeConnected).toBe(false);
        expect(sent.every((text) => text.trim() !== '')).toBe(true);
        const leaveAt = sent.findIndex((text) => isExitCommand(text));
        if (leaveAt !== -1) expect(leaveAt).toBe(sent.length - 1);
        if (cfg.name !== null && sent.length > 0) expect(sent[0]).toBe(cfg.name);
      }),
      RUNS,
    );
  });

  it('should never print or warn a control character', () => {
    fc.assert(
      fc.property(session, config, (inputs, cfg) => {
        for (const effect of run(inputs, cfg)) {
          if (effect.kind === 'print' || effect.kind === 'warn') {
            expect(effect.text).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/);
          }
        }
      }),
      RUNS,
    );
  });

  it('should keep the roster, the rooms and the members well-formed and bounded', () => {
    fc.assert(
      fc.property(session, config, (inputs, cfg) => {
        let state = initialClientState;
        for (const i of inputs) {
          state = stepClient(state, i, cfg).state;
          const roster = rosterOf(state);
          const { current, joined, members, list } = roomsOf(state);
          for (const names of [roster, members]) {
            expect(names.names.length).toBeLessThanOrEqual(MAX_ROSTER);
            expect(names.names.every(isWireName)).toBe(true);
            expect(names.keys).toEqual(names.names.map(nameKey));
            expect(new Set(names.keys).size).toBe(names.keys.length);
          }
          if (roster.me !== null) expect(isWireName(roster.me)).toBe(true);
          expect(joined.length).toBeLessThanOrEqual(MAX_ROOMS);
          expect(list.length).toBeLessThanOrEqual(MAX_ROOMS);
          expect([...joined, ...list.map((r) => r.room)].every(isWireRoom)).toBe(true);
          expect(new Set(joined.map(roomKey)).size).toBe(joined.length);
          if (current !== null) expect(joined.map(roomKey)).toContain(roomKey(current));
        }
      }),
      RUNS,
    );
  });

  it('should print a line of another room with its room, whose tag starts the text', () => {
    fc.assert(
      fc.property(session, config, (inputs, cfg) => {
        for (const effect of run(inputs, cfg)) {
          if (effect.kind === 'print' && effect.room !== undefined) expect(effect.text.startsWith(`[${effect.room}] `)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('should send nothing of its own but /who for a room just entered, and only when told to', () => {
    fc.assert(
      fc.property(session, config, (inputs, cfg) => {
        let state: ClientState = initialClientState;
        for (const i of inputs) {
          const next = stepClient(state, i, cfg);
          const sends = next.effects.flatMap((e) => (e.kind === 'send' ? [e.text] : []));
          if (i.kind === 'server-line') {
            // Lines from the server make the client send at most one line: `/who <the room now current>`.
            expect(sends.length).toBeLessThanOrEqual(1);
            if (sends.length === 1) {
              const { current } = roomsOf(next.state);
              expect(cfg.whoOnJoin).toBe(true);
              expect(state.phase).toBe('open');
              expect(current).not.toBeNull();
              expect(current !== null && roomKey(current) !== roomKey(roomsOf(state).current ?? '')).toBe(true);
              expect(sends[0]).toBe(whoLine(current ?? ''));
            }
          }
          state = next.state;
        }
      }),
      RUNS,
    );
  });
});
