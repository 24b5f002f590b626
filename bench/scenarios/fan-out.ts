// fan-out: a few busy senders, many listeners; how fast lines reach everyone, and at what CPU cost.
import type { Scenario } from './spec.ts';

export const fanOut: Scenario = {
  name: 'fan-out',
  summary: '500 clients, 5 senders x 400 lines, at most 32 lines in flight per sender (landed = own echo back)',
  full: { clients: 500, senders: 5, rooms: 0, lines: 400, mode: { kind: 'window', window: 32 } },
  rounds: 3,
  headlines: [
    { key: 'deliveriesPerS', label: 'deliveries/s', better: 'higher', digits: 0 },
    { key: 'serverCpuUsPerDelivery', label: 'server CPU µs/delivery', better: 'lower', digits: 2 },
    { key: 'writesPerDelivery', label: 'server writes/delivery', better: 'lower', digits: 3 },
    { key: 'sendS', label: 'send phase s', better: 'lower', digits: 2 },
    { key: 'p50Ms', label: 'latency p50 ms (queueing)', better: 'lower', digits: 1 },
    { key: 'p99Ms', label: 'latency p99 ms (queueing)', better: 'lower', digits: 1 },
    { key: 'serverCpuPct', label: 'server CPU % of a core', better: 'lower', digits: 0 },
    { key: 'loadCpuPct', label: 'load gen CPU % of a core', better: 'lower', digits: 0 },
  ],
};
