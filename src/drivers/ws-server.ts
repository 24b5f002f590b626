// Web listener driver: the page over HTTP and the chat over a WebSocket, on one node:http server.
//
//   GET /, /app.<hash>.js, …   the built page (http-page.ts), strict CSP, cache headers
//   GET /chat + Upgrade        Origin check (http-origin.ts, else 403) ─▶ ws handshake ─▶ a line connection
//
// A WebSocket connection is a line-protocol connection like a TCP one: the same front end
// (`handle` is `lineFrontEnd(...).connect`), an id from the hub, one connection count (`admit`),
// the same limits. Only the transport differs, and this file is all of it:
//   - In: each text message is one line (a trailing LF or CRLF dropped); its bytes and an LF go
//     through the same bounded decoder as TCP (framing.ts), so CR stripping, several lines in one
//     message and `*** Line too long (max N bytes)` behave exactly as over TCP. `maxPayload` is
//     MAX_PAYLOAD_LINES × maxLineBytes: a message between the two gets the notice and the connection
//     stays; only a bigger one is refused by ws itself (close 1009) before it is buffered. A binary
//     message closes the connection with 1003. Invalid UTF-8 is refused by ws (1007).
//   - Out: one text message per line. The frame of a line is built once (wsTextFrame, cached per
//     line object) and shared by every recipient, like the TCP line's bytes; frames go through the
//     same outbox as TCP (outbox.ts: one write per socket per flush), straight onto the upgraded
//     socket. The sendq budget is checked against `ws.bufferedAmount`.
//   - Flood control pauses the WebSocket (`ws.pause()`: the socket stops being read).
//   - Dead peers: every `heartbeatMs` each connection is pinged; one that has not answered the
//     previous ping is cut (browsers answer pings by themselves).
// permessage-deflate stays off: chat lines are short, inflating is a memory and CPU risk (zip
// bombs) and compressing private lines with public ones leaks their length (CRIME-style).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Observable, Subject, type OperatorFunction, type Subscription } from 'rxjs';
import WebSocket, { WebSocketServer } from 'ws';
import type { ConnId } from '../core/intents.ts';
import { createLineDecoder, type Frame } from '../framing.ts';
import type { Connection, LineSink, Output } from '../line/front-end.ts';
import { checkHandshake, isLoopbackAddress } from './http-origin.ts';
import { CHAT_PATH, NO_PAGE, answer, loadPage, pathOf, text, type Answer, type Page } from './http-page.ts';
import { adaptiveTiming, createOutboxes, type Outboxes } from './outbox.ts';
import { describeError, formatAddress, label, type Log } from './tcp-server.ts';

export interface WebListenerOptions {
  readonly host: string;
  readonly port: number;
  readonly maxLineBytes: number;
  /** Unsent bytes (`ws.bufferedAmount`) a client may have before it is cut off as too slow. */
  readonly sendqBytes: number;
  /** Whether another connection may be held (counted across every front end). */
  readonly admit: () => boolean;
  /** The last words to a connection refused because the server is full (`*** Server full`). */
  readonly full: { encode(): Buffer };
  /** A fresh connection id (the hub's `newConn`). */
  readonly newId: () => ConnId;
  /** Origins allowed besides the page's own (`--web-origin`). */
  readonly origins: readonly string[];
  /** How often to ping each connection; one that missed the last ping is cut. Default 30 s. */
  readonly heartbeatMs?: number;
  /** The page to serve; by default the build in dist/page (loadPage). */
  readonly page?: Page;
  /** The sockets' output batching, shared with the other listeners; by default its own. */
  readonly outboxes?: Outboxes;
}

export interface WebListener {
  readonly host: string;
  readonly port: number;
  /** Chat connections (WebSockets) open right now. */
  connections(): number;
  /** Stops accepting; resolves once every connection has closed, or after `graceMs`, when the rest are cut. Idempotent. */
  close(graceMs?: number): Promise<void>;
}

/** `maxPayload` in lines: a message up to this many times the longest line is read (and refused with the notice). */
export const MAX_PAYLOAD_LINES = 4;
export const HEARTBEAT_MS = 30_000;
/** After we close a WebSocket, how long the peer has to answer the close before it is cut. */
const CLOSE_TIMEOUT_MS = 10_000;

export const CLOSE_NORMAL = 1000;
export const CLOSE_UNSUPPORTED_DATA = 1003;
export const CLOSE_TRY_AGAIN_LATER = 1013;

/** Listens and resolves once connections are accepted; rejects if the address cannot be bound. */
export function listenWeb(options: WebListenerOptions, handle: (connection: Connection) => Observable<Output>, log: Log): Promise<WebListener> {
  let page: Page;
  try {
    page = options.page ?? loadPage();
  } catch (err) {
    // A server without its page still chats (a WebSocket client needs no page): say so, serve 503.
    log(`web page unavailable: ${err instanceof Error ? err.message : String(err)}`);
    page = NO_PAGE;
  }
  const outboxes = options.outboxes ?? createOutboxes(adaptiveTiming(), (err) => log(`internal error while writing: ${describeError(err)}`));
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const frames = new FrameCache();
  const loopbackOnly = isLoopbackAddress(options.host);
  /** Every TCP socket of the HTTP server (page requests and WebSockets), to cut them at close. */
  const sockets = new Set<Socket>();
  /** The chat connections, with whether each answered its last ping. */
  const live = new Map<WebSocket, { alive: boolean; id: ConnId }>();

  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: MAX_PAYLOAD_LINES * options.maxLineBytes,
    clientTracking: false,
    skipUTF8Validation: false,
  });

  const server = createServer({ requestTimeout: 30_000, headersTimeout: 20_000, keepAliveTimeout: 5_000 }, (req, res) => {
    send(res, answer(page, { method: req.method, url: req.url, ifNoneMatch: header(req, 'if-none-match') }), req.method === 'HEAD');
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const where = formatAddress(socket.remoteAddress ?? '?', socket.remotePort ?? 0);
    if (pathOf(req.url) !== CHAT_PATH) return refuse(socket, text(404, 'Not found'));
    const verdict = checkHandshake({ origin: header(req, 'origin'), host: header(req, 'host'), loopbackOnly, allowed: options.origins });
    if (!verdict.ok) {
      log(`refused a WebSocket from ${where}: ${verdict.reason}`);
      return refuse(socket, text(403, 'Forbidden: this page may not open a chat session here'));
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (!options.admit()) {
        // As over TCP: the connection hears `*** Server full`, then it is closed.
        log(`refused a WebSocket from ${where}: server full`);
        ws.send(lineFrame(options.full.encode()), { binary: false });
        ws.close(CLOSE_TRY_AGAIN_LATER, 'server full');
        return;
      }
      try {
        accept(ws, socket, where);
      } catch (err) {
        log(`connection setup failed: ${describeError(err)}`);
        ws.terminate();
      }
    });
  });

  const accept = (ws: WebSocket, socket: Socket, where: string): void => {
    const id = options.newId();
    let lastError = '';
    ws.on('error', (err: Error & { code?: string }) => {
      lastError = err.code ?? err.message;
    });
    // Registered first, so that whatever happens below, a closed connection is forgotten: its
    // messages end first (the actor hears the hangup), then the actor is unsubscribed.
    let subscription: Subscription | undefined;
    const closed$ = new Subject<void>();
    ws.once('close', (code: number) => {
      live.delete(ws);
      closed$.next();
      closed$.complete();
      subscription?.unsubscribe();
      const why = lastError === '' ? (code === CLOSE_NORMAL || code === 1001 || code === 1005 ? '' : ` (close ${code})`) : ` (${lastError})`;
      log(`#${label(id)} disconnected${why}`);
    });
    live.set(ws, { alive: true, id });
    log(`#${label(id)} connected from ${where} (web)`);
    ws.on('pong', () => {
      const conn = live.get(ws);
      if (conn !== undefined) conn.alive = true;
    });

    const tooSlow$ = new Subject<void>();
    const outbox = outboxes.open(socketSink(ws, socket), options.sendqBytes, (unsent) => {
      log(`#${label(id)} too slow: ${unsent} bytes unsent (budget ${options.sendqBytes})`);
      tooSlow$.next();
    });
    outboxes.noteInput();
    const frame$ = wsMessage$(ws, closed$, outboxes.noteInput).pipe(
      wsLines(options.maxLineBytes, () => {
        log(`#${label(id)} sent a binary message: closing (${CLOSE_UNSUPPORTED_DATA})`);
        ws.close(CLOSE_UNSUPPORTED_DATA, 'text messages only');
      }),
    );
    const perform = (output: Output): void => {
      switch (output.kind) {
        case 'send':
          outbox.write(frames.of(output.line), output.soon);
          break;
        case 'log':
          log(`#${label(id)} ${output.message}`);
          break;
        case 'pause':
          ws.pause();
          break;
        case 'resume':
          ws.resume();
          break;
        case 'abort':
          outbox.discard();
          ws.terminate();
          break;
      }
    };
    // The hub's lines go straight to the outbox (the front end's sink), each as its shared frame:
    // one call per line per member, no Output object; the actor's own lines come as `send`.
    const sink: LineSink = { writeLine: (line, soon) => outbox.write(frames.of(line), soon) };
    subscription = handle({ id, frame$, tooSlow$, sink }).subscribe({
      next: (output) => {
        try {
          perform(output);
        } catch (err) {
          log(`#${label(id)} closed after an internal error: ${describeError(err)}`);
          ws.terminate();
        }
      },
      complete: () => {
        outbox.flush();
        // Reading resumes so the peer's answer to our close is seen even if flood control paused it.
        ws.resume();
        ws.close(CLOSE_NORMAL);
        setTimeout(() => ws.terminate(), CLOSE_TIMEOUT_MS).unref();
      },
      error: (err: unknown) => {
        log(`#${label(id)} closed after an internal error: ${describeError(err)}`);
        ws.terminate();
      },
    });
  };

  const heartbeat = setInterval(() => {
    for (const [ws, conn] of live) {
      if (!conn.alive) {
        log(`#${label(conn.id)} did not answer a ping within ${heartbeatMs} ms: cut`);
        ws.terminate();
        continue;
      }
      conn.alive = false;
      ws.ping();
    }
  }, heartbeatMs);
  heartbeat.unref();

  return new Promise<WebListener>((resolve, reject) => {
    server.once('error', (err) => {
      clearInterval(heartbeat);
      reject(err);
    });
    server.listen({ host: options.host, port: options.port }, () => {
      server.removeAllListeners('error');
      server.on('error', (err) => log(`web listener error: ${err.message}`));
      const address = server.address() as AddressInfo;
      let closing: Promise<void> | undefined;
      const close = (graceMs = 0): Promise<void> =>
        (closing ??= new Promise<void>((done) => {
          clearInterval(heartbeat);
          // Resolves once every socket (page requests and WebSockets) has closed.
          server.close(() => setImmediate(done));
          server.closeIdleConnections();
          const cut = (): void => {
            for (const socket of sockets) socket.destroy();
          };
          if (graceMs <= 0) cut();
          else setTimeout(cut, graceMs).unref();
        }));
      resolve({ host: address.address, port: address.port, connections: () => live.size, close });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Messages in

/** A WebSocket message as ws hands it over. */
export interface WsMessage {
  readonly data: Buffer;
  readonly binary: boolean;
}

const LF = Buffer.from('\n');

/**
 * Text messages → lines, through the same bounded decoder as TCP: each message is its bytes and
 * an LF (one trailing LF or CRLF of its own is dropped first). The first binary message ends the
 * lines (`onBinary` is told, to close the connection with 1003); whatever follows is ignored.
 */
export function wsLines(maxLineBytes: number, onBinary: () => void = () => {}): OperatorFunction<WsMessage, Frame> {
  return (message$) =>
    new Observable<Frame>((subscriber) => {
      const decoder = createLineDecoder(maxLineBytes);
      const emit = (frame: Frame): void => subscriber.next(frame);
      return message$.subscribe({
        next({ data, binary }) {
          if (subscriber.closed) return;
          if (binary) {
            onBinary();
            decoder.end();
            subscriber.complete();
            return;
          }
          const end = data.length > 0 && data[data.length - 1] === 0x0a ? data.length - 1 : data.length;
          decoder.push(data.subarray(0, end), emit);
          decoder.push(LF, emit);
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => {
          decoder.end();
          subscriber.complete();
        },
      });
    });
}

/** A WebSocket's messages, until `closed$` says it closed. `onInput` hears of each (the outbox batches by it). */
function wsMessage$(ws: WebSocket, closed$: Observable<void>, onInput: () => void): Observable<WsMessage> {
  return new Observable<WsMessage>((subscriber) => {
    const onMessage = (data: WebSocket.RawData, binary: boolean): void => {
      onInput();
      subscriber.next({ data: toBuffer(data), binary });
    };
    ws.on('message', onMessage);
    subscriber.add(closed$.subscribe({ complete: () => subscriber.complete() }));
    return () => {
      ws.off('message', onMessage);
    };
  });
}

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

// ---------------------------------------------------------------------------------------------
// Messages out

/**
 * A server-to-client WebSocket text frame holding `payload` (RFC 6455 §5.2: FIN, opcode 1, no
 * mask; the length in 7 bits, or 126 + 16 bits, or 127 + 64 bits).
 */
export function wsTextFrame(payload: Uint8Array): Buffer {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.set(payload, headerLength);
  return frame;
}

/** A line's wire bytes (`text` + LF) as the payload of one message: without the LF. */
function lineFrame(bytes: Buffer): Buffer {
  return bytes.length > 0 && bytes[bytes.length - 1] === 0x0a ? bytes.subarray(0, bytes.length - 1) : bytes;
}

/**
 * Each outgoing line's frame, built on its first delivery and shared by every later one: a
 * broadcast line to 500 page users is framed once, as it is encoded once (wire-line.ts).
 */
export class FrameCache {
  readonly #frames = new WeakMap<object, Buffer>();
  // The hub hands one line to every recipient in a row: the last line answers those without a lookup.
  #lastLine: object | null = null;
  #lastFrame: Buffer = Buffer.alloc(0);

  of(line: { encode(): Buffer }): Buffer {
    if (line === this.#lastLine) return this.#lastFrame;
    let frame = this.#frames.get(line);
    if (frame === undefined) {
      frame = wsTextFrame(lineFrame(line.encode()));
      this.#frames.set(line, frame);
    }
    this.#lastLine = line;
    this.#lastFrame = frame;
    return frame;
  }
}

/**
 * What the outbox writes to: the upgraded socket, written only while the WebSocket is open (never
 * after our close frame), its backlog measured as ws measures it (`bufferedAmount`: the socket's
 * unsent bytes plus anything ws itself still holds).
 */
function socketSink(ws: WebSocket, socket: Socket): Socket {
  const sink = {
    write: (bytes: Uint8Array): boolean => ws.readyState === WebSocket.OPEN && socket.write(bytes),
    get writable(): boolean {
      return ws.readyState === WebSocket.OPEN && socket.writable;
    },
    get destroyed(): boolean {
      return socket.destroyed;
    },
    get writableLength(): number {
      return ws.bufferedAmount;
    },
  };
  // The outbox uses exactly these four members of a Socket.
  return sink as unknown as Socket;
}

// ---------------------------------------------------------------------------------------------
// HTTP

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function send(res: ServerResponse, { status, headers, body }: Answer, head: boolean): void {
  res.writeHead(status, headers);
  res.end(head ? undefined : body);
}

/** Answers a refused upgrade in plain HTTP and closes. */
function refuse(socket: Socket, { status, headers, body }: Answer): void {
  const lines = [`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}`, 'connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  socket.end(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]));
}

const STATUS_TEXT: Readonly<Record<number, string>> = { 403: 'Forbidden', 404: 'Not Found' };
