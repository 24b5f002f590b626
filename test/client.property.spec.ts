// Properties of the client reducer over any sequence of inputs, in any order, even impossible ones
// (a line before `connected`, two `connected`, a timeout while chatting, input after the end):
// - it never throws, and nothing at all comes after `exit`;
// - it exits at most once, always right after one `close`; once the connection is gone
//   (`server-closed`) it has exited exactly once;
// - nothing is sent before `connected`, and nothing after the line that asked to leave;
// - no blank line is sent, and nothing printed carries a control character.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initialClientState, stepClient, type ClientConfig, type ClientEffect, type ClientInput } from '../src/client/client.ts';
import { isExitCommand } from '../src/protocol/messages.ts';

const TEXTS = ['Bob', 'hello', '', '  ', 'exit', ' /QUIT ', '/quit', 'Username?', 'Goodbye Bob!', 'Goodbye!', '*** Server is shutting down', '\u001b[2J\u0007(Eve) hi\u009b'];

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
});
