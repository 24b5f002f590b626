// Minimal colour for the terminal client: whether to use it, and how each kind of line looks.
//
// NO_COLOR (no-color.org): set and not empty means no colour; `--no-color` says the same. Colour
// is also off when the stream is not a TTY (a file or a pipe gets plain text) or TERM is `dumb`.
// Everything else is plain on purpose; issue #4 may give chat lines colours of their own.
import type { PrintStyle } from './client.ts';

/** A printed line's style, or `error` for our own warnings on stderr. */
export type TextStyle = PrintStyle | 'error';

type Env = Readonly<Record<string, string | undefined>>;

/** True when colour may be added to a stream: a TTY, no `--no-color`, no non-empty NO_COLOR, TERM not dumb. */
export function colorEnabled(isTTY: boolean | undefined, noColorFlag: boolean, env: Env): boolean {
  const noColor = env.NO_COLOR;
  return isTTY === true && !noColorFlag && (noColor === undefined || noColor === '') && env.TERM !== 'dumb';
}

/** SGR on/off pairs: notices dim, prompts cyan, errors red; chat stays plain. */
const SGR: Readonly<Record<TextStyle, readonly [string, string] | null>> = {
  chat: null,
  notice: ['\u001B[2m', '\u001B[22m'],
  prompt: ['\u001B[36m', '\u001B[39m'],
  error: ['\u001B[31m', '\u001B[39m'],
};

/** The text wrapped in its style's colour, or unchanged when colour is off. */
export function paint(text: string, style: TextStyle, color: boolean): string {
  const sgr = SGR[style];
  return color && sgr !== null ? `${sgr[0]}${text}${sgr[1]}` : text;
}
