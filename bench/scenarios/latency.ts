// latency: a steady, modest load; how long a line takes from its sender to every receiver.
import type { Scenario } from './spec.ts';

export const latency: Scenario = {
  name: 'latency',
  summary: '200 clients, 10 senders at 20 lines/s for 10 s; send-to-receipt time over every delivery',
  full: { clients: 200, senders: 10, rooms: 0, lines: 200, mode: { kind: 'paced', perSecond: 20 } },
  rounds: 3,
  headlines: [
    { key: 'p50Ms', label: 'latency p50 ms', better: 'lower', digits: 2 },
    { key: 'p99Ms', label: 'latency p99 ms', better: 'lower', digits: 2 },
    { key: 'maxMs', label: 'latency max ms', better: 'lower', digits: 2 },
    { key: 'serverCpuUsPerDelivery', label: 'server CPU µs/delivery', better: 'lower', digits: 2 },
    { key: 'writesPerDelivery', label: 'server writes/delivery', better: 'lower', digits: 3 },
    { key: 'serverCpuPct', label: 'server CPU % of a core', better: 'lower', digits: 0 },
    { key: 'loadCpuPct', label: 'load gen CPU % of a core', better: 'lower', digits: 0 },
  ],
};
