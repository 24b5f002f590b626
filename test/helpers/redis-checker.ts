// The cluster checker: compares what every client saw with the final log in Redis.
//
// The reference is the log itself: its entries are decided again here with the same pure reducer
// (core/decide.ts) and every delivery is resolved to its recipients and rendered as the line
// protocol renders it (line/render.ts). That gives, for every connection of every node, the exact
// lines the chat owed it, in the one order. Then for each client:
// - what it read (less the lines its own node says about the log: `Username?`, `Goodbye`,
//   `*** Not delivered`, …) is exactly what it was owed, or, for a client cut off early, a prefix
//   of it: a contiguous part of one order, nothing missing, nothing doubled, nothing invented;
// - every chat line it said was either decided exactly once or answered `*** Not delivered`
//   (never both, and, for a client that stayed, never neither), and those decided were decided
//   in the order it said them;
// - it heard each session join the chat and leave it at most once.
// (In the spirit of Maelstrom's broadcast checker and Jepsen's set/queue checkers.)
import { decide } from '../../src/core/decide.ts';
import type { ConnId, LogEntry } from '../../src/core/intents.ts';
import { ChatState, type ChatConfig } from '../../src/core/state.ts';
import { decodeEntry } from '../../src/drivers/redis-entry.ts';
import { RESYNCED } from '../../src/line/messages.ts';
import { renderLine } from '../../src/line/render.ts';
import type { RedisServer } from './redis.ts';

/** What one client saw and said. */
export interface View {
  /** Its name (the welcome `You are now connected, <name>!` ties it to its connection). */
  readonly name: string;
  /** Every line it read, in order. */
  readonly lines: readonly string[];
  /** The chat lines it said, in order. */
  readonly said: readonly string[];
  /** True if it stayed connected until the end (else it may have missed a tail). */
  readonly complete: boolean;
  /** Which session of that name it was, in the order they were welcomed (default: the last). */
  readonly session?: number;
}

/** Lines a node says on its own (not decided by the chat), left out of the comparison. */
const LOCAL: readonly RegExp[] = [/^Username\?$/, /^Goodbye( \S.*)?!$/, /^\*\*\* Not delivered: /, new RegExp(`^${escape(RESYNCED.text)}$`)];

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The log's entries as Redis holds them now, decoded (malformed ones are skipped, as nodes do). */
export async function readLog(redis: RedisServer, key = 'rxchat:log'): Promise<LogEntry[]> {
  const raw = (await redis.command(['XRANGE', key, '-', '+'])) as [string, string[]][];
  const entries: LogEntry[] = [];
  for (const [id, fields] of raw) {
    const decoded = decodeEntry(id, fields);
    if (decoded.ok) entries.push(decoded.entry);
  }
  return entries;
}

/** The lines the chat owes each connection, and each connection's decided chat lines, from the log. */
export function replay(entries: readonly LogEntry[], config?: ChatConfig): { owed: Map<ConnId, string[]>; said: Map<ConnId, string[]>; names: Map<ConnId, string> } {
  const state = new ChatState(config);
  const owed = new Map<ConnId, string[]>();
  const said = new Map<ConnId, string[]>();
  const names = new Map<ConnId, string>();
  const give = (conn: ConnId, lines: readonly { text: string }[]): void => {
    let list = owed.get(conn);
    if (list === undefined) owed.set(conn, (list = []));
    for (const line of lines) list.push(line.text);
  };
  for (const entry of entries) {
    // A node's users as they were before the entry (its shutdown removes them before it is routed).
    const before = Array.from(state.users.values(), (u) => ({ conn: u.conn, node: u.node }));
    decide(state, entry, ({ to, event }) => {
      const rendering = renderLine(event);
      const lines = (current: boolean): readonly { text: string }[] => (current || rendering.prefixed === null ? rendering.plain : rendering.prefixed);
      if (event.kind === 'welcome') names.set(event.conn, event.name);
      if (event.kind === 'said' && event.style === 'chat') {
        const mine = said.get(event.conn) ?? [];
        mine.push(event.text);
        said.set(event.conn, mine);
      }
      switch (to.kind) {
        case 'conn':
          return give(to.conn, lines(true));
        case 'conns':
          for (const conn of to.conns) give(conn, lines(true));
          return;
        case 'room': {
          const room = state.rooms.get(to.room);
          if (room === undefined) return;
          for (const [conn, user] of room.members) if (conn !== to.except) give(conn, lines(user.current === to.room));
          return;
        }
        case 'node':
          // Every connection of the node; the checker knows the named ones.
          for (const user of before) if (user.node === to.node) give(user.conn, lines(true));
          return;
      }
    });
  }
  return { owed, said, names };
}

/** Every violation found (empty when all is well). */
export function check(entries: readonly LogEntry[], views: readonly View[], config?: ChatConfig): string[] {
  const { owed, said, names } = replay(entries, config);
  const problems: string[] = [];
  const byName = new Map<string, ConnId[]>();
  for (const [conn, name] of names) byName.set(name, [...(byName.get(name) ?? []), conn]);
  for (const view of views) {
    const conns = byName.get(view.name) ?? [];
    const conn = conns.at(view.session ?? -1);
    if (conn === undefined) {
      problems.push(`${view.name}: no session ${view.session ?? 'at all'} with this name in the log`);
      continue;
    }
    const expected = owed.get(conn) ?? [];
    const actual = view.lines.filter((line) => !LOCAL.some((re) => re.test(line)));
    const n = Math.min(actual.length, expected.length);
    let i = 0;
    while (i < n && actual[i] === expected[i]) i++;
    if (i < actual.length || (view.complete && actual.length !== expected.length)) {
      problems.push(
        `${view.name}: read ${actual.length} lines, owed ${expected.length}; first difference at ${i}: ` +
          `read ${JSON.stringify(actual.slice(i, i + 3))}, owed ${JSON.stringify(expected.slice(i, i + 3))}`,
      );
    }
    // Each line said: decided once, or answered `*** Not delivered`; in the order said.
    const decided = said.get(conn) ?? [];
    const refused = view.lines.filter((l) => l.startsWith('*** Not delivered: ')).map((l) => l.slice('*** Not delivered: '.length));
    const counts = new Map<string, number>();
    for (const text of decided) counts.set(text, (counts.get(text) ?? 0) + 1);
    for (const [text, count] of counts) if (count > 1) problems.push(`${view.name}: "${text}" decided ${count} times`);
    for (const text of view.said) {
      const wasDecided = counts.has(text);
      const wasRefused = refused.includes(text);
      if (wasDecided && wasRefused) problems.push(`${view.name}: "${text}" was decided and also answered Not delivered`);
      if (!wasDecided && !wasRefused && view.complete) problems.push(`${view.name}: "${text}" was neither decided nor answered Not delivered`);
    }
    const order = view.said.filter((text) => counts.has(text));
    if (JSON.stringify(order) !== JSON.stringify(decided.filter((t) => view.said.includes(t)))) {
      problems.push(`${view.name}: its lines were decided in another order than said: ${JSON.stringify(decided)} vs ${JSON.stringify(view.said)}`);
    }
    // One join and one leave per session, at most, as heard by this client.
    const heard = new Map<string, number>();
    for (const line of view.lines) {
      const m = /^\*\*\* (\S+) (joined|left) the chat/.exec(line);
      if (m !== null) heard.set(`${m[1]} ${m[2]}`, (heard.get(`${m[1]} ${m[2]}`) ?? 0) + 1);
    }
    for (const [what, count] of heard) {
      const sessions = byName.get(what.split(' ')[0] as string)?.length ?? 0;
      if (count > Math.max(1, sessions)) problems.push(`${view.name}: heard "${what} the chat" ${count} times`);
    }
  }
  return problems;
}
