// PROTOCOL.md v2 "Rooms" and "History" over real sockets: the in-process server on 127.0.0.1:0.
//
// The rooms transcript with three clients: Ann and Bob are line clients; Zoë is raw bytes as a
// program or a netcat user would send them (CRLF endings, UTF-8 split across writes, a line in
// pieces). Every expected line is the literal text of the protocol; nothing sleeps, each step waits
// for the line it expects with a bounded timeout, and "heard nothing" is shown by a sentinel.
import { describe, expect, it } from 'vitest';
import { connectPrompted, joinAs, nextTurn, sendOneByteAtATime, serverPerTest } from './helpers/tcp.ts';

const server = serverPerTest({ history: 5, replay: 3 });

describe('rooms over real sockets', () => {
  it('should run the rooms transcript between two line clients and a raw-bytes client', async () => {
    const ann = await joinAs(server.port, 'Ann');
    const bob = await joinAs(server.port, 'Bob');
    await ann.expectLines(['*** Bob joined the chat']);

    // Zoë: her name in two writes split inside the UTF-8 of ë, CRLF line ends.
    const zoe = await connectPrompted(server.port);
    const name = Buffer.from('Zoë\r\n', 'utf8');
    await zoe.sendRaw(name.subarray(0, 3));
    await nextTurn();
    await zoe.sendRaw(name.subarray(3));
    await zoe.expectLines(['You are now connected, Zoë!']);
    await ann.expectLines(['*** Zoë joined the chat']);
    await bob.expectLines(['*** Zoë joined the chat']);

    // Ann opens #rust and talks there alone; the lobby hears nothing of it.
    await ann.send('/join rust');
    await ann.expectLines(['*** Now in #rust (1 user)']);
    await ann.send('first in rust');
    await ann.expectLines(['(Ann) first in rust']);
    await ann.send('/me sets up');
    await ann.expectLines(['* Ann sets up']);

    // Zoë joins #Rust in any case, byte by byte with CRLF: she hears the count and the replay, stamped.
    await sendOneByteAtATime(zoe, '/join #RUST\r\n');
    const now = await zoe.nextLine();
    expect(now).toBe('*** Now in #rust (2 users)');
    const replay = [await zoe.nextLine(), await zoe.nextLine()];
    expect(replay.map((l) => l.replace(/^\[\d\d:\d\d\] /u, '[HH:MM] '))).toEqual(['[HH:MM] (Ann) first in rust', '[HH:MM] * Ann sets up']);
    await ann.expectLines(['*** Zoë joined #rust']);

    // A line in #rust: both members, plain for both (it is current for each); Bob hears nothing.
    await zoe.sendRaw(Buffer.from('h\u00e9llo r', 'utf8'));
    await zoe.sendRaw(Buffer.from('ust\r\n', 'utf8'));
    await zoe.expectLines(['(Zoë) héllo rust']);
    await ann.expectLines(['(Zoë) héllo rust']);

    // Bob talks in the lobby: Ann and Zoë are members whose current room is #rust: prefixed.
    await bob.send('anyone in the lobby?');
    await bob.expectLines(['(Bob) anyone in the lobby?']);
    await ann.expectLines(['[#lobby] (Bob) anyone in the lobby?']);
    await zoe.expectLines(['[#lobby] (Bob) anyone in the lobby?']);

    // Rooms and who is where.
    await bob.send('/rooms');
    await bob.expectLines(['*** Rooms (2): #lobby (3), #rust (2)']);
    await bob.send('/who #rust');
    await bob.expectLines(['*** Users in #rust (2): Ann, Zoë']);
    await bob.send('/who #go');
    await bob.expectLines(['*** No such room: #go']);

    // A rename is announced once to each sharer (Ann shares two rooms with Zoë: once), no prefix.
    await zoe.send('/nick Zed');
    await zoe.expectLines(['*** Zoë is now known as Zed']);
    await ann.expectLines(['*** Zoë is now known as Zed']);
    await bob.expectLines(['*** Zoë is now known as Zed']);

    // Ann parts #rust: back in the lobby; Zed hears she left #rust.
    await ann.send('/part');
    await ann.expectLines(['*** You left #rust', '*** Now in #lobby (3 users)']);
    await zoe.expectLines(['*** Ann left #rust']);
    await ann.send('/history 2');
    expect(await ann.nextLine()).toMatch(/^\[\d\d:\d\d\] \(Bob\) anyone in the lobby\?$/u);

    // Zed leaves the chat: one notice each, no `left #rust`.
    await zoe.sendRaw('exit\r\n');
    expect(await zoe.waitForClose()).toEqual(['Goodbye Zed!']);
    await ann.expectLines(['*** Zed left the chat']);
    await bob.expectLines(['*** Zed left the chat']);
    // #rust was forgotten with its last member, history and all (sentinel: the very next line).
    await bob.send('/rooms');
    await bob.expectLines(['*** Rooms (1): #lobby (2)']);
    await ann.send('/join rust');
    await ann.expectLines(['*** Now in #rust (1 user)']);
    await ann.send('/history');
    await ann.expectLines(['*** No history in #rust']);
  });

  it('should refuse past the room limits, to the asker alone, and keep the room names of the protocol', async () => {
    const ann = await joinAs(server.port, 'Ann');
    await ann.send('/join bad room');
    await ann.expectLines(["*** Invalid room name: spaces are not allowed (use letters, digits, '_', '-' or '.')"]);
    await ann.send('/join #');
    await ann.expectLines(['*** Invalid room name: name is empty']);
    await ann.send('/part #nowhere');
    await ann.expectLines(['*** You are not in #nowhere']);
    await ann.send('/history zero');
    await ann.expectLines(['*** Usage: /history [<n>]']);
  });
});
