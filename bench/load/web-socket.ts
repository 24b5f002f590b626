// A load client's WebSocket, as small and cheap as the TCP one: RFC 6455 by hand over node:net,
// shaped like the line socket the simulated client already reads (client.ts): `data` events carry
// the server's lines, each followed by LF, and `write` takes LF-terminated lines.
//
//   connect ─▶ GET /chat, Upgrade: websocket ─▶ 101 (Sec-WebSocket-Accept checked)
//   in:  text frames (unmasked, as servers send them) ─▶ payload + LF, every frame of a chunk in one Buffer
//   out: each line of a write ─▶ one masked text frame, all of them in one socket write
//   ping ─▶ pong; close ─▶ 'close'
// It has no dependencies (the load processes run transpiled files from a temporary directory,
// where `ws` cannot be imported), and the hot path allocates one Buffer per chunk read. Masks are
// random per frame, from a pool refilled in bulk.
import { createHash, randomBytes, randomFillSync } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';

/** What the simulated client needs of its connection, TCP or WebSocket. */
export interface LineSocket {
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'error', listener: (err: NodeJS.ErrnoException) => void): this;
  on(event: 'close', listener: () => void): this;
  /** LF-terminated lines. */
  write(lines: string): boolean;
  destroy(): void;
}

export type Transport = 'tcp' | 'web';

/** Opens a line connection to `host:port` over `transport`. */
export function dialLine(transport: Transport, host: string, port: number): LineSocket {
  return transport === 'web' ? new WebLineSocket(host, port) : connect({ host, port, noDelay: true });
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_HANDSHAKE_BYTES = 16 * 1024;
/** A frame longer than this means the stream is garbage (the server's lines are a few KiB). */
const MAX_FRAME_BYTES = 1 << 20;
const LF = 0x0a;
const OP_CONTINUATION = 0x0;
const OP_TEXT = 0x1;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

let scratchBuffer = Buffer.allocUnsafe(64 * 1024);
function scratch(bytes: number): Buffer {
  if (scratchBuffer.length < bytes) scratchBuffer = Buffer.allocUnsafe(Math.max(bytes, 2 * scratchBuffer.length));
  return scratchBuffer;
}

const MASK_POOL_BYTES = 64 * 1024;
let maskPool = Buffer.alloc(0);
let maskAt = 0;
/** Four random bytes for a frame's mask, written at `into[at]`. */
function writeMask(into: Buffer, at: number): void {
  if (maskAt + 4 > maskPool.length) {
    maskPool = randomFillSync(Buffer.allocUnsafe(MASK_POOL_BYTES));
    maskAt = 0;
  }
  maskPool.copy(into, at, maskAt, maskAt + 4);
  maskAt += 4;
}

/** One client frame: FIN, `opcode`, masked `payload`. */
export function clientFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const lengthBytes = length < 126 ? 0 : length < 65_536 ? 2 : 8;
  const head = 2 + lengthBytes;
  const frame = Buffer.allocUnsafe(head + 4 + length);
  frame[0] = 0x80 | opcode;
  if (lengthBytes === 0) frame[1] = 0x80 | length;
  else if (lengthBytes === 2) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  writeMask(frame, head);
  const body = head + 4;
  for (let i = 0; i < length; i++) frame[body + i] = (payload[i] as number) ^ (frame[head + (i & 3)] as number);
  return frame;
}

export class WebLineSocket extends EventEmitter implements LineSocket {
  readonly #socket: Socket;
  readonly #key = randomBytes(16).toString('base64');
  #open = false;
  #pending: Buffer | null = null;
  /** A fragmented message's pieces so far (the server never fragments, but a client must cope). */
  #fragments: Buffer[] = [];
  /** Lines written before the handshake finished, sent once it has. */
  #early: string[] = [];
  #closed = false;

  constructor(host: string, port: number) {
    super();
    const socket = connect({ host, port, noDelay: true });
    this.#socket = socket;
    socket.on('connect', () => {
      socket.write(
        `GET /chat HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${this.#key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (err) => this.emit('error', err));
    socket.on('close', () => this.#close());
  }

  write(lines: string): boolean {
    if (!this.#open) {
      this.#early.push(lines);
      return true;
    }
    const frames: Buffer[] = [];
    let start = 0;
    while (start < lines.length) {
      let end = lines.indexOf('\n', start);
      if (end === -1) end = lines.length;
      frames.push(clientFrame(OP_TEXT, Buffer.from(lines.slice(start, end), 'utf8')));
      start = end + 1;
    }
    return this.#socket.write(frames.length === 1 ? (frames[0] as Buffer) : Buffer.concat(frames));
  }

  destroy(): void {
    this.#socket.destroy();
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.emit('close');
  }

  #fail(message: string): void {
    this.emit('error', Object.assign(new Error(message), { code: 'EWEBSOCKET' }));
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    let data = this.#pending === null ? chunk : Buffer.concat([this.#pending, chunk]);
    this.#pending = null;
    if (!this.#open) {
      const end = data.indexOf('\r\n\r\n');
      if (end === -1) {
        if (data.length > MAX_HANDSHAKE_BYTES) return this.#fail('no end to the handshake response');
        this.#pending = Buffer.from(data);
        return;
      }
      const head = data.toString('latin1', 0, end);
      const accept = createHash('sha1').update(this.#key + GUID).digest('base64');
      if (!/^HTTP\/1\.1 101 /.test(head)) return this.#fail(`handshake refused: ${head.split('\r\n')[0] ?? ''}`);
      if (!new RegExp(`^sec-websocket-accept: *${accept.replace(/[+/=]/g, '\\$&')} *$`, 'im').test(head)) return this.#fail('bad Sec-WebSocket-Accept');
      this.#open = true;
      this.emit('open');
      for (const lines of this.#early.splice(0)) this.write(lines);
      data = data.subarray(end + 4);
    }
    this.#frames(data);
  }

  /** Reads every whole frame of `data`; keeps a partial last one for the next chunk. */
  #frames(data: Buffer): void {
    // Payload + LF per text frame is never longer than the frame itself (its header is 2+ bytes).
    // The lines go out in a scratch Buffer shared by every client of the process: a listener
    // reads them synchronously and copies only what it keeps (client.ts keeps no whole line).
    const out = scratch(data.length);
    let written = 0;
    let at = 0;
    while (data.length - at >= 2) {
      const first = data[at] as number;
      const second = data[at + 1] as number;
      const opcode = first & 0x0f;
      const fin = (first & 0x80) !== 0;
      if ((second & 0x80) !== 0) return this.#fail('a masked frame from the server');
      let length = second & 0x7f;
      let head = 2;
      if (length === 126) {
        if (data.length - at < 4) break;
        length = data.readUInt16BE(at + 2);
        head = 4;
      } else if (length === 127) {
        if (data.length - at < 10) break;
        const big = data.readBigUInt64BE(at + 2);
        if (big > BigInt(MAX_FRAME_BYTES)) return this.#fail('a frame too long');
        length = Number(big);
        head = 10;
      }
      if (length > MAX_FRAME_BYTES) return this.#fail('a frame too long');
      if (data.length - at < head + length) break;
      const payload = data.subarray(at + head, at + head + length);
      at += head + length;
      switch (opcode) {
        case OP_TEXT:
        case OP_CONTINUATION:
          if (!fin) {
            this.#fragments.push(Buffer.from(payload));
            break;
          }
          if (this.#fragments.length > 0) {
            const whole = Buffer.concat([...this.#fragments.splice(0), payload]);
            if (written > 0) this.emit('data', out.subarray(0, written));
            written = 0;
            this.emit('data', Buffer.concat([whole, Buffer.of(LF)]));
            break;
          }
          payload.copy(out, written);
          written += length;
          out[written++] = LF;
          break;
        case OP_PING:
          this.#socket.write(clientFrame(OP_PONG, Buffer.from(payload)));
          break;
        case OP_CLOSE:
          if (written > 0) this.emit('data', out.subarray(0, written));
          written = 0;
          this.#socket.end(clientFrame(OP_CLOSE, Buffer.from(payload.subarray(0, 2))));
          this.#close();
          return;
        case OP_PONG:
          break;
        default:
          return this.#fail(`an unexpected frame (opcode ${opcode})`);
      }
    }
    if (at < data.length) this.#pending = Buffer.from(data.subarray(at));
    if (written > 0) this.emit('data', out.subarray(0, written));
  }
}
