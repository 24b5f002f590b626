// Text hygiene shared by server and client: strip control characters so no peer can drive a terminal.
//
// PROTOCOL.md "Text": C0 controls except TAB, DEL and C1 controls are removed from names and text.
// Removing ESC (0x1B) and CSI (0x9B) is what makes ANSI escape sequences inert: what is left of
// `ESC[31m` is the harmless visible text `[31m`.

/** Every C0 control except TAB (U+0009), DEL (U+007F) and every C1 control (U+0080–U+009F). */
const CONTROL_CHARS = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/g;

/** Removes control characters (C0 but TAB, DEL, C1). Returns the same string when there are none. */
export function stripControls(text: string): string {
  CONTROL_CHARS.lastIndex = 0;
  return CONTROL_CHARS.test(text) ? text.replace(CONTROL_CHARS, '') : text;
}

/** True when a line holds nothing but whitespace (such lines are ignored, never broadcast). */
export function isBlank(text: string): boolean {
  return text.trim() === '';
}
