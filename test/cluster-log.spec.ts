// The Redis log (drivers/redis-log.ts) against a real redis-server, below the sockets: snapshots
// and trimming, a new node starting from the latest snapshot, entries it cannot read, a node whose
// chat limits differ, and a graceful shutdown that frees its users' names at once.
import { firstValueFrom, filter, take, toArray } from 'rxjs';
import { afterEach, describe, expect, test } from 'vitest';
import type { Delivery } from '../src/core/events.ts';
import type { Intent } from '../src/core/intents.ts';
import { CHAT_DEFAULTS, type ChatConfig } from '../src/core/state.ts';
import { ConfigMismatchError, createRedisLog, redactUrl, type RedisLog } from '../src/drivers/redis-log.ts';
import { encodeBatch } from '../src/drivers/redis-entry.ts';
import { createHub, type Hub } from '../src/hub/hub.ts';
import { DEFAULTS } from '../src/config.ts';
import { startServer } from '../src/server.ts';
import { startRedis, type RedisServer } from './helpers/redis.ts';
import { connectClient, destroyClients, spawnNode, startNode, type ChildNode, type TestNode } from './helpers/redis-cluster.ts';

const CONFIG: ChatConfig = { ...CHAT_DEFAULTS, history: 50 };

let redis: RedisServer | undefined;
const opened: { hub: Hub; log: RedisLog }[] = [];
const nodes: TestNode[] = [];
const children: ChildNode[] = [];

afterEach(async () => {
  destroyClients();
  for (const { hub, log } of opened.splice(0)) {
    hub.dispose();
    await log.close(0);
  }
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
  await Promise.all(children.splice(0).map((c) => c.kill9()));
  await redis?.stop();
  redis = undefined;
});

/** A hub on the Redis log, without sockets; resolves once it has caught up. */
async function hubOn(url: string, node: string, config = CONFIG): Promise<{ hub: Hub; log: RedisLog; logs: string[] }> {
  const logs: string[] = [];
  const log = createRedisLog({ url, node, leaseMs: 2000, config, log: (m) => logs.push(m) });
  const hub = createHub(log, config);
  log.snapshotFrom(() => hub.state.snapshot());
  opened.push({ hub, log });
  await log.ready;
  return { hub, log, logs };
}

const said = (hub: Hub, count: number): Promise<Delivery[]> =>
  firstValueFrom(hub.deliveries$.pipe(filter((d) => d.event.kind === 'said'), take(count), toArray()));

describe('the Redis log', () => {
  test('snapshots trim the log, and a new node starts from the latest one with the same chat', async () => {
    redis = await startRedis();
    const { hub: a, log: logA } = await hubOn(redis.url, 'A');
    // 300 entries from a node that came and went (written as any node writes them).
    const lines = said(a, 299);
    await redis.command(['XADD', 'rxchat:log', '*', ...encodeBatch('F', 1, [{ kind: 'claim', conn: 'F/1', name: 'Fay', lobby: true }])]);
    for (let seq = 2; seq <= 300; seq++) {
      await redis.command(['XADD', 'rxchat:log', '*', ...encodeBatch('F', seq, [{ kind: 'say', conn: 'F/1', room: null, text: `line ${seq}`, style: 'chat' }])]);
    }
    expect(await lines).toHaveLength(299);
    expect(await logA.snapshotNow()).toBe('written');
    const [id] = (await redis.command(['HMGET', 'rxchat:snapshot', 'id'])) as [string];
    const length = Number(await redis.command(['XLEN', 'rxchat:log']));
    expect(length).toBeLessThan(300);
    const { hub: b, logs: logsB } = await hubOn(redis.url, 'B');
    expect(logsB.find((l) => l.startsWith('cluster: node B joined the log at'))).toBe(`cluster: node B joined the log at ${id} (lease 2 s)`);
    expect(b.state.snapshot()).toEqual(a.state.snapshot());
    expect(b.state.rooms.get('#lobby')?.history.map((h) => h.text).at(-1)).toBe('line 300');
    // And they go on together.
    const next = said(b, 1);
    a.publish({ kind: 'claim', conn: 'A/1', name: 'Ann', lobby: true });
    a.publish({ kind: 'say', conn: 'A/1', room: null, text: 'after the snapshot', style: 'chat' });
    expect((await next)[0]?.event).toMatchObject({ kind: 'said', name: 'Ann', text: 'after the snapshot' });
  });

  test('an entry no node can read is skipped, the same way on every node', async () => {
    redis = await startRedis();
    const { hub: a, logs: logsA } = await hubOn(redis.url, 'A');
    const { hub: b, logs: logsB } = await hubOn(redis.url, 'B');
    const seen = [said(a, 1), said(b, 1)];
    await redis.command(['XADD', 'rxchat:log', '*', 'garbage', 'here']);
    await redis.command(['XADD', 'rxchat:log', '*', 'v', '1', 'n', 'X', 's', '1', 'i', '[{"kind":"say","conn":"X/1"}]']);
    const intents: Intent[] = [
      { kind: 'claim', conn: 'A/1', name: 'Ann', lobby: true },
      { kind: 'say', conn: 'A/1', room: null, text: 'still here', style: 'chat' },
    ];
    for (const intent of intents) a.publish(intent);
    for (const s of await Promise.all(seen)) expect(s[0]?.event).toMatchObject({ text: 'still here' });
    for (const logs of [logsA, logsB]) expect(logs.filter((l) => l.startsWith('cluster: skipped log entry'))).toHaveLength(2);
    expect(b.state.snapshot()).toEqual(a.state.snapshot());
  });

  test('a node whose chat limits differ from the cluster’s refuses to join', async () => {
    redis = await startRedis();
    await hubOn(redis.url, 'A');
    const other = createRedisLog({ url: redis.url, node: 'B', leaseMs: 2000, config: { ...CONFIG, history: 7 }, log: () => {} });
    const hub = createHub(other, CONFIG);
    opened.push({ hub, log: other });
    await expect(other.ready).rejects.toBeInstanceOf(ConfigMismatchError);
    await expect(startServer({ ...DEFAULTS, port: 0, webPort: null, ircPort: null, history: 7, redis: redis.url }, () => {})).rejects.toThrow(/chat limits .* differ from the cluster's/);
  });

  test('a node started while Redis is down says so, waits for it (the process stays up) and joins when it comes', async () => {
    redis = await startRedis();
    await redis.kill9();
    let waiting!: () => void;
    const said = new Promise<void>((resolve) => (waiting = resolve));
    const starting = spawnNode(redis.url, [], (line) => {
      if (/^cluster: cannot reach Redis at unix:\/\/.* retrying$/.test(line)) waiting();
    });
    await said;
    await redis.restart();
    const child = await starting;
    children.push(child);
    await child.waitForLog(/^cluster: node \S+ joined the log at 0-0/);
    const ann = await connectClient(child.port, 'Ann');
    ann.say('late but here');
    await ann.waitFor('(Ann) late but here');
  });

  test('Redis refusing writes (out of memory): the node says so, lines are answered Not delivered, and it goes on once Redis accepts', async () => {
    redis = await startRedis();
    const node = await startNode(redis.url);
    nodes.push(node);
    const ann = await connectClient(node.port, 'Ann');
    await redis.command(['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']);
    await redis.command(['CONFIG', 'SET', 'maxmemory', '1']);
    ann.say('while full');
    await node.waitForLog(/^cluster: Redis refuses appends: OOM /);
    // Certainly not in the log (Redis refused every try): answered after the hold (the lease, 2 s).
    await ann.waitFor('*** Not delivered: while full', 5000);
    // The log is known out of reach by now: the next line is answered at its first try.
    const asked = performance.now();
    ann.say('still full');
    await ann.waitFor('*** Not delivered: still full', 5000);
    expect(performance.now() - asked).toBeLessThan(1500);
    await redis.command(['CONFIG', 'SET', 'maxmemory', '0']);
    ann.say('room again');
    await ann.waitFor('(Ann) room again', 5000);
    await node.waitForLog(/^cluster: Redis accepts appends again$/);
    expect(ann.lines.filter((l) => l.includes('while full'))).toEqual(['*** Not delivered: while full']);
  });

  test('a node shut down gracefully announces its users at once (no lease to wait for) and leaves the registry', async () => {
    redis = await startRedis();
    const url = redis.url;
    // A lease far longer than the test: only the shutdown entry can explain a prompt leave.
    const [a, b] = await Promise.all([startNode(url, { nodeLeaseSeconds: 60 }), startNode(url, { nodeLeaseSeconds: 60 })]);
    nodes.push(b);
    const ann = await connectClient(a.port, 'Ann');
    const bob = await connectClient(b.port, 'Bob');
    await ann.waitFor('*** Bob joined the chat');
    await a.stop();
    await ann.waitFor('*** Server is shutting down');
    await bob.waitFor('*** Ann left the chat', 2000);
    expect(await redis.command(['EXISTS', `rxchat:lease:${a.node}`])).toBe(0);
    expect(await redis.command(['SISMEMBER', 'rxchat:nodes', a.node])).toBe(0);
    await connectClient(b.port, 'Ann');
  });
});

test('a Redis URL is logged without its password', () => {
  expect(redactUrl('redis://:secret@db:6379')).toBe('redis://:***@db:6379');
  expect(redactUrl('rediss://user:pw@db:6380/0')).toBe('rediss://user:***@db:6380/0');
  expect(redactUrl('unix:///run/redis.sock')).toBe('unix:///run/redis.sock');
});
