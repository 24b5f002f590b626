// rooms: many small rooms at once; the cost per line (read, decide, route to its room) dominates.
import type { Scenario } from './spec.ts';

export const rooms: Scenario = {
  name: 'rooms',
  summary: '2,000 clients in 100 rooms of 20 (/join after the lobby join storm), one sender per room x 500 lines, at most 16 in flight',
  full: { clients: 2000, senders: 100, rooms: 100, lines: 500, mode: { kind: 'window', window: 16 } },
  rounds: 3,
  headlines: [
    { key: 'deliveriesPerS', label: 'deliveries/s', better: 'higher', digits: 0 },
    { key: 'linesPerS', label: 'lines said/s', better: 'higher', digits: 0 },
    { key: 'serverCpuUsPerDelivery', label: 'server CPU µs/delivery', better: 'lower', digits: 2 },
    { key: 'writesPerDelivery', label: 'server writes/delivery', better: 'lower', digits: 3 },
    { key: 'sendS', label: 'send phase s', better: 'lower', digits: 2 },
    { key: 'p50Ms', label: 'latency p50 ms (queueing)', better: 'lower', digits: 1 },
    { key: 'p99Ms', label: 'latency p99 ms (queueing)', better: 'lower', digits: 1 },
    { key: 'roomsJoinS', label: 'all /join answered s', better: 'lower', digits: 2 },
    { key: 'serverCpuPct', label: 'server CPU % of a core', better: 'lower', digits: 0 },
    { key: 'loadCpuPct', label: 'load gen CPU % of a core', better: 'lower', digits: 0 },
  ],
};
