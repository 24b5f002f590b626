// One simulated chat client: a socket, a line scanner over raw bytes, and the checks.
//
// A client answers `Username?` with its name, waits for its welcome, then folds every event it
// receives (join notices, chat lines) into order fingerprints and per-sender sequence checks.
// With rooms, it then sends `/join #r<g % rooms>` when told to, and folds what it hears in its
// room (after `*** Now in`) into a second fingerprint: room join notices and its room's lines.
// A client with a sender index also sends: a window of lines in flight, topped up as its own
// echoes land (fan-out), or one line every 1/rate s (latency).
//
// Hot path: `onData` scans for LF with Buffer#indexOf and hands (buffer, start, end) ranges to
// the parsers in protocol.ts; only a faulty line is ever decoded to a string.
import { clockMs, clockUs } from './clock.ts';
import type { Histogram } from './histogram.ts';
import type { ClientSummary, SendMode } from './messages.ts';
import { OrderFingerprint } from './fingerprint.ts';
import { dialLine, type LineSocket, type Transport } from './web-socket.ts';
import {
  LF,
  PROMPT,
  chatPayload,
  clientName,
  joinCommand,
  parseChat,
  parseJoined,
  parseJoinedRoom,
  parseNowIn,
  rangeEquals,
  trimCr,
  welcomeLine,
  type ChatFields,
} from './protocol.ts';

/** What a client shares with the rest of its worker: the plan, the tallies and the callbacks. */
export interface ClientContext {
  /** TCP, or the web front end's WebSocket (web-socket.ts: the same lines, one per message). */
  readonly transport: Transport;
  readonly senders: number;
  /** 0: everyone stays in the lobby; otherwise client g joins room g % rooms when told to. */
  readonly rooms: number;
  readonly lines: number;
  readonly mode: SendMode;
  readonly latency: Histogram;
  readonly tally: Tally;
  welcomed(at: number): void;
  /** This client's `/join` was answered (`*** Now in`). */
  entered(at: number): void;
  chatComplete(at: number): void;
  /** A line or event the protocol does not allow here: a correctness failure, described. */
  fault(description: string): void;
  /** Something that ends the run (a refused connection, a socket closed under us). */
  fatal(message: string): void;
}

/** Worker-wide counters, bumped on the hot path and read by the progress reporter. */
export interface Tally {
  joins: number;
  roomJoins: number;
  chats: number;
  lastReceivedAt: number;
  firstSentAt: number;
  changed: boolean;
}

/** A partial line longer than this means the stream is garbage: fail instead of buffering. */
const MAX_PARTIAL_BYTES = 64 * 1024;

const fields: ChatFields = { sender: 0, seq: 0, sentAtUs: 0 };

export class SimClient {
  readonly #g: number;
  readonly #name: string;
  readonly #welcome: Buffer;
  readonly #ctx: ClientContext;
  readonly #sender: number;
  /** Its room (-1 without rooms): room r's one sender is client r. */
  readonly #room: number;
  #socket: LineSocket | null = null;
  #partial: Buffer | null = null;
  #stopping = false;
  #prompted = false;
  /** Called once when the server has accepted the connection (or it failed). */
  #accepted: (() => void) | null = null;
  #welcomed = false;

  // What arrived after the welcome: the order fingerprints and the per-sender checks.
  readonly #seen = new OrderFingerprint();
  /** With rooms: sent `/join`, not yet answered. */
  #entering = false;
  /** With rooms: what arrived after `*** Now in` (null until then), and that `<n>`. */
  #roomSeen: OrderFingerprint | null = null;
  #position = -1;
  readonly #nextSeq: Int32Array;
  #inOrder = 0;

  // Sending (sender clients only).
  #sent = 0;
  #inFlight = 0;
  #sending = false;
  #timer: NodeJS.Timeout | null = null;

  constructor(g: number, ctx: ClientContext) {
    this.#g = g;
    this.#name = clientName(g);
    this.#welcome = welcomeLine(g);
    this.#ctx = ctx;
    this.#sender = g < ctx.senders ? g : -1;
    this.#room = ctx.rooms > 0 ? g % ctx.rooms : -1;
    this.#nextSeq = new Int32Array(ctx.senders);
  }

  get isSender(): boolean {
    return this.#sender >= 0;
  }

  /**
   * Opens the connection; `accepted` is called once, when the server has accepted it (its
   * `Username?` arrived) or the attempt failed. Not on TCP 'connect': the kernel completes the
   * handshake before the server calls accept(), so counting from there would let a busy server's
   * accept queue overflow, and the SYNs dropped then cost seconds of retries.
   */
  connect(host: string, port: number, accepted: () => void): void {
    const socket = dialLine(this.#ctx.transport, host, port);
    this.#socket = socket;
    this.#accepted = accepted;
    const settle = (): void => this.#settle();
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      settle();
      if (!this.#stopping) this.#ctx.fatal(`${this.#name}: socket error ${err.code ?? err.message}`);
    });
    socket.on('close', () => {
      settle();
      if (!this.#stopping) this.#ctx.fatal(`${this.#name}: connection closed by the server`);
    });
  }

  #settle(): void {
    const accepted = this.#accepted;
    this.#accepted = null;
    accepted?.();
  }

  /** With rooms: asks to join this client's room (and make it current). */
  enterRoom(): void {
    if (this.#room < 0 || this.#entering || this.#socket === null) return;
    this.#entering = true;
    this.#socket.write(joinCommand(this.#room));
  }

  /** Starts sending this client's lines (senders only). */
  startSending(): void {
    if (this.#sender < 0 || this.#sending) return;
    this.#sending = true;
    const { mode, senders } = this.#ctx;
    if (mode.kind === 'window') {
      this.#pump(mode.window);
      return;
    }
    // Paced: one line every 1/rate s, senders staggered evenly across the interval.
    const intervalMs = 1000 / mode.perSecond;
    this.#timer = setTimeout(() => {
      this.#sendOne();
      this.#timer = setInterval(() => this.#sendOne(), intervalMs);
    }, (this.#sender * intervalMs) / senders);
  }

  stop(): void {
    this.#stopping = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#socket?.destroy();
  }

  summary(): ClientSummary {
    const { lines } = this.#ctx;
    const room = this.#room;
    // Its room's sender's lines (no other sender's line is ever counted), or every sender's.
    const chatComplete = room >= 0 ? this.#nextSeq[room] === lines : this.#nextSeq.every((next) => next === lines);
    const inRoom = this.#roomSeen === null ? null : { room, position: this.#position, ...this.#roomSeen.sequence() };
    return this.#seen.summary(this.#g, this.#welcomed, chatComplete, inRoom);
  }

  #onData(chunk: Buffer): void {
    const now = clockMs(); // every line of a chunk arrived at the same moment
    this.#ctx.tally.lastReceivedAt = now;
    this.#scan(chunk, now);
    // Marked after the scan: a progress report sent from inside it (the last welcome, say)
    // must not hide the lines that came after it in the same chunk.
    this.#ctx.tally.changed = true;
    if (this.#sending && this.#ctx.mode.kind === 'window') this.#pump(this.#ctx.mode.window);
  }

  /** Splits a chunk into lines (keeping a partial last line for the next chunk) and handles each. */
  #scan(chunk: Buffer, now: number): void {
    let start = 0;
    if (this.#partial !== null) {
      const lf = chunk.indexOf(LF);
      if (lf === -1) {
        this.#partial = Buffer.concat([this.#partial, chunk]);
        if (this.#partial.length > MAX_PARTIAL_BYTES) this.#ctx.fatal(`${this.#name}: a line longer than ${MAX_PARTIAL_BYTES} bytes`);
        return;
      }
      const line = Buffer.concat([this.#partial, chunk.subarray(0, lf)]);
      this.#partial = null;
      this.#line(line, 0, line.length, now);
      start = lf + 1;
    }
    // Bounded: every turn moves `start` forward by at least one byte.
    while (start < chunk.length) {
      const lf = chunk.indexOf(LF, start);
      if (lf === -1) {
        this.#partial = Buffer.from(chunk.subarray(start)); // a copy: pins no socket chunk
        break;
      }
      this.#line(chunk, start, lf, now);
      start = lf + 1;
    }
  }

  #line(buf: Buffer, start: number, rawEnd: number, now: number): void {
    const end = trimCr(buf, start, rawEnd);
    if (this.#roomSeen !== null) {
      if (parseChat(buf, start, end, fields)) return this.#chat(now, this.#roomSeen);
      const joined = parseJoinedRoom(buf, start, end, this.#room);
      if (joined >= 0) return this.#joinedRoom(joined, this.#roomSeen);
    } else if (this.#welcomed) {
      if (this.#room < 0 && parseChat(buf, start, end, fields)) return this.#chat(now, this.#seen);
      const joined = parseJoined(buf, start, end);
      if (joined >= 0) return this.#joined(joined);
      if (this.#entering) {
        const position = parseNowIn(buf, start, end, this.#room);
        if (position > 0) return this.#entered(position, now);
      }
    } else if (rangeEquals(buf, start, end, this.#welcome)) {
      this.#welcomed = true;
      this.#ctx.welcomed(now);
      return;
    } else if (!this.#prompted && rangeEquals(buf, start, end, PROMPT)) {
      this.#prompted = true;
      this.#socket?.write(`${this.#name}\n`);
      this.#settle();
      return;
    }
    const phase = this.#roomSeen !== null ? 'in its room' : this.#welcomed ? 'after its welcome' : 'before its welcome';
    this.#ctx.fault(`${this.#name} got an unexpected line ${phase}: ${JSON.stringify(buf.toString('utf8', start, end))}`);
  }

  #joined(g: number): void {
    this.#seen.join(g);
    this.#ctx.tally.joins++;
  }

  #entered(position: number, now: number): void {
    this.#entering = false;
    this.#position = position;
    this.#roomSeen = new OrderFingerprint();
    this.#ctx.entered(now);
  }

  #joinedRoom(g: number, seen: OrderFingerprint): void {
    seen.join(g);
    this.#ctx.tally.roomJoins++;
  }

  #chat(now: number, seen: OrderFingerprint): void {
    const { sender, seq, sentAtUs } = fields;
    const ctx = this.#ctx;
    if (sender >= ctx.senders) return ctx.fault(`${this.#name} got a line from unknown sender ${sender}`);
    if (this.#room >= 0 && sender !== this.#room) {
      return ctx.fault(`${this.#name} (in #r${this.#room}) got a line of sender ${sender}, said in #r${sender}`);
    }
    const expected = this.#nextSeq[sender]!;
    if (seq !== expected) {
      ctx.fault(`${this.#name} got line ${seq} of sender ${sender} where line ${expected} was due (lost, repeated or reordered)`);
    } else {
      this.#nextSeq[sender] = expected + 1;
      this.#inOrder++;
    }
    seen.chat(sender, seq);
    ctx.latency.record(now * 1000 - sentAtUs);
    ctx.tally.chats++;
    if (sender === this.#sender) this.#inFlight--;
    const due = this.#room >= 0 ? ctx.lines : ctx.senders * ctx.lines;
    if (seq === expected && this.#inOrder === due) ctx.chatComplete(now);
  }

  /** Window mode: sends as many lines as the window allows, in one write. */
  #pump(window: number): void {
    const lines = this.#ctx.lines;
    const room = Math.min(window - this.#inFlight, lines - this.#sent);
    if (room <= 0 || this.#socket === null) return;
    const sentAtUs = clockUs();
    let batch = '';
    for (let i = 0; i < room; i++) batch += chatPayload(this.#sender, this.#sent++, sentAtUs);
    this.#inFlight += room;
    this.#noteFirstSend(sentAtUs);
    this.#socket.write(batch);
  }

  /** Paced mode: one line now, stamped now. */
  #sendOne(): void {
    if (this.#sent >= this.#ctx.lines || this.#socket === null) {
      if (this.#timer !== null) clearInterval(this.#timer);
      this.#timer = null;
      return;
    }
    const sentAtUs = clockUs();
    this.#noteFirstSend(sentAtUs);
    this.#socket.write(chatPayload(this.#sender, this.#sent++, sentAtUs));
  }

  #noteFirstSend(sentAtUs: number): void {
    const tally = this.#ctx.tally;
    if (tally.firstSentAt === 0 || sentAtUs / 1000 < tally.firstSentAt) tally.firstSentAt = sentAtUs / 1000;
  }
}
