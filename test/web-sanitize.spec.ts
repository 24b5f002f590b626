// The client's sanitizer runs in the web page too, so it cannot use `node:util`: it carries Node's
// own ANSI pattern. Here it is held to the Node version it replaced, for any text.
import { stripVTControlCharacters } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stripControls } from '../src/core/text.ts';
import { sanitize } from '../src/client/sanitize.ts';

/** sanitize() as it was, with `node:util` (src/client/sanitize.ts before the web page). */
const CONTROL_STRING = /(?:\u001B[\]PX^_]|[\u0090\u0098\u009D\u009E\u009F])[^\u0007\u001B\u009C]*(?:\u0007|\u001B\\|\u009C)/g;
const withNodeUtil = (text: string): string => stripControls(stripVTControlCharacters(text.replace(CONTROL_STRING, '')));

/** Text built from the pieces escape sequences are made of, so sequences of every shape occur. */
const escapy = fc.string({
  unit: fc.constantFrom('\u001b', '\u009b', '\u009d', '\u009c', '[', ']', '(', ')', '#', ';', '?', '0', '1', '9', 'm', 'A', 'H', 'J', 'K', 'Q', 'R', 'S', 'z', 'c', 'q', '~', '=', '>', '<', '\u0007', '\\', '/', '&', '.', ':', '%', '@', '_', '-', 'P', 'x', ' ', 'é'),
  maxLength: 40,
});

describe('sanitize without node:util', () => {
  it('should remove exactly what the node:util version removes, for any text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), escapy), (text) => {
        expect(sanitize(text)).toBe(withNodeUtil(text));
      }),
      { numRuns: 5000 },
    );
  });

  it.each([
    ['SGR colour', '\u001b[1;31mred\u001b[0m'],
    ['cursor movement', 'a\u001b[2Ab\u001b[10;20Hc'],
    ['C1 CSI', '\u009b2Jx'],
    ['charset selection', '\u001b(Bx'],
    ['OSC hyperlink', '\u001b]8;;https://x\u001b\\y\u001b]8;;\u001b\\'],
  ])('should agree on %s', (_what, text) => {
    expect(sanitize(text)).toBe(withNodeUtil(text));
  });

  it('should import nothing from node: (the page bundles it)', async () => {
    const { readFile } = await import('node:fs/promises');
    const source = await readFile(new URL('../src/client/sanitize.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/from ['"]node:/);
  });
});
