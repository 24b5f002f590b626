// Correctness of a run, from the clients' fingerprints: every expected line arrived exactly
// once, and every client saw one global order.
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
import type { ClientSummary } from './load/messages.ts';
import type { SizedScenario } from './scenarios/spec.ts';

const same = (a: readonly [number, number], b: readonly [number, number]): boolean => a[0] === b[0] && a[1] === b[1];

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
    if (incomplete > 0) failures.push(`${incomplete} clients did not get every chat line exactly once, in order`);
    const orders = new Set(clients.map((c) => `${c.chat[0]}:${c.chat[1]}`)).size;
    if (orders !== 1) failures.push(`clients saw the chat lines in ${orders} different orders`);
  }
  return failures;
}

/** null when the "first join" links form one chain through every client; otherwise why not. */
function checkChain(clients: readonly ClientSummary[], byG: ReadonlyMap<number, ClientSummary>): string | null {
  let head = clients[0]!;
  for (const client of clients) if (client.joins > head.joins) head = client;
  if (head.joins !== clients.length - 1) {
    return `the first to join heard ${head.joins} join notices, ${clients.length - 1} expected`;
  }
  const seen = new Set<number>([head.g]);
  let current = head;
  // Bounded: each step visits a new client.
  while (current.firstJoin !== -1) {
    const next = byG.get(current.firstJoin);
    const at = `c${current.g} -> c${current.firstJoin}`;
    if (next === undefined) return `${at}: a join notice for a client that does not exist`;
    if (seen.has(next.g)) return `${at}: that join was heard twice along the chain`;
    if (next.events !== current.events - 1) return `${at}: ${current.events} events then ${next.events}, not one fewer`;
    if (!same(current.tail, next.all)) return `${at}: after its first join notice, c${current.g} saw other events than c${next.g}`;
    seen.add(next.g);
    current = next;
  }
  if (current.joins !== 0) return `the last to join (c${current.g}) heard ${current.joins} join notices`;
  if (seen.size !== clients.length) return `the join chain reaches ${seen.size} of ${clients.length} clients`;
  return null;
}
