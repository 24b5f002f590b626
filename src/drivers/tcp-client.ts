// TCP client driver: the client's only socket. Connects, frames what the server sends, writes
// lines, and reports the end of the connection as a value, never as an uncaught error.
//
// The socket is created at once and its events are exposed as Observables; subscribe to them in
// the same tick (the CLI does). Nothing is lost meanwhile: 'connect' and 'close' are emitted
// asynchronously, and a socket does not read until it has a 'data' listener.
import { connect, type Socket } from 'node:net';
import { EMPTY, Observable, catchError, take } from 'rxjs';
import { splitLines, type Frame } from '../framing.ts';
import { socketChunk$, writeSafely } from './socket.ts';

export interface TcpClientOptions {
  readonly host: string;
  readonly port: number;
  /** Longest server line accepted; longer ones become `too-long` frames. */
  readonly maxLineBytes: number;
}

export interface TcpClient {
  /** Emits once when the connection is open. */
  readonly connected$: Observable<void>;
  /** The server's lines; completes when the server's side ends or the connection is lost. */
  readonly frame$: Observable<Frame>;
  /** Emits once when the socket is closed: why ("connection refused", …), or null for a clean close. */
  readonly closed$: Observable<string | null>;
  /** Writes `text` and a LF. Ignored once the socket cannot take it. */
  send(text: string): void;
  /** Ends our side politely (pending lines are flushed first). Idempotent. */
  close(): void;
}

export function connectTcp(options: TcpClientOptions): TcpClient {
  const socket: Socket = connect({ host: options.host, port: options.port });
  socket.setNoDelay(true); // chat is interactive: a line leaves now, not after the next ACK
  let failure: string | null = null;
  // Always listened to, so ECONNREFUSED or ECONNRESET can never become an uncaught exception.
  socket.on('error', (err: NodeJS.ErrnoException) => {
    failure ??= describeSocketError(err);
  });

  return {
    connected$: once$(socket, 'connect', () => undefined),
    // A lost connection (reset, refused) just ends the frames, whether socket.ts reports it as
    // an error or a completion; `closed$` says why.
    frame$: socketChunk$(socket).pipe(
      splitLines(options.maxLineBytes),
      catchError(() => EMPTY),
    ),
    closed$: once$(socket, 'close', () => failure),
    send: (text) => writeSafely(socket, Buffer.from(`${text}\n`, 'utf8')),
    close: () => {
      if (socket.connecting) socket.destroy(); // nothing to flush yet
      else socket.end();
    },
  };
}

/** The first `event` from the socket, mapped by `value`. */
function once$<T>(socket: Socket, event: 'connect' | 'close', value: () => T): Observable<T> {
  return new Observable<T>((subscriber) => {
    const handler = (): void => subscriber.next(value());
    socket.on(event, handler);
    return () => socket.off(event, handler);
  }).pipe(take(1));
}

/** A short, human reason for a socket error (the code is kept when there is no better word). */
export function describeSocketError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset';
    case 'EPIPE':
      return 'broken pipe';
    case 'ETIMEDOUT':
      return 'timed out';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    default:
      return err.code ?? err.message;
  }
}
