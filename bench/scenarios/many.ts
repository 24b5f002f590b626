// many: fan-out to a big room; per-recipient cost dominates, per-line cost is amortised.
import type { Scenario } from './spec.ts';

export const many: Scenario = {
  name: 'many',
  summary: '2,000 clients, 2 senders x 400 lines, at most 32 lines in flight per sender',
  full: { clients: 2000, senders: 2, rooms: 0, lines: 400, mode: { kind: 'window', window: 32 } },
  rounds: 1,
  headlines: [
    { key: 'deliveriesPerS', label: 'deliveries/s', better: 'higher', digits: 0 },
    { key: 'serverCpuUsPerDelivery', label: 'server CPU µs/delivery', better: 'lower', digits: 2 },
    { key: 'writesPerDelivery', label: 'server writes/delivery', better: 'lower', digits: 3 },
    { key: 'sendS', label: 'send phase s', better: 'lower', digits: 2 },
    { key: 'p99Ms', label: 'latency p99 ms (queueing)', better: 'lower', digits: 1 },
    { key: 'drainedS', label: 'join storm s (setup)', better: 'lower', digits: 2 },
    { key: 'serverCpuPct', label: 'server CPU % of a core', better: 'lower', digits: 0 },
    { key: 'loadCpuPct', label: 'load gen CPU % of a core', better: 'lower', digits: 0 },
  ],
};
