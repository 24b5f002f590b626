// A minimal line client for the stress harness: a net.Socket to 127.0.0.1, split into lines.
//
// Every socket opened here is tracked, so `destroyAllSockets()` can tear them all down on exit,
// on error and on Ctrl-C. Lines are handed to one `onLine` callback (the hot path in workers)
// and, for the few orchestrating clients, to `waitForLine` waiters registered beforehand.
// After each chunk and at close, `poke()` re-evaluates pending `waitUntil` conditions.
import { connect, type Socket } from 'node:net';
import { nowMs, poke } from './util.ts';

export interface CloseInfo {
  /** The server's FIN arrived (`end`). */
  readonly gotEnd: boolean;
  /** The socket error code, if any (ECONNRESET: the server reset it). */
  readonly error: string;
  /** When `close` fired (nowMs). */
  readonly at: number;
}

interface LineWaiter {
  readonly match: (line: string) => boolean;
  readonly resolve: (line: string) => void;
  readonly reject: (err: Error) => void;
  readonly timer: NodeJS.Timeout;
}

const live = new Set<Socket>();

/** Destroys every socket this process opened and has not closed yet. */
export function destroyAllSockets(): void {
  for (const socket of live) socket.destroy();
  live.clear();
}

export class LineSocket {
  readonly socket: Socket;
  /** Resolves once the TCP connection is up; rejects on an error before that. */
  readonly connected: Promise<void>;
  bytesIn = 0;
  linesIn = 0;
  gotEnd = false;
  error = '';
  closeInfo: CloseInfo | undefined;
  #partial = '';
  #onLine: ((line: string) => void) | undefined;
  readonly #waiters = new Set<LineWaiter>();
  readonly #closeWaiters: Array<(info: CloseInfo) => void> = [];

  constructor(
    port: number,
    readonly label: string,
  ) {
    const socket = connect({ host: '127.0.0.1', port, noDelay: true });
    this.socket = socket;
    live.add(socket);
    socket.setEncoding('utf8'); // ASCII in practice; a UTF-8 decoder keeps split sequences whole
    this.connected = new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', (err) => reject(new Error(`${label}: connect failed: ${err.message}`)));
    });
    this.connected.catch(() => {}); // observed by whoever awaits it; never an unhandled rejection
    socket.on('data', (chunk: string) => this.#data(chunk));
    socket.on('end', () => {
      this.gotEnd = true;
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.error = err.code ?? err.message;
    });
    socket.on('close', () => {
      live.delete(socket);
      const info: CloseInfo = { gotEnd: this.gotEnd, error: this.error, at: nowMs() };
      this.closeInfo = info;
      for (const waiter of this.#waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error(`${label}: connection closed (${this.describeClose()}) while waiting for a line`));
      }
      this.#waiters.clear();
      for (const done of this.#closeWaiters.splice(0)) done(info);
      poke();
    });
  }

  get closed(): boolean {
    return this.closeInfo !== undefined;
  }

  /** Sets the one per-line callback (called before waiters are matched). */
  onLine(callback: (line: string) => void): void {
    this.#onLine = callback;
  }

  #data(chunk: string): void {
    this.bytesIn += Buffer.byteLength(chunk);
    const text = this.#partial + chunk;
    let start = 0;
    for (;;) {
      const lf = text.indexOf('\n', start);
      if (lf === -1) break;
      const line = text.slice(start, lf);
      start = lf + 1;
      this.linesIn++;
      this.#onLine?.(line);
      if (this.#waiters.size > 0) {
        for (const waiter of this.#waiters) {
          if (waiter.match(line)) {
            this.#waiters.delete(waiter);
            clearTimeout(waiter.timer);
            waiter.resolve(line);
          }
        }
      }
    }
    this.#partial = text.slice(start);
    poke();
  }

  /** Resolves with the first line, from now on, that `match`es; rejects after `ms` or at close. */
  waitForLine(match: string | ((line: string) => boolean), ms: number): Promise<string> {
    const test = typeof match === 'string' ? (line: string) => line === match : match;
    const what = typeof match === 'string' ? JSON.stringify(match) : 'a matching line';
    if (this.closed) return Promise.reject(new Error(`${this.label}: closed (${this.describeClose()}), no ${what}`));
    return new Promise<string>((resolve, reject) => {
      const waiter: LineWaiter = {
        match: test,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.delete(waiter);
          reject(new Error(`${this.label}: no ${what} within ${ms} ms`));
        }, ms),
      };
      this.#waiters.add(waiter);
    });
  }

  /** Resolves once the socket has closed (by either side); rejects after `ms`. */
  waitForClose(ms: number): Promise<CloseInfo> {
    if (this.closeInfo !== undefined) return Promise.resolve(this.closeInfo);
    return new Promise<CloseInfo>((resolve, reject) => {
      const done = (info: CloseInfo): void => {
        clearTimeout(timer);
        resolve(info);
      };
      const timer = setTimeout(() => {
        const i = this.#closeWaiters.indexOf(done);
        if (i !== -1) this.#closeWaiters.splice(i, 1);
        reject(new Error(`${this.label}: not closed within ${ms} ms`));
      }, ms);
      this.#closeWaiters.push(done);
    });
  }

  /** Writes `text` + LF; returns false when the socket buffer is full (see `drained`). */
  send(text: string): boolean {
    if (this.socket.destroyed || !this.socket.writable) return false;
    return this.socket.write(`${text}\n`);
  }

  /** Resolves on `drain` (or at once if nothing is buffered); rejects after `ms` or at close. */
  drained(ms: number): Promise<void> {
    if (this.socket.writableLength === 0 || !this.socket.writableNeedDrain) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const finish = (err?: Error): void => {
        clearTimeout(timer);
        this.socket.off('drain', onDrain);
        this.socket.off('close', onClose);
        if (err) reject(err);
        else resolve();
      };
      const onDrain = (): void => finish();
      const onClose = (): void => finish(new Error(`${this.label}: closed while waiting for drain`));
      const timer = setTimeout(() => finish(new Error(`${this.label}: no drain within ${ms} ms`)), ms);
      this.socket.on('drain', onDrain);
      this.socket.on('close', onClose);
    });
  }

  /** Sends a name at the prompt and waits for the welcome. */
  async join(name: string, ms: number): Promise<void> {
    const prompt = this.waitForLine('Username?', ms);
    const welcome = this.waitForLine(`You are now connected, ${name}!`, ms);
    welcome.catch(() => {});
    await this.connected;
    await prompt;
    this.send(name);
    await welcome;
  }

  describeClose(): string {
    const info = this.closeInfo;
    if (info === undefined) return 'open';
    return `${info.gotEnd ? 'EOF from server' : 'no EOF'}${info.error === '' ? '' : `, ${info.error}`}`;
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Abortive close: the kernel sends RST. */
  reset(): void {
    if (!this.socket.destroyed) this.socket.resetAndDestroy();
  }
}
