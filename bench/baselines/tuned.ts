// Baseline "tuned": the same protocol subset as naive.ts, with the two classic fixes for fan-out.
//
// 1. TCP_NODELAY: a line leaves now, never held back by Nagle waiting for an ACK.
// 2. One write per socket per event-loop turn: lines for a socket are queued during the turn
//    (however many broadcasts it hears) and flushed with a single write from setImmediate, so
//    a burst of N lines costs each client one syscall and one TCP segment instead of N.
// Everything else (parsing, the Map of members, the global order) is as in naive.ts, so the
// difference between the two is exactly the output path.
//
//   node tuned.js --port 0      →  stderr: listening on 127.0.0.1:<port>
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', default: '7777' } },
});

interface Peer {
  readonly socket: Socket;
  name: string | null;
  /** Lines waiting for this turn's flush. */
  queue: Buffer[];
}

const members = new Map<Socket, Peer>(); // named clients, in join order
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

function send(peer: Peer, bytes: Buffer): void {
  if (peer.queue.length === 0) dirty.push(peer);
  peer.queue.push(bytes);
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flush);
  }
}

function broadcast(text: string, except?: Peer): void {
  const bytes = Buffer.from(`${text}\n`); // encoded once, shared by every queue
  for (const peer of members.values()) {
    if (peer !== except) send(peer, bytes);
  }
}

function leave(peer: Peer): void {
  if (!members.delete(peer.socket)) return;
  broadcast(`*** ${peer.name} left the chat`);
}

function onLine(peer: Peer, line: string): void {
  const text = line.trim();
  if (peer.name === null) {
    if (text === '') return;
    if (text === 'exit') {
      send(peer, Buffer.from('Goodbye!\n'));
      setImmediate(() => peer.socket.end()); // after the flush
      return;
    }
    peer.name = text;
    send(peer, Buffer.from(`You are now connected, ${text}!\n`));
    broadcast(`*** ${text} joined the chat`);
    members.set(peer.socket, peer);
  } else if (text === 'exit') {
    send(peer, Buffer.from(`Goodbye ${peer.name}!\n`));
    leave(peer);
    setImmediate(() => peer.socket.end());
  } else if (text !== '') {
    broadcast(`(${peer.name}) ${line}`);
  }
}

const server = createServer({ noDelay: true }, (socket) => {
  const peer: Peer = { socket, name: null, queue: [] };
  let pending = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    pending += chunk;
    let start = 0;
    for (let lf = pending.indexOf('\n'); lf !== -1; lf = pending.indexOf('\n', start)) {
      const end = lf > start && pending.charCodeAt(lf - 1) === 13 ? lf - 1 : lf;
      onLine(peer, pending.slice(start, end));
      start = lf + 1;
    }
    pending = pending.slice(start);
  });
  socket.on('error', () => {}); // a reset peer: 'close' follows
  socket.on('close', () => leave(peer));
  send(peer, Buffer.from('Username?\n'));
});

server.listen({ host: values.host, port: Number(values.port) }, () => {
  const { address, port } = server.address() as AddressInfo;
  process.stderr.write(`listening on ${address}:${port}\n`);
});
// Exit normally on SIGTERM (how the harness stops servers), so `node --cpu-prof` writes its profile.
process.on('SIGTERM', () => process.exit(0));
