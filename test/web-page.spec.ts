// The web page's reducer (src/web/page.ts) around the client's, in plain steps: what the page
// sends, shows and schedules for each thing that happens. Then properties over any inputs: total,
// nothing shown twice or before the server sent it, and the pieces a line is drawn with.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitize } from '../src/client/sanitize.ts';
import { FORGOTTEN, decodeMemory, encodeMemory, type Memory } from '../src/web/memory.ts';
import {
  RECONNECT_MAX_MS,
  membersOf,
  otherRoomsOf,
  placeholderOf,
  reconnectDelay,
  roomListOf,
  startPage,
  statusOf,
  stepPage,
  titleOf,
  type PageEffect,
  type PageInput,
  type PageState,
} from '../src/web/page.ts';
import { EMPTY_RECALL, move, sent } from '../src/web/recall.ts';
import { segments } from '../src/web/segments.ts';

const CONFIG = { server: '127.0.0.1:7780', goodbyeTimeoutMs: 2000 };

/** A page driven step by step; `effects` holds what the last steps asked for. */
class Driven {
  state: PageState;
  effects: PageEffect[];
  now = 1_000_000;

  constructor(memory: Memory = FORGOTTEN) {
    const start = startPage(memory);
    this.state = start.state;
    this.effects = [...start.effects];
  }

  step(input: PageInput): PageEffect[] {
    const next = stepPage(this.state, input, CONFIG);
    this.state = next.state;
    this.effects = [...next.effects];
    return this.effects;
  }

  open(): PageEffect[] {
    return this.step({ kind: 'socket-open', session: this.state.session });
  }

  /** Server lines, in order; returns every effect of them. */
  hear(...lines: string[]): PageEffect[] {
    const all: PageEffect[] = [];
    for (const text of lines) {
      this.now += 1000;
      all.push(...this.step({ kind: 'socket-line', session: this.state.session, text, at: this.now }));
    }
    this.effects = all;
    return all;
  }

  type(text: string): PageEffect[] {
    return this.step({ kind: 'user-line', text });
  }

  lose(random = 1): PageEffect[] {
    this.now += 1000;
    return this.step({ kind: 'socket-closed', session: this.state.session, at: this.now, random });
  }

  fire(timer: 'reconnect' | 'goodbye' | 'name-retry'): PageEffect[] {
    return this.step({ kind: 'timer', timer });
  }

  /** Opens a fresh page, signs in as `name` by hand and hears the welcome. */
  static signedIn(name = 'Ann'): Driven {
    const page = new Driven();
    page.open();
    page.hear('Username?');
    page.type(name);
    page.hear(`You are now connected, ${name}!`);
    return page;
  }
}

const shown = (effects: readonly PageEffect[]): string[] => effects.flatMap((e) => (e.kind === 'show' ? [e.text] : []));
const sent_ = (effects: readonly PageEffect[]): string[] => effects.flatMap((e) => (e.kind === 'send' ? [e.text] : []));
const timers = (effects: readonly PageEffect[]) => effects.flatMap((e) => (e.kind === 'start-timer' ? [[e.timer, e.ms] as const] : []));

describe('the page: signing in and chatting', () => {
  it('should connect at once, show the prompt, send the name typed and ask who is in #lobby', () => {
    const page = new Driven();
    expect(page.effects).toEqual([{ kind: 'connect', session: 1 }]);
    expect(page.open()).toEqual([]);
    expect(shown(page.hear('Username?'))).toEqual(['Username?']);
    expect(page.type('Ann')).toEqual([{ kind: 'send', text: 'Ann' }, { kind: 'take-input' }]);
    const welcome = page.hear('You are now connected, Ann!');
    expect(shown(welcome)).toEqual(['You are now connected, Ann!']);
    expect(sent_(welcome)).toEqual(['/who #lobby']);
    expect(welcome).toContainEqual({ kind: 'remember', memory: { name: 'Ann', rooms: ['#lobby'], current: '#lobby' } });
    expect(statusOf(page.state, page.now)).toBe('Connected as Ann in #lobby');
    expect(placeholderOf(page.state)).toBe('Message #lobby');
    // The reply to the page's own /who fills the member list; the log stays what the user asked for.
    expect(shown(page.hear('*** Users in #lobby (2): Ann, Bob'))).toEqual([]);
    expect(membersOf(page.state)).toEqual({ names: ['Ann', 'Bob'], known: true, me: 'Ann' });
    page.type('/who #lobby');
    expect(shown(page.hear('*** Users in #lobby (2): Ann, Bob'))).toEqual(['*** Users in #lobby (2): Ann, Bob']);
  });

  it('should never show my own line before the server echoes it', () => {
    const page = Driven.signedIn();
    expect(page.type('hello')).toEqual([{ kind: 'send', text: 'hello' }, { kind: 'take-input' }]);
    expect(shown(page.hear('(Ann) hello'))).toEqual(['(Ann) hello']);
  });

  it('should keep a name typed before the socket opens and send it once it does', () => {
    const page = new Driven();
    expect(page.type('Ann')).toEqual([{ kind: 'take-input' }]);
    expect(sent_(page.open())).toEqual(['Ann']);
  });

  it('should show hostile text as inert text: escapes stripped, markup untouched (the DOM puts it in a text node)', () => {
    const page = Driven.signedIn();
    expect(shown(page.hear('(Bob) <img src=x onerror=alert(1)> \u001b[31mred\u001b[0m \u001b]0;title\u0007'))).toEqual(['(Bob) <img src=x onerror=alert(1)> red ']);
  });

  it('should list my rooms, with unread counts for the ones not current, and the current room\'s members', () => {
    const page = Driven.signedIn();
    page.hear('*** Users in #lobby (2): Ann, Bob', '*** Now in #rust (2 users)', '*** Users in #rust (2): Cy, Ann');
    page.hear('[#lobby] (Bob) psst', '[#lobby] * Bob waves', '[#lobby] *** Dee joined the chat');
    expect(roomListOf(page.state)).toEqual([
      { room: '#lobby', current: false, unread: 2 },
      { room: '#rust', current: true, unread: 0 },
    ]);
    expect(membersOf(page.state)).toEqual({ names: ['Cy', 'Ann'], known: true, me: 'Ann' });
    page.hear('*** Now in #lobby (3 users)');
    expect(roomListOf(page.state)[0]).toEqual({ room: '#lobby', current: true, unread: 0 });
    page.hear('*** Rooms (3): #go (1), #lobby (3), #rust (2)');
    expect(otherRoomsOf(page.state)).toEqual([{ room: '#go', current: false, unread: 0, users: 1 }]);
  });

  it('should switch rooms through /join when a room is picked', () => {
    const page = Driven.signedIn();
    expect(sent_(page.step({ kind: 'switch-room', room: '#rust' }))).toEqual(['/join #rust']);
  });
});

describe('the page: leaving', () => {
  it('should show the goodbye, stay disconnected, forget the name, and connect again on Enter', () => {
    const page = Driven.signedIn();
    const leaving = page.type('exit');
    expect(sent_(leaving)).toEqual(['exit']);
    expect(timers(leaving)).toEqual([['goodbye', 2000]]);
    const bye = page.hear('Goodbye Ann!');
    expect(shown(bye)).toEqual(['Goodbye Ann!']);
    expect(bye).toContainEqual({ kind: 'disconnect' });
    expect(bye).toContainEqual({ kind: 'remember', memory: FORGOTTEN });
    expect(page.state.link).toEqual({ phase: 'idle', why: 'left' });
    expect(page.lose()).toEqual([]); // the server's close: nothing more to do
    expect(statusOf(page.state, page.now)).toBe('You left the chat; press Enter to join again');
    expect(page.type('')).toEqual([{ kind: 'connect', session: 2 }, { kind: 'take-input' }]);
  });

  it('should treat a goodbye that never comes as having left', () => {
    const page = Driven.signedIn();
    page.type('/quit');
    page.fire('goodbye');
    expect(page.state.link).toEqual({ phase: 'idle', why: 'left' });
  });

  it('should not reconnect by itself after a name-prompt timeout; Enter with a name connects and sends it', () => {
    const page = new Driven();
    page.open();
    page.hear('Username?', '*** Timed out');
    page.lose();
    expect(page.state.link).toEqual({ phase: 'idle', why: 'timed-out' });
    expect(page.type('Ann')).toEqual([{ kind: 'connect', session: 2 }, { kind: 'take-input' }]);
    expect(page.open()).toEqual([]);
    const prompt = page.hear('Username?'); // shown, and answered with the name typed
    expect([shown(prompt), sent_(prompt)]).toEqual([['Username?'], ['Ann']]);
  });
});

describe('the page: reconnecting', () => {
  it('should wait with backoff, sign in again under the same name and mark the gap', () => {
    const page = Driven.signedIn();
    const lostAt = page.now + 1000;
    const lost = page.lose(1);
    expect(timers(lost)).toEqual([['reconnect', 1000]]);
    expect(page.state.link).toEqual({ phase: 'waiting', retryAt: lostAt + 1000 });
    expect(statusOf(page.state, lostAt)).toBe('Connection lost; reconnecting in 1 s (press Enter to retry now)');
    expect(page.fire('reconnect')).toEqual([{ kind: 'connect', session: 2 }]);
    expect(page.open()).toEqual([]);
    const prompt = page.hear('Username?');
    expect([shown(prompt), sent_(prompt)]).toEqual([['Username?'], ['Ann']]);
    const back = page.hear('You are now connected, Ann!');
    expect(back).toContainEqual({ kind: 'gap', from: lostAt, to: page.now });
    expect(page.state.failures).toBe(0);
  });

  it('should double the delay from 1 s to 30 s, jittered between half and all of it', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => reconnectDelay(n, 1))).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, RECONNECT_MAX_MS]);
    expect(reconnectDelay(3, 0)).toBe(2000);
    const page = new Driven();
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      delays.push(...timers(page.lose(1)).map(([, ms]) => ms));
      page.fire('reconnect');
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000]);
    expect(statusOf(page.state, 0)).toMatch(/^Connecting|^Reconnecting/);
    page.lose(1);
    expect(statusOf(page.state, 0)).toMatch(/^Cannot reach the server; retrying in \d+ s/); // never signed in: nothing was lost
  });

  it('should ignore what an old connection still says', () => {
    const page = Driven.signedIn();
    page.lose();
    page.fire('reconnect');
    expect(page.step({ kind: 'socket-line', session: 1, text: '(Bob) late', at: 0 })).toEqual([]);
    expect(page.step({ kind: 'socket-closed', session: 1, at: 0, random: 0 })).toEqual([]);
  });

  it('should keep a line typed while disconnected in the field, and retry at once on an empty Enter or when back online', () => {
    const page = Driven.signedIn();
    page.lose();
    expect(page.type('are you there?')).toEqual([]);
    expect(page.type('')).toEqual([{ kind: 'stop-timer', timer: 'reconnect' }, { kind: 'connect', session: 2 }]);
    page.lose();
    expect(page.step({ kind: 'online' })).toEqual([{ kind: 'stop-timer', timer: 'reconnect' }, { kind: 'connect', session: 3 }]);
  });

  it('should join my rooms again after a drop without showing their history twice', () => {
    const page = Driven.signedIn();
    page.hear('*** Now in #rust (2 users)', '[12:00] (Bob) before we came', '*** Users in #rust (2): Bob, Ann', '*** Now in #lobby (2 users)');
    expect(page.state.memory).toEqual({ name: 'Ann', rooms: ['#lobby', '#rust'], current: '#lobby' });
    page.lose();
    page.fire('reconnect');
    page.open();
    const back = page.hear('Username?', 'You are now connected, Ann!');
    expect(sent_(back)).toEqual(['Ann', '/who #lobby', '/join #rust', '/join #lobby']);
    const replay = page.hear('*** Now in #rust (2 users)', '[12:00] (Bob) before we came', '[12:05] (Bob) while we were away', '*** Users in #rust (2): Bob, Ann', '*** Now in #lobby (2 users)');
    expect(shown(replay)).toEqual(['*** Now in #rust (2 users)', '*** Now in #lobby (2 users)']); // the /who reply: the page's own
    expect(page.state.memory).toEqual({ name: 'Ann', rooms: ['#lobby', '#rust'], current: '#lobby' });
  });

  it('should not send the name again as a chat line when the user types it at a prompt the page answered', () => {
    const page = new Driven({ name: 'Ann', rooms: [], current: null });
    page.open();
    page.hear('Username?', 'You are now connected, Ann!');
    expect(page.type('ann')).toEqual([{ kind: 'take-input' }]);
    expect(page.type('Ann')).toEqual([{ kind: 'send', text: 'Ann' }, { kind: 'take-input' }]); // now it is a line
  });

  it('should show the history of the rooms it joins again after a reload (the log was empty)', () => {
    const page = new Driven({ name: 'Ann', rooms: ['#lobby', '#rust'], current: '#rust' });
    expect(page.open()).toEqual([]);
    expect(sent_(page.hear('Username?', 'You are now connected, Ann!'))).toEqual(['Ann', '/who #lobby', '/join #rust']);
    expect(shown(page.hear('*** Now in #rust (2 users)', '[12:00] (Bob) earlier'))).toEqual(['*** Now in #rust (2 users)', '[12:00] (Bob) earlier']);
  });

  it('should send a remembered name again while our dead connection still holds it, and stop when the user answers', () => {
    const page = new Driven({ name: 'Ann', rooms: [], current: null });
    page.open();
    const taken = page.hear('Username?', '*** Username Ann is taken', 'Username?');
    expect(shown(taken)).toEqual(['Username?', '*** Username Ann is taken', 'Username?']);
    expect(sent_(taken)).toEqual(['Ann']); // the second prompt waits for the retry timer
    expect(timers(taken)).toEqual([['name-retry', 1000]]);
    expect(statusOf(page.state, 0)).toContain('Ann is still taken');
    expect(sent_(page.fire('name-retry'))).toEqual(['Ann']);
    expect(timers(page.hear('*** Username Ann is taken', 'Username?'))).toEqual([['name-retry', 2000]]);
    expect(page.type('Ann2')).toEqual([{ kind: 'stop-timer', timer: 'name-retry' }, { kind: 'send', text: 'Ann2' }, { kind: 'take-input' }]);
    expect(page.fire('name-retry')).toEqual([]);
  });
});

describe('the page: unread lines', () => {
  it('should count lines said while the tab is hidden in the title, highlight my mentions, and clear on return', () => {
    const page = Driven.signedIn();
    page.step({ kind: 'visibility', hidden: true });
    page.hear('(Bob) hi', '*** Cy joined the chat', '* Bob waves');
    expect(titleOf(page.state)).toBe('(2) #lobby · rxchat');
    page.hear('(Bob) Ann, look');
    expect(titleOf(page.state)).toBe('(3!) #lobby · rxchat');
    page.step({ kind: 'visibility', hidden: false });
    expect(titleOf(page.state)).toBe('#lobby · rxchat');
  });
});

describe('the page, for any inputs', () => {
  const serverLine = fc.oneof(
    fc.constantFrom(
      'Username?',
      'You are now connected, Ann!',
      '*** Username Ann is taken',
      '*** Timed out',
      'Goodbye Ann!',
      '(Bob) hi',
      '[#rust] (Bob) hi',
      '*** Now in #rust (2 users)',
      '[12:00] (Bob) old',
      '*** You left #rust',
      '*** Users in #lobby (2): Ann, Bob',
      '*** Rooms (2): #lobby (2), #rust (1)',
      '*** Server is shutting down',
    ),
    fc.string({ unit: 'binary', maxLength: 30 }),
  );
  /** An input for whichever connection is current when it happens. */
  const input: fc.Arbitrary<(session: number) => PageInput> = fc.oneof(
    fc.constant((session: number): PageInput => ({ kind: 'socket-open', session })),
    serverLine.map((text) => (session: number): PageInput => ({ kind: 'socket-line', session, text, at: 1 })),
    fc.double({ min: 0, max: 0.999, noNaN: true }).map((random) => (session: number): PageInput => ({ kind: 'socket-closed', session, at: 2, random })),
    fc.constantFrom('Ann', '', 'exit', 'hello', '/join #rust', '/part').map((text) => (): PageInput => ({ kind: 'user-line', text })),
    fc.constantFrom<PageInput>({ kind: 'timer', timer: 'reconnect' }, { kind: 'timer', timer: 'goodbye' }, { kind: 'timer', timer: 'name-retry' }, { kind: 'online' }).map((i) => (): PageInput => i),
    fc.boolean().map((hidden) => (): PageInput => ({ kind: 'visibility', hidden })),
    fc.constant((): PageInput => ({ kind: 'switch-room', room: '#rust' })),
  );

  it('should never throw, and show only lines the server sent, each at most once, neutralised', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(input, fc.boolean()), { maxLength: 60 }), (plan) => {
        let { state } = startPage(FORGOTTEN);
        const heard: string[] = [];
        const shownLines: string[] = [];
        for (const [make, old] of plan) {
          // Mostly the current connection; sometimes an old one, which must be ignored.
          const next = make(old ? Math.max(0, state.session - 1) : state.session);
          if (next.kind === 'socket-line' && next.session === state.session) heard.push(sanitize(next.text));
          const step = stepPage(state, next, CONFIG);
          state = step.state;
          shownLines.push(...shown(step.effects));
        }
        // Every line shown was heard (neutralised), and shown no more often than it was heard.
        const count = (list: string[], line: string): number => list.filter((l) => l === line).length;
        for (const line of new Set(shownLines)) expect(count(shownLines, line), line).toBeLessThanOrEqual(count(heard, line));
      }),
      { numRuns: 500 },
    );
  });
});

describe('segments: how a line is drawn', () => {
  it('should mark the room tag, the history stamp and the speaker', () => {
    expect(segments('[#rust] [12:00] (Bob) hi (there)', 'chat', '#rust').map((s) => [s.kind, s.text])).toEqual([
      ['tag', '[#rust] '],
      ['stamp', '[12:00] '],
      ['nick', '(Bob)'],
      ['text', ' hi (there)'],
    ]);
    expect(segments('* Bob waves', 'action').map((s) => s.kind)).toEqual(['text', 'nick', 'text']);
    expect(segments('[Ann -> Bob] psst', 'private-to-me').map((s) => s.kind)).toEqual(['tag', 'text']);
    expect(segments('*** Bob joined the chat', 'notice').map((s) => s.kind)).toEqual(['text']);
  });

  it('should give the same colour to a name in any letter case', () => {
    expect(segments('(BOB) x', 'chat')[0]?.colour).toBe(segments('(bob) x', 'chat')[0]?.colour);
  });

  it('should always join back into exactly the line', () => {
    const style = fc.constantFrom('chat', 'mention', 'private', 'private-to-me', 'action', 'notice', 'prompt' as const);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('[', ']', '(', ')', '*', ' ', '#', 'a', 'B', '1', ':', '-', '>', '<', 'é') }), style, fc.option(fc.constantFrom('#a', '#rust')), (text, kind, room) => {
        expect(segments(text, kind, room ?? undefined).map((s) => s.text).join('')).toBe(text);
      }),
    );
  });
});

describe('recall: Up and Down in the Message field', () => {
  it('should go back through sent lines and return to the draft', () => {
    let recall = sent(sent(sent(EMPTY_RECALL, 'one'), 'two'), 'two');
    expect(recall.lines).toEqual(['one', 'two']);
    let field = 'draft';
    for (const [direction, expected] of [[-1, 'two'], [-1, 'one'], [-1, 'one'], [1, 'two'], [1, 'draft'], [1, 'draft']] as const) {
      ({ recall, field } = move(recall, direction, field));
      expect(field).toBe(expected);
    }
  });
});

describe('memory: what a reload remembers', () => {
  it('should read back what it wrote, and forget anything malformed', () => {
    const memory: Memory = { name: 'Ann', rooms: ['#lobby', '#rust'], current: '#rust' };
    expect(decodeMemory(encodeMemory(memory))).toEqual(memory);
    for (const bad of [null, '', '{', '[]', '{"name":"a b","rooms":[],"current":null}', '{"name":"Ann","rooms":["rust"],"current":null}', '{"name":"Ann","rooms":[],"current":1}']) {
      expect(decodeMemory(bad)).toEqual(FORGOTTEN);
    }
  });
});
