// Baseline "tuned": the same chat as naive.ts (chat.ts), with the two classic fixes for fan-out.
//
// 1. TCP_NODELAY: a line leaves now, never held back by Nagle waiting for an ACK.
// 2. One write per socket per event-loop turn: lines for a socket are queued during the turn
//    (however many broadcasts it hears) and flushed with a single write from setImmediate, so
//    a burst of N lines costs each client one syscall and one TCP segment instead of N.
// Everything else (parsing, the members, the rooms, the global order) is chat.ts, shared with
// naive.ts, so the difference between the two is exactly the output path.
//
//   node tuned.js --port 0      →  stderr: listening on 127.0.0.1:<port>
import { serveChat, type Peer } from './chat.ts';

const dirty: Peer[] = []; // peers with a non-empty queue
let flushScheduled = false;

function flush(): void {
  flushScheduled = false;
  for (const peer of dirty) {
    const { queue } = peer;
    peer.queue = [];
    if (!peer.socket.destroyed) peer.socket.write(queue.length === 1 ? queue[0]! : Buffer.concat(queue));
  }
  dirty.length = 0;
}

serveChat({
  noDelay: true,
  send(peer, bytes) {
    if (peer.queue.length === 0) dirty.push(peer);
    peer.queue.push(bytes);
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  },
  end: (peer) => void setImmediate(() => peer.socket.end()), // after the flush
});
