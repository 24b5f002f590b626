// The cluster checker (helpers/redis-checker.ts) must catch what it claims to: a doubled line, a
// missing one, two clients seeing different orders, a line both delivered and refused, a sender's
// lines out of order, a join heard twice. Built from a small log, no Redis needed.
import { describe, expect, test } from 'vitest';
import type { Intent, LogEntry } from '../src/core/intents.ts';
import { check, replay, type View } from './helpers/redis-checker.ts';

const entry = (node: string, seq: number, ...intents: Intent[]): LogEntry => ({ node, seq, at: 1_700_000_000_000 + seq, intents });
const say = (conn: string, text: string): Intent => ({ kind: 'say', conn, room: null, text, style: 'chat' });

// Ann on node a, Bob on node b; each says two lines; a retried batch (a/3 again) is in the log.
const LOG: LogEntry[] = [
  entry('a', 1, { kind: 'claim', conn: 'a/1', name: 'Ann', lobby: true }),
  entry('b', 1, { kind: 'claim', conn: 'b/1', name: 'Bob', lobby: true }),
  entry('a', 2, say('a/1', 'a1')),
  entry('b', 2, say('b/1', 'b1')),
  entry('a', 3, say('a/1', 'a2')),
  entry('a', 3, say('a/1', 'a2')),
  entry('b', 3, say('b/1', 'b2')),
];

const ANN = ['Username?', 'You are now connected, Ann!', '*** Bob joined the chat', '(Ann) a1', '(Bob) b1', '(Ann) a2', '(Bob) b2'];
const BOB = ['Username?', 'You are now connected, Bob!', '(Ann) a1', '(Bob) b1', '(Ann) a2', '(Bob) b2'];
const view = (name: string, lines: string[], said: string[], complete = true): View => ({ name, lines, said, complete });
const good = (): View[] => [view('Ann', [...ANN], ['a1', 'a2']), view('Bob', [...BOB], ['b1', 'b2'])];

describe('the cluster checker', () => {
  test('accepts views that match the log (a retried batch is decided once)', () => {
    expect(replay(LOG).said.get('a/1')).toEqual(['a1', 'a2']);
    expect(check(LOG, good())).toEqual([]);
  });

  test('accepts a prefix from a client cut off early, not from one that stayed', () => {
    expect(check(LOG, [view('Ann', ANN.slice(0, 5), ['a1'], false)])).toEqual([]);
    expect(check(LOG, [view('Ann', ANN.slice(0, 5), ['a1'], true)])).not.toEqual([]);
  });

  test('catches a doubled line, a missing one, another order, an invented one', () => {
    const doubled = good();
    doubled[1] = view('Bob', [...BOB.slice(0, 4), '(Bob) b1', ...BOB.slice(4)], ['b1', 'b2']);
    expect(check(LOG, doubled).join()).toMatch(/Bob: read 6 lines, owed 5; first difference at 3/);
    const missing = good();
    missing[0] = view('Ann', ANN.filter((l) => l !== '(Bob) b1'), ['a1', 'a2']);
    expect(check(LOG, missing).join()).toMatch(/Ann: read 5 lines, owed 6; first difference at 3/);
    const reordered = good();
    reordered[1] = view('Bob', ['Username?', 'You are now connected, Bob!', '(Bob) b1', '(Ann) a1', '(Ann) a2', '(Bob) b2'], ['b1', 'b2']);
    expect(check(LOG, reordered)).toHaveLength(1);
    const invented = good();
    invented[0] = view('Ann', [...ANN, '(Bob) b3'], ['a1', 'a2']);
    expect(check(LOG, invented)).toHaveLength(1);
  });

  test('catches a line both decided and refused, and one neither', () => {
    const both = good();
    both[0] = view('Ann', [...ANN, '*** Not delivered: a2'], ['a1', 'a2']);
    expect(check(LOG, both).join()).toMatch(/"a2" was decided and also answered Not delivered/);
    const neither = good();
    neither[0] = view('Ann', [...ANN], ['a1', 'a2', 'a3']);
    expect(check(LOG, neither).join()).toMatch(/"a3" was neither decided nor answered/);
    neither[0] = view('Ann', [...ANN, '*** Not delivered: a3'], ['a1', 'a2', 'a3']);
    expect(check(LOG, neither)).toEqual([]);
  });

  test("catches a sender's lines decided out of order, and a join heard twice", () => {
    const swapped = good();
    swapped[0] = view('Ann', [...ANN], ['a2', 'a1']);
    expect(check(LOG, swapped).join()).toMatch(/decided in another order than said/);
    const twice = [view('Ann', [...ANN.slice(0, 3), '*** Bob joined the chat', ...ANN.slice(3)], ['a1', 'a2'], false)];
    expect(check(LOG, twice).join()).toMatch(/heard "Bob joined the chat" 2 times/);
  });
});
