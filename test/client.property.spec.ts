// Properties of the client reducer over any sequence of inputs, in any order, even impossible ones
// (a line before `connected`, two `connected`, a timeout while chatting, input after the end):
// - it never throws, and nothing at all comes after `exit`;
// - it exits at most once, always right after one `close`; once the connection is gone
//   (`server-closed`) it has exited exactly once;
// - nothing is sent before `connected`, and nothing after the line that asked to leave;
// - no blank line is sent, and nothing printed carries a control character;
// - the roster only ever holds well-formed, distinct names (case-insensitively), at most
//   MAX_ROSTER of them; `/who` is sent at most once, only with `whoOnJoin`, right after the welcome.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  WHO_LINE,
  initialClientState,
  rosterOf,
  stepClient,
  type ClientConfig,
  type ClientEffect,
  type ClientInput,
} from '../src/client/client.ts';
import { MAX_ROSTER, isWireName } from '../src/client/roster.ts';
import { isExitCommand } from '../src/protocol/messages.ts';
import { nameKey } from '../src/protocol/names.ts';

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
];

const input: fc.Arbitrary<ClientInput> = fc.oneof(
  fc.constant<ClientInput>({ kind: 'connected' }),
  fc.record({ kind: fc.constant('server-line' as const), text: fc.oneof(fc.constantFrom(...TEXTS), fc.string()) }),
  fc.constant<ClientInput>({ kind: 'server-too-long' }),
  fc.record({ kind: fc.constant('server-closed' as const), reason: fc.constantFrom(null, 'connection reset') }),
  fc.record({ kind: fc.constant('user-line' as const), text: fc.oneof(fc.constantFrom(...TEXTS), fc.string()) }),
  fc.constant<ClientInput>({ kind: 'user-eof' }),
  fc.constant<ClientInput>({ kind: 'interrupt' }),
  fc.constant<ClientInput>({ kind: 'goodbye-timeout' }),
);

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
      fc.property(fc.array(input, { maxLength: 40 }), config, (inputs, cfg) => {
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
    );
  });

  it('should send nothing before connected, nothing blank, and nothing after asking to leave', () => {
    fc.assert(
      fc.property(fc.array(input, { maxLength: 40 }), config, (inputs, cfg) => {
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
    );
  });

  it('should never print or warn a control character', () => {
    fc.assert(
      fc.property(fc.array(input, { maxLength: 40 }), config, (inputs, cfg) => {
        for (const effect of run(inputs, cfg)) {
          if (effect.kind === 'print' || effect.kind === 'warn') {
            expect(effect.text).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/);
          }
        }
      }),
    );
  });

  it('should keep the roster well-formed and bounded, and ask /who at most once, only when told to', () => {
    fc.assert(
      fc.property(fc.array(input, { maxLength: 40 }), config, (inputs, cfg) => {
        let state = initialClientState;
        const sent: string[] = [];
        let welcomedAt = -1;
        for (const i of inputs) {
          const next = stepClient(state, i, cfg);
          const sends = next.effects.flatMap((e) => (e.kind === 'send' ? [e.text] : []));
          if (sends.includes(WHO_LINE) && i.kind === 'server-line' && i.text.startsWith('You are now connected, ')) {
            welcomedAt = sent.length + sends.indexOf(WHO_LINE);
          }
          sent.push(...sends);
          state = next.state;
          const roster = rosterOf(state);
          expect(roster.names.length).toBeLessThanOrEqual(MAX_ROSTER);
          expect(roster.names.every(isWireName)).toBe(true);
          expect(roster.keys).toEqual(roster.names.map(nameKey));
          expect(new Set(roster.keys).size).toBe(roster.keys.length);
          if (roster.me !== null) expect(isWireName(roster.me)).toBe(true);
        }
        // A /who the client sent on its own is the one right after the welcome; any other was typed.
        const typed = inputs.filter((i) => i.kind === 'user-line' && i.text === WHO_LINE).length;
        const whos = sent.filter((text) => text === WHO_LINE).length;
        expect(whos - typed).toBeLessThanOrEqual(1);
        if (!cfg.whoOnJoin) expect(welcomedAt).toBe(-1);
      }),
    );
  });
});
