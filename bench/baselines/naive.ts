// Baseline "naive": the chat (chat.ts) on bare node:net, written the obvious way.
//
// Naive on purpose: every line is written to its socket at once (one write per line per socket),
// with Node defaults (Nagle on). Each broadcast line is still encoded once and shared by every
// write (chat.ts).
//
//   node naive.js --port 0      →  stderr: listening on 127.0.0.1:<port>
import { serveChat } from './chat.ts';

serveChat({
  noDelay: false,
  send: (peer, bytes) => void peer.socket.write(bytes),
  end: (peer) => void peer.socket.end(),
});
