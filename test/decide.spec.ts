// The decider entry by entry, where the log and its nodes matter: retries, fencing, a node's
// shutdown or death, batches, time from the entry. (Room flows are in rooms.flows.spec.ts.)
import { describe, expect, it } from 'vitest';
import { decideAll } from '../src/core/decide.ts';
import type { Delivery } from '../src/core/events.ts';
import type { Intent, LogEntry } from '../src/core/intents.ts';
import { ChatState } from '../src/core/state.ts';

const entry = (node: string, seq: number, ...intents: Intent[]): LogEntry => ({ node, seq, at: 0, intents });
const claim = (conn: string, name: string): Intent => ({ kind: 'claim', conn, name, lobby: true });
const say = (conn: string, text: string): Intent => ({ kind: 'say', conn, room: null, text, style: 'chat' });
/** Each delivery as `kind → audience`. */
const show = (ds: readonly Delivery[]): string[] =>
  ds.map(({ event, to }) => `${event.kind} → ${to.kind === 'conn' ? to.conn : to.kind === 'room' ? `${to.room}${to.except === null ? '' : ` but ${to.except}`}` : to.kind === 'conns' ? to.conns.join(',') : `node ${to.node}`}`);

describe('decide: the log', () => {
  it('should ignore an entry whose sequence number it has decided (a retried append)', () => {
    const state = new ChatState();
    expect(show(decideAll(state, entry('a', 1, claim('a/1', 'Ann'))))).toEqual(['welcome → a/1', 'connected → #lobby but a/1']);
    expect(decideAll(state, entry('a', 1, say('a/1', 'again?')))).toEqual([]);
    expect(show(decideAll(state, entry('a', 2, say('a/1', 'hi'))))).toEqual(['said → #lobby']);
  });

  it('should let only the node that claimed a user speak for it', () => {
    const state = new ChatState();
    decideAll(state, entry('a', 1, claim('a/1', 'Ann')));
    expect(decideAll(state, entry('b', 1, say('a/1', 'forged')))).toEqual([]);
  });

  it("should stamp history with the entry's time, not a clock", () => {
    const state = new ChatState();
    decideAll(state, entry('a', 1, claim('a/1', 'Ann')));
    decideAll(state, { node: 'a', seq: 2, at: Date.UTC(2026, 0, 1, 14, 2), intents: [say('a/1', 'hello')] });
    expect(state.lobby.history).toEqual([{ at: Date.UTC(2026, 0, 1, 14, 2), name: 'Ann', text: 'hello', style: 'chat' }]);
  });

  it('should decide the intents of a batch in order, each against the state the ones before it left', () => {
    const state = new ChatState();
    const ds = decideAll(state, entry('a', 1, claim('a/1', 'Ann'), claim('a/2', 'ann'), claim('a/2', 'Bob'), say('a/2', 'hi')));
    expect(show(ds)).toEqual([
      'welcome → a/1',
      'connected → #lobby but a/1',
      'name-taken → a/2',
      'welcome → a/2',
      'connected → #lobby but a/2',
      'said → #lobby',
    ]);
  });
});

describe('decide: nodes', () => {
  const twoNodes = (): ChatState => {
    const state = new ChatState();
    decideAll(state, entry('a', 1, claim('a/1', 'Ann'), claim('a/2', 'Abe')));
    decideAll(state, entry('b', 1, claim('b/1', 'Bob'), { kind: 'join', conn: 'b/1', room: '#rust' }));
    decideAll(state, entry('a', 2, { kind: 'join', conn: 'a/1', room: '#rust' }));
    return state;
  };

  it("should close a node that shuts down, then announce each of its users once to the other nodes' sharers", () => {
    const state = twoNodes();
    const ds = decideAll(state, entry('a', 3, { kind: 'shutdown' }));
    // Bob shares #lobby and #rust with Ann, #lobby with Abe: one notice each, to Bob alone.
    expect(show(ds)).toEqual(['node-closed → node a', 'left-chat → b/1', 'left-chat → b/1']);
    expect(ds.map((d) => (d.event.kind === 'left-chat' ? d.event.name : d.event.kind))).toEqual(['node-closed', 'Ann', 'Abe']);
    expect([...state.users.keys()]).toEqual(['b/1']);
    // Nothing the node says afterwards counts (a zombie is fenced), not even a later sequence number.
    expect(decideAll(state, entry('a', 4, claim('a/3', 'Ann'), say('a/1', 'still here?')))).toEqual([]);
    // Its names are free again.
    expect(show(decideAll(state, entry('b', 2, claim('b/2', 'Ann'))))).toEqual(['welcome → b/2', 'connected → #lobby but b/2']);
  });

  it('should declare another node gone once, with its own close and its users announced', () => {
    const state = twoNodes();
    expect(show(decideAll(state, entry('b', 2, { kind: 'node-gone', node: 'a' })))).toEqual(['node-closed → node a', 'left-chat → b/1', 'left-chat → b/1']);
    expect(decideAll(state, entry('b', 3, { kind: 'node-gone', node: 'a' }))).toEqual([]);
  });

  it('should replay to the same state from a snapshot taken mid-log', () => {
    const state = twoNodes();
    const copy = ChatState.restore(JSON.parse(JSON.stringify(state.snapshot())) as ReturnType<ChatState['snapshot']>);
    const next = entry('b', 2, say('b/1', 'after the snapshot'), { kind: 'leave', conn: 'a/1', reason: 'quit' });
    const more = entry('a', 3, { kind: 'leave', conn: 'a/1', reason: 'quit' });
    expect(decideAll(copy, next)).toEqual(decideAll(state, next));
    expect(decideAll(copy, more)).toEqual(decideAll(state, more));
    expect(copy.snapshot()).toEqual(state.snapshot());
  });
});
