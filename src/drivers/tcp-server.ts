// TCP listener driver: accepts sockets, frames their input, runs a handler per connection and
// carries out what it returns. All socket I/O of the server is here, and so are the limits
// that can only be measured at a socket: the connection cap and each client's unsent output.
//
// The handler is the pure side (server.ts `connect`): it never sees a socket, only an id, an
// Observable of frames and one of "too slow" signals, and answers with an Observable of outputs
// (a line, log, pause, resume, abort) whose completion means close. The hub's lines for the
// connection come straight to its outbox (the front end's `sink`), one call per line.
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { Subject, type Observable } from 'rxjs';
import type { ConnId } from '../core/intents.ts';
import type { Connection, Output } from '../line/front-end.ts';
import { adaptiveTiming, createOutboxes, type Outboxes } from './outbox.ts';
import { ioCounters } from './io-counters.ts';
import { socketFrame$ } from './socket.ts';

export interface TcpListenerOptions {
  readonly host: string;
  readonly port: number;
  readonly maxLineBytes: number;
  /**
   * Whether another connection may be held (the cap is counted across every front end); when not,
   * the socket gets `full` (`*** Server full`, or IRC's ERROR) and is closed.
   */
  readonly admit: () => boolean;
  /** The last words to a connection refused because the server is full. */
  readonly full: Buffer;
  /** A fresh connection id (the hub's `newConn`). */
  readonly newId: () => ConnId;
  /** Unsent bytes (Node's socket buffer) a client may have before it is cut off as too slow. */
  readonly sendqBytes: number;
  /**
   * The sockets' output batching, shared by every listener of the process (one flush writes
   * every socket); by default the listener makes its own.
   */
  readonly outboxes?: Outboxes;
}

export interface TcpListener {
  /** The address actually bound (the real port when 0 was asked for). */
  readonly host: string;
  readonly port: number;
  /** How many connections are open right now. */
  connections(): number;
  /**
   * Stops accepting and resolves once every connection has closed, or after `graceMs`, when
   * the ones left are cut. Call it after the handler has told clients goodbye. Idempotent.
   */
  close(graceMs?: number): Promise<void>;
}

export type Log = (message: string) => void;

/** After we end a connection, how long the peer has to close its side before it is cut. */
const LINGER_MS = 10_000;

/** Listens and resolves once connections are accepted; rejects if the address cannot be bound. */
export function listenTcp(
  options: TcpListenerOptions,
  handle: (connection: Connection) => Observable<Output>,
  log: Log,
): Promise<TcpListener> {
  const sockets = new Set<Socket>();
  const outboxes = options.outboxes ?? createOutboxes(adaptiveTiming(), (err) => log(`internal error while writing: ${describeError(err)}`));
  // allowHalfOpen: when a client sends EOF we still flush what we owe it before ending.
  // noDelay: chat is interactive; a line should leave now, not after the next ACK.
  // keepAlive: a peer that vanished without a FIN or RST is found out eventually.
  const server = createServer({ allowHalfOpen: true, noDelay: true, keepAlive: true, keepAliveInitialDelay: 60_000 });

  /**
   * Ends a socket politely; cuts it if the peer has not closed its side in time. Reading resumes
   * (input is discarded now) so the peer's FIN is seen even if flood control had paused it.
   */
  const endSocket = (socket: Socket): void => {
    socket.end();
    socket.resume();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };

  const refuse = (socket: Socket): void => {
    socket.on('error', () => {});
    socket.write(options.full);
    endSocket(socket);
  };

  const accept = (socket: Socket): void => {
    const id = options.newId();
    sockets.add(socket);
    log(`#${label(id)} connected from ${formatAddress(socket.remoteAddress ?? '?', socket.remotePort ?? 0)}`);
    let lastError = '';
    socket.on('error', (err: NodeJS.ErrnoException) => {
      lastError = err.code ?? err.message;
    });

    // Output leaves in one write per socket per flush (outbox.ts). Slow consumer guard: past the
    // budget the outbox stops taking lines at once (memory stays bounded) and we tell the actor,
    // which announces the departure and aborts the connection.
    const tooSlow$ = new Subject<void>();
    const outbox = outboxes.open(socket, options.sendqBytes, (unsent) => {
      log(`#${label(id)} too slow: ${unsent} bytes unsent (budget ${options.sendqBytes})`);
      tooSlow$.next();
    });

    // Input arriving tells a spaced-out flush that more is coming (outbox.ts).
    outboxes.noteInput();
    const frame$ = socketFrame$(socket, options.maxLineBytes, outboxes.noteInput);
    // A fault while serving one connection closes that connection, nobody else's.
    const fail = (err: unknown): void => {
      log(`#${label(id)} closed after an internal error: ${describeError(err)}`);
      socket.destroy();
    };
    const perform = (output: Output): void => {
      switch (output.kind) {
        case 'send':
          // A line for this client alone leaves at the end of the turn; broadcasts wait for the flush.
          outbox.writeLine(output.line, output.soon);
          break;
        case 'log':
          log(`#${label(id)} ${output.message}`);
          break;
        case 'pause':
          ioCounters.floodPauses++;
          socket.pause();
          break;
        case 'resume':
          socket.resume();
          break;
        case 'abort':
          outbox.discard();
          socket.destroy();
          break;
      }
    };
    // The hub's lines go straight to the outbox (the front end's sink): one call per line, no Output.
    const subscription = handle({ id, frame$, tooSlow$, sink: outbox }).subscribe({
      next: (output) => {
        try {
          perform(output);
        } catch (err) {
          fail(err);
        }
      },
      complete: () => {
        outbox.flush();
        endSocket(socket);
      },
      error: fail,
    });
    socket.on('close', () => {
      sockets.delete(socket);
      subscription.unsubscribe();
      log(`#${label(id)} disconnected${lastError === '' ? '' : ` (${lastError})`}`);
    });
  };

  server.on('connection', (socket) => {
    if (!options.admit()) {
      log(`refused a connection from ${socket.remoteAddress ?? '?'}: server full`);
      refuse(socket);
      return;
    }
    try {
      accept(socket);
    } catch (err) {
      // A fault while setting up one connection closes that connection, never the server.
      log(`connection setup failed: ${describeError(err)}`);
      socket.destroy();
    }
  });

  return new Promise<TcpListener>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', reject);
      server.on('error', (err) => log(`listener error: ${err.message}`));
      const address = server.address() as AddressInfo;
      let closing: Promise<void> | undefined;
      const close = (graceMs = 0): Promise<void> =>
        (closing ??= new Promise<void>((done) => {
          // The server closes once its last socket has; the sockets' own 'close' handlers (which
          // unsubscribe actors and log) run in that same turn, so resolve on the next one.
          server.close(() => setImmediate(done));
          const cut = (): void => {
            for (const socket of sockets) socket.destroy();
          };
          if (graceMs <= 0) cut();
          else setTimeout(cut, graceMs).unref();
        }));
      resolve({ host: address.address, port: address.port, connections: () => sockets.size, close });
    });
  });
}

/** A connection's name in log lines: its number on this node (`n1/5` is `#5`). */
export function label(id: ConnId): string {
  const slash = id.lastIndexOf('/');
  return slash < 0 ? id : id.slice(slash + 1);
}

/** An error for a log line: its stack when it has one. */
export function describeError(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/** `host:port`, with IPv6 hosts in brackets (`[::1]:7777`). */
export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
