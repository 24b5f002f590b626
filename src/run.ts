// run(hub, drivers): composes the hub with its front ends' drivers and returns how to stop them
// (Cycle's `run(main, drivers)` returning dispose). Each driver puts one front end on the network
// (the line protocol on TCP, the web page and its WebSocket, IRC) and gives back its listener.
//
// It is the one place that knows every listener, so the things they share live here: the
// connection cap counted across front ends (the hub counts the connections attached to it) and
// an orderly shutdown (tell everyone through the hub, then close every listener within the grace).
import type { Hub } from './hub/hub.ts';

/** A front end listening on the network. */
export interface Listener {
  /** What it serves, for the log: `line protocol`, `web`, `IRC`, `metrics`. */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** Connections open right now. */
  connections(): number;
  /** Stops accepting; resolves once every connection has closed, or after `graceMs`, when the rest are cut. Idempotent. */
  close(graceMs?: number): Promise<void>;
}

/** Starts one listener on the hub; rejects if it cannot listen. */
export type Driver = (hub: Hub) => Promise<Listener>;

export interface Running {
  readonly hub: Hub;
  readonly listeners: readonly Listener[];
  /** Every listener's connections. */
  connections(): number;
  /**
   * Tells every connection the server is shutting down (through the hub, so it takes its place in
   * the one order), then closes every listener within `graceMs`. Idempotent.
   */
  shutdown(graceMs: number): Promise<void>;
}

/** Starts every driver on `hub`; if one cannot listen, the others are closed and the error is thrown. */
export async function run(hub: Hub, drivers: readonly Driver[]): Promise<Running> {
  const results = await Promise.allSettled(drivers.map((driver) => driver(hub)));
  const listeners = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(listeners.map((l) => l.close(0)));
    hub.dispose();
    throw failed.reason;
  }
  let stopping: Promise<void> | undefined;
  return {
    hub,
    listeners,
    connections: () => listeners.reduce((n, l) => n + l.connections(), 0),
    shutdown: (graceMs) =>
      (stopping ??= (async () => {
        hub.shutdown();
        await Promise.all(listeners.map((l) => l.close(graceMs)));
        hub.dispose();
      })()),
  };
}
