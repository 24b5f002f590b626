// TCP listener driver: accepts sockets, frames their input, runs a handler per connection and
// carries out what it returns (write a line, log, close). All socket I/O of the server is here.
//
// The handler is the pure side (server.ts `connect`): it never sees a socket, only an id and an
// Observable of frames, and answers with an Observable of outputs whose completion means close.
import { createServer, type AddressInfo, type Socket } from 'node:net';
import type { Observable } from 'rxjs';
import { splitLines } from '../framing.ts';
import type { Connection, Output } from '../server.ts';
import { socketChunk$, writeSafely } from './socket.ts';

export interface TcpListenerOptions {
  readonly host: string;
  readonly port: number;
  readonly maxLineBytes: number;
}

export interface TcpListener {
  /** The address actually bound (the real port when 0 was asked for). */
  readonly host: string;
  readonly port: number;
  /** How many connections are open right now. */
  connections(): number;
  /** Stops accepting, closes every connection at once and resolves when the server is closed. Idempotent. */
  close(): Promise<void>;
}

export type Log = (message: string) => void;

/** Listens and resolves once connections are accepted; rejects if the address cannot be bound. */
export function listenTcp(
  options: TcpListenerOptions,
  handle: (connection: Connection) => Observable<Output>,
  log: Log,
): Promise<TcpListener> {
  const sockets = new Set<Socket>();
  let nextId = 1;
  // allowHalfOpen: when a client sends EOF we still flush what we owe it before ending.
  // noDelay: chat is interactive; a line should leave now, not after the next ACK.
  const server = createServer({ allowHalfOpen: true, noDelay: true, keepAlive: true, keepAliveInitialDelay: 60_000 });

  server.on('connection', (socket) => {
    const id = nextId++;
    sockets.add(socket);
    log(`#${id} connected from ${formatAddress(socket.remoteAddress ?? '?', socket.remotePort ?? 0)}`);
    let lastError = '';
    socket.on('error', (err: NodeJS.ErrnoException) => {
      lastError = err.code ?? err.message;
    });
    const frame$ = socketChunk$(socket).pipe(splitLines(options.maxLineBytes));
    const subscription = handle({ id, frame$ }).subscribe({
      next: (output) => {
        if (output.kind === 'send') writeSafely(socket, output.line.encode());
        else log(`#${id} ${output.message}`);
      },
      complete: () => socket.end(),
      error: (err: unknown) => {
        log(`#${id} closed after an internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        socket.destroy();
      },
    });
    socket.once('close', () => {
      sockets.delete(socket);
      subscription.unsubscribe();
      log(`#${id} disconnected${lastError === '' ? '' : ` (${lastError})`}`);
    });
  });

  return new Promise<TcpListener>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', reject);
      server.on('error', (err) => log(`listener error: ${err.message}`));
      const address = server.address() as AddressInfo;
      let closing: Promise<void> | undefined;
      resolve({
        host: address.address,
        port: address.port,
        connections: () => sockets.size,
        close: () =>
          (closing ??= new Promise<void>((done) => {
            server.close(() => done());
            for (const socket of sockets) socket.destroy();
          })),
      });
    });
  });
}

/** `host:port`, with IPv6 hosts in brackets (`[::1]:7777`). */
export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
