// PROTOCOL.md "Commands" over real sockets: the in-process server on 127.0.0.1:0, real clients.
//
// One transcript per test, every expected line the literal text of the protocol. Nothing sleeps:
// each step waits for a line with a bounded timeout, and "a client heard nothing" is shown with a
// sentinel, a later broadcast that must be the very next line that client gets.
import { describe, expect, it } from 'vitest';
import { joinAs, type LineClient, serverPerTest } from './helpers/tcp.ts';

const server = serverPerTest();

/** Joins `names` in order, each reading the joins after its own: a room whose transcripts are all read. */
async function room(...names: string[]): Promise<LineClient[]> {
  const clients: LineClient[] = [];
  for (const name of names) {
    const client = await joinAs(server.port, name);
    for (const earlier of clients) await earlier.expectLines([`*** ${name} joined the chat`]);
    clients.push(client);
  }
  return clients;
}

/** `speaker` says `text`; every client in `all` (speaker included) hears it next. A sentinel. */
async function sayToAll(speaker: LineClient, name: string, text: string, all: readonly LineClient[]): Promise<void> {
  await speaker.send(text);
  for (const client of all) await client.expectLines([`(${name}) ${text}`]);
}

const HELP = [
  '*** Commands:',
  '*** /who [<room>]        list the users online, or in a room',
  '*** /join <room>         join a room (created if new) and talk there',
  '*** /part [<room>]       leave a room (default: the current one)',
  '*** /rooms               list the rooms and how many are in each',
  "*** /history [<n>]       show the current room's last lines",
  '*** /msg <name> <text>   send a private message',
  '*** /nick <new name>     change your name',
  '*** /me <action>         say what you are doing',
  '*** /help                show this list',
  '*** /quit (or exit)      leave the chat',
  '*** Anything else you type is said in your current room.',
];

describe('/who', () => {
  /**
   * `/who` lists the users in join order, to the asker only. A rename keeps its place in the
   * order, a departure drops out, a newcomer goes last.
   */
  it('should list users in join order after joins, a rename and a departure', async () => {
    const [ann, ben, cat] = await room('Ann', 'Ben', 'Cat');
    if (ann === undefined || ben === undefined || cat === undefined) throw new Error('no room');

    await ann.send('/who');
    await ann.expectLines(['*** Users online (3): Ann, Ben, Cat']);

    await ben.send('/nick Benny');
    for (const client of [ann, ben, cat]) await client.expectLines(['*** Ben is now known as Benny']);
    cat.destroy();
    for (const client of [ann, ben]) await client.expectLines(['*** Cat left the chat']);
    const [dan] = await room('Dan');
    if (dan === undefined) throw new Error('no Dan');
    for (const client of [ann, ben]) await client.expectLines(['*** Dan joined the chat']);

    await ann.send('/who');
    await ann.expectLines(['*** Users online (3): Ann, Benny, Dan']);
    await dan.send('/who');
    await dan.expectLines(['*** Users online (3): Ann, Benny, Dan']);

    // Sentinel: the lists went to the askers only.
    await sayToAll(ann, 'Ann', 'sentinel', [ann, ben, dan]);
    expect(ben.received.slice(2)).toEqual([
      '*** Cat joined the chat',
      '*** Ben is now known as Benny',
      '*** Cat left the chat',
      '*** Dan joined the chat',
      '(Ann) sentinel',
    ]);
  });
});

describe('/msg', () => {
  /**
   * `/msg BOB psst` (any letter case) reaches Bob as `[alice -> Bob] psst` (the recipient's real
   * name) and is echoed to alice; carol hears nothing (sentinel). A message to oneself comes once.
   */
  it('should deliver a private message to the recipient and the sender only', async () => {
    const [alice, bob, carol] = await room('alice', 'Bob', 'carol');
    if (alice === undefined || bob === undefined || carol === undefined) throw new Error('no room');

    await alice.send('/msg BOB psst');
    await bob.expectLines(['[alice -> Bob] psst']);
    await alice.expectLines(['[alice -> Bob] psst']);
    await bob.send('/msg Alice  two  spaces ');
    await alice.expectLines(['[Bob -> alice] two  spaces']);
    await bob.expectLines(['[Bob -> alice] two  spaces']);
    await carol.send('/msg carol note to self');
    await carol.expectLines(['[carol -> carol] note to self']);

    await sayToAll(bob, 'Bob', 'public', [alice, bob, carol]);
    expect(carol.received.slice(2)).toEqual(['[carol -> carol] note to self', '(Bob) public']);
  });

  /** `/msg nobody hi` → `*** No such user: nobody`, to the sender only (sentinel). */
  it('should tell the sender when there is no such user', async () => {
    const [alice, bob] = await room('alice', 'Bob');
    if (alice === undefined || bob === undefined) throw new Error('no room');

    await alice.send('/msg nobody hi');
    await alice.expectLines(['*** No such user: nobody']);
    await sayToAll(alice, 'alice', 'sentinel', [alice, bob]);
  });
});

describe('/nick', () => {
  /**
   * `/nick Robert`: everyone sees the rename; later chat and `/msg` use the new name; the old
   * name is unknown to `/msg` and free for a newcomer. An invalid or taken name is refused to
   * the sender only (sentinel).
   */
  it('should rename a user for everyone and free the old name', async () => {
    const [alice, bob] = await room('alice', 'Bob');
    if (alice === undefined || bob === undefined) throw new Error('no room');

    await bob.send('/nick Robert');
    for (const client of [alice, bob]) await client.expectLines(['*** Bob is now known as Robert']);
    await sayToAll(bob, 'Robert', 'hi', [alice, bob]);
    await alice.send('/msg robert yo');
    await bob.expectLines(['[alice -> Robert] yo']);
    await alice.expectLines(['[alice -> Robert] yo']);
    await alice.send('/msg Bob hello?');
    await alice.expectLines(['*** No such user: Bob']);

    await bob.send('/nick ALICE');
    await bob.expectLines(['*** Username ALICE is taken']);
    await bob.send('/nick two words');
    await bob.expectLines(["*** Invalid username: spaces are not allowed (use letters, digits, '_', '-' or '.')"]);
    await sayToAll(alice, 'alice', 'sentinel', [alice, bob]);

    const newBob = await joinAs(server.port, 'bob');
    for (const client of [alice, bob]) await client.expectLines(['*** bob joined the chat']);
    await alice.send('/msg BOB welcome');
    await newBob.expectLines(['[alice -> bob] welcome']);
    await alice.expectLines(['[alice -> bob] welcome']);
  });

  /**
   * Two users ask for the same new name in different letter case at the same instant, 20 times
   * over with fresh names. Each time exactly one wins: everyone sees one rename notice, and the
   * loser (after that notice) gets `*** Username <asked> is taken`. Sentinel: Obs's line next.
   */
  it('should let exactly one of two simultaneous renames to the same name win', async () => {
    const [obs, p, q] = await room('Obs', 'P', 'Q');
    if (obs === undefined || p === undefined || q === undefined) throw new Error('no room');
    const names = new Map<LineClient, string>([
      [p, 'P'],
      [q, 'Q'],
    ]);
    const wins = new Map<LineClient, number>([
      [p, 0],
      [q, 0],
    ]);

    for (let round = 0; round < 20; round++) {
      const asked = new Map<LineClient, string>([
        [p, `Max${round}`],
        [q, `max${round}`],
      ]);
      // Both written before either is awaited; who writes first alternates, so both can win.
      const order = round % 2 === 0 ? [p, q] : [q, p];
      await Promise.all(order.map((c) => c.send(`/nick ${asked.get(c) ?? ''}`)));

      const notice = await obs.nextLine();
      const winner = [p, q].find((c) => notice === `*** ${names.get(c) ?? ''} is now known as ${asked.get(c) ?? ''}`);
      if (winner === undefined) throw new Error(`round ${round}: unexpected ${JSON.stringify(notice)}`);
      const loser = winner === p ? q : p;
      await winner.expectLines([notice]);
      await loser.expectLines([notice, `*** Username ${asked.get(loser) ?? ''} is taken`]);
      names.set(winner, asked.get(winner) ?? '');
      wins.set(winner, (wins.get(winner) ?? 0) + 1);

      await sayToAll(obs, 'Obs', `round ${round}`, [obs, p, q]);
    }
    expect((wins.get(p) ?? 0) + (wins.get(q) ?? 0)).toBe(20);
    await obs.send('/who');
    await obs.expectLines([`*** Users online (3): Obs, ${names.get(p) ?? ''}, ${names.get(q) ?? ''}`]);
  });
});

describe('/me, /help, unknown and malformed commands', () => {
  /** `/me waves` → everyone gets `* Bob waves`. */
  it('should broadcast an action', async () => {
    const [alice, bob] = await room('alice', 'Bob');
    if (alice === undefined || bob === undefined) throw new Error('no room');

    await bob.send('/me waves');
    for (const client of [alice, bob]) await client.expectLines(['* Bob waves']);
  });

  /** `/help` → the 8 lines of the command list, to the asker only (sentinel). */
  it('should send the command list to the asker only', async () => {
    const [alice, bob] = await room('alice', 'Bob');
    if (alice === undefined || bob === undefined) throw new Error('no room');

    await bob.send('/help');
    await bob.expectLines(HELP);
    await sayToAll(alice, 'alice', 'sentinel', [alice, bob]);
  });

  /** `/dance` → `*** Unknown command: /dance (try /help)`, to the sender only (sentinel). */
  it('should name an unknown command to its sender only', async () => {
    const [alice, bob] = await room('alice', 'Bob');
    if (alice === undefined || bob === undefined) throw new Error('no room');

    await bob.send('/dance');
    await bob.expectLines(['*** Unknown command: /dance (try /help)']);
    await sayToAll(alice, 'alice', 'sentinel', [alice, bob]);
  });

  /** Command words in any letter case are the commands; their arguments keep their case. */
  it('should accept commands in upper case', async () => {
    const [alice, bob] = await room('alice', 'Bob');
    if (alice === undefined || bob === undefined) throw new Error('no room');

    await bob.send('/WHO');
    await bob.expectLines(['*** Users online (2): alice, Bob']);
    await bob.send('/ME Shrugs');
    for (const client of [alice, bob]) await client.expectLines(['* Bob Shrugs']);
    await bob.send('/MSG ALICE Hi There');
    await alice.expectLines(['[Bob -> alice] Hi There']);
    await bob.expectLines(['[Bob -> alice] Hi There']);
    await bob.send('/HELP');
    await bob.expectLines(HELP);
    await bob.send('/Nick Bobby');
    for (const client of [alice, bob]) await client.expectLines(['*** Bob is now known as Bobby']);
    await sayToAll(alice, 'alice', 'sentinel', [alice, bob]);
  });

  /** A command missing what it needs gets its usage, to the sender only (sentinel). */
  it('should answer a malformed command with its usage', async () => {
    const [alice, bob] = await room('alice', 'Bob');
    if (alice === undefined || bob === undefined) throw new Error('no room');

    await alice.send('/msg bob');
    await alice.expectLines(['*** Usage: /msg <name> <text>']);
    await alice.send('/msg');
    await alice.expectLines(['*** Usage: /msg <name> <text>']);
    await alice.send('/me');
    await alice.expectLines(['*** Usage: /me <action>']);
    await alice.send('/nick');
    await alice.expectLines(['*** Usage: /nick <new name>']);
    await sayToAll(bob, 'Bob', 'sentinel', [alice, bob]);
  });
});
