// Socket adapter: a net.Socket's incoming bytes as an Observable, and safe writes to it.
//
// `fromEvent` would never complete, so this is the hand-written form the RxJS guide describes:
// data → next, end → complete, teardown → listeners removed. A clean end (the peer's FIN) is a
// completion, so framing delivers a last line sent without LF, as `nc` does at EOF. A reset, an
// error or a close without FIN is an *error* instead: the peer did not finish its line, so a
// half-typed tail must not be delivered as if it had (the listener turns the error into a quiet
// end of input). Errors on the socket itself are always handled by the listener
// (tcp-server.ts), so an EPIPE or ECONNRESET can never crash the process.
import type { Socket } from 'node:net';
import { Observable } from 'rxjs';

/** Raised when a socket closes without a clean end of input (reset, error, destroyed). */
export class ConnectionLost extends Error {
  constructor(cause?: unknown) {
    super('connection lost before the end of input', cause === undefined ? undefined : { cause });
    this.name = 'ConnectionLost';
  }
}

/** The socket's incoming chunks; completes on a clean end of input, errors if the connection is lost. */
export function socketChunk$(socket: Socket): Observable<Buffer> {
  return new Observable<Buffer>((subscriber) => {
    const onData = (chunk: Buffer): void => subscriber.next(chunk);
    const onEnd = (): void => subscriber.complete();
    const onError = (err: Error): void => subscriber.error(new ConnectionLost(err));
    const onClose = (): void => subscriber.error(new ConnectionLost());
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('error', onError);
    socket.on('close', onClose);
    return () => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('error', onError);
      socket.off('close', onClose);
    };
  });
}

/** Writes bytes unless the socket can no longer take them (a write after end would only error). */
export function writeSafely(socket: Socket, bytes: Uint8Array): void {
  if (socket.writable && !socket.destroyed) socket.write(bytes);
}
