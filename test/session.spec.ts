// The session reducer, step by step, where the order of effects matters or a flow is too small
// for a marble diagram.
import { describe, expect, it } from 'vitest';
import { initialSession, step, type Effect, type Session } from '../src/protocol/session.ts';

const config = { maxLineBytes: 4096 };
const prompt = initialSession(7);
const chatting: Session = { phase: 'chatting', id: 7, name: 'Bob' };

/** Effects as short strings: `send:<text>`, `publish:<kind>`, `log`, `close`, `abort`. */
const show = (effects: readonly Effect[]): string[] =>
  effects.map((e) => (e.kind === 'send' ? `send:${e.line.text}` : e.kind === 'publish' ? `publish:${e.intent.kind}` : e.kind));

describe('session step', () => {
  it.each(['exit', 'EXIT', ' Exit ', '/quit', '/QUIT now', 'ex\u0001it'])('should say a nameless goodbye to %j at the prompt', (text) => {
    const { session, effects } = step(prompt, { kind: 'line', text }, config);
    expect(session.phase).toBe('leaving');
    expect(show(effects)).toEqual(['send:Goodbye!', 'close']);
  });

  it('should log a name-prompt timeout before closing (nothing after close is carried out)', () => {
    expect(show(step(prompt, { kind: 'timeout' }, config).effects)).toEqual(['send:*** Timed out', 'log', 'close']);
  });

  it('should announce, log, then abort a chatting client too slow to read', () => {
    expect(show(step(chatting, { kind: 'too-slow' }, config).effects)).toEqual(['publish:leave', 'log', 'abort']);
  });

  it('should abort a too-slow client at the prompt without announcing it', () => {
    expect(show(step(prompt, { kind: 'too-slow' }, config).effects)).toEqual(['abort']);
  });

  it('should say goodbye, then announce, then close, on exit while chatting', () => {
    expect(show(step(chatting, { kind: 'line', text: 'exit' }, config).effects)).toEqual(['send:Goodbye Bob!', 'publish:leave', 'close']);
  });

  it('should ignore a timeout once the user has a name', () => {
    expect(step(chatting, { kind: 'timeout' }, config)).toEqual({ session: chatting, effects: [] });
  });

  it('should ignore everything once leaving', () => {
    const leaving: Session = { phase: 'leaving', id: 7 };
    for (const input of [{ kind: 'line', text: 'hi' }, { kind: 'hangup' }, { kind: 'timeout' }, { kind: 'shutdown' }] as const) {
      expect(step(leaving, input, config).effects).toEqual([]);
    }
  });
});
