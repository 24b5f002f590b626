// The cluster's log: one Redis Stream that every node appends to and reads all of, in one order.
//
//   append ─▶ Appends (redis-appends.ts) ─▶ writer: XADD <log> * v n s i   (one in flight)
//                                                        │
//   hub ◀─ items$ ◀─ decode ◀─ reader: XREAD BLOCK … STREAMS <log> <last id> ◀┘  (its own socket)
//
// - Writer: intents are held while a batch is out and leave together in the next one (client-side
//   group commit), each batch tagged with this node's run id and a sequence number, retried with
//   the same number until Redis acknowledges it. A line counts as accepted when the node reads it
//   back: nothing takes a local shortcut, so every node shows every line in the log's order.
// - Reader: plain XREAD from the last id it read (never `$`: a reader that blocks on `$` misses
//   what was added while it was not blocked), with a watchdog: a read that outlives BLOCK plus a
//   margin drops its socket. An entry's time is its stream id's time.
// - Reconnecting, the reader first checks the log is the one it knew: the epoch key is unchanged
//   and its last-read entry is still there. If not (Redis came back empty, or from older files)
//   it resyncs: restores the latest snapshot Redis has and tells the hub (`restore`, lost), which
//   tells this node's users. Never a silent divergence.
// - Presence (redis-lease.ts): this node's lease, and declaring nodes whose lease lapsed gone.
//   Reading its own `node-gone`, the node is fenced: everything it holds is undelivered, it appends
//   nothing more, and the hub closes its connections.
// - Snapshots (redis-snapshot.ts): written now and then by one node, the log trimmed behind them; a
//   new node starts from the latest one.
// - Redis out of reach: the node stays up with its connections; lines wait (bounded) and reach the
//   log once when it is back, or their senders get `*** Not delivered` (redis-appends.ts).
//
// Items are handed to the hub on the queueScheduler trampoline, as the memory log does: an intent
// an actor appends while an entry is being decided is only held, never decided in the middle.
import { randomUUID } from 'node:crypto';
import { Observable, Subject, queueScheduler } from 'rxjs';
import type { Intent, NodeId } from '../core/intents.ts';
import type { ChatConfig, Snapshot } from '../core/state.ts';
import type { ChatLog, LogItem } from '../hub/log.ts';
import { APPEND_DEFAULTS, Appends, type AppendLimits } from './redis-appends.ts';
import { certainlyNotRun, createRedisConnection, isErrorReply, list, text, type Reply } from './redis-conn.ts';
import { decodeEntry, encodeBatch, idTime } from './redis-entry.ts';
import { clusterKeys } from './redis-keys.ts';
import { createPresence, leaseTiming } from './redis-lease.ts';
import { createSnapshotter, readSnapshot, type StoredSnapshot } from './redis-snapshot.ts';

export interface RedisLogOptions {
  /** `redis://host:port` or `unix:///path/to/redis.sock`. */
  readonly url: string;
  /** This node (this process run). */
  readonly node: NodeId;
  /** `--node-lease`, in ms. */
  readonly leaseMs: number;
  /** The chat's limits: every node of the cluster must run with the same ones. */
  readonly config: ChatConfig;
  readonly log: (message: string) => void;
  /** Key prefix (default `rxchat:`): several clusters may share one Redis. */
  readonly prefix?: string;
  /** Longest an intent waits for an unreachable log before it is undelivered (default: the lease). */
  readonly holdMs?: number;
  readonly limits?: Partial<Omit<AppendLimits, 'holdMs'>>;
  /** XREAD BLOCK, in ms (default 1000); the watchdog allows this plus `watchdogMs`. */
  readonly blockMs?: number;
  readonly watchdogMs?: number;
  /** Entries per XREAD (default 500). */
  readonly readCount?: number;
  /** Deadline of any other command (default 2000 ms). */
  readonly commandTimeoutMs?: number;
  /** A snapshot every this many entries (default 5000)… */
  readonly snapshotEveryEntries?: number;
  /** …or this often when anything happened (default 60 s). */
  readonly snapshotEveryMs?: number;
  /** Measurements, for the metrics endpoint. */
  readonly observe?: LogObserver;
  /** Called when a read brings entries (they are input: the outbox gathers while input arrives). */
  readonly onEntries?: () => void;
}

export interface LogObserver {
  /** One of this node's batches was read back, `seconds` after its oldest intent was appended. */
  appended?(seconds: number): void;
  /** An XREAD returned entries; the newest was added `seconds` ago (by the wall clock). */
  readLag?(seconds: number): void;
}

export interface RedisLog extends ChatLog {
  /** Where snapshots come from: the hub's state (set once the hub exists). */
  snapshotFrom(read: () => Snapshot): void;
  /**
   * Resolves once this node has started from the latest snapshot and read the log to its end;
   * rejects if it must not join (its chat limits differ from the cluster's).
   */
  readonly ready: Promise<void>;
  /** Intents held or sent but not yet read back. */
  held(): number;
  /** Writes a snapshot now (tests; it happens by itself otherwise). */
  snapshotNow(): Promise<string>;
  /** Sends what is held (within `timeoutMs`), leaves the cluster if it shut down, and closes. Idempotent. */
  close(timeoutMs?: number): Promise<void>;
}

export class ConfigMismatchError extends Error {}

/** A Redis URL fit for a log line: any password in it replaced by `***`. */
export function redactUrl(url: string): string {
  return url.replace(/^(\w+:\/\/)([^@/]*)@/, (_, scheme: string, auth: string) => `${scheme}${auth.includes(':') ? `${auth.split(':')[0]}:***` : '***'}@`);
}

const lines = (n: number): string => (n === 1 ? '1 line' : `${n} lines`);
/** A wait between retries; it keeps the process alive (a node waiting for Redis at startup has nothing else). */
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createRedisLog(options: RedisLogOptions): RedisLog {
  const { node, log, leaseMs } = options;
  const keys = clusterKeys(options.prefix);
  const blockMs = options.blockMs ?? 1000;
  const watchdogMs = options.watchdogMs ?? 2000;
  const readCount = options.readCount ?? 500;
  const timeoutMs = options.commandTimeoutMs ?? 2000;
  const holdMs = options.holdMs ?? leaseMs;
  const now = (): number => performance.now();
  const appends = new Appends({ ...APPEND_DEFAULTS, ...options.limits, holdMs });
  const items = new Subject<LogItem>();

  // What this node knows of the log.
  let epoch: string | null = null;
  let lastId = '0-0';
  /** Every node's last decided seq and whether it is gone, as the reducer has them (for presence). */
  let nodes = new Map<NodeId, { seq: number; gone: boolean }>();
  let rounds = 0;
  let fenced = false;
  let shuttingDown = false;
  let closed = false;
  let readSnapshotState: (() => Snapshot) | null = null;

  // Connection state, for the log lines an operator reads.
  let downSince: number | null = null;
  const connUp = new Map<string, boolean>();
  const onState = (name: string) => (up: boolean, why: string) => {
    if (closed) return;
    connUp.set(name, up);
    if (!up && downSince === null) {
      downSince = now();
      log(`cluster: lost Redis (${name}: ${why}); holding lines for up to ${Math.round(holdMs / 1000)} s, connections stay open`);
    } else if (up && downSince !== null && [...connUp.values()].every(Boolean)) {
      log(`cluster: Redis is back after ${((now() - downSince) / 1000).toFixed(1)} s (${lines(appends.held())} held)`);
      downSince = null;
    }
  };
  const writer = createRedisConnection({ url: options.url, name: 'writer', timeoutMs, onState: onState('writer') });
  const reader = createRedisConnection({ url: options.url, name: 'reader', timeoutMs, onState: onState('reader') });

  // Redis refusing a command (out of memory, a read-only replica, wrong password) is logged once
  // per streak: the node keeps retrying, and connection failures are logged by onState.
  const refusing = new Set<string>();
  const refused = (what: string, err: unknown): void => {
    if (!isErrorReply(err) || refusing.has(what)) return;
    refusing.add(what);
    log(`cluster: Redis refuses ${what}: ${(err as Error).message}; retrying`);
  };
  const accepted = (what: string): void => {
    if (refusing.delete(what)) log(`cluster: Redis accepts ${what} again`);
  };

  const emit = (item: LogItem): void => void queueScheduler.schedule(() => items.next(item));
  const undelivered = (intents: readonly Intent[]): void => {
    if (intents.length > 0) emit({ kind: 'undelivered', intents });
  };

  const nodeRecord = (id: NodeId): { seq: number; gone: boolean } => {
    let record = nodes.get(id);
    if (record === undefined) {
      record = { seq: 0, gone: false };
      nodes.set(id, record);
    }
    return record;
  };

  const presence = createPresence({
    conn: writer,
    keys,
    node,
    leaseMs,
    position: () => lastId,
    isGone: (id) => nodes.get(id)?.gone === true,
    declareGone: (id) => append({ kind: 'node-gone', node: id }),
    log,
  });

  const snapshotter = createSnapshotter({
    conn: writer,
    keys,
    node,
    everyEntries: options.snapshotEveryEntries ?? 5000,
    everyMs: options.snapshotEveryMs ?? 60_000,
    capture: (): StoredSnapshot | null =>
      readSnapshotState === null || epoch === null || fenced || lastId === '0-0' ? null : { id: lastId, epoch, state: readSnapshotState() },
    positions: () => presence.positions(),
    log,
  });

  // ---- Writing ------------------------------------------------------------------------------

  let writing = false;
  let kickPending = false;
  let bootstrapped = false;

  const kick = (): void => {
    if (kickPending || writing) return;
    kickPending = true;
    queueMicrotask(() => {
      kickPending = false;
      void writeLoop();
    });
  };

  const writeLoop = async (): Promise<void> => {
    if (writing || !bootstrapped) return;
    writing = true;
    let backoff = 50;
    try {
      for (;;) {
        if (closed && !shuttingDown) return;
        const batch = appends.next();
        if (batch === null) return;
        try {
          await writer.send(['XADD', keys.log, '*', ...encodeBatch(node, batch.seq, batch.intents)]);
          undelivered(appends.sent(batch, rounds));
          accepted('appends');
          backoff = 50;
        } catch (err) {
          refused('appends', err);
          undelivered(appends.failed(batch, certainlyNotRun(err), now()));
          if (closed) return;
          await sleep(backoff);
          backoff = Math.min(1000, backoff * 2);
        }
      }
    } finally {
      writing = false;
    }
  };

  function append(intent: Intent): void {
    if (shuttingDown) return; // the reducer ignores whatever this node appends after its shutdown
    if (intent.kind === 'shutdown') shuttingDown = true;
    if (!appends.hold(intent, now())) {
      if (!fenced) log(`cluster: a line from ${'conn' in intent ? intent.conn : 'this node'} not delivered: ${lines(appends.held())} held already`);
      undelivered([intent]);
      return;
    }
    kick();
  }

  // Lines that waited too long for an unreachable log are answered.
  const expiry = setInterval(() => {
    const expired = appends.expire(now());
    if (expired.length === 0) return;
    log(`cluster: ${lines(expired.length)} not delivered: the log was out of reach for ${Math.round(holdMs / 1000)} s`);
    undelivered(expired);
  }, Math.max(50, Math.min(250, holdMs / 4)));
  expiry.unref();

  // ---- Reading ------------------------------------------------------------------------------

  /** Starts over from the latest snapshot (or the log's start): at startup, and after a loss. */
  const bootstrap = async (lost: boolean): Promise<void> => {
    if (epoch === null) await checkConfig();
    for (let attempt = 0; ; attempt++) {
      await reader.send(['SET', keys.epoch, randomUUID(), 'NX']);
      const current = text(await reader.send(['GET', keys.epoch]));
      if (current === null) continue; // deleted between the two: make it again
      let snapshot = await readSnapshot(reader, keys);
      if (snapshot !== null && snapshot.epoch !== current) snapshot = null;
      const position = snapshot?.id ?? '0-0';
      // Hold the position in this node's lease before anyone trims past it, then make sure nobody
      // did meanwhile (a newer snapshot was written and the log trimmed behind it): else again.
      await reader.send(['SET', keys.lease(node), position, 'PX', String(leaseTiming(leaseMs).ttlMs)]);
      const latest = text(list(await reader.send(['HMGET', keys.snapshot, 'id']))[0]);
      if ((latest ?? '0-0') !== position && attempt < 5) continue;
      epoch = current;
      restore(snapshot, lost);
      return;
    }
  };

  const checkConfig = async (): Promise<void> => {
    const mine = JSON.stringify({
      history: options.config.history,
      replay: options.config.replay,
      maxRooms: options.config.maxRooms,
      maxRoomsPerUser: options.config.maxRoomsPerUser,
    });
    await reader.send(['SET', keys.config, mine, 'NX']);
    const theirs = text(await reader.send(['GET', keys.config]));
    if (theirs !== null && theirs !== mine) {
      throw new ConfigMismatchError(
        `this node's chat limits ${mine} differ from the cluster's ${theirs}: every node must run with the same ` +
          `--history, --replay, --max-rooms and --max-rooms-per-user (to change them, stop every node and DEL ${keys.config})`,
      );
    }
  };

  const restore = (snapshot: StoredSnapshot | null, lost: boolean): void => {
    lastId = snapshot?.id ?? '0-0';
    nodes = new Map((snapshot?.state.nodes ?? []).map((n) => [n.node, { seq: n.seq, gone: n.gone }]));
    const mine = nodes.get(node);
    appends.restored(mine?.seq ?? 0);
    if (mine?.gone === true) fence();
    emit({ kind: 'restore', snapshot: snapshot?.state ?? null, lost });
  };

  /** The reader reconnected: is the log still the one this node read? */
  const verify = async (): Promise<void> => {
    const current = text(await reader.send(['GET', keys.epoch]));
    if (current !== epoch) {
      log(`cluster: Redis came back without the log this node read (epoch ${epoch} is now ${current ?? 'missing'}): resyncing from the latest snapshot`);
      return bootstrap(true);
    }
    if (lastId === '0-0') return;
    const found = list(await reader.send(['XRANGE', keys.log, lastId, lastId, 'COUNT', '1']));
    if (found.length === 0) {
      log(`cluster: the log no longer holds entry ${lastId}, the last this node read (Redis came back from older files, or trimmed past it): resyncing from the latest snapshot`);
      return bootstrap(true);
    }
  };

  const fence = (): void => {
    if (fenced) return;
    fenced = true;
    log('cluster: this node was declared gone by the cluster (it could not renew its lease in time): closing its connections; restart it to rejoin');
    undelivered(appends.fence());
    void presence.stop(false);
  };

  /** One XREAD's entries, decided in order; `round` tells whether it reached the end of the log. */
  const handleRead = (reply: Reply, round: number): void => {
    const stream = list(list(reply)[0] ?? null);
    const entries = list(stream[1] ?? null);
    let newest = 0;
    for (const raw of entries) {
      const [id, fields] = list(raw);
      if (typeof id !== 'string') continue;
      lastId = id;
      newest = idTime(id);
      const decoded = decodeEntry(id, list(fields ?? null));
      if (!decoded.ok) {
        log(`cluster: skipped log entry ${id}: ${decoded.reason}`);
        continue;
      }
      const { entry } = decoded;
      // What the reducer will make of it, for presence and fencing (decide.ts: dedupe, fencing).
      const record = nodeRecord(entry.node);
      if (!record.gone && entry.seq > record.seq) {
        record.seq = entry.seq;
        for (const intent of entry.intents) {
          if (record.gone) break;
          if (intent.kind === 'shutdown') record.gone = true;
          if (intent.kind === 'node-gone' && !nodeRecord(intent.node).gone) {
            nodeRecord(intent.node).gone = true;
            if (intent.node === node) fence();
            else presence.forget(intent.node);
          }
        }
        if (record.gone && entry.node !== node) presence.forget(entry.node);
      }
      if (entry.node === node) {
        const { confirmed, undelivered: lost } = appends.readBack(entry.seq);
        if (confirmed !== null) options.observe?.appended?.((now() - confirmed.firstAt) / 1000);
        undelivered(lost);
      }
      emit({ kind: 'entry', entry });
    }
    if (entries.length > 0) {
      options.onEntries?.();
      snapshotter.noteEntries(entries.length);
      options.observe?.readLag?.(Math.max(0, Date.now() - newest) / 1000);
    }
    if (entries.length < readCount) {
      const resend = appends.roundEnded(round);
      if (resend > 0) {
        log(`cluster: ${resend === 1 ? '1 batch' : `${resend} batches`} Redis acknowledged not in the log (Redis lost it): sending again`);
        kick();
      }
    }
  };

  let resolveReady!: () => void;
  let rejectReady!: (err: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  // A rejection nobody awaits must not end the process.
  ready.catch(() => {});

  const readLoop = async (): Promise<void> => {
    let verifiedGeneration = -1;
    let caughtUp = false;
    let backoff = 50;
    let failing = false;
    while (!closed) {
      try {
        if (!bootstrapped) {
          await bootstrap(false);
          bootstrapped = true;
          verifiedGeneration = reader.generation;
          presence.start();
          snapshotter.start();
          log(`cluster: node ${node} joined the log at ${lastId} (lease ${leaseMs / 1000} s)`);
          kick();
        }
        await reader.connect();
        if (reader.generation !== verifiedGeneration) {
          await verify();
          verifiedGeneration = reader.generation;
          kick();
        }
        const round = ++rounds;
        // Until it has caught up once, a node does not block: an empty log is read at once.
        const block = caughtUp ? ['BLOCK', String(blockMs)] : [];
        const reply = await reader.send(['XREAD', ...block, 'COUNT', String(readCount), 'STREAMS', keys.log, lastId], blockMs + watchdogMs);
        if (closed) return;
        // Decided after the whole read is booked (see the header on the trampoline).
        queueScheduler.schedule(() => handleRead(reply, round));
        if (!caughtUp && list(list(list(reply)[0] ?? null)[1] ?? null).length < readCount) {
          caughtUp = true;
          resolveReady();
        }
        backoff = 50;
        failing = false;
        accepted('reads');
      } catch (err) {
        if (closed) return;
        refused('reads', err);
        if (err instanceof ConfigMismatchError) {
          log(`cluster: ${err.message}`);
          rejectReady(err);
          void close(0);
          return;
        }
        if (!failing && !bootstrapped) log(`cluster: cannot reach Redis at ${redactUrl(options.url)} (${err instanceof Error ? err.message : String(err)}): retrying`);
        failing = true;
        await sleep(backoff);
        backoff = Math.min(1000, backoff * 2);
      }
    }
  };

  // ---- Lifecycle ----------------------------------------------------------------------------

  let started = false;
  let closing: Promise<void> | undefined;
  const close = (graceMs = 2000): Promise<void> =>
    (closing ??= (async () => {
      // Let the writer send what it holds (the shutdown entry above all) within the grace.
      const until = now() + graceMs;
      while (bootstrapped && !fenced && !appends.idle() && now() < until) await sleep(10);
      const left = shuttingDown && !fenced && appends.idle();
      closed = true;
      clearInterval(expiry);
      snapshotter.stop();
      await presence.stop(left);
      // The reader is blocked in XREAD: drop its socket rather than wait for the read to end.
      reader.reset('closing');
      await Promise.all([writer.close(), reader.close()]);
      rejectReady(new Error('closed'));
    })());

  const items$ = new Observable<LogItem>((subscriber) => {
    const subscription = items.subscribe(subscriber);
    if (!started) {
      started = true;
      void readLoop();
    }
    return () => {
      subscription.unsubscribe();
      void close();
    };
  });

  return {
    node,
    append,
    items$,
    snapshotFrom(read) {
      readSnapshotState = read;
    },
    ready,
    held: () => appends.held(),
    async snapshotNow() {
      return snapshotter.snapshotNow();
    },
    close,
  };
}
