// connections: a join storm; how long until everyone is in and has heard of everyone after them,
// and what each connection costs the server in memory.
import type { Scenario } from './spec.ts';

export const connections: Scenario = {
  name: 'connections',
  summary: '5,000 clients join one room; time until all are registered and every join notice is delivered',
  full: { clients: 5000, senders: 0, rooms: 0, lines: 0, mode: { kind: 'window', window: 1 } },
  // Three rounds: the RSS sampled the moment the storm drains swings by 10-15 MiB from run to run
  // with when the garbage collector last ran, and the storm's time with the machine's other load.
  rounds: 3,
  headlines: [
    { key: 'registeredS', label: 'all registered s', better: 'lower', digits: 2 },
    { key: 'drainedS', label: 'join storm drained s', better: 'lower', digits: 2 },
    { key: 'joinNoticesPerS', label: 'join notices/s', better: 'higher', digits: 0 },
    { key: 'joinServerCpuS', label: 'server CPU s', better: 'lower', digits: 2 },
    { key: 'joinWritesPerNotice', label: 'server writes/join notice', better: 'lower', digits: 3 },
    { key: 'rssPerConnKiB', label: 'server RSS KiB/connection', better: 'lower', digits: 1 },
    { key: 'joinRssMiB', label: 'server RSS MiB, all registered', better: 'lower', digits: 0 },
    { key: 'serverCpuPct', label: 'server CPU % of a core', better: 'lower', digits: 0 },
    { key: 'loadCpuPct', label: 'load gen CPU % of a core', better: 'lower', digits: 0 },
  ],
};
