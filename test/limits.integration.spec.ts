// Every limit of PROTOCOL.md "Limits" over real sockets: the in-process server on 127.0.0.1:0,
// started per test with small limits (ms and bytes) so each transcript takes well under a second
// (flood pacing excepted: it is about time, and takes the (100 - 5) / 50 s the protocol implies).
//
// Nothing sleeps. Every step waits for a line, a close or a server log line with a bounded
// timeout; "nothing else arrived" is shown with a sentinel, a later line known to come after in
// the one global order. The only timing assertions are where the protocol is about time (the
// name timeout, flood pacing, the shutdown grace), each with generous slack.
import { performance } from 'node:perf_hooks';
import { Subject } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectClient,
  connectPrompted,
  destroyAllClients,
  joinAs,
  startServer,
  type LineClient,
  type StartServerOptions,
  type TestServer,
} from './helpers/tcp.ts';

let servers: TestServer[] = [];

/** Starts a server for this test; `afterEach` closes it. */
async function start(options: StartServerOptions = {}): Promise<TestServer> {
  const server = await startServer(options);
  servers.push(server);
  return server;
}

afterEach(async () => {
  destroyAllClients();
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

/** Reads lines until (and including) `last`; returns the lines before it. Bounded by `max`. */
async function readUntil(client: LineClient, last: string, max: number, timeoutMs?: number): Promise<string[]> {
  const before: string[] = [];
  for (;;) {
    const line = await client.nextLine(timeoutMs);
    if (line === last) return before;
    before.push(line);
    if (before.length > max) throw new Error(`${client.label}: no ${JSON.stringify(last)} within ${max} lines: ${JSON.stringify(before.slice(-5))}`);
  }
}

/** Reads exactly `n` lines. */
async function readLines(client: LineClient, n: number): Promise<string[]> {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(await client.nextLine());
  return lines;
}

/** Long lines make `toEqual` diffs unreadable: this names the first difference, lines cut short. */
function expectSameLines(actual: readonly string[], expected: readonly string[], what: string): void {
  const short = (line: string | undefined): string => (line === undefined ? '(none)' : JSON.stringify(line.slice(0, 40)));
  const n = Math.max(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    if (actual[i] !== expected[i]) {
      throw new Error(`${what}: line ${i} is ${short(actual[i])}, expected ${short(expected[i])} (${actual.length} lines, expected ${expected.length})`);
    }
  }
}

describe('name timeout', () => {
  const nameTimeoutMs = 200;

  /**
   * A client that says nothing at `Username?` (or only half a name, or only a rejected one)
   * hears `*** Timed out` once its time is up, then the server closes it. Nobody in the room
   * hears about it (sentinel: the observer's next line is its own).
   *
   *   silent  <- Username?   ... 200 ms ...   <- *** Timed out   (closed)
   */
  it('should time out clients still at the name prompt and close them', async () => {
    const server = await start({ nameTimeoutMs });
    const obs = await joinAs(server.port, 'Obs');

    const before = performance.now();
    const silent = await connectPrompted(server.port);
    const typing = await connectPrompted(server.port);
    await typing.sendRaw('Ali'); // half a name, no LF
    const rejected = await connectPrompted(server.port);
    await rejected.send('no spaces please');
    await rejected.expectLines(["*** Invalid username: spaces are not allowed (use letters, digits, '_', '-' or '.')", 'Username?']);

    expect(await silent.waitForClose()).toEqual(['*** Timed out']);
    expect(performance.now() - before).toBeGreaterThanOrEqual(nameTimeoutMs - 10); // the timer, not anything sooner
    expect(await typing.waitForClose()).toEqual(['*** Timed out']);
    expect(await rejected.waitForClose()).toEqual(['*** Timed out']); // a rejected name does not restart the clock

    await obs.send('sentinel');
    await obs.expectLines(['(Obs) sentinel']);
    expect(obs.received).toEqual(['Username?', 'You are now connected, Obs!', '(Obs) sentinel']);
  });

  /**
   * A client that names itself in time is never cut by the timer. Sentinel: a client that
   * connected after it times out, so the named client's own timer has fired by then too; it still
   * chats, and heard nothing but its own transcript.
   */
  it('should not cut a client that named itself in time', async () => {
    const server = await start({ nameTimeoutMs });
    const bob = await joinAs(server.port, 'Bob');
    const later = await connectPrompted(server.port);

    expect(await later.waitForClose()).toEqual(['*** Timed out']);
    await bob.send('still here');
    await bob.expectLines(['(Bob) still here']);
    expect(bob.closed).toBe(false);
    expect(bob.received).toEqual(['Username?', 'You are now connected, Bob!', '(Bob) still here']);
  });
});

describe('flood control without loss', () => {
  const rate = 50;
  const burst = 5;
  const n = 100;

  /**
   * Flo writes 100 lines in one write with rate 50/s, burst 5. Every line reaches Flo, Obs and
   * Tal, in order, none missing, none doubled (sentinel: Flo's next line is the next thing
   * everyone hears), paced: the last arrives no sooner than (100 - 5) / 50 s (minus slack) after
   * the first. Meanwhile Tal's line reaches Obs promptly, in the middle of the flood.
   */
  it('should pace a 100-line flood, in order and without loss, without delaying anyone else', async () => {
    const server = await start({ rate, burst });
    const obs = await joinAs(server.port, 'Obs');
    const flo = await joinAs(server.port, 'Flo');
    const tal = await joinAs(server.port, 'Tal');
    await obs.expectLines(['*** Flo joined the chat', '*** Tal joined the chat']);
    await flo.expectLines(['*** Tal joined the chat']);

    const flood = Array.from({ length: n }, (_, i) => `(Flo) flood ${i}`);
    await flo.sendRaw(Array.from({ length: n }, (_, i) => `flood ${i}\n`).join(''));

    // Ten lines in, the flood is being paced (burst spent); Tal speaks now.
    await obs.expectLines(flood.slice(0, 10));
    const quickSentAt = performance.now();
    await tal.send('quick');
    const quick = '(Tal) quick';

    const obsRest = await readLines(obs, n - 10 + 1);
    expect(obsRest.filter((line) => line !== quick)).toEqual(flood.slice(10));
    expect(obsRest.filter((line) => line === quick)).toHaveLength(1);
    // Tal's line did not queue behind the flood: it came before the flood's end, and promptly.
    const quickAt = obs.received.indexOf(quick);
    const lastAt = obs.received.indexOf(flood[n - 1] ?? '');
    expect(quickAt).toBeLessThan(lastAt);
    const floodMs = ((n - burst) / rate) * 1000; // 1900 ms
    expect((obs.receivedAt[quickAt] ?? Infinity) - quickSentAt).toBeLessThan(floodMs / 4);

    // Paced: the flood took at least (n - burst) / rate seconds to come out, minus slack.
    const firstAt = obs.received.indexOf(flood[0] ?? '');
    expect((obs.receivedAt[lastAt] ?? 0) - (obs.receivedAt[firstAt] ?? 0)).toBeGreaterThanOrEqual(floodMs - 300);

    for (const client of [flo, tal]) {
      const lines = await readLines(client, n + 1);
      expect(lines.filter((line) => line !== quick), client.label).toEqual(flood);
      expect(lines.filter((line) => line === quick), client.label).toHaveLength(1);
    }

    await flo.send('done');
    for (const client of [obs, flo, tal]) await client.expectLines(['(Flo) done']);
  });
});

describe('overlong line while streaming', () => {
  /**
   * Bob streams 1 MiB without a newline, in 64 KiB writes. The notice arrives while the line is
   * still unfinished; then the newline ends it, and the next line is chat again. Nothing of the
   * long line reaches John, and the notice comes once (sentinel: both next hear `(Bob) normal`).
   */
  it('should report a 1 MiB line before its newline and go on after it', async () => {
    const server = await start();
    const bob = await joinAs(server.port, 'Bob');
    const john = await joinAs(server.port, 'John');
    await bob.expectLines(['*** John joined the chat']);

    const chunk = 'z'.repeat(64 * 1024);
    for (let i = 0; i < 16; i++) await bob.sendRaw(chunk);
    await bob.expectLines(['*** Line too long (max 4096 bytes)']);

    await bob.sendRaw('\n');
    await bob.send('normal');
    await bob.expectLines(['(Bob) normal']);
    await john.expectLines(['(Bob) normal']);
  });
});

describe('slow consumer', () => {
  /**
   * Slow names itself, then stops reading. Tal sends 4000-byte lines (megabytes of them) until
   * Slow's unsent output passes the 64 KiB budget, once the kernel's buffers are full. The
   * server cuts Slow, the others hear `*** Slow left the chat (too slow)` exactly once, and Tal
   * and Obs receive every line, in order. Slow, reading again, finds the connection closed
   * after a prefix of the lines.
   */
  it('should cut off a client that stops reading, and nobody else loses a line', async () => {
    const server = await start({ rate: 0, sendqBytes: 64 * 1024 });
    const tal = await joinAs(server.port, 'Tal');
    const obs = await joinAs(server.port, 'Obs');
    const slow = await joinAs(server.port, 'Slow');
    await tal.expectLines(['*** Obs joined the chat', '*** Slow joined the chat']);
    await obs.expectLines(['*** Slow joined the chat']);
    const slowId = server.connectionId(slow);
    slow.pause();

    const notice = '*** Slow left the chat (too slow)';
    const text = (i: number): string => `${String(i).padStart(6, '0')} ${'x'.repeat(3993)}`; // 4000 bytes
    // Small batches in lockstep: Tal and Obs read each batch before the next is sent, so only
    // Slow falls behind. (A burst bigger than a reader's free kernel buffer plus the 64 KiB
    // budget would get a reader cut too: the budget limits what the kernel did not take.)
    const batch = 8;
    const maxLines = 12_000; // 48 MB: far more than the kernel's buffers can hold
    const heard = new Map<LineClient, string[]>([
      [tal, []],
      [obs, []],
    ]);
    const readBatch = async (last: string): Promise<void> => {
      for (const [client, lines] of heard) lines.push(...(await readUntil(client, last, batch + 1)), last);
    };
    let sent = 0;
    while (!(heard.get(obs) ?? []).includes(notice) && sent < maxLines) {
      await tal.sendRaw(Array.from({ length: batch }, (_, k) => `${text(sent + k)}\n`).join(''));
      sent += batch;
      await readBatch(`(Tal) ${text(sent - 1)}`);
    }
    expect(heard.get(obs), `no notice after ${sent} lines of 4000 bytes`).toContain(notice);
    await tal.send('done');
    await readBatch('(Tal) done');

    const expected = [...Array.from({ length: sent }, (_, i) => `(Tal) ${text(i)}`), '(Tal) done'];
    for (const [client, lines] of heard) {
      expect(lines.filter((line) => line === notice), client.label).toHaveLength(1);
      expectSameLines(
        lines.filter((line) => line !== notice),
        expected,
        client.label,
      );
    }

    // Slow reads again: the server had closed it; what it got is a prefix of the lines, in order.
    slow.resume();
    await slow.waitForClose(10_000);
    const slowChat = slow.received.slice(2);
    expect(slowChat.length).toBeLessThan(sent);
    expectSameLines(slowChat, expected.slice(0, slowChat.length), slow.label);
    await server.waitForLog(new RegExp(`^#${slowId} disconnected`));
  });
});

describe('a burst bigger than the output budget', () => {
  /**
   * The budget limits what a client leaves unread, not what the room says at once: 48 lines of
   * 4000 bytes in one write (192 KB, three times the 64 KiB budget) reach a client that reads,
   * and nobody is cut off.
   */
  it('should reach every client that reads, and cut off nobody', async () => {
    const server = await start({ rate: 0, sendqBytes: 64 * 1024 });
    const tal = await joinAs(server.port, 'Tal');
    const obs = await joinAs(server.port, 'Obs');
    await tal.expectLines(['*** Obs joined the chat']);
    const text = (i: number): string => `${String(i).padStart(6, '0')} ${'y'.repeat(3993)}`;
    const count = 48;
    await tal.sendRaw(Array.from({ length: count }, (_, i) => `${text(i)}\n`).join(''));
    await tal.send('after the burst');
    const expected = Array.from({ length: count }, (_, i) => `(Tal) ${text(i)}`);
    for (const client of [tal, obs]) {
      expectSameLines(await readUntil(client, '(Tal) after the burst', count + 1), expected, client.label);
    }
    expect(server.logs.filter((line) => line.includes('too slow'))).toEqual([]);
  });
});

describe('server full', () => {
  /**
   * maxClients 2: a third client hears `*** Server full` and is closed. Once a slot frees (the
   * server has seen the connection close), a new client is accepted and can join; with both
   * slots taken again, the next one is refused again.
   */
  it('should accept a new client again after a slot frees', async () => {
    const server = await start({ maxClients: 2 });
    const ann = await joinAs(server.port, 'Ann');
    const idle = await connectPrompted(server.port);
    const idleId = server.connectionId(idle);

    const refused = await connectClient(server.port);
    expect(await refused.waitForClose()).toEqual(['*** Server full']);

    idle.destroy();
    await server.waitForLog(new RegExp(`^#${idleId} disconnected`));
    const ned = await connectPrompted(server.port);
    await ned.send('Ned');
    await ned.expectLines(['You are now connected, Ned!']);
    await ann.expectLines(['*** Ned joined the chat']);

    const again = await connectClient(server.port);
    expect(await again.waitForClose()).toEqual(['*** Server full']);
  });
});

describe('abrupt ends', () => {
  /**
   * Half sends its name and FIN in one breath. It is welcomed (the server flushes what it owes
   * a half-closed client), then closed; the others hear one join and one leave.
   */
  it('should handle a client that half-closes right after its name', async () => {
    const server = await start();
    const obs = await joinAs(server.port, 'Obs');
    const half = await connectPrompted(server.port);

    half.end('Half\n');
    expect(await half.waitForClose()).toEqual(['You are now connected, Half!']);
    await obs.expectLines(['*** Half joined the chat', '*** Half left the chat']);
    await obs.send('sentinel');
    await obs.expectLines(['(Obs) sentinel']);
  });

  /**
   * Rst resets its connection in the middle of a line (the bytes and the RST reach the server
   * together): the others hear exactly one leave notice, and the half-typed line is not said
   * (framing.ts: bytes after the last LF are no line). Sentinel: Obs's own line.
   */
  it('should not say the half-typed line of a client that resets mid-line', async () => {
    const server = await start();
    const obs = await joinAs(server.port, 'Obs');
    const rst = await joinAs(server.port, 'Rst');
    await obs.expectLines(['*** Rst joined the chat']);
    const rstId = server.connectionId(rst);

    await rst.sendRaw('half a li');
    rst.reset();
    await server.waitForLog(new RegExp(`^#${rstId} disconnected`));
    await obs.send('sentinel');
    expect(await readUntil(obs, '(Obs) sentinel', 5)).toEqual(['*** Rst left the chat']);
  });

  /**
   * A client that resets half-way through its name is never announced (sentinel: Obs's own
   * line), and the half-typed name stays free.
   */
  it('should not take the half-typed name of a client that resets mid-name', async () => {
    const server = await start();
    const obs = await joinAs(server.port, 'Obs');
    const mid = await connectPrompted(server.port);
    const midId = server.connectionId(mid);

    await mid.sendRaw('Na');
    mid.reset();
    await server.waitForLog(new RegExp(`^#${midId} disconnected`));
    await obs.send('sentinel');
    expect(await readUntil(obs, '(Obs) sentinel', 5)).toEqual([]);
    await joinAs(server.port, 'Na');
    await obs.expectLines(['*** Na joined the chat']);
  });

  /**
   * A chatting client resets with nothing half-sent, and one at the prompt resets before typing:
   * one leave notice for the first, nothing for the second, and the server goes on.
   */
  it('should announce a reset once and stay up', async () => {
    const server = await start();
    const obs = await joinAs(server.port, 'Obs');
    const rst = await joinAs(server.port, 'Rst');
    await obs.expectLines(['*** Rst joined the chat']);
    const anon = await connectPrompted(server.port);
    const anonId = server.connectionId(anon);

    anon.reset();
    await server.waitForLog(new RegExp(`^#${anonId} disconnected`));
    rst.reset();
    await obs.expectLines(['*** Rst left the chat']);
    await obs.send('sentinel');
    await obs.expectLines(['(Obs) sentinel']);
    const again = await joinAs(server.port, 'Rst');
    await obs.expectLines(['*** Rst joined the chat']);
    await again.send('back');
    await obs.expectLines(['(Rst) back']);
  });

  /**
   * Gone resets while Tal keeps talking, so the server may still be writing to a peer that is
   * gone. Obs hears all 30 of Tal's lines in order and exactly one leave notice among them; the
   * server stays up (a newcomer takes the freed name).
   */
  it('should keep serving while writing to a client that has reset', async () => {
    const server = await start();
    const obs = await joinAs(server.port, 'Obs');
    const tal = await joinAs(server.port, 'Tal');
    const gone = await joinAs(server.port, 'Gone');
    await obs.expectLines(['*** Tal joined the chat', '*** Gone joined the chat']);
    await tal.expectLines(['*** Gone joined the chat']);

    gone.reset();
    const said = Array.from({ length: 30 }, (_, i) => `(Tal) line ${i}`);
    await tal.sendRaw(Array.from({ length: 30 }, (_, i) => `line ${i}\n`).join(''));
    await tal.send('sentinel');

    for (const client of [obs, tal]) {
      const heard = await readUntil(client, '(Tal) sentinel', 40);
      expect(heard.filter((line) => line === '*** Gone left the chat'), client.label).toHaveLength(1);
      expect(heard.filter((line) => line !== '*** Gone left the chat'), client.label).toEqual(said);
    }

    const again = await joinAs(server.port, 'Gone');
    await obs.expectLines(['*** Gone joined the chat']);
    await again.send('back');
    await obs.expectLines(['(Gone) back']);
  });

  /**
   * Fl floods (rate 50/s, burst 5) and vanishes at once. The server is still echoing Fl's paced
   * lines to it, so it writes to a closed peer and meets EPIPE or ECONNRESET. Obs hears a prefix
   * of the flood, in order, then exactly one leave notice (sentinel); the server stays up.
   */
  it('should survive EPIPE/ECONNRESET when writing to a client that vanished mid-flood', async () => {
    const server = await start({ rate: 50, burst: 5 });
    const obs = await joinAs(server.port, 'Obs');
    const fl = await joinAs(server.port, 'Fl');
    await obs.expectLines(['*** Fl joined the chat']);
    const flId = server.connectionId(fl);

    const flood = Array.from({ length: 20 }, (_, i) => `(Fl) flood ${i}`);
    await fl.sendRaw(Array.from({ length: 20 }, (_, i) => `flood ${i}\n`).join(''));
    fl.destroy();

    const heard = await readUntil(obs, '*** Fl left the chat', 20);
    expect(heard.length).toBeGreaterThanOrEqual(1);
    expect(heard).toEqual(flood.slice(0, heard.length));
    expect(await server.waitForLog(new RegExp(`^#${flId} disconnected`))).toMatch(/\((EPIPE|ECONNRESET)\)$/);

    await obs.send('still up');
    await obs.expectLines(['(Obs) still up']);
    const newcomer = await joinAs(server.port, 'Fl');
    await obs.expectLines(['*** Fl joined the chat']);
    await newcomer.send('hello');
    await obs.expectLines(['(Fl) hello']);
  });
});

describe('graceful shutdown', () => {
  /**
   * The server shuts down: every client, named, at the prompt, or half-way through its name, hears
   * `*** Server is shutting down` as its last line and is closed. Stub never closes its side,
   * so `shutdown(300)` cuts it when the grace is up: it resolves after about 300 ms, well
   * within the grace plus slack, with no connection left.
   */
  it('should tell every client, close them, and cut a client that never closes within the grace', async () => {
    const graceMs = 300;
    const server = await start();
    const ann = await joinAs(server.port, 'Ann');
    const stub = await connectClient(server.port, undefined, { allowHalfOpen: true });
    await stub.expectLines(['Username?']);
    await stub.send('Stub');
    await stub.expectLines(['You are now connected, Stub!']);
    await ann.expectLines(['*** Stub joined the chat']);
    const anon = await connectPrompted(server.port);
    const typing = await connectPrompted(server.port);
    await typing.sendRaw('Hal');

    const startedAt = performance.now();
    const closing = server.shutdown(graceMs);

    for (const client of [ann, anon, typing]) {
      expect(await client.waitForClose(), client.label).toEqual(['*** Server is shutting down']);
    }
    await stub.expectLines(['*** Server is shutting down']);
    await closing;
    const elapsed = performance.now() - startedAt;
    expect(elapsed).toBeGreaterThanOrEqual(graceMs - 10); // Stub held it open until it was cut
    expect(elapsed).toBeLessThan(graceMs + 1500);
    // `close` resolves as the last socket is destroyed; its 'close' event (which logs, and counts
    // it out of `connections()`) follows a moment later.
    await server.waitForLog(new RegExp(`^#${server.connectionId(stub)} disconnected`));
    expect(server.listener.connections()).toBe(0);
  });

  /** When every client closes its side, `shutdown(grace)` resolves long before the grace. */
  it('should finish as soon as every client is gone, well within the grace', async () => {
    const server = await start();
    const ann = await joinAs(server.port, 'Ann');
    const ben = await joinAs(server.port, 'Ben');
    await ann.expectLines(['*** Ben joined the chat']);
    const anon = await connectPrompted(server.port);

    const startedAt = performance.now();
    const closing = server.shutdown(5000);
    for (const client of [ann, ben, anon]) {
      expect(await client.waitForClose(), client.label).toEqual(['*** Server is shutting down']);
    }
    await closing;
    expect(performance.now() - startedAt).toBeLessThan(2000);
    for (const client of [ann, ben, anon]) await server.waitForLog(new RegExp(`^#${server.connectionId(client)} disconnected`));
    expect(server.listener.connections()).toBe(0);
  });
});
