// A running server as one node of a cluster: the Redis log closes after the listeners (so the
// node's `shutdown` entry, which announces its users' departure at once, reaches the log first),
// and a node the cluster declared gone closes every listener (its connections are already closed
// by the hub; a node whose lines are all ignored must not take new users). With nothing left
// open the process ends; a supervisor restarts it as a new node.
import type { RedisLog } from './redis-log.ts';
import type { Running } from '../run.ts';

export function asClusterNode(running: Running, log: RedisLog, say: (message: string) => void): Running {
  let stopping: Promise<void> | undefined;
  const shutdown = (graceMs: number): Promise<void> =>
    (stopping ??= (async () => {
      await running.shutdown(graceMs);
      subscription.unsubscribe();
      await log.close();
    })());
  const { hub } = running;
  let fenced = false;
  const subscription = hub.deliveries$.subscribe(({ event }) => {
    if (event.kind !== 'node-closed' || event.node !== hub.node || event.why !== 'gone' || fenced || stopping !== undefined) return;
    fenced = true;
    say('cluster: this node is out of the cluster: closing its listeners (restart it to rejoin)');
    // After the hub has told every connection why (this delivery is still being routed).
    setImmediate(() => void shutdown(0));
  });
  return { ...running, connections: () => running.connections(), shutdown };
}
