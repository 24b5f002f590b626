// One connection to Redis that a node keeps up by itself: connects when needed, with a deadline on
// everything, and replaces the socket whenever it fails or stops answering.
//
// node-redis 6 (`redis`) underneath, with its own reconnection off (`reconnectStrategy: false`)
// and no offline queue: a command given while there is no connection fails at once and was
// certainly not sent, and a command cut off by a disconnect is rejected, never resent behind our
// back (an XADD must not land twice on its own; our retries are explicit and deduplicated).
//
// The deadline is ours: a Redis that is stopped (SIGSTOP, a frozen VM) accepts the socket and
// then answers nothing, and node-redis waits forever, even for the handshake. A command that
// outlives its deadline destroys the socket and fails; the next command connects afresh.
// `generation` counts the sockets made, so a reader knows it reconnected and must check what it
// knew (redis-log.ts: the epoch, its last id).
import { ErrorReply, createClient } from 'redis';

/** A reply as RESP2 gives it. */
export type Reply = string | number | null | Reply[];

type Client = ReturnType<typeof createClient>;

export interface RedisConnectionOptions {
  /** `redis://host:port`, `rediss://…` or `unix:///path/to/redis.sock`. */
  readonly url: string;
  /** For log lines: `writer`, `reader`. */
  readonly name: string;
  /** The deadline of a command (and of connecting), unless the command gives its own. */
  readonly timeoutMs: number;
  /** Told when the connection goes down (with why) and when it is back. */
  readonly onState?: (up: boolean, why: string) => void;
}

export interface RedisConnection {
  /** Sends a command (connecting first if needed); rejects on any failure or past the deadline. */
  send(args: readonly string[], timeoutMs?: number): Promise<Reply>;
  /** Resolves with the generation once connected (connecting if needed); rejects if it cannot. */
  connect(): Promise<number>;
  /** How many sockets have been made so far: it changes on every reconnect. */
  readonly generation: number;
  /** Drops the socket now (its commands fail); the next command connects again. */
  reset(why: string): void;
  /** Closes for good: every command from now on fails. */
  close(): Promise<void>;
}

export class RedisTimeoutError extends Error {}

/** The command was certainly not sent: there was no connection to send it on. */
export class NotSentError extends Error {}

/** `unix:///path` → socket options for node-redis; anything else is passed as its url. */
function clientOptions(url: string, connectTimeout: number): Parameters<typeof createClient>[0] {
  const common = { RESP: 2 as const, disableOfflineQueue: true, maintNotifications: 'disabled' as const };
  if (url.startsWith('unix://')) {
    return { ...common, socket: { path: url.slice('unix://'.length), tls: false as const, reconnectStrategy: false as const, connectTimeout } };
  }
  return { ...common, url, socket: { reconnectStrategy: false as const, connectTimeout } };
}

export function createRedisConnection(options: RedisConnectionOptions): RedisConnection {
  const { url, timeoutMs, onState } = options;
  let client: Client | null = null;
  let connecting: Promise<Client> | null = null;
  let generation = 0;
  let closed = false;
  let up = false;

  const setUp = (value: boolean, why: string): void => {
    if (up === value) return;
    up = value;
    onState?.(value, why);
  };

  const drop = (c: Client, why: string): void => {
    if (client === c) client = null;
    try {
      c.destroy();
    } catch {
      // Already closed.
    }
    setUp(false, why);
  };

  const open = async (): Promise<Client> => {
    const c = createClient(clientOptions(url, timeoutMs));
    c.on('error', (err: Error) => {
      // The socket failed: drop it (its commands reject). Attached so node-redis never throws it.
      drop(c, err.message);
    });
    try {
      await deadline(c.connect(), timeoutMs, () => drop(c, `no answer within ${timeoutMs} ms while connecting`));
    } catch (err) {
      drop(c, err instanceof Error ? err.message : String(err));
      throw err;
    }
    if (closed) {
      c.destroy();
      throw new Error('connection closed');
    }
    client = c;
    generation++;
    setUp(true, 'connected');
    return c;
  };

  const ensure = (): Promise<Client> => {
    if (closed) return Promise.reject(new Error('connection closed'));
    if (client !== null && client.isReady) return Promise.resolve(client);
    if (client !== null) drop(client, 'connection lost');
    connecting ??= open().finally(() => {
      connecting = null;
    });
    return connecting;
  };

  return {
    async send(args, ms = timeoutMs) {
      let c: Client;
      try {
        c = await ensure();
      } catch (err) {
        throw new NotSentError(err instanceof Error ? err.message : String(err));
      }
      try {
        return (await deadline(c.sendCommand(args as string[]), ms, () => drop(c, `no answer within ${ms} ms`))) as Reply;
      } catch (err) {
        // A command that failed because the socket did drops it; a Redis error reply does not.
        if (!c.isReady) drop(c, err instanceof Error ? err.message : String(err));
        throw err;
      }
    },
    connect: () => ensure().then(() => generation),
    get generation() {
      return generation;
    },
    reset(why) {
      if (client !== null) drop(client, why);
    },
    async close() {
      closed = true;
      const c = client;
      client = null;
      if (c === null) return;
      try {
        await deadline(c.close(), 500, () => c.destroy());
      } catch {
        c.destroy();
      }
    },
  };
}

/** `promise`, or a RedisTimeoutError after `ms` (calling `onTimeout` first). */
function deadline<T>(promise: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout();
      reject(new RedisTimeoutError(`no answer from Redis within ${ms} ms`));
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

/** A reply's array, or [] for anything else (nil, a number). */
export function list(reply: Reply): Reply[] {
  return Array.isArray(reply) ? reply : [];
}

/** A reply's string, or null. */
export function text(reply: Reply | undefined): string | null {
  return typeof reply === 'string' ? reply : null;
}

/** Whether Redis answered with an error (OOM, READONLY, NOAUTH, WRONGTYPE…), rather than the connection failing. */
export function isErrorReply(err: unknown): boolean {
  return err instanceof ErrorReply;
}

/**
 * Whether a failed command certainly did not run: it was never sent, or Redis refused it. Anything
 * else (no answer in time, the socket closed while waiting) may have run.
 */
export function certainlyNotRun(err: unknown): boolean {
  // node-redis rejects a command given to a closed or offline client at once, without sending it.
  return err instanceof NotSentError || err instanceof ErrorReply || (err instanceof Error && (err.name === 'ClientOfflineError' || err.name === 'ClientClosedError'));
}
