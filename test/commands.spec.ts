// The command parser: every form, well- or malformed, has exactly one answer, and it never throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand, type Command } from '../src/line/commands.ts';

describe('parseCommand', () => {
  it.each<[string, Command]>([
    ['hello', { kind: 'say', text: 'hello' }],
    ['  indented text ', { kind: 'say', text: '  indented text ' }],
    ['a /who in the middle', { kind: 'say', text: 'a /who in the middle' }],
    ['exit', { kind: 'quit' }],
    ['  exit  ', { kind: 'quit' }],
    ['exit now', { kind: 'say', text: 'exit now' }],
    ['EXIT', { kind: 'quit' }],
    ['/quit', { kind: 'quit' }],
    ['/QUIT bye all', { kind: 'quit' }],
    ['/who', { kind: 'who' }],
    ['/WHO', { kind: 'who' }],
    ['  /who  now', { kind: 'members', room: 'now' }],
    ['/who #a b', { kind: 'members', room: '#a b' }],
    ['/who #Rust', { kind: 'members', room: '#Rust' }],
    ['/join', { kind: 'usage', usage: '/join <room>' }],
    ['/join rust', { kind: 'join', room: 'rust' }],
    ['/JOIN  #rust  ', { kind: 'join', room: '#rust' }],
    ['/join bad room', { kind: 'join', room: 'bad room' }],
    ['/part', { kind: 'part', room: null }],
    ['/part #rust', { kind: 'part', room: '#rust' }],
    ['/rooms', { kind: 'rooms' }],
    ['/rooms all', { kind: 'rooms' }],
    ['/history', { kind: 'history', count: null }],
    ['/history 5', { kind: 'history', count: 5 }],
    ['/history 0', { kind: 'usage', usage: '/history [<n>]' }],
    ['/history x', { kind: 'usage', usage: '/history [<n>]' }],
    ['/history -3', { kind: 'usage', usage: '/history [<n>]' }],
    ['/help', { kind: 'help' }],
    ['/Help me', { kind: 'help' }],
    ['/msg bob hi', { kind: 'msg', to: 'bob', text: 'hi' }],
    ['/MSG   bob    hi  there ', { kind: 'msg', to: 'bob', text: 'hi  there' }],
    ['/msg\tbob\thi', { kind: 'msg', to: 'bob', text: 'hi' }],
    ['/msg', { kind: 'usage', usage: '/msg <name> <text>' }],
    ['/msg   ', { kind: 'usage', usage: '/msg <name> <text>' }],
    ['/msg bob', { kind: 'usage', usage: '/msg <name> <text>' }],
    ['/msg bob    ', { kind: 'usage', usage: '/msg <name> <text>' }],
    ['/nick Robert', { kind: 'nick', name: 'Robert' }],
    ['/NICK   Robert  ', { kind: 'nick', name: 'Robert' }],
    ['/nick two words', { kind: 'nick', name: 'two words' }],
    ['/nick', { kind: 'usage', usage: '/nick <new name>' }],
    ['/me waves', { kind: 'me', action: 'waves' }],
    ['/me   waves  at  you ', { kind: 'me', action: 'waves  at  you' }],
    ['/me', { kind: 'usage', usage: '/me <action>' }],
    ['/dance', { kind: 'unknown', command: '/dance' }],
    ['/Dance now', { kind: 'unknown', command: '/Dance' }],
    ['/', { kind: 'unknown', command: '/' }],
    ['//who', { kind: 'unknown', command: '//who' }],
    ['/whom', { kind: 'unknown', command: '/whom' }],
  ])('%j → %j', (line, command) => {
    expect(parseCommand(line)).toEqual(command);
  });
});

describe('parseCommand properties', () => {
  it('never throws, and answers every line with one of its kinds', () => {
    const kinds = ['say', 'who', 'members', 'join', 'part', 'rooms', 'history', 'msg', 'nick', 'me', 'help', 'quit', 'usage', 'unknown'];
    const line = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.tuple(fc.constantFrom('/msg', '/nick', '/me', '/who', '/help', '/quit', '/x', '/MSG', 'exit'), fc.string({ maxLength: 20 })).map(([c, rest]) => c + rest),
    );
    fc.assert(
      fc.property(line, (text) => {
        expect(kinds).toContain(parseCommand(text).kind);
      }),
      { numRuns: 3000 },
    );
  });

  it('a line not starting with `/` (and not `exit`) is always said as typed', () => {
    const chat = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !s.trimStart().startsWith('/') && s.trim().toLowerCase() !== 'exit');
    fc.assert(
      fc.property(chat, (text) => {
        expect(parseCommand(text)).toEqual({ kind: 'say', text });
      }),
    );
  });

  it('/msg keeps any message text exactly, after one separator', () => {
    const word = fc.stringMatching(/^[a-zA-Z0-9_.-]{1,12}$/);
    const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== '' && !/^\s/u.test(s) && !/\s$/u.test(s));
    fc.assert(
      fc.property(word, text, (to, message) => {
        expect(parseCommand(`/msg ${to} ${message}`)).toEqual({ kind: 'msg', to, text: message });
      }),
    );
  });
});
