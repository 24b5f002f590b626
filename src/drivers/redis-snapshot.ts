// Snapshots of the chat in Redis, and trimming the log behind them.
//
// A snapshot is the reducer's state (core/state.ts `snapshot()`, plain JSON) as of one stream id:
// every entry up to and including that id is decided in it, none after. A node starting up, or
// one that must resync, restores the latest snapshot and reads the log from its id; the room
// history lives in the state, so every node replays it alike.
//
// Now and then (every `everyEntries` entries, or `everyMs` when anything happened) one node (the
// one that takes a short lock) writes its state. The write is a script that keeps the newest
// snapshot only, and only for the log's current epoch: a node that has not yet noticed Redis came
// back empty must not plant its old state in the new log. Then the stream is trimmed
// (`XTRIM MINID ~`) behind the oldest of the snapshot and every live node's last-read id, so no
// live node ever finds the entries it was about to read gone.
import type { Snapshot } from '../core/state.ts';
import type { NodeId } from '../core/intents.ts';
import type { ClusterKeys } from './redis-keys.ts';
import { compareIds, isStreamId } from './redis-entry.ts';
import { list, text, type RedisConnection } from './redis-conn.ts';

/** A snapshot as stored: the state as of stream id `id`, in log epoch `epoch`. */
export interface StoredSnapshot {
  readonly id: string;
  readonly epoch: string;
  readonly state: Snapshot;
}

/** The latest snapshot, or null when there is none (or it is unreadable: then the log is read from its start). */
export async function readSnapshot(conn: RedisConnection, keys: ClusterKeys): Promise<StoredSnapshot | null> {
  const fields = list(await conn.send(['HMGET', keys.snapshot, 'id', 'epoch', 'state'], 30_000)).map(text);
  const [id, epoch, json] = fields;
  if (id === null || id === undefined || epoch == null || json == null || !isStreamId(id)) return null;
  try {
    const state = JSON.parse(json) as Snapshot;
    if (state.version !== 1 || !Array.isArray(state.users) || !Array.isArray(state.rooms) || !Array.isArray(state.nodes)) return null;
    return { id, epoch, state };
  } catch {
    return null;
  }
}

// KEYS: snapshot hash, epoch key. ARGV: id, epoch, state. Returns 1 written, 0 not newer, -1 other epoch.
const WRITE_SNAPSHOT = `
if redis.call('GET', KEYS[2]) ~= ARGV[2] then return -1 end
local current = redis.call('HGET', KEYS[1], 'id')
if current then
  local cm, cs = string.match(current, '^(%d+)-(%d+)$')
  local nm, ns = string.match(ARGV[1], '^(%d+)-(%d+)$')
  cm, cs, nm, ns = tonumber(cm), tonumber(cs), tonumber(nm), tonumber(ns)
  if nm < cm or (nm == cm and ns <= cs) then return 0 end
end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'epoch', ARGV[2], 'state', ARGV[3])
return 1`;

// Deletes the lock only if this node still holds it.
const RELEASE_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export type WriteResult = 'written' | 'not-newer' | 'other-epoch';

export async function writeSnapshot(conn: RedisConnection, keys: ClusterKeys, snapshot: StoredSnapshot): Promise<WriteResult> {
  const reply = await conn.send(['EVAL', WRITE_SNAPSHOT, '2', keys.snapshot, keys.epoch, snapshot.id, snapshot.epoch, JSON.stringify(snapshot.state)], 30_000);
  return reply === 1 ? 'written' : reply === 0 ? 'not-newer' : 'other-epoch';
}

export interface SnapshotterOptions {
  readonly conn: RedisConnection;
  readonly keys: ClusterKeys;
  readonly node: NodeId;
  /** Entries read since the last snapshot that call for a new one. */
  readonly everyEntries: number;
  /** Time after which any entry read calls for a new one. */
  readonly everyMs: number;
  /** This node's state now, as of the id it has read up to; null when it cannot snapshot now. */
  capture(): StoredSnapshot | null;
  /** The other live nodes' last-read ids (this node's is the snapshot's). */
  positions(): Promise<string[]>;
  readonly log: (message: string) => void;
  readonly now?: () => number;
}

export interface Snapshotter {
  /** `n` more entries were read. */
  noteEntries(n: number): void;
  start(): void;
  stop(): void;
  /** Writes a snapshot now and trims (tests; the timer does it otherwise). */
  snapshotNow(): Promise<WriteResult | 'busy' | 'nothing'>;
}

export function createSnapshotter(options: SnapshotterOptions): Snapshotter {
  const { conn, keys, node, log } = options;
  const now = options.now ?? (() => performance.now());
  let entries = 0;
  let lastAt = now();
  let running = false;
  let timer: ReturnType<typeof setInterval> | undefined;

  const snapshotNow = async (): Promise<WriteResult | 'busy' | 'nothing'> => {
    const lock = await conn.send(['SET', keys.snapshotLock, node, 'NX', 'PX', '30000']);
    if (lock !== 'OK') return 'busy';
    try {
      const snapshot = options.capture();
      if (snapshot === null) return 'nothing';
      const result = await writeSnapshot(conn, keys, snapshot);
      if (result !== 'written') return result;
      // Behind the snapshot and behind every live node: nobody loses what it was about to read.
      let minId = snapshot.id;
      for (const position of await options.positions()) {
        if (isStreamId(position) && compareIds(position, minId) < 0) minId = position;
      }
      const trimmed = await conn.send(['XTRIM', keys.log, 'MINID', '~', minId], 30_000);
      log(`cluster: snapshot at ${snapshot.id} (${snapshot.state.users.length} users, ${snapshot.state.rooms.length} rooms); trimmed ${String(trimmed)} entries before ${minId}`);
      return result;
    } finally {
      await conn.send(['EVAL', RELEASE_LOCK, '1', keys.snapshotLock, node]).catch(() => {});
    }
  };

  const tick = async (): Promise<void> => {
    if (running || entries === 0) return;
    if (entries < options.everyEntries && now() - lastAt < options.everyMs) return;
    running = true;
    try {
      // Whether this node wrote it or another node holds the lock, a snapshot is being taken now.
      await snapshotNow();
      entries = 0;
      lastAt = now();
    } catch {
      // Redis is out of reach; try again at the next tick.
    } finally {
      running = false;
    }
  };

  return {
    noteEntries(n) {
      entries += n;
    },
    start() {
      timer = setInterval(() => void tick(), Math.max(50, Math.min(1000, options.everyMs / 4)));
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
    snapshotNow,
  };
}
