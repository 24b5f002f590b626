// Neutralises one line of server text before it reaches the terminal (CWE-150, FEATURES.md §3.9).
//
// A hostile or broken server must not be able to move the cursor, clear the screen, retitle the
// window, ring the bell or overwrite what was printed before. Three passes, each removing more:
//   1. control strings (OSC, DCS, SOS, PM, APC) from their introducer to their terminator (BEL or
//      ST), so a window title such as `ESC]0;my title BEL` goes as a whole, spaces and all;
//   2. every other ANSI/VT escape sequence, whole (ANSI_SEQUENCE: Node's `util.stripVTControlCharacters`);
//   3. whatever control character is left, C0 but TAB, DEL and C1 (`stripControls`), so even a
//      malformed sequence is inert: without its ESC it is plain visible text.
// No `node:` import: the web page runs this file too (the client reducer, bundled for the browser).
import { stripControls } from '../core/text.ts';

/** ESC ] / ESC P / ESC X / ESC ^ / ESC _ (or their C1 forms) … up to BEL, ESC \ or ST. */
const CONTROL_STRING = /(?:\u001B[\]PX^_]|[\u0090\u0098\u009D\u009E\u009F])[^\u0007\u001B\u009C]*(?:\u0007|\u001B\\|\u009C)/g;

/**
 * An ANSI/VT escape sequence: the pattern `util.stripVTControlCharacters` uses in Node 20
 * (lib/internal/util/inspect.js, from ansi-regex by Sindre Sorhus, MIT), copied so that the page
 * can run it; test/web-sanitize.spec.ts checks it removes exactly what Node's does.
 */
const ANSI_SEQUENCE = new RegExp(
  '[\\u001B\\u009B][[\\]()#;?]*' +
    '(?:(?:(?:(?:;[-a-zA-Z\\d\\/\\#&.:=?%@~_]+)*' +
    '|[a-zA-Z\\d]+(?:;[-a-zA-Z\\d\\/\\#&.:=?%@~_]*)*)?' +
    '(?:\\u0007|\\u001B\\u005C|\\u009C))' +
    '|(?:(?:\\d{1,4}(?:;\\d{0,4})*)?' +
    '[\\dA-PR-TZcf-nq-uy=><~]))',
  'g',
);

/** The text with every escape sequence and control character removed (TAB is kept). */
export function sanitize(text: string): string {
  return stripControls(text.replace(CONTROL_STRING, '').replace(ANSI_SEQUENCE, ''));
}
