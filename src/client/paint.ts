// Colour for the terminal client: whether to use it, and how each kind of line looks.
//
// NO_COLOR (no-color.org): set and not empty means no colour; `--no-color` says the same. Colour
// is also off when the stream is not a TTY (a file or a pipe gets plain text) or TERM is `dumb`.
// With colour off, `paint` returns the text unchanged: byte for byte the sanitised server line.
// Colour is added here, in the driver, after the reducer sanitised the text, never before.
//
//   private `[a -> b] …`     magenta; bold magenta when addressed to me
//   notice  `*** …`          dim          action  `* name …`   green
//   chat    `(name) …`       plain        mention (my name in someone's chat line)   bold
//   prompt  `Username?`      cyan         error (our own warnings, on stderr)         red
//   the `[#room]` tag of another room's line: yellow, then the rest of the line in its own style
// Each style sets only what it resets (bold/dim with 22, colour with 39), so nothing leaks.
import type { PrintStyle } from './style.ts';

/** A printed line's style, or `error` for our own warnings on stderr. */
export type TextStyle = PrintStyle | 'error';

type Env = Readonly<Record<string, string | undefined>>;

/** True when colour may be added to a stream: a TTY, no `--no-color`, no non-empty NO_COLOR, TERM not dumb. */
export function colorEnabled(isTTY: boolean | undefined, noColorFlag: boolean, env: Env): boolean {
  const noColor = env.NO_COLOR;
  return isTTY === true && !noColorFlag && (noColor === undefined || noColor === '') && env.TERM !== 'dumb';
}

/** SGR on/off pairs per style; null for plain. */
const SGR: Readonly<Record<TextStyle, readonly [string, string] | null>> = {
  chat: null,
  mention: ['\u001B[1m', '\u001B[22m'],
  private: ['\u001B[35m', '\u001B[39m'],
  'private-to-me': ['\u001B[1;35m', '\u001B[22;39m'],
  action: ['\u001B[32m', '\u001B[39m'],
  notice: ['\u001B[2m', '\u001B[22m'],
  prompt: ['\u001B[36m', '\u001B[39m'],
  error: ['\u001B[31m', '\u001B[39m'],
};

/** The colour of a `[#room]` tag: none of the styles above uses it. */
const TAG: readonly [string, string] = ['\u001B[33m', '\u001B[39m'];

/**
 * A printed line with its colours: for a line of another room (`room` given, and the text starts
 * with its `[<room>] ` tag) the tag in the tag colour and the rest in `style`; else as `paint`.
 */
export function paintLine(text: string, style: TextStyle, room: string | undefined, color: boolean): string {
  const tag = room === undefined ? '' : `[${room}]`;
  if (!color || tag === '' || !text.startsWith(`${tag} `)) return paint(text, style, color);
  return `${TAG[0]}${tag}${TAG[1]} ${paint(text.slice(tag.length + 1), style, color)}`;
}

/** The text wrapped in its style's colour, or unchanged when colour is off. */
export function paint(text: string, style: TextStyle, color: boolean): string {
  const sgr = SGR[style];
  return color && sgr !== null ? `${sgr[0]}${text}${sgr[1]}` : text;
}
