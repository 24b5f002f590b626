// Socket adapter: a net.Socket's incoming bytes as an Observable, and safe writes to it.
//
// `fromEvent` would never complete, so this is the hand-written form the RxJS guide describes:
// data → next; end, close or error → complete (the peer is gone either way; framing drops an
// unfinished last line, see framing.ts); teardown → listeners removed. Errors on the socket
// itself are always handled by the listener (tcp-server.ts), so an EPIPE or ECONNRESET can never
// crash the process.
import type { Socket } from 'node:net';
import { Observable } from 'rxjs';

/** The socket's incoming chunks; completes when the peer's side ends or the socket closes. */
export function socketChunk$(socket: Socket): Observable<Buffer> {
  return new Observable<Buffer>((subscriber) => {
    const onData = (chunk: Buffer): void => subscriber.next(chunk);
    const onEnd = (): void => subscriber.complete();
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('close', onEnd);
    socket.on('error', onEnd);
    return () => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      socket.off('error', onEnd);
    };
  });
}

/** Writes bytes unless the socket can no longer take them (a write after end would only error). */
export function writeSafely(socket: Socket, bytes: Uint8Array): void {
  if (socket.writable && !socket.destroyed) socket.write(bytes);
}
