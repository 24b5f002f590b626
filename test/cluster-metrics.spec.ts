// The Prometheus endpoint (`--metrics-port`, drivers/metrics.ts) over real HTTP: connections by
// front end, users, rooms, lines in and out, bytes out, flood pauses (and the sendq cut-off counter) on a single
// node; the log's append latency, read lag and held lines on a cluster node.
import { afterEach, describe, expect, test } from 'vitest';
import { DEFAULTS, type ServerSettings } from '../src/config.ts';
import type { Running } from '../src/run.ts';
import { startServer } from '../src/server.ts';
import { startRedis, type RedisServer } from './helpers/redis.ts';
import { connectClient, destroyClients } from './helpers/redis-cluster.ts';

let running: Running[] = [];
let redis: RedisServer | undefined;
afterEach(async () => {
  destroyClients();
  await Promise.all(running.map((r) => r.shutdown(200)));
  running = [];
  await redis?.stop();
  redis = undefined;
});

async function serve(overrides: Partial<ServerSettings>): Promise<{ line: number; metrics: number }> {
  const server = await startServer({ ...DEFAULTS, port: 0, webPort: null, ircPort: null, metricsPort: 0, ...overrides }, () => {});
  running.push(server);
  const port = (name: string): number => server.listeners.find((l) => l.name === name)?.port ?? -1;
  return { line: port('line protocol'), metrics: port('metrics') };
}

async function scrape(port: number): Promise<Map<string, number>> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  const values = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    const m = /^(\w+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (m !== null) values.set(m[1] as string, Number(m[2]));
  }
  return values;
}

describe('the metrics endpoint', () => {
  test('a single node: connections, users, rooms, lines, bytes, cut-offs and pauses', async () => {
    const { line, metrics } = await serve({ rate: 5, burst: 2, sendqBytes: 1024 });
    const before = await scrape(metrics);
    const ann = await connectClient(line, 'Ann');
    const bob = await connectClient(line, 'Bob');
    await ann.waitFor('*** Bob joined the chat');
    bob.send('/join #rust');
    await bob.waitFor(/^\*\*\* Now in #rust/);
    ann.send('/join #rust');
    await bob.waitFor('*** Ann joined #rust');
    for (let i = 0; i < 4; i++) ann.say(`hello ${i}`); // past the burst: flood control pauses reading
    await bob.waitFor('(Ann) hello 3');
    const after = await scrape(metrics);
    expect(after.get('rxchat_connections{front_end="line"}')).toBe(2);
    expect(after.get('rxchat_users')).toBe(2);
    expect(after.get('rxchat_rooms')).toBe(2);
    expect(after.get('rxchat_lines_in_total')).toBe(4);
    expect((after.get('rxchat_lines_out_total') ?? 0) - (before.get('rxchat_lines_out_total') ?? 0)).toBeGreaterThanOrEqual(8);
    expect(after.get('rxchat_bytes_out_total')).toBeGreaterThan(before.get('rxchat_bytes_out_total') ?? 0);
    expect(after.get('rxchat_flood_pauses_total')).toBeGreaterThan(before.get('rxchat_flood_pauses_total') ?? 0);
    expect(after.get('rxchat_sendq_cutoffs_total')).toBe(0);
    expect(after.has('rxchat_process_cpu_seconds_total')).toBe(true);
    expect(after.has('rxchat_log_held_lines')).toBe(false); // no cluster, no held lines
    expect((await fetch(`http://127.0.0.1:${metrics}/other`)).status).toBe(404);
  });

  test('a cluster node: log append latency, read lag and held lines', async () => {
    redis = await startRedis();
    const { line, metrics } = await serve({ redis: redis.url, nodeLeaseSeconds: 2 });
    const ann = await connectClient(line, 'Ann');
    ann.say('through the log');
    await ann.waitFor('(Ann) through the log');
    const values = await scrape(metrics);
    expect(values.get('rxchat_log_append_seconds_count')).toBeGreaterThanOrEqual(2);
    expect(values.get('rxchat_log_append_seconds_sum')).toBeGreaterThan(0);
    expect(values.get('rxchat_log_held_lines')).toBe(0);
    expect(values.has('rxchat_log_read_lag_seconds')).toBe(true);
    expect(values.get('rxchat_lines_in_total')).toBe(1);
  });
});
