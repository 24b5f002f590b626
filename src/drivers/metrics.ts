// The Prometheus endpoint (`--metrics-port`, off by default): GET /metrics in the text format.
//
// What a chat's operator watches: connections by front end, users and rooms, lines in and out,
// bytes out, clients cut off as too slow, flood-control pauses, and, in a cluster, how long the
// log takes to take a line back (append → read back) and how far this node's reading lags. Each
// figure is read where it already lives when Prometheus scrapes (the listeners, the hub's state,
// io-counters.ts) or observed as it happens (the log, the hub's decided lines); nothing is
// computed per delivery. Plus prom-client's process metrics (CPU, memory, event-loop lag).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Subscription } from 'rxjs';
import type { Hub } from '../hub/hub.ts';
import type { Driver, Listener } from '../run.ts';
import { ioCounters } from './io-counters.ts';
import type { LogObserver } from './redis-log.ts';

export interface Metrics {
  /** Hand this to the Redis log (createRedisLog's `observe`). */
  readonly observer: LogObserver;
  /**
   * The endpoint as a driver. `listeners` gives the running server's listeners (for connections
   * by front end); `held` the log's held lines, in a cluster.
   */
  driver(host: string, port: number, listeners: () => readonly Listener[], held?: () => number): Driver;
}

/** A listener's name as a `front_end` label. */
const FRONT_ENDS: Readonly<Record<string, string>> = { 'line protocol': 'line', web: 'web', IRC: 'irc' };

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'rxchat_' });
  const appendSeconds = new Histogram({
    name: 'rxchat_log_append_seconds',
    help: "Time from a line's append to this node reading it back from the log",
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5, 15],
    registers: [registry],
  });
  const readLag = new Gauge({
    name: 'rxchat_log_read_lag_seconds',
    help: 'How long before this node read it the newest entry it read was added to the log',
    registers: [registry],
  });
  return {
    observer: {
      appended: (seconds) => appendSeconds.observe(seconds),
      readLag: (seconds) => readLag.set(seconds),
    },
    driver: (host, port, listeners, held) => (hub) => serve(registry, host, port, hub, listeners, held),
  };
}

async function serve(
  registry: Registry,
  host: string,
  port: number,
  hub: Hub,
  listeners: () => readonly Listener[],
  held: (() => number) | undefined,
): Promise<Listener> {
  const total = (name: string, help: string, read: () => number): void => {
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  };
  new Gauge({
    name: 'rxchat_connections',
    help: 'Open client connections, by front end',
    labelNames: ['front_end'],
    registers: [registry],
    collect() {
      for (const l of listeners()) {
        const label = FRONT_ENDS[l.name];
        if (label !== undefined) this.set({ front_end: label }, l.connections());
      }
    },
  });
  new Gauge({
    name: 'rxchat_users',
    help: 'Users in the chat (every node of the cluster)',
    registers: [registry],
    collect() {
      this.set(hub.state.users.size);
    },
  });
  new Gauge({
    name: 'rxchat_rooms',
    help: 'Rooms in the chat, #lobby included',
    registers: [registry],
    collect() {
      this.set(hub.state.rooms.size);
    },
  });
  if (held !== undefined) {
    new Gauge({
      name: 'rxchat_log_held_lines',
      help: "This node's intents not yet read back from the log (they grow while Redis is out of reach)",
      registers: [registry],
      collect() {
        this.set(held());
      },
    });
  }
  // Lines this node's users said (chat lines, actions and private lines), as the chat decided them.
  let linesIn = 0;
  const mine = `${hub.node}/`;
  const subscription: Subscription = hub.deliveries$.subscribe(({ event }) => {
    if ((event.kind === 'said' && event.conn.startsWith(mine)) || (event.kind === 'whispered' && event.from.startsWith(mine))) linesIn++;
  });
  total('rxchat_lines_in_total', "Lines said by this node's users (chat, /me, /msg), as decided", () => linesIn);
  total('rxchat_lines_out_total', 'Lines queued for clients of this node, one per recipient', () => ioCounters.linesOut);
  total('rxchat_bytes_out_total', 'Bytes written to clients of this node', () => ioCounters.bytesOut);
  total('rxchat_sendq_cutoffs_total', 'Clients cut off because their unsent output passed --sendq-bytes', () => ioCounters.sendqCutoffs);
  total('rxchat_flood_pauses_total', 'Times reading a client paused (flood control, or lines held during a name claim)', () => ioCounters.floodPauses);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(path === '/metrics' ? 405 : 404, { 'content-type': 'text/plain; charset=utf-8' }).end('GET /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(req.method === 'HEAD' ? undefined : text),
      (err: unknown) => res.writeHead(500).end(`${String(err)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    name: 'metrics',
    host: address.address,
    port: address.port,
    // Scrapers are not chat connections.
    connections: () => 0,
    close: () =>
      (closing ??= new Promise<void>((done) => {
        subscription.unsubscribe();
        server.close(() => done());
        server.closeAllConnections();
      })),
  };
}
