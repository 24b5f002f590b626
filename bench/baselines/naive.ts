// Baseline "naive": the lab chat protocol on bare node:net, written the obvious way.
//
// The subset of PROTOCOL.md the benchmark exercises: `Username?` on connect; a name line gets
// `You are now connected, <name>!` and the others `*** <name> joined the chat`; every chat line
// goes to every named client, sender included, as `(<name>) <text>`; `exit` gets
// `Goodbye <name>!` and a close, and the others `*** <name> left the chat`.
// Naive on purpose: a Set of sockets, each broadcast encoded once and written to every socket at
// once (one write per line per socket), Node defaults (Nagle on). No limits, no validation
// beyond a non-empty name. Single-threaded, so every client sees one global order.
//
//   node naive.js --port 0      →  stderr: listening on 127.0.0.1:<port>
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', default: '7777' } },
});

/** Named clients, in join order. */
const members = new Map<Socket, string>();

function broadcast(text: string, except?: Socket): void {
  const bytes = Buffer.from(`${text}\n`); // encoded once, shared by every write
  for (const socket of members.keys()) {
    if (socket !== except) socket.write(bytes);
  }
}

function leave(socket: Socket): void {
  const name = members.get(socket);
  if (name === undefined) return;
  members.delete(socket);
  broadcast(`*** ${name} left the chat`);
}

function onLine(socket: Socket, line: string): void {
  const name = members.get(socket);
  if (name === undefined) {
    const wanted = line.trim();
    if (wanted === '') return;
    if (wanted === 'exit') {
      socket.end('Goodbye!\n');
      return;
    }
    socket.write(`You are now connected, ${wanted}!\n`);
    broadcast(`*** ${wanted} joined the chat`);
    members.set(socket, wanted);
  } else if (line.trim() === 'exit') {
    socket.write(`Goodbye ${name}!\n`);
    leave(socket);
    socket.end();
  } else if (line.trim() !== '') {
    broadcast(`(${name}) ${line}`);
  }
}

const server = createServer((socket) => {
  let pending = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    pending += chunk;
    let start = 0;
    for (let lf = pending.indexOf('\n'); lf !== -1; lf = pending.indexOf('\n', start)) {
      const end = lf > start && pending.charCodeAt(lf - 1) === 13 ? lf - 1 : lf;
      onLine(socket, pending.slice(start, end));
      start = lf + 1;
    }
    pending = pending.slice(start);
  });
  socket.on('error', () => {}); // a reset peer: 'close' follows
  socket.on('close', () => leave(socket));
  socket.write('Username?\n');
});

server.listen({ host: values.host, port: Number(values.port) }, () => {
  const { address, port } = server.address() as AddressInfo;
  process.stderr.write(`listening on ${address}:${port}\n`);
});
// Exit normally on SIGTERM (how the harness stops servers), so `node --cpu-prof` writes its profile.
process.on('SIGTERM', () => process.exit(0));
