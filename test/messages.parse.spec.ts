// The line protocol's text both ways (src/line/messages.ts): for every renderer and any valid
// arguments, `parseServerLine(render(x).text)` gives x back. A completeness check makes a new
// renderer without a reader fail here. Then the one ambiguity the wire has (`*** You left #r`),
// lines the server could not have written (read as `notice` or `text`, never as what they mimic),
// and totality over any string.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkName } from '../src/core/names.ts';
import { checkRoom } from '../src/core/rooms.ts';
import { COMMANDS } from '../src/line/commands.ts';
import * as m from '../src/line/messages.ts';
import { isWireName, isWireRoom, parseServerLine, type RoomLine, type ServerLine } from '../src/line/messages.ts';
import { WireLine } from '../src/line/wire-line.ts';

/** Exports of messages.ts that are not server lines. */
const NOT_RENDERERS = new Set(['hhmm', 'isExitCommand', 'isWireName', 'isWireRoom', 'parseServerLine', 'parseRoomLine']);

// Names and rooms as the server writes them, from characters that make the rules bite: letters of
// several scripts, digits, `_` `.` `-`, a combining accent (only kept when NFC leaves it alone),
// and the names that spell words of the protocol's own lines.
const NAME_CHARS = [...'aZz09_.-éßΩжみ한', '\u0301'];
const chars = (min: number, max: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...NAME_CHARS), { minLength: min, maxLength: max }).map((cs) => cs.join(''));
const name: fc.Arbitrary<string> = fc.oneof(
  chars(1, 24).filter(isWireName),
  fc.constantFrom('Ann', 'Users', 'Username', 'Server', 'Now', 'Rooms', 'No', 'Goodbye', 'José', 'a.b', 'x_y-z', 'You', 'you'),
);
/** `You` aside: `leftRoom('You', r)` is the ambiguous line, tested on its own below. */
const nameNotYou = name.filter((n) => n !== 'You');
const room: fc.Arbitrary<string> = fc.oneof(
  chars(1, 32)
    .map((r) => `#${r}`)
    .filter(isWireRoom),
  fc.constantFrom('#lobby', '#rust', '#the', '#chat', '#Ünïcode'),
);
/** Any text a user could have typed (the server strips control characters; the parser need not care). */
const text = fc.oneof(fc.string(), fc.constantFrom('', ' ', '*** Ann joined the chat', '(Eve) hi', '[#r] x', ' (try /help)', ', ', '): '));
const count = fc.nat();
const names = fc.array(name, { maxLength: 20 });
/** A time the server could stamp: any ms from 1970 to 2100. */
const at = fc.integer({ min: 0, max: 4_102_444_800_000 });

type Case = readonly [WireLine, ServerLine];

/** The lines of a room (said in it, or news of it) for the room `r`, with what they read as. */
const roomLine = (r: string): fc.Arbitrary<readonly [WireLine, RoomLine]> =>
  fc.oneof(
    fc.tuple(name, text).map(([n, t]) => [m.chatLine(n, t), { kind: 'chat', name: n, text: t }] as const),
    fc.tuple(name, text).map(([n, t]) => [m.actionLine(n, t), { kind: 'action', name: n, text: t }] as const),
    name.map((n) => [m.joinedNotice(n), { kind: 'joined-chat', name: n }] as const),
    name.map((n) => [m.joinedRoom(n, r), { kind: 'joined-room', name: n, room: r }] as const),
    name.map((n) => [m.leftRoom(n, r), { kind: 'left-room', name: n, room: r }] as const), // `You` too: behind a tag it is someone else
  );

const fixed = (line: WireLine, parsed: ServerLine): fc.Arbitrary<Case> => fc.constant([line, parsed]);

/** Every renderer: its lines for any valid arguments, and what each must read back as. */
const CASES: Readonly<Record<string, fc.Arbitrary<Case>>> = {
  USERNAME_PROMPT: fixed(m.USERNAME_PROMPT, { kind: 'prompt' }),
  GOODBYE_ANONYMOUS: fixed(m.GOODBYE_ANONYMOUS, { kind: 'goodbye', name: null }),
  TIMED_OUT: fixed(m.TIMED_OUT, { kind: 'timed-out' }),
  SERVER_FULL: fixed(m.SERVER_FULL, { kind: 'server-full' }),
  SHUTTING_DOWN: fixed(m.SHUTTING_DOWN, { kind: 'shutting-down' }),
  NO_ROOM: fixed(m.NO_ROOM, { kind: 'no-room' }),
  RESYNCED: fixed(m.RESYNCED, { kind: 'resynced' }),
  NODE_GONE: fixed(m.NODE_GONE, { kind: 'node-gone' }),
  welcome: name.map((n) => [m.welcome(n), { kind: 'welcome', name: n }]),
  joinedNotice: name.map((n) => [m.joinedNotice(n), { kind: 'joined-chat', name: n }]),
  chatLine: fc.tuple(name, text).map(([n, t]) => [m.chatLine(n, t), { kind: 'chat', name: n, text: t }]),
  goodbye: name.map((n) => [m.goodbye(n), { kind: 'goodbye', name: n }]),
  leftNotice: fc
    .tuple(name, fc.constantFrom('quit', 'dropped', 'too-slow' as const))
    .map(([n, reason]) => [m.leftNotice(n, reason), { kind: 'left-chat', name: n, tooSlow: reason === 'too-slow' }]),
  invalidName: text.map((reason) => [m.invalidName(reason), { kind: 'invalid-name', reason }]),
  nameTaken: name.map((n) => [m.nameTaken(n), { kind: 'name-taken', name: n }]),
  lineTooLong: count.map((max) => [m.lineTooLong(max), { kind: 'line-too-long', max }]),
  whoList: names.map((ns) => [m.whoList(ns), { kind: 'online', names: ns }]),
  privateLine: fc.tuple(name, name, text).map(([from, to, t]) => [m.privateLine(from, to, t), { kind: 'private', from, to, text: t }]),
  noSuchUser: text.map((n) => [m.noSuchUser(n), { kind: 'no-such-user', name: n }]),
  renamedNotice: fc.tuple(name, name).map(([from, to]) => [m.renamedNotice(from, to), { kind: 'renamed', from, to }]),
  actionLine: fc.tuple(name, text).map(([n, t]) => [m.actionLine(n, t), { kind: 'action', name: n, text: t }]),
  unknownCommand: text.map((command) => [m.unknownCommand(command), { kind: 'unknown-command', command }]),
  usage: text.map((synopsis) => [m.usage(synopsis), { kind: 'usage', synopsis }]),
  alreadyNamed: name.map((n) => [m.alreadyNamed(n), { kind: 'already-named', name: n }]),
  nowIn: fc.tuple(room, count).map(([r, users]) => [m.nowIn(r, users), { kind: 'now-in', room: r, users }]),
  joinedRoom: fc.tuple(name, room).map(([n, r]) => [m.joinedRoom(n, r), { kind: 'joined-room', name: n, room: r }]),
  leftRoom: fc.tuple(nameNotYou, room).map(([n, r]) => [m.leftRoom(n, r), { kind: 'left-room', name: n, room: r }]),
  youLeft: room.map((r) => [m.youLeft(r), { kind: 'you-left', room: r }]),
  notInRoom: text.map((r) => [m.notInRoom(r), { kind: 'not-in-room', room: r }]),
  roomList: fc
    .array(fc.record({ room, users: count }), { maxLength: 20 })
    .map((rooms) => [m.roomList(rooms), { kind: 'rooms', rooms }]),
  memberList: fc.tuple(room, names).map(([r, ns]) => [m.memberList(r, ns), { kind: 'members', room: r, names: ns }]),
  noSuchRoom: text.map((r) => [m.noSuchRoom(r), { kind: 'no-such-room', room: r }]),
  noHistory: room.map((r) => [m.noHistory(r), { kind: 'no-history', room: r }]),
  invalidRoom: text.map((reason) => [m.invalidRoom(reason), { kind: 'invalid-room', reason }]),
  tooManyRoomsForUser: count.map((max) => [m.tooManyRoomsForUser(max), { kind: 'too-many-rooms-for-user', max }]),
  tooManyRooms: count.map((max) => [m.tooManyRooms(max), { kind: 'too-many-rooms', max }]),
  inRoom: room.chain((r) => roomLine(r).map(([line, parsed]) => [m.inRoom(r, line), { kind: 'in-room', room: r, line: parsed }])),
  stamped: fc
    .tuple(at, name, text, fc.boolean())
    .map(([time, n, t, action]) =>
      action
        ? [m.stamped(time, m.actionLine(n, t)), { kind: 'stamped', time: m.hhmm(time), line: { kind: 'action', name: n, text: t } }]
        : [m.stamped(time, m.chatLine(n, t)), { kind: 'stamped', time: m.hhmm(time), line: { kind: 'chat', name: n, text: t } }],
    ),
  whereIs: fc
    .tuple(name, fc.array(room, { maxLength: 5 }))
    .map(([n, rooms]) => [m.whereIs(n, rooms), { kind: 'where-is', name: n, rooms }]),
  notDelivered: text.map((what) => [m.notDelivered(what), { kind: 'not-delivered', what }]),
  // The /help text: notices with no more meaning than their words.
  helpLines: fc.constantFrom(...m.helpLines(COMMANDS)).map((line) => [line, { kind: 'notice', text: line.text.slice(4) }]),
};

describe('messages: every line the server writes reads back as what it says', () => {
  it('should have a reader for every renderer in messages.ts', () => {
    const renderers = Object.entries(m)
      .filter(([key, value]) => value instanceof WireLine || (typeof value === 'function' && !NOT_RENDERERS.has(key)))
      .map(([key]) => key)
      .sort();
    expect(renderers).toEqual(Object.keys(CASES).sort());
  });

  it.each(Object.keys(CASES))('should read %s back (parse ∘ render = identity)', (key) => {
    const cases = CASES[key];
    if (cases === undefined) throw new Error(`no case for ${key}`);
    fc.assert(
      fc.property(cases, ([line, expected]) => {
        expect(parseServerLine(line.text)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('should read the protocol table lines as PROTOCOL.md writes them', () => {
    const cases: Array<[string, ServerLine]> = [
      ['*** Now in #rust (1 user)', { kind: 'now-in', room: '#rust', users: 1 }],
      ['*** Now in #rust (3 users)', { kind: 'now-in', room: '#rust', users: 3 }],
      ['[#rust] (Ann) hi', { kind: 'in-room', room: '#rust', line: { kind: 'chat', name: 'Ann', text: 'hi' } }],
      ['[14:02] (Ann) hello', { kind: 'stamped', time: '14:02', line: { kind: 'chat', name: 'Ann', text: 'hello' } }],
      ['*** Rooms (2): #lobby (0), #rust (2)', { kind: 'rooms', rooms: [{ room: '#lobby', users: 0 }, { room: '#rust', users: 2 }] }],
      ['*** Users in #rust (2): Ann, Bob', { kind: 'members', room: '#rust', names: ['Ann', 'Bob'] }],
      ['*** Users online (0): ', { kind: 'online', names: [] }],
      ['*** You are in no room (try /join #lobby)', { kind: 'no-room' }],
      ['*** Ann left the chat (too slow)', { kind: 'left-chat', name: 'Ann', tooSlow: true }],
      ['[Ann -> Bob] * Ann waves', { kind: 'private', from: 'Ann', to: 'Bob', text: '* Ann waves' }],
    ];
    for (const [line, parsed] of cases) expect(parseServerLine(line)).toEqual(parsed);
  });
});

describe('messages: names and rooms as the server writes them', () => {
  it('should accept exactly what checkName and checkRoom accept unchanged', () => {
    const word = fc.oneof(fc.string({ maxLength: 40 }), fc.stringMatching(/^#?[A-Za-z0-9_.\- ]{0,34}$/), chars(0, 34));
    fc.assert(
      fc.property(word, (w) => {
        const name = checkName(w);
        const room = checkRoom(w);
        expect(isWireName(w)).toBe(name.ok && name.name === w);
        expect(isWireRoom(w)).toBe(room.ok && room.room === w);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('messages: the one line the wire cannot tell apart', () => {
  it('should read `*** You left #r` as mine, and behind a room tag as a user named You', () => {
    expect(m.leftRoom('You', '#r').text).toBe(m.youLeft('#r').text);
    expect(parseServerLine(m.leftRoom('You', '#r').text)).toEqual({ kind: 'you-left', room: '#r' });
    expect(parseServerLine(m.inRoom('#r', m.leftRoom('You', '#r')).text)).toEqual({
      kind: 'in-room',
      room: '#r',
      line: { kind: 'left-room', name: 'You', room: '#r' },
    });
    // Any other letter case is another name, and unambiguous.
    expect(parseServerLine(m.leftRoom('you', '#r').text)).toEqual({ kind: 'left-room', name: 'you', room: '#r' });
  });
});

describe('messages: lines the server could not have written', () => {
  it.each<[string, string, ServerLine]>([
    ['a name with a space', '*** Ann Lee joined the chat', { kind: 'notice', text: 'Ann Lee joined the chat' }],
    ['a name too long', `*** ${'x'.repeat(25)} joined the chat`, { kind: 'notice', text: `${'x'.repeat(25)} joined the chat` }],
    ['a name not in NFC', 'You are now connected, Jose\u0301!', { kind: 'text', text: 'You are now connected, Jose\u0301!' }],
    ['a welcome without a name', 'You are now connected, !', { kind: 'text', text: 'You are now connected, !' }],
    ['a goodbye to a non-name', 'Goodbye cruel world!', { kind: 'text', text: 'Goodbye cruel world!' }],
    ['a list whose count is wrong', '*** Users online (3): Ann, Bob', { kind: 'notice', text: 'Users online (3): Ann, Bob' }],
    ['a list with a bad name', '*** Users online (2): Ann, b@d', { kind: 'notice', text: 'Users online (2): Ann, b@d' }],
    ['a count with a leading zero', '*** Now in #rust (02 users)', { kind: 'notice', text: 'Now in #rust (02 users)' }],
    ['one user, plural', '*** Now in #rust (1 users)', { kind: 'notice', text: 'Now in #rust (1 users)' }],
    ['a room without its #', '*** Now in rust (2 users)', { kind: 'notice', text: 'Now in rust (2 users)' }],
    ['a room list item without a count', '*** Rooms (1): #lobby', { kind: 'notice', text: 'Rooms (1): #lobby' }],
    ['a nested room tag', '[#a] [#b] (Ann) hi', { kind: 'text', text: '[#a] [#b] (Ann) hi' }],
    ['a room notice under another tag', '[#a] *** Ann joined #b', { kind: 'text', text: '[#a] *** Ann joined #b' }],
    ['a tag on a line no room has', '[#a] *** Users online (0): ', { kind: 'text', text: '[#a] *** Users online (0): ' }],
    ['a stamp on a notice', '[14:02] *** Ann joined #a', { kind: 'text', text: '[14:02] *** Ann joined #a' }],
    ['a stamp past midnight', '[24:00] (Ann) hi', { kind: 'text', text: '[24:00] (Ann) hi' }],
    ['chat from a non-name', '(Ann Lee) hi', { kind: 'text', text: '(Ann Lee) hi' }],
    ['user text that looks like a notice', '(Eve) *** Bob joined the chat', { kind: 'chat', name: 'Eve', text: '*** Bob joined the chat' }],
  ])('should not be fooled by %s', (_case, line, parsed) => {
    expect(parseServerLine(line)).toEqual(parsed);
  });

  it('should read any string without throwing, as exactly one kind', () => {
    const pieces = fc.constantFrom('*** ', '[', '] ', '#r', '(', ') ', ' -> ', 'Ann', ' joined ', ' left ', 'the chat', ', ', ': ', '1', ' users)', '!', ' ');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(pieces, { maxLength: 12 }).map((p) => p.join(''))), (line) => {
        const parsed = parseServerLine(line);
        expect(typeof parsed.kind).toBe('string');
        if (parsed.kind === 'text') expect(parsed.text).toBe(line);
      }),
      { numRuns: 2000 },
    );
  });
});
