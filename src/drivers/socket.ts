// Socket adapter: a net.Socket's incoming bytes as an Observable, and safe writes to it.
//
// `fromEvent` would never complete, so this is the hand-written form the RxJS guide describes:
// data → next; end, close or error → complete (the peer is gone either way; framing drops an
// unfinished last line, see framing.ts); teardown → listeners removed. Errors on the socket
// itself are always handled by the listener (tcp-server.ts), so an EPIPE or ECONNRESET can never
// crash the process.
import type { Socket } from 'node:net';
import { Observable } from 'rxjs';
import { createLineDecoder, type Frame } from '../framing.ts';

/** The socket's incoming chunks; completes when the peer's side ends or the socket closes. */
export function socketChunk$(socket: Socket): Observable<Buffer> {
  return new Observable<Buffer>((subscriber) =>
    listen(
      socket,
      (chunk) => subscriber.next(chunk),
      () => subscriber.complete(),
    ),
  );
}

/**
 * The socket's lines, framed as framing.ts frames them (bounded, CR dropped, `too-long`), and
 * completing like `socketChunk$`; `onChunk` hears of each chunk as it arrives (a busy server's
 * outbox waits for more input by it). This is `socketChunk$(socket).pipe(splitLines(max))` in one
 * Observable: the server holds one per connection, and the two layers of subscribers between
 * them cost about half a KiB each time, which thousands of idle connections pay for nothing.
 */
export function socketFrame$(socket: Socket, maxLineBytes: number, onChunk: () => void = () => {}): Observable<Frame> {
  return new Observable<Frame>((subscriber) => {
    const decoder = createLineDecoder(maxLineBytes);
    const emit = (frame: Frame): void => subscriber.next(frame);
    const onData = (chunk: Buffer): void => {
      onChunk();
      decoder.push(chunk, emit);
    };
    // Bytes after the last LF are not a line (framing.ts): a peer gone mid-line sends nothing.
    const onEnd = (): void => {
      decoder.end();
      subscriber.complete();
    };
    return listen(socket, onData, onEnd);
  });
}

/** Hands a socket's chunks to `onData` and its end (end, close or error) to `onEnd`; returns the teardown. */
function listen(socket: Socket, onData: (chunk: Buffer) => void, onEnd: () => void): () => void {
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
}

/** Writes bytes unless the socket can no longer take them (a write after end would only error). */
export function writeSafely(socket: Socket, bytes: Uint8Array): void {
  if (socket.writable && !socket.destroyed) socket.write(bytes);
}
