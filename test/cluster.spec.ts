// Clusters over a real redis-server (PROTOCOL.md "Clusters"): three nodes serve one chat in one
// order, names are unique across nodes, and Redis restarting (on its files, or empty) loses or
// doubles nothing silently. Each test has its own Redis on a unix socket in a temp dir, in-process
// nodes with 2 s leases, and checks every client's view against the final log (redis-checker.ts).
import { afterEach, describe, expect, test } from 'vitest';
import { NODE_GONE, RESYNCED } from '../src/line/messages.ts';
import { startRedis, type RedisServer } from './helpers/redis.ts';
import { check, readLog } from './helpers/redis-checker.ts';
import { connectClient, destroyClients, startNode, type Client, type TestNode } from './helpers/redis-cluster.ts';
import { chatLines, chatter, settle } from './helpers/redis-traffic.ts';

let redis: RedisServer | undefined;
let nodes: TestNode[] = [];

afterEach(async () => {
  destroyClients();
  await Promise.all(nodes.map((n) => n.stop()));
  nodes = [];
  await redis?.stop();
  redis = undefined;
});

async function cluster(n: number): Promise<{ redis: RedisServer; nodes: TestNode[] }> {
  redis = await startRedis();
  const url = redis.url;
  nodes = await Promise.all(Array.from({ length: n }, () => startNode(url)));
  return { redis, nodes };
}

/** Connects `names` round-robin over `on`, one after another, each waiting for its welcome. */
async function users(on: readonly TestNode[], names: readonly string[]): Promise<Client[]> {
  const clients: Client[] = [];
  for (const [i, name] of names.entries()) clients.push(await connectClient((on[i % on.length] as TestNode).port, name));
  const last = names.at(-1) as string;
  await Promise.all(clients.slice(0, -1).map((c) => c.waitFor(`*** ${last} joined the chat`)));
  return clients;
}

const views = (clients: readonly Client[]) => clients.map((c) => ({ name: c.name, lines: c.lines, said: c.said, complete: !c.closed }));

describe('a cluster of three nodes on one Redis', () => {
  test('clients on three nodes chat with one order, checked against the log', async () => {
    const { redis, nodes } = await cluster(3);
    const clients = await users(nodes, ['Ann', 'Bob', 'Cyd', 'Dee', 'Eve', 'Fay']);
    await chatter(clients, 15, 3);
    const refused = await settle(clients, 10_000);
    expect(refused.size).toBe(0);
    // One order: every client read the same chat lines in the same order.
    const first = chatLines(clients[0] as Client);
    expect(first).toHaveLength(6 * 15);
    for (const client of clients) expect(chatLines(client)).toEqual(first);
    expect(check(await readLog(redis), views(clients))).toEqual([]);
  });

  test('two nodes race for one name 20 times: one wins each time', async () => {
    const { nodes } = await cluster(2);
    const [a, b] = nodes as [TestNode, TestNode];
    for (let round = 0; round < 20; round++) {
      const name = `Race${round}`;
      const pair = await Promise.all([connectClient(a.port, null), connectClient(b.port, null)]);
      for (const c of pair) c.send(name);
      const outcomes = await Promise.all(pair.map((c) => c.waitFor((l) => l === `You are now connected, ${name}!` || l === `*** Username ${name} is taken`)));
      expect(outcomes.filter((o) => o.startsWith('You are now connected')), `round ${round}: ${outcomes.join(' / ')}`).toHaveLength(1);
      for (const c of pair) c.destroy();
    }
  });
});

describe('Redis restarts under a chatting cluster', () => {
  test('kill -9 of Redis and a restart on the same files mid-chat: nothing lost or doubled', async () => {
    const { redis, nodes } = await cluster(3);
    const clients = await users(nodes, ['Ann', 'Bob', 'Cyd']);
    const talk = chatter(clients, 30, 20);
    await clients[0]?.waitFor('(Cyd) Cyd-5');
    await redis.kill9();
    await redis.restart();
    await talk;
    const refused = await settle(clients, 10_000);
    // The outage (well under the hold time, the lease) delays lines; none is refused.
    expect(Object.fromEntries(refused)).toEqual({});
    for (const n of nodes) await n.waitForLog(/^cluster: Redis is back after/);
    expect(check(await readLog(redis), views(clients))).toEqual([]);
    const first = chatLines(clients[0] as Client);
    for (const client of clients) expect(chatLines(client)).toEqual(first);
  });

  test('Redis restarted empty: the nodes notice, resync and tell their users; the chat goes on', async () => {
    const { redis, nodes } = await cluster(2);
    const [a, b] = nodes as [TestNode, TestNode];
    const [ann, bob] = (await users([a, b], ['Ann', 'Bob'])) as [Client, Client];
    ann.say('before');
    await bob.waitFor('(Ann) before');
    await redis.restartEmpty();
    for (const n of nodes) await n.waitForLog(/^cluster: Redis came back without the log this node read .*resyncing/);
    // Users hear why, and (forgotten by the restored chat) are asked to reconnect.
    for (const c of [ann, bob]) {
      await c.waitFor(RESYNCED.text);
      await c.waitFor(NODE_GONE.text);
      await c.waitForClose();
    }
    const [ann2, bob2] = (await users([a, b], ['Ann', 'Bob'])) as [Client, Client];
    ann2.say('after');
    await bob2.waitFor('(Ann) after');
    expect(check(await readLog(redis), views([ann2, bob2]))).toEqual([]);
  });
});
