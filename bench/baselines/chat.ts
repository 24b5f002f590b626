// The chat both baselines speak, on bare node:net: the subset of PROTOCOL.md the load uses, with
// the output path left to each baseline (naive.ts writes every line at once, tuned.ts once per
// socket per turn). Sharing everything else makes the difference between the two exactly that.
//
// - `Username?` on connect; a name line gets `You are now connected, <name>!`, joins #lobby (its
//   current room), and the lobby's other members get `*** <name> joined the chat`.
// - `/join <room>` (the `#` may be left out): a new member gets `*** Now in <room> (<n> users)`
//   (`(1 user)`) and the room's other members `*** <name> joined <room>`; a member only switches
//   to it (`*** Now in` alone). The room becomes current.
// - Any other line is said in the current room: `(<name>) <text>` to every member, the sayer
//   included; a member whose current room it is not gets it as `[<room>] (<name>) <text>`.
// - `exit`: `Goodbye <name>!` (`Goodbye!` before a name) and a close; everyone who shared a room
//   with the leaver gets `*** <name> left the chat` once.
// No limits, no history, no validation beyond a non-empty name. Single-threaded, so every client
// sees one global order. Each line is encoded once per form, however many members get it.
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { parseArgs } from 'node:util';

export interface Peer {
  readonly socket: Socket;
  name: string | null;
  /** The rooms it is a member of, and the one a plain line goes to. */
  readonly rooms: Set<Room>;
  current: Room | null;
  /** Lines waiting for the output path's flush (tuned.ts; naive.ts leaves it empty). */
  queue: Buffer[];
}

interface Room {
  readonly name: string;
  /** In join order. */
  readonly members: Set<Peer>;
}

/** How a baseline puts bytes on the wire. */
export interface OutputPath {
  /** `noDelay` for the sockets (TCP_NODELAY). */
  readonly noDelay: boolean;
  send(peer: Peer, bytes: Buffer): void;
  /** Ends the socket after what was sent to it. */
  end(peer: Peer): void;
}

/** Parses `--host` and `--port`, serves the chat with `output`, and logs `listening on host:port`. */
export function serveChat(output: OutputPath): void {
  const { values } = parseArgs({
    options: { host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', default: '7777' } },
  });
  const { send } = output;
  const rooms = new Map<string, Room>();
  const lobby: Room = { name: '#lobby', members: new Set() };
  rooms.set('#lobby', lobby);
  const encode = (text: string): Buffer => Buffer.from(`${text}\n`);

  /** A room's line to its members (but `except`): plain for those in it, `[<room>] ` for the others. */
  const toRoom = (room: Room, text: string, except: Peer | null): void => {
    const plain = encode(text);
    let prefixed: Buffer | undefined;
    for (const peer of room.members) {
      if (peer === except) continue;
      send(peer, peer.current === room ? plain : (prefixed ??= encode(`[${room.name}] ${text}`)));
    }
  };

  const join = (peer: Peer, name: string, wanted: string): void => {
    const roomName = wanted.startsWith('#') ? wanted : `#${wanted}`;
    const key = roomName.toLowerCase();
    let room = rooms.get(key);
    if (room === undefined) {
      room = { name: roomName, members: new Set() };
      rooms.set(key, room);
    }
    peer.current = room;
    const n = room.members.size + (room.members.has(peer) ? 0 : 1);
    send(peer, encode(`*** Now in ${room.name} (${n === 1 ? '1 user' : `${n} users`})`));
    if (room.members.has(peer)) return;
    room.members.add(peer);
    peer.rooms.add(room);
    toRoom(room, `*** ${name} joined ${room.name}`, peer);
  };

  const leave = (peer: Peer): void => {
    if (peer.name === null || peer.rooms.size === 0) return;
    const told = new Set<Peer>();
    for (const room of peer.rooms) {
      room.members.delete(peer);
      for (const member of room.members) told.add(member);
      if (room.members.size === 0 && room !== lobby) rooms.delete(room.name.toLowerCase());
    }
    peer.rooms.clear();
    peer.current = null;
    const bytes = encode(`*** ${peer.name} left the chat`);
    for (const member of told) send(member, bytes);
  };

  const onLine = (peer: Peer, line: string): void => {
    const text = line.trim();
    const { name } = peer;
    if (name === null) {
      if (text === '') return;
      if (text === 'exit') {
        send(peer, encode('Goodbye!'));
        output.end(peer);
        return;
      }
      peer.name = text;
      send(peer, encode(`You are now connected, ${text}!`));
      toRoom(lobby, `*** ${text} joined the chat`, null);
      lobby.members.add(peer);
      peer.rooms.add(lobby);
      peer.current = lobby;
    } else if (text === 'exit') {
      send(peer, encode(`Goodbye ${name}!`));
      leave(peer);
      output.end(peer);
    } else if (text.startsWith('/join ')) {
      join(peer, name, text.slice('/join '.length).trim());
    } else if (text !== '' && peer.current !== null) {
      toRoom(peer.current, `(${name}) ${line}`, null);
    }
  };

  const server = createServer({ noDelay: output.noDelay }, (socket) => {
    const peer: Peer = { socket, name: null, rooms: new Set(), current: null, queue: [] };
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
    send(peer, encode('Username?'));
  });

  server.listen({ host: values.host, port: Number(values.port) }, () => {
    const { address, port } = server.address() as AddressInfo;
    process.stderr.write(`listening on ${address}:${port}\n`);
  });
  // Exit normally on SIGTERM (how the harness stops servers), so `node --cpu-prof` writes its profile.
  process.on('SIGTERM', () => process.exit(0));
}
