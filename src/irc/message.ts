// The IRC message grammar: one line ⇄ { tags, source, command, params }. Pure, total, no throw.
//
// modern.ircdocs.horse "Message format":
//
//   message ::= ['@' <tags> SPACE] [':' <source> SPACE] <command> <parameters>
//   tags    ::= <key>['=' <escaped value>] [';' <tags>]
//
// - `parseMessage` accepts any string a framer can produce (the line without its CR LF) and never
//   throws: a line with no command (empty, only spaces, only tags or a source) is `null`; a CR or
//   NUL inside the line is dropped (it could never be sent on anyway). Runs of
//   spaces between parts count as one separator (clients in the wild send them). The command is
//   upper-cased (commands are case-insensitive); everything else keeps its case.
// - The trailing parameter (after ` :`) is a normal parameter that may hold spaces or be empty:
//   `params` holds every parameter, trailing included, as the docs insist.
// - Tag values are unescaped (`\:` `;`, `\s` space, `\\` `\`, `\r` CR, `\n` LF; `\x` is `x`, a lone
//   final `\` is dropped). A key without `=` has the value "". Keys repeat as sent (the last wins,
//   for whoever reads them).
// - `serializeMessage` is the inverse on valid messages (parse ∘ serialize = id, property-tested):
//   the last parameter is written as trailing when it must be (empty, a space, a leading `:`) or when
//   asked (`trailing: true`, the usual form for human text). CR, LF and NUL never reach the wire: they
//   are removed from every part, so no message can smuggle a second line.

/** One IRC message. `params` includes the trailing parameter, if any, as its last element. */
export interface IrcMessage {
  readonly tags: readonly (readonly [key: string, value: string])[];
  /** The prefix without its `:` (`rxchat`, `ann!ann@rxchat`), or null when absent. */
  readonly source: string | null;
  /** Upper-cased: letters (`PRIVMSG`) or three digits (`001`). */
  readonly command: string;
  readonly params: readonly string[];
}

const NO_TAGS: IrcMessage['tags'] = Object.freeze([]);

/** Builds a message with no tags. */
export function message(source: string | null, command: string, ...params: string[]): IrcMessage {
  return { tags: NO_TAGS, source, command, params };
}

/** Parses one line (CR LF already removed). Returns null when the line holds no command. */
export function parseMessage(raw: string): IrcMessage | null {
  const line = clean(raw); // a stray CR or NUL inside a line is dropped, as it would be on the way out
  let at = skipSpaces(line, 0);
  let tags: IrcMessage['tags'] = NO_TAGS;
  if (line.charCodeAt(at) === AT) {
    const end = wordEnd(line, at);
    tags = parseTags(line.slice(at + 1, end));
    at = skipSpaces(line, end);
  }
  let source: string | null = null;
  if (line.charCodeAt(at) === COLON) {
    const end = wordEnd(line, at);
    source = end > at + 1 ? line.slice(at + 1, end) : null;
    at = skipSpaces(line, end);
  }
  const commandEnd = wordEnd(line, at);
  if (commandEnd === at) return null;
  const command = line.slice(at, commandEnd).toUpperCase();
  const params: string[] = [];
  at = skipSpaces(line, commandEnd);
  while (at < line.length) {
    if (line.charCodeAt(at) === COLON) {
      params.push(line.slice(at + 1));
      break;
    }
    const end = wordEnd(line, at);
    params.push(line.slice(at, end));
    at = skipSpaces(line, end);
  }
  return { tags, source, command, params };
}

export interface SerializeOptions {
  /** Write the last parameter as trailing (` :text`) even when it need not be. */
  readonly trailing?: boolean;
}

/** The wire form of a message, without CR LF. Assumes middle parameters are valid (`isMiddle`). */
export function serializeMessage(msg: IrcMessage, options: SerializeOptions = {}): string {
  let out = '';
  if (msg.tags.length > 0) {
    out += '@' + msg.tags.map(([key, value]) => (value === '' ? clean(key) : `${clean(key)}=${escapeTagValue(value)}`)).join(';') + ' ';
  }
  if (msg.source !== null) out += `:${clean(msg.source)} `;
  out += clean(msg.command);
  const last = msg.params.length - 1;
  msg.params.forEach((param, i) => {
    const text = clean(param);
    out += i === last && (options.trailing === true || !isMiddle(text)) ? ` :${text}` : ` ${text}`;
  });
  return out;
}

/** True for a parameter that may be written without a `:` (non-empty, no space, no leading `:`). */
export function isMiddle(param: string): boolean {
  return param.length > 0 && param.charCodeAt(0) !== COLON && !param.includes(' ');
}

const AT = 0x40;
const COLON = 0x3a;
const SPACE = 0x20;

function skipSpaces(line: string, at: number): number {
  while (line.charCodeAt(at) === SPACE) at++;
  return at;
}

function wordEnd(line: string, at: number): number {
  const space = line.indexOf(' ', at);
  return space === -1 ? line.length : space;
}

function parseTags(raw: string): IrcMessage['tags'] {
  const tags: (readonly [string, string])[] = [];
  for (const part of raw.split(';')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq === 0) continue; // no key
    tags.push(eq === -1 ? [part, ''] : [part.slice(0, eq), unescapeTagValue(part.slice(eq + 1))]);
  }
  return tags;
}

const ESCAPES: Readonly<Record<string, string>> = { ':': ';', s: ' ', '\\': '\\', r: '\r', n: '\n' };

function unescapeTagValue(raw: string): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i] as string;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = raw[++i];
    if (next === undefined) break; // a lone final backslash is dropped
    out += ESCAPES[next] ?? next;
  }
  return out;
}

function escapeTagValue(value: string): string {
  return value.replace(/[\\; \r\n]/g, (ch) => (ch === '\\' ? '\\\\' : ch === ';' ? '\\:' : ch === ' ' ? '\\s' : ch === '\r' ? '\\r' : '\\n'));
}

/** Removes what would end or corrupt a line: CR, LF, NUL. */
function clean(text: string): string {
  return /[\r\n\0]/.test(text) ? text.replace(/[\r\n\0]/g, '') : text;
}
