// The session reducer, step by step, where the order of effects matters or a flow is too small
// for a marble diagram.
import { describe, expect, it } from 'vitest';
import { HOLD_LIMIT, SETTLED, initialSession, step, type Effect, type Session } from '../src/line/session.ts';

const config = { maxLineBytes: 4096 };
const prompt = initialSession('n1/7');
const chatting: Session = { phase: 'chatting', conn: 'n1/7', name: 'Bob', pending: 0, held: [] };

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

  it('should answer an empty line at the prompt as an invalid name, never in silence (v2)', () => {
    for (const text of ['', '   ', '\t']) {
      expect(show(step(prompt, { kind: 'line', text }, config).effects)).toEqual(['send:*** Invalid username: name is empty', 'send:Username?']);
    }
  });

  it('should hold lines typed while a claim is out, and take them as chat once it is welcomed and settled', () => {
    const claimed = step(prompt, { kind: 'line', text: 'Bob' }, config);
    expect(show(claimed.effects)).toEqual(['publish:claim']);
    const held1 = step(claimed.session, { kind: 'line', text: 'hello' }, config);
    const held2 = step(held1.session, { kind: 'line', text: '/join rust' }, config);
    expect([...held1.effects, ...held2.effects]).toEqual([]);
    const welcomed = step(held2.session, { kind: 'welcome', conn: 'n1/7', name: 'Bob' }, config);
    expect(show(welcomed.effects)).toEqual(['log']);
    // The claim's deliveries are made: the held requests follow each other into the log at once.
    const claimSettled = step(welcomed.session, SETTLED, config);
    expect(show(claimSettled.effects)).toEqual(['publish:say', 'publish:join']);
    const sayDone = step(claimSettled.session, SETTLED, config);
    expect(step(sayDone.session, SETTLED, config).session).toEqual(chatting);
  });

  it('should take held lines as the next name attempts after a refused claim', () => {
    const claimed = step(prompt, { kind: 'line', text: 'Bob' }, config);
    const held = step(claimed.session, { kind: 'line', text: 'Rob' }, config);
    const refused = step(held.session, { kind: 'name-taken', conn: 'n1/7', name: 'Bob', renaming: false }, config);
    expect(show(refused.effects)).toEqual(['send:Username?']);
    const settled = step(refused.session, SETTLED, config);
    expect(show(settled.effects)).toEqual(['publish:claim']);
    expect(settled.session).toEqual({ phase: 'awaiting-name', conn: 'n1/7', claiming: 'Rob', pending: 1, held: [] });
  });

  it('should let a plain request follow outstanding ones into the log, and hold one it would answer itself behind them', () => {
    const said = step(chatting, { kind: 'line', text: 'one' }, config);
    const again = step(said.session, { kind: 'line', text: 'two' }, config);
    expect(show(again.effects)).toEqual(['publish:say']);
    const help = step(again.session, { kind: 'line', text: '/help' }, config);
    const after = step(help.session, { kind: 'line', text: 'three' }, config);
    expect([...help.effects, ...after.effects]).toEqual([]); // /help waits, and so does what follows it
    const first = step(after.session, SETTLED, config);
    expect(first.effects).toEqual([]);
    const second = step(first.session, SETTLED, config);
    expect(show(second.effects)[0]).toBe('send:*** Commands:');
    expect(show(second.effects).at(-1)).toBe('publish:say');
  });

  it("should not let its own answers overtake the reply to an earlier command, nor a hang-up its last lines", () => {
    const asked = step(chatting, { kind: 'line', text: '/who' }, config);
    const help = step(asked.session, { kind: 'line', text: '/help' }, config);
    const gone = step(help.session, { kind: 'hangup' }, config);
    expect([...help.effects, ...gone.effects]).toEqual([]);
    const settled = step(gone.session, SETTLED, config);
    // The /who reply was delivered before SETTLED; then the help, then the hang-up.
    const shown = show(settled.effects);
    expect(shown[0]).toBe('send:*** Commands:');
    expect(shown.slice(-2)).toEqual(['publish:leave', 'close']);
    expect(shown.filter((e) => e.startsWith('send:'))).toHaveLength(shown.length - 2);
    expect(settled.session.phase).toBe('leaving');
  });

  it('should count an intent that never reached the log as done, and ask for a name again if it was the claim', () => {
    const claimed = step(prompt, { kind: 'line', text: 'Bob' }, config);
    const lost = step(claimed.session, { kind: 'undelivered', conn: 'n1/7', intent: { kind: 'claim', conn: 'n1/7', name: 'Bob', lobby: true } }, config);
    expect(show(lost.effects)).toEqual(['send:Username?']);
    expect(lost.session).toEqual(prompt);
  });

  it('should stop reading when many lines wait, and read again once they can be handled', () => {
    let t = step(prompt, { kind: 'line', text: 'Bob' }, config);
    const effects: string[] = [];
    for (let i = 0; i < HOLD_LIMIT; i++) {
      t = step(t.session, { kind: 'line', text: `line ${i}` }, config);
      effects.push(...show(t.effects));
    }
    expect(effects).toEqual(['hold']);
    const welcomed = step(t.session, { kind: 'welcome', conn: 'n1/7', name: 'Bob' }, config);
    const settled = step(welcomed.session, SETTLED, config);
    // Every held line is said, in order, and reading starts again.
    expect(show(settled.effects)).toEqual(['release', ...Array<string>(HOLD_LIMIT).fill('publish:say')]);
  });

  it('should ignore everything once leaving', () => {
    const leaving: Session = { phase: 'leaving', conn: 'n1/7' };
    const closed = { kind: 'node-closed', node: 'n1', why: 'shutdown' } as const;
    for (const input of [{ kind: 'line', text: 'hi' }, { kind: 'hangup' }, { kind: 'timeout' }, closed] as const) {
      expect(step(leaving, input, config).effects).toEqual([]);
    }
  });
});
