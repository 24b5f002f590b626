// End to end, rooms: the real `rxchat` client against the real server (src/server.ts, line
// protocol only, in this process) with a raw socket as the other user, as `nc` would be.
// - Piped: the v2 rooms transcript (PROTOCOL.md "Rooms", "History") exactly as both sides read it.
// - In a real terminal (tmux): the prompt shows the current room, Tab completes room names, the
//   client asks who is in each room it enters, another room's tag is coloured, and NO_COLOR turns
//   colour off.
import { afterAll, describe, expect, it } from 'vitest';
import { inputLine, killClients, rawClient, spawnClient, startLineServer, terminalClient, type RawClient } from './helpers/client-rooms.ts';

afterAll(killClients);

const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
/** Stdout ending with `line` (and its LF). */
const printed = (line: string): RegExp => new RegExp(`${escape(line)}\\n$`, 'u');

/** A raw socket that has claimed `name`: its prompt and welcome are read. */
async function rawUser(port: number, name: string): Promise<RawClient> {
  const raw = await rawClient(port);
  expect(await raw.next()).toBe('Username?');
  raw.send(name);
  expect(await raw.next()).toBe(`You are now connected, ${name}!`);
  return raw;
}

describe.concurrent('rxchat client in rooms, against the real server', () => {
  it('should follow the rooms transcript with a raw socket, line for line on both sides', async () => {
    const server = await startLineServer();
    try {
      const bob = await rawUser(server.port, 'Bob');
      const ann = spawnClient(['--port', String(server.port), '--name', 'Ann']);
      const say = async (line: string, ...expected: string[]): Promise<void> => {
        ann.child.stdin.write(`${line}\n`);
        for (const shown of expected) await ann.waitFor(new RegExp(escape(shown), 'u'));
      };
      await ann.waitFor(printed('You are now connected, Ann!'));
      expect(await bob.next()).toBe('*** Ann joined the chat');

      await say('/join rust', '*** Now in #rust (1 user)');
      bob.send('/join #rust');
      expect(await bob.next()).toBe('*** Now in #rust (2 users)');
      await ann.waitFor(printed('*** Bob joined #rust'));
      bob.send('hi rust');
      expect(await bob.next()).toBe('(Bob) hi rust');
      await ann.waitFor(printed('(Bob) hi rust'));

      bob.send('/join #lobby'); // Bob's current room is #lobby again; Ann's stays #rust
      expect(await bob.next()).toBe('*** Now in #lobby (2 users)');
      bob.send('back in the lobby');
      expect(await bob.next()).toBe('(Bob) back in the lobby');
      await ann.waitFor(printed('[#lobby] (Bob) back in the lobby'));

      await say('/rooms', '*** Rooms (2): #lobby (2), #rust (2)');
      await say('/who #rust', '*** Users in #rust (2): Ann, Bob');
      await say('/part', '*** You left #rust', '*** Now in #lobby (2 users)');
      expect(await bob.next()).toBe('[#rust] *** Ann left #rust');
      ann.child.stdin.write('/history 1\n');
      await ann.waitFor(/\[\d\d:\d\d\] \(Bob\) back in the lobby\n/u);
      ann.child.stdin.end(); // EOF: exit, as a pipe ends
      expect(await ann.exited()).toBe(0);
      expect(await bob.next()).toBe('*** Ann left the chat');

      expect(lines(ann.stdout())).toEqual([
        'You are now connected, Ann!',
        '*** Now in #rust (1 user)',
        '*** Bob joined #rust',
        '(Bob) hi rust',
        '[#lobby] (Bob) back in the lobby',
        '*** Rooms (2): #lobby (2), #rust (2)',
        '*** Users in #rust (2): Ann, Bob',
        '*** You left #rust',
        '*** Now in #lobby (2 users)',
        expect.stringMatching(/^\[(?:[01]\d|2[0-3]):[0-5]\d\] \(Bob\) back in the lobby$/u),
        'Goodbye Ann!',
      ]);
      expect(ann.stderr()).toBe('');
      bob.close();
    } finally {
      await server.stop();
    }
  });

  it('should show the room in the prompt, complete room names, colour other rooms and respect NO_COLOR', async () => {
    const server = await startLineServer();
    const port = String(server.port);
    const ann = await terminalClient(['--port', port, '--name', 'Ann'], { TERM: 'xterm-256color' }, ['NO_COLOR']);
    const joe = await terminalClient(['--port', port, '--name', 'Joe'], { TERM: 'xterm-256color', NO_COLOR: '1' });
    try {
      const bob = await rawUser(server.port, 'Bob');
      bob.send('/join #rust');
      expect(await bob.next()).toBe('*** Now in #rust (1 user)');
      bob.send('/join #lobby');
      expect(await bob.next()).toBe('*** Now in #lobby (1 user)');

      // At a terminal the client asks who is in the room it lands in, and shows it.
      await ann.waitForScreen((s) => /\*\*\* Users in #lobby \(\d\): .*Ann/u.test(s), 'the members of #lobby');
      expect(inputLine(await ann.screen())).toBe('>');

      // Tab: the command, then a room known from /rooms.
      await ann.keys('/rooms', 'Enter');
      await ann.waitForScreen((s) => s.includes('*** Rooms (2): #lobby ('), 'the room list');
      await ann.keys('/jo', 'Tab');
      await ann.waitForScreen((s) => inputLine(s) === '> /join', '"/join " completed');
      await ann.keys('#r', 'Tab');
      await ann.waitForScreen((s) => inputLine(s) === '> /join #rust', '"#rust" completed');
      await ann.keys('Enter');
      const inRust = await ann.waitForScreen((s) => s.includes('*** Users in #rust (2): Bob, Ann') && inputLine(s) === '#rust>', 'the #rust prompt');
      expect(inRust).toContain('*** Now in #rust (2 users)');

      // A line of #lobby, Ann's other room: tagged, the tag coloured; Joe (NO_COLOR) sees no colour.
      await joe.waitForScreen((s) => s.includes('*** Users in #lobby'), 'Joe in #lobby');
      bob.send('hello lobby');
      const coloured = await ann.waitForScreen((s) => s.includes('hello lobby'), 'the tagged line', true);
      // tmux re-encodes what it shows (`ESC[33m ESC[49m [#lobby] ESC[39m`): yellow on, the tag, yellow off.
      expect(coloured).toMatch(/\u001b\[33m(?:\u001b\[\d*m)*\[#lobby\]\u001b\[39m \(Bob\) hello lobby/u);
      const plain = await joe.waitForScreen((s) => s.includes('(Bob) hello lobby'), "Joe's line", true);
      expect(plain).not.toMatch(/\u001b\[(?:3\d|[12])m/u);

      // Tab after /part offers only Ann's rooms; parting goes back to #lobby, then to no room.
      await ann.keys('/part #', 'Tab'); // readline lists on a second Tab, pressed after the first is done
      await ann.waitForScreen((s) => inputLine(s) === '#rust> /part #', 'the common prefix "#"');
      await ann.keys('Tab');
      await ann.waitForScreen((s) => /#lobby\s+#rust/u.test(s), 'the rooms Ann is in');
      await ann.keys('C-u', '/part', 'Enter');
      await ann.waitForScreen((s) => s.includes('*** You left #rust') && inputLine(s) === '>', 'the lobby prompt again');
      await ann.keys('/part', 'Enter');
      await ann.waitForScreen((s) => inputLine(s) === '(no room)>', 'the no-room prompt');
      await ann.keys('C-d');
      expect(await ann.exited()).toBe(0);
      expect(await ann.screen()).toContain('Goodbye Ann!');
      bob.close();
    } finally {
      await ann.close();
      await joe.close();
      await server.stop();
    }
  });
});
