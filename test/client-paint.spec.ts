// How lines look: which kind each server line is (style.ts, over the parsed line), how each kind is
// painted with colour on and off (paint.ts), the coloured `[#room]` tag of another room's line,
// when colour is on at all (NO_COLOR, --no-color, TTY, TERM), and that the reducer hands the
// painter sanitised text with the right style and room (colour comes after sanitising).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initialClientState, stepClient, type ClientConfig, type ClientEffect, type ClientState } from '../src/client/client.ts';
import { colorEnabled, paint, paintLine, type TextStyle } from '../src/client/paint.ts';
import { mentions, styleOf, type PrintStyle } from '../src/client/style.ts';
import {
  GOODBYE_ANONYMOUS,
  NO_ROOM,
  SHUTTING_DOWN,
  USERNAME_PROMPT,
  actionLine,
  chatLine,
  goodbye,
  inRoom,
  joinedNotice,
  joinedRoom,
  leftNotice,
  memberList,
  noSuchUser,
  nowIn,
  parseServerLine,
  privateLine,
  renamedNotice,
  roomList,
  stamped,
  unknownCommand,
  welcome,
  whoList,
  youLeft,
} from '../src/line/messages.ts';

const ESC = '\u001b';

describe('style: the kind of each server line', () => {
  it.each<[string, string, string | null, PrintStyle]>([
    ['the name prompt', USERNAME_PROMPT.text, null, 'prompt'],
    ['a join', joinedNotice('Ann').text, 'Bob', 'notice'],
    ['a leave', leftNotice('Ann', 'too-slow').text, 'Bob', 'notice'],
    ['a rename', renamedNotice('Ann', 'Anna').text, 'Bob', 'notice'],
    ['the /who list', whoList(['Ann', 'Bob']).text, 'Bob', 'notice'],
    ['an unknown command', unknownCommand('/x').text, 'Bob', 'notice'],
    ['no such user', noSuchUser('Zed').text, 'Bob', 'notice'],
    ['the shutdown notice', SHUTTING_DOWN.text, 'Bob', 'notice'],
    ['the goodbye', goodbye('Bob').text, 'Bob', 'notice'],
    ['the goodbye at the prompt', GOODBYE_ANONYMOUS.text, null, 'notice'],
    ['a private message to me', privateLine('Ann', 'Bob', 'psst').text, 'Bob', 'private-to-me'],
    ['a private message to me, any case', privateLine('Ann', 'BOB', 'psst').text, 'bob', 'private-to-me'],
    ['my own private message to someone', privateLine('Bob', 'Ann', 'psst').text, 'Bob', 'private'],
    ['a private message before I have a name', privateLine('Ann', 'Bob', 'psst').text, null, 'private'],
    ['an action', actionLine('Ann', 'waves').text, 'Bob', 'action'],
    ['chat', chatLine('Ann', 'hello all').text, 'Bob', 'chat'],
    ['chat naming me', chatLine('Ann', 'hi bob, ready?').text, 'Bob', 'mention'],
    ['my own chat naming me', chatLine('Bob', 'Bob here').text, 'Bob', 'chat'],
    ['chat naming someone longer', chatLine('Ann', 'hi Bobby').text, 'Bob', 'chat'],
    ['the welcome', welcome('Bob').text, 'Bob', 'chat'],
    ['chat that looks like a notice', chatLine('Eve', '*** Bob joined the chat').text, 'Bob', 'mention'],
    ['chat that looks like a private message', chatLine('Eve', '[Ann -> Bob] x').text, 'Joe', 'chat'],
    ['now in a room', nowIn('#rust', 2).text, 'Bob', 'notice'],
    ['a room join', joinedRoom('Ann', '#rust').text, 'Bob', 'notice'],
    ['my part', youLeft('#rust').text, 'Bob', 'notice'],
    ['the room list', roomList([{ room: '#lobby', users: 2 }]).text, 'Bob', 'notice'],
    ['the member list', memberList('#rust', ['Ann']).text, 'Bob', 'notice'],
    ['in no room', NO_ROOM.text, 'Bob', 'notice'],
    ["another room's chat", inRoom('#rust', chatLine('Ann', 'hi')).text, 'Bob', 'chat'],
    ["another room's chat naming me", inRoom('#rust', chatLine('Ann', 'hi Bob')).text, 'Bob', 'mention'],
    ["another room's action", inRoom('#rust', actionLine('Ann', 'waves')).text, 'Bob', 'action'],
    ["another room's notice", inRoom('#rust', joinedRoom('Ann', '#rust')).text, 'Bob', 'notice'],
    ['a history line', stamped(0, chatLine('Ann', 'old')).text, 'Bob', 'chat'],
    ['a history action', stamped(0, actionLine('Ann', 'waved')).text, 'Bob', 'action'],
    ['text the server never writes', 'Goodbye cruel world!', 'Bob', 'chat'],
  ])('should style %s', (_case, line, me, style) => {
    expect(styleOf(parseServerLine(line), me)).toBe(style);
  });

  it('should find my name only as a whole word, in any case', () => {
    expect(mentions('Bob: hi', 'bob')).toBe(true);
    expect(mentions('hey @BOB.', 'Bob')).toBe(true);
    expect(mentions('Bobby and bob_x', 'Bob')).toBe(false);
    expect(mentions('a.b is here', 'a.b')).toBe(true);
    expect(mentions('straße', 'STRASSE')).toBe(true);
    expect(mentions('', 'Bob')).toBe(false);
  });
});

const STYLES: readonly TextStyle[] = ['chat', 'mention', 'private', 'private-to-me', 'action', 'notice', 'prompt', 'error'];

describe('paint: each style with colour on and off', () => {
  it.each<[TextStyle, string]>([
    ['chat', '(Ann) hi'],
    ['mention', `${ESC}[1m(Ann) hi${ESC}[22m`],
    ['private', `${ESC}[35m(Ann) hi${ESC}[39m`],
    ['private-to-me', `${ESC}[1;35m(Ann) hi${ESC}[22;39m`],
    ['action', `${ESC}[32m(Ann) hi${ESC}[39m`],
    ['notice', `${ESC}[2m(Ann) hi${ESC}[22m`],
    ['prompt', `${ESC}[36m(Ann) hi${ESC}[39m`],
    ['error', `${ESC}[31m(Ann) hi${ESC}[39m`],
  ])('should paint %s', (style, painted) => {
    expect(paint('(Ann) hi', style, true)).toBe(painted);
    expect(paint('(Ann) hi', style, false)).toBe('(Ann) hi');
  });

  it('should make private messages, notices and actions look different from chat and from each other', () => {
    const looks = new Set(['private', 'private-to-me', 'notice', 'action', 'chat'].map((s) => paint('x', s as TextStyle, true)));
    expect(looks.size).toBe(5);
  });

  it('should, with colour off, return the text byte for byte; with colour on, only wrap it', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(...STYLES), (text, style) => {
        expect(paint(text, style, false)).toBe(text);
        const painted = paint(text, style, true);
        expect(painted.replace(/\u001b\[[0-9;]*m/gu, '')).toBe(text.replace(/\u001b\[[0-9;]*m/gu, ''));
        expect(painted.includes(text)).toBe(true);
      }),
    );
  });

  it("should colour another room's tag apart from the rest of its line, and nothing else", () => {
    expect(paintLine('[#rust] (Ann) hi', 'chat', '#rust', true)).toBe(`${ESC}[33m[#rust]${ESC}[39m (Ann) hi`);
    expect(paintLine('[#rust] * Ann waves', 'action', '#rust', true)).toBe(`${ESC}[33m[#rust]${ESC}[39m ${ESC}[32m* Ann waves${ESC}[39m`);
    expect(paintLine('[#rust] (Ann) hi', 'chat', '#rust', false)).toBe('[#rust] (Ann) hi');
    expect(paintLine('(Ann) hi', 'chat', undefined, true)).toBe('(Ann) hi');
    expect(paintLine('(Ann) [#rust] hi', 'chat', '#rust', true)).toBe('(Ann) [#rust] hi'); // not its tag: no colour
    expect(paintLine('* Ann waves', 'action', undefined, true)).toBe(paint('* Ann waves', 'action', true));
  });

  it('should, with colour off, print a tagged line byte for byte', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.constantFrom(...STYLES), (room, rest, style) => {
        expect(paintLine(`[${room}] ${rest}`, style, room, false)).toBe(`[${room}] ${rest}`);
      }),
    );
  });

  it('should reset what each style sets, so nothing leaks into the next line', () => {
    for (const style of STYLES) {
      const painted = paint('x', style, true);
      const opens = painted.slice(0, painted.indexOf('x'));
      const closes = painted.slice(painted.indexOf('x') + 1);
      if (/\[(?:\d+;)*[12](?:;|m)/u.test(opens)) expect(closes).toMatch(/22/u); // bold or dim → 22
      if (/\[(?:\d+;)*3\dm/u.test(opens)) expect(closes).toMatch(/39/u); // a colour → 39
    }
  });
});

describe('colour: when it is on', () => {
  it.each([
    ['a TTY, nothing set', true, false, {}, true],
    ['NO_COLOR set but empty (no-color.org: does not count)', true, false, { NO_COLOR: '' }, true],
    ['NO_COLOR=1', true, false, { NO_COLOR: '1' }, false],
    ['NO_COLOR=false (any non-empty value)', true, false, { NO_COLOR: 'false' }, false],
    ['--no-color', true, true, {}, false],
    ['--no-color with NO_COLOR empty', true, true, { NO_COLOR: '' }, false],
    ['not a TTY', false, false, {}, false],
    ['isTTY unknown', undefined, false, {}, false],
    ['TERM=dumb', true, false, { TERM: 'dumb' }, false],
    ['TERM=xterm-256color', true, false, { TERM: 'xterm-256color' }, true],
  ])('should decide colour for %s', (_case, isTTY, flag, env, expected) => {
    expect(colorEnabled(isTTY, flag, env)).toBe(expected);
  });
});

describe('the reducer: sanitised text, then a style for the painter', () => {
  const config: ClientConfig = { name: 'Bob', server: '127.0.0.1:7777', goodbyeTimeoutMs: 2000, whoOnJoin: false };
  /** The print effects for these server lines, once connected and welcomed as Bob. */
  function printed(...lines: string[]): ClientEffect[] {
    let state: ClientState = stepClient(initialClientState, { kind: 'connected' }, config).state;
    state = stepClient(state, { kind: 'server-line', text: welcome('Bob').text }, config).state;
    return lines.flatMap((text) => {
      const next = stepClient(state, { kind: 'server-line', text }, config);
      state = next.state;
      return next.effects;
    });
  }

  it('should style private messages, actions and mentions, after removing escape sequences', () => {
    expect(printed(`[Ann -> Bob] ${ESC}[31mpsst${ESC}[0m`, `* Ann ${ESC}]0;title${ESC}\\waves`, '(Ann) BOB?', '[Bob -> Ann] ok')).toEqual([
      { kind: 'print', text: '[Ann -> Bob] psst', style: 'private-to-me' },
      { kind: 'print', text: '* Ann waves', style: 'action' },
      { kind: 'print', text: '(Ann) BOB?', style: 'mention' },
      { kind: 'print', text: '[Bob -> Ann] ok', style: 'private' },
    ]);
  });

  it("should name the room of another room's line, so the driver can colour its tag", () => {
    expect(printed(inRoom('#rust', chatLine('Ann', 'hi Bob')).text, inRoom('#rust', actionLine('Ann', 'waves')).text, chatLine('Ann', '[#rust] x').text)).toEqual([
      { kind: 'print', text: '[#rust] (Ann) hi Bob', style: 'mention', room: '#rust' },
      { kind: 'print', text: '[#rust] * Ann waves', style: 'action', room: '#rust' },
      { kind: 'print', text: '(Ann) [#rust] x', style: 'chat' },
    ]);
  });

  it('should follow my /nick for what is addressed to me', () => {
    expect(printed(renamedNotice('Bob', 'Rob').text, privateLine('Ann', 'Rob', 'hi').text, privateLine('Ann', 'Bob', 'hi').text)).toEqual([
      { kind: 'print', text: '*** Bob is now known as Rob', style: 'notice' },
      { kind: 'print', text: '[Ann -> Rob] hi', style: 'private-to-me' },
      { kind: 'print', text: '[Ann -> Bob] hi', style: 'private' },
    ]);
  });
});
