// cluster-fan-out and cluster-latency: the fan-out and latency loads on two rxchat nodes sharing
// one Redis (bench/cluster.ts), the clients split across the nodes, next to one node alone in the
// same round. What the log in Redis costs: throughput (target: at least 0.5x one node), the
// latency it adds (target: p99 at most 2 ms more), Redis's share of the CPU, and what one Redis
// caps in appends per second (one writer = one node's ceiling in batches/s; 16 writers).
import { fanOut } from './fan-out.ts';
import { latency } from './latency.ts';
import type { Headline, Scenario } from './spec.ts';

const REDIS: readonly Headline[] = [
  { key: 'redisCpuPct', label: 'Redis CPU % of a core', better: 'lower', digits: 0 },
  { key: 'redisCpuSharePct', label: 'Redis share of server CPU %', better: 'lower', digits: 0 },
  { key: 'redisAppendsPerS1', label: 'Redis XADD/s, 1 writer', better: 'higher', digits: 0 },
  { key: 'redisAppendsPerS16', label: 'Redis XADD/s, 16 writers', better: 'higher', digits: 0 },
];

const split = 'clients split over 2 nodes on one Redis (AOF, appendfsync always); rxchat = one node, no Redis';

export const clusterFanOut: Scenario = {
  ...fanOut,
  name: 'cluster-fan-out',
  summary: `as fan-out (${fanOut.full.clients} clients, ${fanOut.full.senders} senders x ${fanOut.full.lines} lines, window 32), ${split}`,
  servers: ['rxchat', 'rxchat-cluster'],
  ratios: [['rxchat-cluster', 'rxchat']],
  headlines: [...fanOut.headlines, ...REDIS],
};

export const clusterLatency: Scenario = {
  ...latency,
  name: 'cluster-latency',
  summary: `as latency (${latency.full.clients} clients, ${latency.full.senders} senders at 20 lines/s), ${split}`,
  servers: ['rxchat', 'rxchat-cluster'],
  ratios: [['rxchat-cluster', 'rxchat']],
  headlines: [...latency.headlines, ...REDIS],
};
