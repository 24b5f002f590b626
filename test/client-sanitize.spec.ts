// What a hostile server can put in a line, and what the client prints of it (sanitize.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitize } from '../src/client/sanitize.ts';

/** What must never reach the terminal: C0 but TAB, DEL, C1 (ESC and CSI included). */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;
/** Any text, or text made of the pieces escape sequences are built from, in any order. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom('\u001b', '[', ']', '0', ';', 'm', '\u0007', '\u009b', '\u009d', '\\', 'P', '\r', '\b', 'a', ' ', '\t', '\u007f') }),
);

describe('sanitize: server text before it reaches the terminal', () => {
  it.each([
    ['clear screen and home (ESC[2J ESC[H)', '\u001b[2J\u001b[Hhello', 'hello'],
    ['colour (SGR)', '\u001b[1;31mred\u001b[0m', 'red'],
    ['window title (OSC ending in BEL)', '\u001b]0;x\u0007after', 'after'],
    ['window title with spaces (OSC ending in BEL)', '\u001b]0;my new title\u0007after', 'after'],
    ['hyperlink (OSC 8 ending in ST)', '\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\', 'click'],
    ['device control string (DCS)', '\u001bPq#0;2;0;0;0\u001b\\after', 'after'],
    ['bell (BEL)', 'ding\u0007dong', 'dingdong'],
    ['backspace over earlier text', 'safe\b\b\b\bEVIL', 'safeEVIL'],
    ['carriage return to overwrite the line', 'real text\rfake', 'real textfake'],
    ['C1 control sequence introducer (U+009B)', '\u009b2Jafter', 'after'],
    ['a lone C1 control', 'a\u0085b', 'ab'],
    ['DEL', 'a\u007fb', 'ab'],
    ['a lone ESC', 'a\u001bb', 'ab'],
  ])('should remove %s', (_what, raw, shown) => {
    expect(sanitize(raw)).toBe(shown);
  });

  it('should keep plain text, TAB and every printable Unicode character', () => {
    const text = '(Zoë) naïve café — 你好 🙂\tend [31m not an escape';
    expect(sanitize(text)).toBe(text);
  });

  it('should leave no ESC, no C0 but TAB, no DEL and no C1 in anything', () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        expect(sanitize(raw)).not.toMatch(CONTROL);
      }),
    );
  });
});
