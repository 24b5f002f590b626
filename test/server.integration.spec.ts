// The chat protocol over real TCP sockets: the in-process server on 127.0.0.1:0, real clients.
//
// One transcript per test. Every expected line is the literal text of ../shared/PROTOCOL.md.
// Nothing sleeps: each step waits for a line (or a close) with a bounded timeout, and "nothing
// else arrived" is shown with a sentinel, a later line known to come after in the global order.
import { describe, expect, it } from 'vitest';
import {
  connectClient,
  connectPrompted,
  destroyAllClients,
  joinAs,
  nextTurn,
  sendOneByteAtATime,
  serverPerTest,
  startServer,
  type LineClient,
} from './helpers/tcp.ts';

const server = serverPerTest();

/** Reads lines until (and including) `last`; returns the lines before it. Bounded by `max`. */
async function readUntil(client: LineClient, last: string, max: number): Promise<string[]> {
  const before: string[] = [];
  for (;;) {
    const line = await client.nextLine();
    if (line === last) return before;
    before.push(line);
    if (before.length > max) throw new Error(`${client.label}: no ${JSON.stringify(last)} within ${max} lines: ${JSON.stringify(before)}`);
  }
}

describe('lab transcript', () => {
  /**
   * The lab's reference session: a chat line reaches everyone (sender included), a late joiner is
   * announced to those already in and hears nothing from before it joined, `exit` gets a goodbye
   * and a server-side close, and the others hear the leave exactly once.
   */
  it('should run the Bob / John / Rock session', async () => {
    const bob = await connectClient(server.port);
    await bob.expectLines(['Username?']);
    await bob.send('Bob');
    await bob.expectLines(['You are now connected, Bob!']);

    const john = await connectClient(server.port);
    await john.expectLines(['Username?']);
    await john.send('John');
    await john.expectLines(['You are now connected, John!']);
    await bob.expectLines(['*** John joined the chat']);

    await bob.send('Hello everyone');
    await bob.expectLines(['(Bob) Hello everyone']);
    await john.expectLines(['(Bob) Hello everyone']);

    const rock = await connectClient(server.port);
    await rock.expectLines(['Username?']);
    await rock.send('Rock');
    await rock.expectLines(['You are now connected, Rock!']);
    await bob.expectLines(['*** Rock joined the chat']);
    await john.expectLines(['*** Rock joined the chat']);

    await bob.send('exit');
    expect(await bob.waitForClose()).toEqual(['Goodbye Bob!']);
    await john.expectLines(['*** Bob left the chat']);
    await rock.expectLines(['*** Bob left the chat']);

    // Sentinel: John's line comes after everything above, so nothing else slipped in between.
    await john.send('bye');
    await john.expectLines(['(John) bye']);
    await rock.expectLines(['(John) bye']);

    expect(bob.received).toEqual([
      'Username?',
      'You are now connected, Bob!',
      '*** John joined the chat',
      '(Bob) Hello everyone',
      '*** Rock joined the chat',
      'Goodbye Bob!',
    ]);
    expect(john.received).toEqual([
      'Username?',
      'You are now connected, John!',
      '(Bob) Hello everyone',
      '*** Rock joined the chat',
      '*** Bob left the chat',
      '(John) bye',
    ]);
    expect(rock.received).toEqual(['Username?', 'You are now connected, Rock!', '*** Bob left the chat', '(John) bye']);
  });
});

describe('framing on the wire', () => {
  /** A client that trickles one byte per TCP write (multi-byte UTF-8 split too) is understood. */
  it('should assemble a name and a chat line sent one byte at a time, UTF-8 split across writes', async () => {
    const watcher = await joinAs(server.port, 'Watcher');
    const zoe = await connectPrompted(server.port);

    await sendOneByteAtATime(zoe, 'Zoë\n'); // ë is C3 AB: two writes
    await zoe.expectLines(['You are now connected, Zoë!']);
    await watcher.expectLines(['*** Zoë joined the chat']);

    await sendOneByteAtATime(zoe, 'héllo 日本 ✓\n'); // 日 is E6 97 A5: three writes
    await zoe.expectLines(['(Zoë) héllo 日本 ✓']);
    await watcher.expectLines(['(Zoë) héllo 日本 ✓']);

    const nihon = await connectPrompted(server.port);
    await sendOneByteAtATime(nihon, '日本\r\n');
    await nihon.expectLines(['You are now connected, 日本!']);
    await watcher.expectLines(['*** 日本 joined the chat']);
    await zoe.expectLines(['*** 日本 joined the chat']);
  });

  /** Invalid UTF-8 is not an error: each bad sequence arrives as U+FFFD. */
  it('should turn invalid UTF-8 into U+FFFD', async () => {
    const bob = await joinAs(server.port, 'Bob');
    await bob.sendRaw(Buffer.from([0x68, 0xff, 0x41, 0xc3, 0x28, 0x0a])); // h, FF, A, C3 without its tail, (
    await bob.expectLines(['(Bob) h\uFFFDA\uFFFD(']);
  });

  /** CR before LF is dropped, for the name and for chat text. */
  it('should accept CRLF line endings', async () => {
    const watcher = await joinAs(server.port, 'Watcher');
    const bob = await connectPrompted(server.port);
    await bob.sendRaw('Bob\r\n');
    await bob.expectLines(['You are now connected, Bob!']);
    await watcher.expectLines(['*** Bob joined the chat']);
    await bob.sendRaw('hi there\r\n');
    await bob.expectLines(['(Bob) hi there']);
    await watcher.expectLines(['(Bob) hi there']);
  });

  /** Several lines in one TCP write (name included) are each handled, in order. */
  it('should handle several lines arriving in one write', async () => {
    const watcher = await joinAs(server.port, 'Watcher');
    const bob = await connectPrompted(server.port);
    await bob.sendRaw('Bob\nfirst\r\nsecond\nthird\n');
    await bob.expectLines(['You are now connected, Bob!', '(Bob) first', '(Bob) second', '(Bob) third']);
    await watcher.expectLines(['*** Bob joined the chat', '(Bob) first', '(Bob) second', '(Bob) third']);
  });
});

describe('names', () => {
  /** Invalid names are refused with a reason and the prompt again; the connection stays usable. */
  it('should refuse invalid names and ask again', async () => {
    const client = await connectPrompted(server.port);

    await client.send('two words');
    expect(await client.nextLine()).toMatch(/^\*\*\* Invalid username: \S/);
    await client.expectLines(['Username?']);

    await client.send('x'.repeat(25));
    expect(await client.nextLine()).toMatch(/^\*\*\* Invalid username: \S/);
    await client.expectLines(['Username?']);

    await client.send('bob!');
    expect(await client.nextLine()).toMatch(/^\*\*\* Invalid username: \S/);
    await client.expectLines(['Username?']);

    await client.send('  Bob_1.x-y  '); // trimmed; `_` `.` `-` and digits are fine
    await client.expectLines(['You are now connected, Bob_1.x-y!']);
  });

  /**
   * A name held by someone else, in any letter case, is refused and asked again; the holder hears
   * no join for the refused attempt (sentinel: the next join is the one it hears).
   */
  it('should refuse a name taken in another letter case', async () => {
    const bob = await joinAs(server.port, 'Bob');
    const other = await connectPrompted(server.port);

    await other.send('BOB');
    await other.expectLines(['*** Username BOB is taken', 'Username?']);
    await other.send('bob');
    await other.expectLines(['*** Username bob is taken', 'Username?']);
    await other.send('Bobby');
    await other.expectLines(['You are now connected, Bobby!']);

    await bob.expectLines(['*** Bobby joined the chat']);
  });
});

describe('text hygiene', () => {
  /** ESC, BEL, DEL, CR and C1 controls are stripped before broadcast; TAB stays; ANSI becomes inert. */
  it('should strip control characters from chat text', async () => {
    const bob = await joinAs(server.port, 'Bob');
    const john = await joinAs(server.port, 'John');
    await bob.expectLines(['*** John joined the chat']);

    await bob.send('\x1b[31mred\x07');
    await bob.expectLines(['(Bob) [31mred']);
    await john.expectLines(['(Bob) [31mred']);

    await bob.send('a\x7fb\u009b2Jc\td\re\x00f');
    await bob.expectLines(['(Bob) ab2Jc\tdef']);
    await john.expectLines(['(Bob) ab2Jc\tdef']);
  });

  /** A line of nothing but whitespace or controls is ignored (sentinel: the next line is next). */
  it('should broadcast nothing for blank lines', async () => {
    const bob = await joinAs(server.port, 'Bob');
    const john = await joinAs(server.port, 'John');
    await bob.expectLines(['*** John joined the chat']);

    await bob.sendRaw('\n   \n\t\r\n\x1b\x07\n');
    await bob.send('sentinel');
    await bob.expectLines(['(Bob) sentinel']);
    await john.expectLines(['(Bob) sentinel']);
  });
});

describe('line length limit', () => {
  /** An overlong line is refused with a notice, never broadcast, and the next line still works. */
  it('should refuse a 5000-byte line and keep the connection', async () => {
    const bob = await joinAs(server.port, 'Bob');
    const john = await joinAs(server.port, 'John');
    await bob.expectLines(['*** John joined the chat']);

    await bob.send('x'.repeat(5000));
    await bob.expectLines(['*** Line too long (max 4096 bytes)']);
    await bob.send('still here');
    await bob.expectLines(['(Bob) still here']);
    await john.expectLines(['(Bob) still here']); // sentinel: nothing of the long line reached John
  });

  /** The notice comes as soon as the limit is passed, before the line ends; its tail is dropped. */
  it('should report an overlong line before its LF arrives', async () => {
    const bob = await joinAs(server.port, 'Bob');
    await bob.sendRaw('y'.repeat(5000));
    await bob.expectLines(['*** Line too long (max 4096 bytes)']);
    await bob.sendRaw('tail of the long line\nnext\n');
    await bob.expectLines(['(Bob) next']);
  });

  /** Exactly 4096 bytes is accepted, with or without CR; 4097 is not. The limit is in bytes. */
  it('should accept a line of exactly 4096 bytes, with and without CR', async () => {
    const bob = await joinAs(server.port, 'Bob');
    const a = 'a'.repeat(4096);
    const b = 'b'.repeat(4096);
    const e = 'é'.repeat(2048); // 4096 bytes in UTF-8

    await bob.sendRaw(`${a}\n`);
    await bob.expectLines([`(Bob) ${a}`]);
    await bob.sendRaw(`${b}\r\n`);
    await bob.expectLines([`(Bob) ${b}`]);
    await bob.sendRaw(`${e}\n`);
    await bob.expectLines([`(Bob) ${e}`]);

    await bob.sendRaw(`${'c'.repeat(4097)}\n`);
    await bob.expectLines(['*** Line too long (max 4096 bytes)']);
    await bob.sendRaw(`${'é'.repeat(2049)}\r\n`);
    await bob.expectLines(['*** Line too long (max 4096 bytes)']);
    await bob.send('ok');
    await bob.expectLines(['(Bob) ok']);
  });

  /** The limit is configurable and the notice names the configured value. */
  it('should apply a configured maxLineBytes', async () => {
    const small = await startServer({ maxLineBytes: 8 });
    try {
      const bob = await connectPrompted(small.port);
      await bob.send('Bob');
      await bob.expectLines(['You are now connected, Bob!']);
      await bob.send('123456789');
      await bob.expectLines(['*** Line too long (max 8 bytes)']);
      await bob.send('12345678');
      await bob.expectLines(['(Bob) 12345678']);
    } finally {
      destroyAllClients();
      await small.close();
    }
  });
});

describe('leaving', () => {
  /** `exit` at the name prompt: `Goodbye!`, then the server closes the connection. */
  it('should say Goodbye! and close on exit at the name prompt', async () => {
    const client = await connectPrompted(server.port);
    await client.send('exit');
    expect(await client.waitForClose()).toEqual(['Goodbye!']);
  });

  /** `/quit` while chatting is `exit`: goodbye, server-side close, one leave notice for the others. */
  it('should treat /quit like exit', async () => {
    const bob = await joinAs(server.port, 'Bob');
    const john = await joinAs(server.port, 'John');
    await bob.expectLines(['*** John joined the chat']);

    await john.send('/quit');
    expect(await john.waitForClose()).toEqual(['Goodbye John!']);
    await bob.expectLines(['*** John left the chat']);
    await bob.send('sentinel');
    await bob.expectLines(['(Bob) sentinel']);
  });

  /** `exit` followed at once by EOF still gets the goodbye and exactly one leave notice. */
  it('should handle exit and EOF in the same breath', async () => {
    const bob = await joinAs(server.port, 'Bob');
    const john = await joinAs(server.port, 'John');
    await bob.expectLines(['*** John joined the chat']);

    john.end('exit\n');
    expect(await john.waitForClose()).toEqual(['Goodbye John!']);
    await bob.expectLines(['*** John left the chat']);
    await bob.send('sentinel');
    await bob.expectLines(['(Bob) sentinel']);
  });

  /**
   * A chatting client that vanishes (destroy) is announced as leaving exactly once; one that
   * vanishes at the name prompt is not announced at all (Bob's next line is John's leave).
   */
  it('should announce an abruptly dropped client exactly once', async () => {
    const bob = await joinAs(server.port, 'Bob');
    const john = await joinAs(server.port, 'John');
    await bob.expectLines(['*** John joined the chat']);
    const anonymous = await connectPrompted(server.port);

    anonymous.destroy();
    expect(await anonymous.waitForClose()).toEqual([]);
    john.destroy();
    await bob.expectLines(['*** John left the chat']);
    await bob.send('sentinel');
    await bob.expectLines(['(Bob) sentinel']);
  });

  /** A chatting client whose connection is reset (RST) is announced as leaving exactly once. */
  it('should announce a reset client exactly once', async () => {
    const bob = await joinAs(server.port, 'Bob');
    const john = await joinAs(server.port, 'John');
    await bob.expectLines(['*** John joined the chat']);

    john.reset();
    await bob.expectLines(['*** John left the chat']);
    await bob.send('sentinel');
    await bob.expectLines(['(Bob) sentinel']);
  });

  /**
   * A reset in the middle of a line: the half-typed tail is not delivered as if it were a line.
   * `ping` travels in the same write as the tail, so once Bob hears it the server has read both.
   */
  it('should not deliver the unfinished line of a client that resets', async () => {
    const bob = await joinAs(server.port, 'Bob');
    const john = await joinAs(server.port, 'John');
    await bob.expectLines(['*** John joined the chat']);
    await john.sendRaw('ping\nhalf-typed, never finished');
    await bob.expectLines(['(John) ping']);
    john.reset();
    await bob.expectLines(['*** John left the chat']);
  });

  /** A clean end of input: bytes after the last LF are not a line, and are not delivered. */
  it('should not deliver a last line without LF, even at a clean end of input', async () => {
    const bob = await joinAs(server.port, 'Bob');
    const john = await joinAs(server.port, 'John');
    await bob.expectLines(['*** John joined the chat']);
    await john.sendRaw('last words');
    john.end();
    await bob.expectLines(['*** John left the chat']);
  });

  /** Half-close (EOF) of a chatting client: the server closes its side, one leave notice. */
  it('should announce a half-closed client exactly once and close it', async () => {
    const bob = await joinAs(server.port, 'Bob');
    const john = await joinAs(server.port, 'John');
    await bob.expectLines(['*** John joined the chat']);

    john.end();
    expect(await john.waitForClose()).toEqual([]);
    await bob.expectLines(['*** John left the chat']);
    await bob.send('sentinel');
    await bob.expectLines(['(Bob) sentinel']);
  });

  /** A name is free again once its holder has left. */
  it('should free the name of a user who left', async () => {
    const bob = await joinAs(server.port, 'Bob');
    const john = await joinAs(server.port, 'John');
    await bob.expectLines(['*** John joined the chat']);
    bob.destroy();
    await john.expectLines(['*** Bob left the chat']);

    const again = await connectPrompted(server.port);
    await again.send('bob');
    await again.expectLines(['You are now connected, bob!']);
    await john.expectLines(['*** bob joined the chat']);
  });
});

describe('the room', () => {
  /**
   * A client at `Username?` hears nothing from the room. Sentinels: once it picks a name, the
   * very next line is its welcome, and the one after is a line said after it joined.
   */
  it('should tell nothing to a client that has not given a name', async () => {
    const lurker = await connectPrompted(server.port);

    const bob = await joinAs(server.port, 'Bob');
    const john = await joinAs(server.port, 'John');
    await bob.expectLines(['*** John joined the chat']);
    await bob.send('secret');
    await bob.expectLines(['(Bob) secret']);
    await john.expectLines(['(Bob) secret']);
    john.destroy();
    await bob.expectLines(['*** John left the chat']);

    await lurker.send('Lurker');
    await lurker.expectLines(['You are now connected, Lurker!']);
    await bob.expectLines(['*** Lurker joined the chat']);
    await bob.send('after');
    await bob.expectLines(['(Bob) after']);
    await lurker.expectLines(['(Bob) after']);
    expect(lurker.received).toEqual(['Username?', 'You are now connected, Lurker!', '(Bob) after']);
  });

  /** A client idling at `Username?` (even mid-name) does not hold anyone else up. */
  it('should not let a silent client at the prompt delay others', async () => {
    const idle = await connectPrompted(server.port);
    await idle.sendRaw('Ali'); // half a name, no LF: the server must not wait on it

    const bob = await joinAs(server.port, 'Bob');
    const john = await joinAs(server.port, 'John');
    await bob.expectLines(['*** John joined the chat']);
    for (let i = 0; i < 5; i++) {
      await john.send(`ping ${i}`);
      await bob.expectLines([`(John) ping ${i}`]);
      await john.expectLines([`(John) ping ${i}`]);
    }

    await idle.sendRaw('ce\n');
    await idle.expectLines(['You are now connected, Alice!']);
    await bob.expectLines(['*** Alice joined the chat']);
    await john.expectLines(['*** Alice joined the chat']);
  });

  /** Past the connection cap a newcomer hears `*** Server full` and is closed; the others go on. */
  it('should refuse a connection past maxClients', async () => {
    const small = await startServer({ maxClients: 2 });
    try {
      const bob = await connectPrompted(small.port);
      await bob.send('Bob');
      await bob.expectLines(['You are now connected, Bob!']);
      const other = await connectPrompted(small.port);

      const third = await connectClient(small.port);
      expect(await third.waitForClose()).toEqual(['*** Server full']);
      await other.send('John');
      await other.expectLines(['You are now connected, John!']);
      await bob.expectLines(['*** John joined the chat']);
    } finally {
      destroyAllClients();
      await small.close();
    }
  });

  /**
   * 50 clients connect and name themselves at once: each is welcomed; each hears exactly the
   * joins after its own, in one order shared by all; then one line reaches all 50.
   */
  it('should serve 50 clients joining concurrently', async () => {
    const n = 50;
    const names = Array.from({ length: n }, (_, i) => `user${i}`);
    const clients = await Promise.all(names.map(() => connectClient(server.port)));
    await Promise.all(clients.map((c) => c.expectLines(['Username?'])));
    await Promise.all(clients.map((c, i) => c.send(names[i] ?? '')));
    await Promise.all(clients.map((c, i) => c.expectLines([`You are now connected, ${names[i] ?? ''}!`])));

    const talker = clients[0];
    if (talker === undefined) throw new Error('no clients');
    await talker.send('hello all');
    const heard = await Promise.all(clients.map((c) => readUntil(c, '(user0) hello all', n)));

    // The first to join heard every other join; that is the one global join order.
    const order = heard.find((lines) => lines.length === n - 1);
    expect(order).toBeDefined();
    const joinOrder = (order ?? []).map((line) => /^\*\*\* (user\d+) joined the chat$/.exec(line)?.[1]);
    const first = names.find((name) => !joinOrder.includes(name));
    expect(new Set([first, ...joinOrder])).toEqual(new Set(names));
    const fullOrder = [first, ...joinOrder];
    for (const [i, lines] of heard.entries()) {
      const after = fullOrder.slice(fullOrder.indexOf(names[i]) + 1);
      expect(lines, `${names[i] ?? ''} heard`).toEqual(after.map((name) => `*** ${name ?? ''} joined the chat`));
    }
  });

  /**
   * One global order: 5 clients each fire 20 lines as fast as they can while a 6th joins and
   * quits. All 5 see the same sequence of the 100 lines and the 2 notices, each sender's lines in
   * the order sent; the 6th saw exactly the slice between its own join and leave.
   */
  it('should show every client the same order of lines and notices', async () => {
    const talkers = [] as LineClient[];
    for (let i = 0; i < 5; i++) talkers.push(await joinAs(server.port, `T${i}`));
    for (const [i, talker] of talkers.entries()) {
      await talker.expectLines(Array.from({ length: 4 - i }, (_, k) => `*** T${i + k + 1} joined the chat`));
    }
    const late = await connectPrompted(server.port);

    // Five concurrent floods, one line per talker per event-loop turn, so the in-process server
    // reads the talkers' lines interleaved (written all at once, each talker's 20 lines would
    // arrive as one chunk). Late joins and quits while they run. The turns only pace the writes.
    const flood = async (talker: LineClient, i: number): Promise<void> => {
      for (let k = 0; k < 20; k++) {
        await talker.send(`line ${k} from T${i}`);
        await nextTurn();
      }
    };
    const lateVisit = async (): Promise<void> => {
      for (let k = 0; k < 5; k++) await nextTurn();
      await late.send('Late');
      await late.expectLines(['You are now connected, Late!']);
      for (let k = 0; k < 5; k++) await nextTurn();
      await late.send('exit');
    };
    await Promise.all([...talkers.map(flood), lateVisit()]);

    const views = await Promise.all(talkers.map(async (t) => Promise.all(Array.from({ length: 102 }, () => t.nextLine()))));
    const reference = views[0] ?? [];
    for (const view of views) expect(view).toEqual(reference);

    const chat = reference.filter((line) => line.startsWith('('));
    expect([...chat].sort()).toEqual(
      talkers.flatMap((_, i) => Array.from({ length: 20 }, (_, k) => `(T${i}) line ${k} from T${i}`)).sort(),
    );
    for (let i = 0; i < 5; i++) {
      const mine = chat.filter((line) => line.startsWith(`(T${i}) `));
      expect(mine).toEqual(Array.from({ length: 20 }, (_, k) => `(T${i}) line ${k} from T${i}`));
    }
    const joinedAt = reference.indexOf('*** Late joined the chat');
    const leftAt = reference.indexOf('*** Late left the chat');
    expect(joinedAt).toBeGreaterThanOrEqual(0);
    expect(leftAt).toBeGreaterThan(joinedAt);

    const lateUnread = await late.waitForClose();
    expect(lateUnread.at(-1)).toBe('Goodbye Late!');
    expect(lateUnread.slice(0, -1)).toEqual(reference.slice(joinedAt + 1, leftAt));
  });
});
