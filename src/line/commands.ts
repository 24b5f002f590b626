// The command parser: one line typed by a chatting user → one typed command. Pure, total, no throw.
//
// PROTOCOL.md "Commands": /who, /msg <to> <text>, /nick <new>, /me <action>, /help, /quit (and
// `exit`); "Rooms": /join <room>, /part [<room>], /rooms, /who <room>, /history [<n>]; any other
// `/x` is unknown. Every malformed form has one answer:
// - command words are case-insensitive (`/WHO` is `/who`); arguments keep their case;
// - runs of spaces or tabs between words are one separator; the text of /msg and /me keeps its
//   inner spacing as typed, only the separator before it is dropped;
// - a command missing what it needs (`/msg`, `/msg bob`, `/nick`, `/me`, `/join`) or with a bad
//   count (`/history x`, `/history 0`) is a `usage` answer;
// - words after a command that takes none (`/rooms all`, `/help me`, `/quit bye`) are ignored;
// - a room argument is everything after the command word; the session checks it (core/rooms.ts)
//   and answers a bad one (`/join bad room`: spaces are not allowed).
// A line not starting with `/` is chat, and `exit` (in any letter case, alone) is `/quit`, as in the lab.

export type Command =
  | { readonly kind: 'say'; readonly text: string }
  | { readonly kind: 'who' }
  | { readonly kind: 'members'; readonly room: string }
  | { readonly kind: 'join'; readonly room: string }
  | { readonly kind: 'part'; readonly room: string | null }
  | { readonly kind: 'rooms' }
  | { readonly kind: 'history'; readonly count: number | null }
  | { readonly kind: 'msg'; readonly to: string; readonly text: string }
  | { readonly kind: 'nick'; readonly name: string }
  | { readonly kind: 'me'; readonly action: string }
  | { readonly kind: 'help' }
  | { readonly kind: 'quit' }
  | { readonly kind: 'usage'; readonly usage: string }
  | { readonly kind: 'unknown'; readonly command: string };

/** Every command with its synopsis and a one-line description, in the order /help lists them. */
export const COMMANDS: readonly { readonly name: string; readonly synopsis: string; readonly does: string }[] = [
  { name: '/who', synopsis: '/who [<room>]', does: 'list the users online, or in a room' },
  { name: '/join', synopsis: '/join <room>', does: 'join a room (created if new) and talk there' },
  { name: '/part', synopsis: '/part [<room>]', does: 'leave a room (default: the current one)' },
  { name: '/rooms', synopsis: '/rooms', does: 'list the rooms and how many are in each' },
  { name: '/history', synopsis: '/history [<n>]', does: "show the current room's last lines" },
  { name: '/msg', synopsis: '/msg <name> <text>', does: 'send a private message' },
  { name: '/nick', synopsis: '/nick <new name>', does: 'change your name' },
  { name: '/me', synopsis: '/me <action>', does: 'say what you are doing' },
  { name: '/help', synopsis: '/help', does: 'show this list' },
  { name: '/quit', synopsis: '/quit (or exit)', does: 'leave the chat' },
];

const synopsis = (name: string): string => COMMANDS.find((c) => c.name === name)?.synopsis ?? name;

/** Splits `text` at its first run of whitespace: [first word, rest without leading space]. */
function firstWord(text: string): [string, string] {
  const match = /^(\S*)\s*([\s\S]*)$/u.exec(text);
  return match === null ? [text, ''] : [match[1] ?? '', match[2] ?? ''];
}

/** Parses a line already cleaned of control characters. Blank lines are the caller's business. */
export function parseCommand(line: string): Command {
  const trimmedStart = line.trimStart();
  if (line.trim().toLowerCase() === 'exit') return { kind: 'quit' };
  if (!trimmedStart.startsWith('/')) return { kind: 'say', text: line };

  const [word, rest] = firstWord(trimmedStart);
  const args = rest.trimEnd();
  switch (word.toLowerCase()) {
    // A room argument is the whole rest of the line: `/join bad room` is refused for its space
    // (core/rooms.ts says so), not quietly taken as `#bad`.
    case '/who':
      return args === '' ? { kind: 'who' } : { kind: 'members', room: args };
    case '/join':
      return args === '' ? { kind: 'usage', usage: synopsis('/join') } : { kind: 'join', room: args };
    case '/part':
      return { kind: 'part', room: args === '' ? null : args };
    case '/rooms':
      return { kind: 'rooms' };
    case '/history': {
      if (args === '') return { kind: 'history', count: null };
      const [count] = firstWord(args);
      return /^[1-9][0-9]{0,8}$/.test(count) ? { kind: 'history', count: Number(count) } : { kind: 'usage', usage: synopsis('/history') };
    }
    case '/help':
      return { kind: 'help' };
    case '/quit':
      return { kind: 'quit' };
    case '/nick':
      return args === '' ? { kind: 'usage', usage: synopsis('/nick') } : { kind: 'nick', name: args };
    case '/me':
      return args === '' ? { kind: 'usage', usage: synopsis('/me') } : { kind: 'me', action: args };
    case '/msg': {
      const [to, text] = firstWord(args);
      if (to === '' || text.trim() === '') return { kind: 'usage', usage: synopsis('/msg') };
      return { kind: 'msg', to, text };
    }
    default:
      return { kind: 'unknown', command: word };
  }
}

/** True for the lines that end a session in any phase: `exit` (any case) and `/quit` (with or without words after it). */
export function isExitCommand(line: string): boolean {
  return parseCommand(line).kind === 'quit';
}
