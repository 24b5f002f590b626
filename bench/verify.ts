// Correctness of a run, from the clients' fingerprints: every expected line arrived exactly
// once, and every client saw one global order (in the lobby, and in each room).
//
// Client c's events after its welcome must be the global sequence G from just after c's own
// join: the join notices of everyone who joined later, then every chat line. So if c's first
// event is the join of d, then c's events minus that head must equal d's events exactly. Each
// client reports (first join, event count, fingerprint of all events, fingerprint of all but
// the head); following "first join" links from the first joiner must visit every client once,
// each link matching fingerprints and counts, and end at a client that saw no join at all.
// That proves all n sequences are suffixes of one sequence with n-1 distinct joins. Per-sender
// sequence checks (in the client) prove each chat line arrived once, and one chat fingerprint
// across all clients shows the chat lines in one order.
//
// With rooms the lobby's sequences hold its join notices only, and each room is checked the same
// way on its own: its members' sequences after `*** Now in` (room join notices, then its sender's
// lines) must chain into one, their `<n>`s must be 1..size, and they must share one chat fingerprint.
import type { ClientSummary, Sequence } from './load/messages.ts';
import { roomOf, roomSize, type SizedScenario } from './scenarios/spec.ts';

const same = (a: readonly [number, number], b: readonly [number, number]): boolean => a[0] === b[0] && a[1] === b[1];

/** Failures named per room, at most this many (a broken server would otherwise print 100). */
const MAX_ROOM_FAILURES = 5;

/** The failures found, each a sentence; empty when the run was correct. */
export function verify(shape: SizedScenario, clients: readonly ClientSummary[]): string[] {
  const n = shape.clients;
  const failures: string[] = [];
  const byG = new Map<number, ClientSummary>();
  for (const client of clients) byG.set(client.g, client);
  if (clients.length !== n || byG.size !== n) return [`${byG.size} distinct clients reported, ${n} expected`];

  const unwelcomed = clients.filter((c) => !c.welcomed).length;
  if (unwelcomed > 0) failures.push(`${unwelcomed} of ${n} clients were never welcomed`);

  const joins = clients.reduce((sum, c) => sum + c.joins, 0);
  const expectedJoins = (n * (n - 1)) / 2;
  if (joins !== expectedJoins) failures.push(`${joins} join notices delivered, ${expectedJoins} expected`);

  const chain = checkChain(clients, byG);
  if (chain !== null) failures.push(`not one global order: ${chain}`);

  if (shape.senders > 0) {
    const incomplete = clients.filter((c) => !c.chatComplete).length;
    const what = shape.rooms > 0 ? 'chat line of its room' : 'chat line';
    if (incomplete > 0) failures.push(`${incomplete} clients did not get every ${what} exactly once, in order`);
    if (shape.rooms === 0) {
      const orders = new Set(clients.map((c) => `${c.chat[0]}:${c.chat[1]}`)).size;
      if (orders !== 1) failures.push(`clients saw the chat lines in ${orders} different orders`);
    }
  }
  if (shape.rooms > 0) failures.push(...verifyRooms(shape, clients));
  return failures;
}

/** Each room on its own: every member in it, `<n>`s 1..size, one order of its events, one chat order. */
function verifyRooms(shape: SizedScenario, clients: readonly ClientSummary[]): string[] {
  const outside = clients.filter((c) => c.room === null || c.room.room !== roomOf(c.g, shape.rooms));
  if (outside.length > 0) return [`${outside.length} clients never got into their room, e.g. c${outside[0]!.g}`];
  const members: RoomMember[][] = Array.from({ length: shape.rooms }, () => []);
  for (const client of clients) members[client.room!.room]!.push({ g: client.g, ...client.room! });

  const failures: string[] = [];
  let failedRooms = 0;
  for (let r = 0; r < shape.rooms; r++) {
    const room = members[r]!;
    const problem = checkRoom(room, roomSize(shape, r), shape.senders > 0);
    if (problem === null) continue;
    if (++failedRooms <= MAX_ROOM_FAILURES) failures.push(`#r${r}: ${problem}`);
  }
  if (failedRooms > MAX_ROOM_FAILURES) failures.push(`... ${failedRooms} of ${shape.rooms} rooms failed in all`);
  return failures;
}

interface RoomMember extends Sequence {
  readonly g: number;
  readonly position: number;
}

function checkRoom(members: readonly RoomMember[], size: number, chatting: boolean): string | null {
  if (members.length !== size) return `${members.length} members, ${size} expected`;
  const positions = new Set(members.map((m) => m.position));
  if (positions.size !== size || [...positions].some((p) => p < 1 || p > size)) {
    return `the "Now in (<n> users)" counts were not 1..${size}: ${[...positions].sort((a, b) => a - b).join(', ')}`;
  }
  const joins = members.reduce((sum, m) => sum + m.joins, 0);
  if (joins !== (size * (size - 1)) / 2) return `${joins} room join notices, ${(size * (size - 1)) / 2} expected`;
  for (const member of members) {
    if (member.joins !== size - member.position) {
      return `c${member.g} was member ${member.position} of ${size} but heard ${member.joins} later joins`;
    }
  }
  const chain = checkChain(members, new Map(members.map((m) => [m.g, m])));
  if (chain !== null) return `not one order: ${chain}`;
  if (chatting && new Set(members.map((m) => `${m.chat[0]}:${m.chat[1]}`)).size !== 1) return 'members saw its lines in different orders';
  return null;
}

/** null when the "first join" links form one chain through every sequence; otherwise why not. */
function checkChain<T extends Sequence & { readonly g: number }>(sequences: readonly T[], byG: ReadonlyMap<number, T>): string | null {
  let head = sequences[0]!;
  for (const sequence of sequences) if (sequence.joins > head.joins) head = sequence;
  if (head.joins !== sequences.length - 1) {
    return `the first to join heard ${head.joins} join notices, ${sequences.length - 1} expected`;
  }
  const seen = new Set<number>([head.g]);
  let current = head;
  // Bounded: each step visits a new client.
  while (current.firstJoin !== -1) {
    const next = byG.get(current.firstJoin);
    const at = `c${current.g} -> c${current.firstJoin}`;
    if (next === undefined) return `${at}: a join notice for a client that does not exist (here)`;
    if (seen.has(next.g)) return `${at}: that join was heard twice along the chain`;
    if (next.events !== current.events - 1) return `${at}: ${current.events} events then ${next.events}, not one fewer`;
    if (!same(current.tail, next.all)) return `${at}: after its first join notice, c${current.g} saw other events than c${next.g}`;
    seen.add(next.g);
    current = next;
  }
  if (current.joins !== 0) return `the last to join (c${current.g}) heard ${current.joins} join notices`;
  if (seen.size !== sequences.length) return `the join chain reaches ${seen.size} of ${sequences.length} clients`;
  return null;
}
