// Node death and fencing (PROTOCOL.md "Clusters": when a node dies, each of its users is announced
// `*** <name> left the chat` exactly once, within --node-lease seconds, and their names are free).
// The node that dies is a real process (rxchat-server under tsx) killed with SIGKILL, or frozen
// with SIGSTOP past its lease and then continued (a zombie: it must close its connections and none
// of its late lines may count). Leases are 2 s; the watching nodes run in this process.
import { afterEach, describe, expect, test } from 'vitest';
import { NODE_GONE } from '../src/line/messages.ts';
import { startRedis, type RedisServer } from './helpers/redis.ts';
import { check, readLog } from './helpers/redis-checker.ts';
import { connectClient, destroyClients, spawnNode, startNode, type ChildNode, type TestNode } from './helpers/redis-cluster.ts';

const LEASE_MS = 2000;

let redis: RedisServer | undefined;
let nodes: TestNode[] = [];
let children: ChildNode[] = [];

afterEach(async () => {
  destroyClients();
  await Promise.all(children.map((c) => c.kill9()));
  await Promise.all(nodes.map((n) => n.stop()));
  await redis?.stop();
  redis = undefined;
  nodes = [];
  children = [];
});

/** A child node plus two in-process nodes that are already watching leases. */
async function setup(): Promise<{ redis: RedisServer; child: ChildNode; b: TestNode; c: TestNode }> {
  redis = await startRedis();
  const url = redis.url;
  const [child, b, c] = await Promise.all([spawnNode(url), startNode(url), startNode(url)]);
  children = [child];
  nodes = [b, c];
  // Each watching node counts one healthy lease from its start before it declares anyone gone.
  await Promise.all(nodes.map((n) => n.waitForLog(/^cluster: watching the other nodes' leases/, 3 * LEASE_MS)));
  return { redis, child, b, c };
}

const nodeGones = async (redis: RedisServer, node: string): Promise<number> =>
  (await readLog(redis)).flatMap((e) => e.intents).filter((i) => i.kind === 'node-gone' && i.node === node).length;

describe('a node that dies', () => {
  test('kill -9: its users are announced gone once, within the lease, and their names are free', async () => {
    const { redis, child, b, c } = await setup();
    const ann = await connectClient(child.port, 'Ann');
    const bob = await connectClient(b.port, 'Bob');
    const cyd = await connectClient(c.port, 'Cyd');
    await ann.waitFor('*** Cyd joined the chat');
    ann.say('hi from the doomed node');
    await cyd.waitFor('(Ann) hi from the doomed node');
    const killedAt = performance.now();
    await child.kill9();
    await bob.waitFor('*** Ann left the chat', 2 * LEASE_MS);
    const tookMs = performance.now() - killedAt;
    await cyd.waitFor('*** Ann left the chat', LEASE_MS);
    expect(tookMs).toBeLessThanOrEqual(LEASE_MS);
    // Once: after a line that follows in the one order, still one notice each, one node-gone decided.
    bob.say('after');
    await cyd.waitFor('(Bob) after');
    await bob.waitFor('(Bob) after');
    for (const client of [bob, cyd]) expect(client.lines.filter((l) => l === '*** Ann left the chat')).toHaveLength(1);
    const [node] = (await readLog(redis)).filter((e) => e.intents.some((i) => i.kind === 'claim' && i.name === 'Ann')).map((e) => e.node);
    expect(await nodeGones(redis, node as string)).toBe(1);
    // The name is free again, on another node.
    const ann2 = await connectClient(b.port, 'Ann');
    await cyd.waitFor('*** Ann joined the chat', 2000, cyd.lines.indexOf('*** Ann left the chat'));
    expect(check(await readLog(redis), [bob, cyd, ann2].map((x) => ({ name: x.name, lines: x.lines, said: x.said, complete: true })))).toEqual([]);
  });

  test('a node frozen past its lease is declared gone, then fenced: it closes its connections and its late lines never count', async () => {
    const { redis, child, b } = await setup();
    const ann = await connectClient(child.port, 'Ann');
    const bob = await connectClient(b.port, 'Bob');
    await ann.waitFor('*** Bob joined the chat');
    process.kill(child.pid, 'SIGSTOP');
    try {
      await bob.waitFor('*** Ann left the chat', 2 * LEASE_MS);
      // Typed into the frozen node: it reads them when it wakes, with its own node-gone.
      ann.say('zombie line');
    } finally {
      process.kill(child.pid, 'SIGCONT');
    }
    await ann.waitFor(NODE_GONE.text, 3 * LEASE_MS);
    await ann.waitForClose();
    await child.waitForLog(/^cluster: this node was declared gone by the cluster/);
    await child.waitForLog(/^cluster: this node is out of the cluster: closing its listeners/);
    // With its listeners and Redis connections closed, nothing keeps the process: it ends, with
    // status 1 (a failure, for a supervisor to start it again as a new node).
    expect(await child.waitForExit()).toBe(1);
    bob.say('after');
    await bob.waitFor('(Bob) after');
    expect(bob.lines.filter((l) => l.includes('zombie line'))).toEqual([]);
    expect(bob.lines.filter((l) => l === '*** Ann left the chat')).toHaveLength(1);
    // The zombie's appends after its node-gone may be in the log; none was decided.
    const decided = check(await readLog(redis), [{ name: 'Bob', lines: bob.lines, said: bob.said, complete: true }]);
    expect(decided).toEqual([]);
  });
});
