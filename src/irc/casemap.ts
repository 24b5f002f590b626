// Case-insensitive nicks and channels for IRC, and what the server says about it in ISUPPORT.
//
// Nicks are the chat's names and channels its rooms, so IRC compares them exactly as the chat does:
// with core/names.ts `nameKey` (Unicode upper- then lower-casing, on NFC names). Every IRC command
// that names a nick or a channel goes through the hub, which looks it up by that key, so
// `NAMES #LoBbY` and `WHO bob` find `#lobby` and `Bob`; the few comparisons made here (is this
// nick me? am I in that channel?) use the same key.
//
// ISUPPORT says `CASEMAPPING=ascii`. On every name the server accepts (letters, digits, `_`, `-`,
// `.`) that is exact for ASCII: `ascii` and `rfc1459` differ only on `[]\~{}|^`, which no name may
// hold. The server also folds non-ASCII letters (`JOSÉ` is `josé`); no registered CASEMAPPING token
// says that (`rfc7613`/PRECIS also maps widths and differs on a few letters), and Ergo advertises
// `ascii` for its Unicode casemappings for the same reason. A client that compares non-ASCII nicks
// byte for byte may open two query windows for one person; it can never reach the wrong person,
// because the server decides every lookup.
import { nameKey } from '../core/names.ts';

/** The ISUPPORT token for the casemapping. */
export const CASEMAPPING = 'ascii';

/** The key under which a nick or a channel is unique (any letter case is the same one). */
export function ircKey(name: string): string {
  return nameKey(name);
}

/** Whether two nicks (or two channels) are the same one. */
export function sameName(a: string, b: string): boolean {
  return a === b || ircKey(a) === ircKey(b);
}
