// Text typed by IRC users, made plain for the chat: IRC formatting codes go whole, then every
// control character (PROTOCOL.md "Text", core/text.ts).
//
// Stripping only the control characters would leave the colour numbers behind: `\x0304red` would
// reach everyone as `04red`. So a colour code takes its digits with it (`\x03` + up to two digits,
// optionally `,` and up to two more; `\x04` + six hex digits, optionally `,` and six more), as
// modern.ircdocs.horse "Formatting" defines them; bold, italics, underline, strike-through,
// monospace, reverse and reset are single control characters that stripControls removes.
import { stripControls } from '../core/text.ts';

const COLOURS = /\x03(?:\d{1,2}(?:,\d{1,2})?)?|\x04(?:[0-9a-fA-F]{6}(?:,[0-9a-fA-F]{6})?)?/g;

/** IRC text without formatting or control characters. */
export function plainText(raw: string): string {
  const uncoloured = raw.includes('\x03') || raw.includes('\x04') ? raw.replace(COLOURS, '') : raw;
  return stripControls(uncoloured);
}
