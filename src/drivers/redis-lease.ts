// Node presence: each node holds a lease in Redis, and any node declares a node whose lease expired
// gone, once, in the log.
//
// - The lease is a key with a TTL (`SET <lease:node> <last-read id> PX ttl`), renewed several times
//   per TTL, and the node's id in a set of nodes. Expiry is Redis's clock alone: no two nodes'
//   clocks are ever compared. Its value, the node's last-read stream id, tells the snapshot
//   writer how far it may trim the log (redis-snapshot.ts).
// - Every node scans the set: a node whose lease is gone and that the log does not already know as
//   gone is claimed (`SET <gone:node> <me> NX PX lease`, so one node does it) and declared with a
//   `node-gone` intent in the log. The reducer removes that node's users, each announced once,
//   frees their names and ignores anything the node appends later (fencing; the node itself
//   closes its connections when it reads its own `node-gone`).
// - No death is declared until this node has renewed its own lease without a hitch for one full
//   lease: after a Redis outage (or restart) every lease looks expired until its node renews it,
//   and a node that just got Redis back must not kick everybody else's users.
//
// Timing, for a lease of L: TTL 0.75 L, renewed every 0.25 L (three renewals per TTL), scanned
// every 0.1 L. A dead node is declared within about 0.85 L of its death (`--node-lease` is L).
import type { NodeId } from '../core/intents.ts';
import type { ClusterKeys } from './redis-keys.ts';
import { list, text, type RedisConnection } from './redis-conn.ts';

export interface PresenceOptions {
  readonly conn: RedisConnection;
  readonly keys: ClusterKeys;
  readonly node: NodeId;
  /** `--node-lease` in ms. */
  readonly leaseMs: number;
  /** This node's last-read stream id (stored as the lease's value). */
  position(): string;
  /** Whether the log already says `node` is gone (shut down or declared). */
  isGone(node: NodeId): boolean;
  /** Appends a `node-gone` for `node` to the log. */
  declareGone(node: NodeId): void;
  readonly log: (message: string) => void;
  /** A monotonic clock in ms. */
  readonly now?: () => number;
}

export interface Presence {
  /** Starts renewing and scanning. */
  start(): void;
  /** The log says `node` is gone: take it out of the set of nodes. */
  forget(node: NodeId): void;
  /** The last-read ids of the other nodes whose lease is alive (as of their last renewal). */
  positions(): Promise<string[]>;
  /** Stops; with `leave`, drops this node's lease and its place in the set (a graceful exit). */
  stop(leave: boolean): Promise<void>;
}

export interface LeaseTiming {
  readonly ttlMs: number;
  readonly renewMs: number;
  readonly scanMs: number;
}

export function leaseTiming(leaseMs: number): LeaseTiming {
  return {
    ttlMs: Math.max(100, Math.round(leaseMs * 0.75)),
    renewMs: Math.max(25, Math.round(leaseMs * 0.25)),
    scanMs: Math.max(50, Math.round(leaseMs * 0.1)),
  };
}

export function createPresence(options: PresenceOptions): Presence {
  const { conn, keys, node, leaseMs, log } = options;
  const now = options.now ?? (() => performance.now());
  const timing = leaseTiming(leaseMs);
  /** Since when every renewal has succeeded promptly on one connection; null after a hitch. */
  let healthySince: number | null = null;
  let renewedGeneration = -1;
  let renewing = false;
  let scanning = false;
  let stopped = false;
  const timers: ReturnType<typeof setInterval>[] = [];

  const renew = async (): Promise<void> => {
    if (renewing || stopped) return;
    renewing = true;
    const started = now();
    try {
      await Promise.all([
        conn.send(['SET', keys.lease(node), options.position(), 'PX', String(timing.ttlMs)]),
        conn.send(['SADD', keys.nodes, node]),
      ]);
      const took = now() - started;
      if (conn.generation !== renewedGeneration || took > timing.ttlMs / 3) {
        // A new connection (Redis may have restarted, every lease may have lapsed) or a renewal
        // that barely made it: count one full lease from here before declaring anyone gone.
        healthySince = now();
        renewedGeneration = conn.generation;
      } else {
        healthySince ??= now();
      }
    } catch {
      healthySince = null;
    } finally {
      renewing = false;
    }
  };

  /** Whether scans run since the last hitch (logged once per grace period). */
  let watching = false;
  const scan = async (): Promise<void> => {
    if (healthySince === null || now() - healthySince < leaseMs) watching = false;
    if (scanning || stopped || healthySince === null || now() - healthySince < leaseMs) return;
    if (!watching) {
      watching = true;
      log(`cluster: watching the other nodes' leases (a node silent for ${leaseMs / 1000} s is declared gone)`);
    }
    scanning = true;
    try {
      const members = list(await conn.send(['SMEMBERS', keys.nodes])).map(text).filter((m): m is string => m !== null && m !== node);
      const gone = members.filter((m) => options.isGone(m));
      if (gone.length > 0) await conn.send(['SREM', keys.nodes, ...gone]);
      const others = members.filter((m) => !options.isGone(m));
      if (others.length === 0) return;
      const leases = list(await conn.send(['MGET', ...others.map((m) => keys.lease(m))]));
      for (const [i, other] of others.entries()) {
        if (leases[i] !== null || stopped) continue;
        // Its lease has lapsed. Whoever sets the claim first declares it; the claim lapses too, so
        // if that node dies before appending, another one will.
        const claim = await conn.send(['SET', keys.gone(other), node, 'NX', 'PX', String(leaseMs)]);
        if (claim === 'OK' && !options.isGone(other)) {
          log(`cluster: node ${other} lost its lease: declaring it gone`);
          options.declareGone(other);
        }
      }
    } catch {
      // Redis is out of reach: the renewals notice and restart the grace period.
    } finally {
      scanning = false;
    }
  };

  return {
    start() {
      void renew();
      timers.push(setInterval(() => void renew(), timing.renewMs), setInterval(() => void scan(), timing.scanMs));
      for (const timer of timers) timer.unref();
    },
    forget(gone) {
      void conn.send(['SREM', keys.nodes, gone]).catch(() => {});
    },
    async positions() {
      const members = list(await conn.send(['SMEMBERS', keys.nodes])).map(text).filter((m): m is string => m !== null && m !== node);
      if (members.length === 0) return [];
      const leases = list(await conn.send(['MGET', ...members.map((m) => keys.lease(m))]));
      return leases.map(text).filter((p): p is string => p !== null);
    },
    async stop(leave) {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      if (!leave) return;
      await Promise.all([conn.send(['DEL', keys.lease(node)], 1000), conn.send(['SREM', keys.nodes, node], 1000)]).catch(() => {});
    },
  };
}
