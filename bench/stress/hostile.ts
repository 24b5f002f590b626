// The hostile clients of the stress run, each a function that plays its part and reports.
//
//   non-reader  joins, then never reads; `loud` helpers (each within the rate limit) send it
//               `/msg` lines of ~3.9 KB so its unsent output passes the budget in seconds
//               instead of minutes. It must be cut off with `(too slow)` announced to others.
//   flooder     joins, then writes `f <seq>` lines as fast as the socket takes them; the
//               server must slow it down to the rate (TCP pushes back), losing nothing.
//   long line   joins, sends 10 MiB without a newline, then LF and one normal line: one
//               `*** Line too long` notice, the normal line still delivered, no 10 MiB in RSS.
//   churner     connects and resets (RST) hundreds of times: at once, after the prompt, or
//               after joining.
// Every wait has a deadline; a failure is reported in the result, never thrown past here.
import { AFTER_LONG_LINE, FLOODER, NONREADER, TOO_SLOW_NOTICE } from './ipc.ts';
import { LineSocket, type CloseInfo } from './line-socket.ts';
import type { ServerProcess } from './server-process.ts';
import { errorText, nowMs } from './util.ts';

/** What happened when, for reading the delay timeline against (nowMs, description). */
export const events: Array<{ readonly at: number; readonly what: string }> = [];
export function event(what: string): void {
  events.push({ at: nowMs(), what });
}

export interface HostileOptions {
  readonly port: number;
  readonly joinTimeoutMs: number;
  readonly hostileTimeoutMs: number;
}

// ---------------------------------------------------------------------------------------------
// Non-reader (and its loud helpers)

export interface NonReaderResult {
  readonly joined: boolean;
  /** The control client saw `*** nonreader left the chat (too slow)`. */
  readonly noticeSeen: boolean;
  readonly cutAfterMs: number;
  /** After it resumed reading: the connection ended from the server's side. */
  readonly closedByServer: boolean;
  readonly close: string;
  readonly bytesReceived: number;
  readonly loudLines: number;
  readonly loudBytes: number;
  readonly error: string;
}

export async function runNonReader(
  o: HostileOptions & { readonly loud: number; readonly loudRate: number },
  control: LineSocket,
): Promise<NonReaderResult> {
  let pausedAt = 0;
  const victim = new LineSocket(o.port, NONREADER);
  let joined = false;
  let noticeSeen = false;
  let cutAt = 0;
  let loudLines = 0;
  let loudBytes = 0;
  let error = '';
  let stop = false;
  const louds: LineSocket[] = [];
  const timers = new Map<number, NodeJS.Timeout>(); // each loud helper's next line
  let close: CloseInfo | undefined;
  try {
    await victim.join(NONREADER, o.joinTimeoutMs);
    joined = true;
    event('non-reader joined and stopped reading');
    // From now on it reads nothing: Node stops reading once its small buffer is full, the
    // kernel buffers fill, and the rest piles up in the server's socket buffer.
    victim.socket.pause();
    pausedAt = nowMs();
    const notice = control.waitForLine(TOO_SLOW_NOTICE, o.hostileTimeoutMs);
    notice.catch(() => {});
    const payload = 'x'.repeat(3900);
    for (let i = 0; i < o.loud; i++) {
      const loud = new LineSocket(o.port, `loud${i}`);
      louds.push(loud);
      loud.onLine((line) => {
        if (line.startsWith(`*** No such user: ${NONREADER}`)) stop = true;
      });
    }
    await Promise.all(louds.map((loud) => loud.join(loud.label, o.joinTimeoutMs)));
    louds.forEach((loud, i) => {
      let n = 0;
      const tick = (): void => {
        if (stop || loud.closed) return;
        const line = `/msg ${NONREADER} ${i}.${n++} ${payload}`;
        loud.send(line);
        loudLines++;
        loudBytes += line.length + 1;
        timers.set(i, setTimeout(tick, 1000 / o.loudRate));
      };
      timers.set(i, setTimeout(tick, (i * 1000) / o.loudRate / o.loud)); // spread them out
    });
    try {
      await notice;
      noticeSeen = true;
      cutAt = nowMs();
      event('non-reader cut off (too slow)');
    } catch (err) {
      error = `no too-slow notice: ${errorText(err)}`;
    }
    stop = true;
    // Read again: what the kernel held comes out, then the server's FIN (or a reset).
    victim.socket.resume();
    close = await victim.waitForClose(15_000);
    event(`non-reader drained ${victim.bytesIn} bytes, closed`);
  } catch (err) {
    error ||= errorText(err);
  } finally {
    stop = true;
    for (const timer of timers.values()) clearTimeout(timer);
  }
  // The helpers leave politely.
  await Promise.all(
    louds.map(async (loud) => {
      loud.send('/quit');
      await loud.waitForClose(5000).catch(() => loud.destroy());
    }),
  );
  victim.destroy();
  return {
    joined,
    noticeSeen,
    cutAfterMs: cutAt === 0 ? 0 : cutAt - pausedAt,
    closedByServer: close !== undefined && (close.gotEnd || close.error !== ''),
    close: victim.describeClose(),
    bytesReceived: victim.bytesIn,
    loudLines,
    loudBytes,
    error,
  };
}

// ---------------------------------------------------------------------------------------------
// Flooder

export interface FlooderResult {
  readonly linesWritten: number;
  readonly bytesWritten: number;
  readonly wroteForMs: number;
  readonly leftSeen: boolean;
  readonly error: string;
}

export async function runFlooder(o: HostileOptions & { readonly floodMs: number }, control: LineSocket): Promise<FlooderResult> {
  const flooder = new LineSocket(o.port, FLOODER);
  let seq = 0;
  let bytes = 0;
  let error = '';
  let leftSeen = false;
  const started = nowMs();
  try {
    await flooder.join(FLOODER, o.joinTimeoutMs);
    event('flooder starts');
    const until = nowMs() + o.floodMs;
    while (nowMs() < until && !flooder.closed) {
      let batch = '';
      for (let k = 0; k < 256; k++) batch += `f ${seq++}\n`;
      bytes += batch.length;
      if (!flooder.socket.write(batch)) {
        // The server stopped reading (flood control); wait for room, at most until the end.
        try {
          await flooder.drained(Math.max(1, until - nowMs()));
        } catch {
          break;
        }
      } else {
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    const left = control.waitForLine(`*** ${FLOODER} left the chat`, 15_000);
    event(`flooder stops writing after ${seq} lines, resets`);
    flooder.reset(); // leave abruptly, with lines still unread by the server
    await left;
    leftSeen = true;
    event('flooder left');
  } catch (err) {
    error = errorText(err);
  }
  flooder.destroy();
  return { linesWritten: seq, bytesWritten: bytes, wroteForMs: o.floodMs, leftSeen, error: error === '' ? '' : `${error} (after ${Math.round(nowMs() - started)} ms)` };
}

// ---------------------------------------------------------------------------------------------
// 10 MiB line

export interface LongLineResult {
  readonly bytesSent: number;
  readonly notices: number;
  /** How many bytes of the long line had been written when the notice arrived. */
  readonly noticeAfterBytes: number;
  readonly followingLineEchoed: boolean;
  readonly streamMs: number;
  /** Server RSS just before the long line, and the highest sample while it streamed. */
  readonly rssBeforeKiB: number;
  readonly rssPeakKiB: number;
  readonly error: string;
}

export async function runLongLine(
  o: HostileOptions & { readonly name: string; readonly bytes: number; readonly maxLineBytes: number },
  server: ServerProcess,
): Promise<LongLineResult> {
  const name = o.name;
  const sock = new LineSocket(o.port, name);
  const notice = `*** Line too long (max ${o.maxLineBytes} bytes)`;
  let notices = 0;
  let noticeAfterBytes = -1;
  let written = 0;
  let echoed = false;
  let error = '';
  let rssBeforeKiB = 0;
  let t0 = 0;
  let t1 = 0;
  sock.onLine((line) => {
    if (line !== notice) return;
    notices++;
    if (noticeAfterBytes < 0) {
      noticeAfterBytes = written;
      event(`${name}: too-long notice after ${written} bytes`);
    }
  });
  try {
    await sock.join(name, o.joinTimeoutMs);
    const echo = sock.waitForLine(`(${name}) ${AFTER_LONG_LINE}`, o.hostileTimeoutMs);
    echo.catch(() => {});
    rssBeforeKiB = server.sample();
    t0 = nowMs();
    event(`${name}: starts sending ${o.bytes} bytes without a newline`);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    while (written < o.bytes) {
      const n = Math.min(chunk.length, o.bytes - written);
      const ok = sock.socket.write(n === chunk.length ? chunk : chunk.subarray(0, n));
      written += n;
      if (written % (1024 * 1024) < n) server.sample(); // an extra RSS sample per MiB sent
      // Yield after each chunk, so replies (the notice) are read while the line is still going.
      if (!ok) await sock.drained(30_000);
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
    sock.socket.write(`\n${AFTER_LONG_LINE}\n`);
    await echo;
    echoed = true;
    t1 = nowMs();
    event(`${name}: the line after it came back`);
    server.sample();
    sock.send('/quit');
    await sock.waitForLine(`Goodbye ${name}!`, 10_000);
    await sock.waitForClose(10_000);
  } catch (err) {
    error = errorText(err);
  }
  sock.destroy();
  return {
    bytesSent: written,
    notices,
    noticeAfterBytes,
    followingLineEchoed: echoed,
    streamMs: t1 === 0 ? 0 : t1 - t0,
    rssBeforeKiB,
    rssPeakKiB: t0 === 0 ? 0 : server.peak(t0, t1 === 0 ? nowMs() : t1 + 250),
    error,
  };
}

// ---------------------------------------------------------------------------------------------
// Churner

export interface ChurnResult {
  readonly attempts: number;
  readonly completed: number;
  readonly failures: number;
  readonly firstFailure: string;
  readonly ms: number;
}

export async function runChurner(o: HostileOptions & { readonly churns: number; readonly concurrency: number }): Promise<ChurnResult> {
  const started = nowMs();
  let next = 0;
  let completed = 0;
  let failures = 0;
  let firstFailure = '';
  const once = async (i: number): Promise<void> => {
    const name = `c${i}`;
    const mode = i % 3; // 0: reset at once, 1: reset right after sending a name, 2: reset after joining
    const sock = new LineSocket(o.port, name);
    const prompt = sock.waitForLine('Username?', 5000);
    const welcome = sock.waitForLine(`You are now connected, ${name}!`, 5000);
    prompt.catch(() => {});
    welcome.catch(() => {});
    try {
      await sock.connected;
      if (mode > 0) {
        await prompt;
        sock.send(name);
        if (mode === 2) await welcome;
      }
      sock.reset();
      await sock.waitForClose(5000);
    } finally {
      sock.destroy();
    }
  };
  const lane = async (): Promise<void> => {
    while (next < o.churns) {
      const i = next++;
      try {
        await once(i);
        completed++;
      } catch (err) {
        failures++;
        firstFailure ||= errorText(err);
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, lane));
  event(`churner done: ${completed} cycles`);
  return { attempts: o.churns, completed, failures, firstFailure, ms: nowMs() - started };
}

/** Waits until `control` has seen a `/who` answer and returns the names it lists. */
export async function who(control: LineSocket, ms: number): Promise<string[]> {
  const reply = control.waitForLine((line) => line.startsWith('*** Users online ('), ms);
  control.send('/who');
  const line = await reply;
  const names = line.slice(line.indexOf('): ') + 3);
  return names === '' ? [] : names.split(', ');
}
