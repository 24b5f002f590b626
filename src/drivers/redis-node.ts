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
  const subscription = hub.deliveries$.subscribe(({ event }) => {
    if (event.kind !== 'node-closed' || event.node !== hub.node || event.why !== 'gone' || stopping !== undefined) return;
    say('cluster: this node is out of the cluster: closing its listeners (restart it to rejoin)');
    void shutdown(0);
  });
  return { ...running, connections: () => running.connections(), shutdown };
}
