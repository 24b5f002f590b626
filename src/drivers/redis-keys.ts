// The Redis keys of one cluster, all under one prefix (`rxchat:` unless told otherwise).
import type { NodeId } from '../core/intents.ts';

export interface ClusterKeys {
  /** The stream: the chat's log, one entry per batch of one node's intents. */
  readonly log: string;
  /** A random id made when the log is first used: a different (or missing) one means a different log. */
  readonly epoch: string;
  /** The chat limits every node must share (JSON), set by the first node. */
  readonly config: string;
  /** The latest snapshot: a hash of `id` (the last entry it includes), `epoch` and `state` (JSON). */
  readonly snapshot: string;
  /** Held for a moment by the node writing a snapshot, so nodes take turns. */
  readonly snapshotLock: string;
  /** The set of node ids that hold or held a lease. */
  readonly nodes: string;
  /** A node's lease: its last-read stream id, with a TTL renewed while the node lives. */
  lease(node: NodeId): string;
  /** Held (with a TTL) by the node that declares `node` gone, so one node does it. */
  gone(node: NodeId): string;
}

export function clusterKeys(prefix = 'rxchat:'): ClusterKeys {
  return {
    log: `${prefix}log`,
    epoch: `${prefix}epoch`,
    config: `${prefix}config`,
    snapshot: `${prefix}snapshot`,
    snapshotLock: `${prefix}snapshot-lock`,
    nodes: `${prefix}nodes`,
    lease: (node) => `${prefix}lease:${node}`,
    gone: (node) => `${prefix}gone:${node}`,
  };
}
