// The rxchat server as `npm start` runs it: settings in, a running hub with every front end out.
//
// It chooses the log (in memory; in Redis for a cluster), makes the hub and starts a driver per
// front end the settings turn on. bin/chat-server.ts adds only the process around it (argv,
// signals, exit codes); tests and embedders call it directly.
import type { SchedulerLike } from 'rxjs';
import { asyncScheduler } from 'rxjs';
import type { ChatConfig } from './core/state.ts';
import { adaptiveTiming, createOutboxes } from './drivers/outbox.ts';
import { describeError, listenTcp } from './drivers/tcp-server.ts';
import { listenWeb } from './drivers/ws-server.ts';
import { createHub, type Hub } from './hub/hub.ts';
import type { ChatLog } from './hub/log.ts';
import { createMemoryLog } from './hub/memory-log.ts';
import { asClusterNode } from './drivers/redis-node.ts';
import { IRC_PING_INTERVAL_MS, ircFrontEnd } from './irc/front-end.ts';
import { MAX_IRC_LINE_BYTES } from './irc/irc-line.ts';
import { SERVER_FULL as IRC_SERVER_FULL } from './irc/numerics.ts';
import type { ServerSettings } from './config.ts';
import { lineFrontEnd } from './line/front-end.ts';
import { SERVER_FULL } from './line/messages.ts';
import { run, type Driver, type Running } from './run.ts';

export type Log = (message: string) => void;

/** The chat's own limits, from the settings (every node of a cluster must agree on them). */
export function chatConfig(settings: ServerSettings): ChatConfig {
  return { history: settings.history, replay: settings.replay, maxRooms: settings.maxRooms, maxRoomsPerUser: settings.maxRoomsPerUser };
}

/** This process's node id: unique per run, so a restarted node is a new node to the cluster. */
export function newNodeId(): string {
  return `${process.pid.toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/** What an embedder or a test may set beyond the settings. */
export interface ServerOptions {
  /** Where time comes from (timers, flood control, the log's time). */
  readonly scheduler?: SchedulerLike;
  /** The name timeout in ms, beating `settings.nameTimeoutSeconds` (tests use short ones). */
  readonly nameTimeoutMs?: number;
  /** IRC: how long a silent client waits for a PING, and then for its answer (default 90 s). */
  readonly ircPingIntervalMs?: number;
}

/** Starts the server the settings describe; rejects (with every listener closed) if one cannot listen. */
export async function startServer(settings: ServerSettings, log: Log, options: ServerOptions = {}): Promise<Running> {
  const scheduler = options.scheduler ?? asyncScheduler;
  const nameTimeoutMs = options.nameTimeoutMs ?? settings.nameTimeoutSeconds * 1000;
  const node = newNodeId();
  // The metrics endpoint and the Redis log are loaded only when asked for: prom-client and the Redis
  // client would otherwise be about 17 MiB of resident memory that a single node carries for nothing.
  const metrics = settings.metricsPort === null ? null : (await import('./drivers/metrics.ts')).createMetrics();
  // One output batcher for every socket of the process: one flush writes them all.
  const outboxes = createOutboxes(adaptiveTiming(), (err) => log(`internal error while writing: ${describeError(err)}`));
  // With --redis, a node of the cluster whose log is that Redis's stream (drivers/redis-log.ts).
  // Entries read from it are input too: a busy node's outbox gathers them into fewer writes.
  const redisLog =
    settings.redis === null
      ? null
      : (await import('./drivers/redis-log.ts')).createRedisLog({
          url: settings.redis,
          node,
          leaseMs: settings.nodeLeaseSeconds * 1000,
          config: chatConfig(settings),
          log,
          onEntries: outboxes.noteInput,
          ...(metrics === null ? {} : { observe: metrics.observer }),
        });
  const chatLog: ChatLog = redisLog ?? createMemoryLog(node, scheduler);
  const hub = createHub(chatLog, chatConfig(settings));
  if (redisLog !== null) {
    redisLog.snapshotFrom(() => hub.state.snapshot());
    // Listen once this node has caught up with the cluster's log (it waits while Redis is out of reach).
    await redisLog.ready.catch((err: unknown) => {
      hub.dispose();
      throw err;
    });
  }
  const admit = (): boolean => hub.connections() < settings.maxClients;
  const line = lineFrontEnd(
    hub,
    { maxLineBytes: settings.maxLineBytes, nameTimeoutMs, rate: settings.rate, burst: settings.burst },
    scheduler,
  );
  const drivers: Driver[] = [
    async (h: Hub) => {
      const tcp = await listenTcp(
        { host: settings.host, port: settings.port, maxLineBytes: settings.maxLineBytes, sendqBytes: settings.sendqBytes, admit, full: SERVER_FULL.encode(), newId: h.newConn, outboxes },
        line.connect,
        log,
      );
      return { name: 'line protocol', ...tcp };
    },
  ];
  const { webPort } = settings;
  if (webPort !== null) {
    // The page and its WebSocket: each WebSocket is a line connection like a TCP one (same front end, same count).
    drivers.push(async (h: Hub) => {
      const web = await listenWeb(
        { host: settings.host, port: webPort, maxLineBytes: settings.maxLineBytes, sendqBytes: settings.sendqBytes, admit, full: SERVER_FULL, newId: h.newConn, origins: settings.webOrigins, outboxes },
        line.connect,
        log,
      );
      return { name: 'web', ...web };
    });
  }
  const { ircPort } = settings;
  if (ircPort !== null) {
    // IRC: its own front end on the same hub; lines of at most 512 bytes with CR LF (longer: 417).
    const irc = ircFrontEnd(
      hub,
      { serverName: settings.ircServerName, registrationTimeoutMs: nameTimeoutMs, pingIntervalMs: options.ircPingIntervalMs ?? IRC_PING_INTERVAL_MS, rate: settings.rate, burst: settings.burst },
      scheduler,
    );
    drivers.push(async (h: Hub) => {
      const tcp = await listenTcp(
        { host: settings.host, port: ircPort, maxLineBytes: MAX_IRC_LINE_BYTES, sendqBytes: settings.sendqBytes, admit, full: IRC_SERVER_FULL.encode(), newId: h.newConn, outboxes },
        irc.connect,
        log,
      );
      return { name: 'IRC', ...tcp };
    });
  }
  let running: Running | undefined;
  if (metrics !== null && settings.metricsPort !== null) {
    const held = redisLog === null ? undefined : () => redisLog.held();
    drivers.push(metrics.driver(settings.host, settings.metricsPort, () => running?.listeners ?? [], held));
  }
  running = await run(hub, drivers).catch(async (err: unknown) => {
    await redisLog?.close(0);
    throw err;
  });
  return redisLog === null ? running : asClusterNode(running, redisLog, log);
}
