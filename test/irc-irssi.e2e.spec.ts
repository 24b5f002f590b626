// irssi end to end: the real irssi (Debian package `irssi`; .ci/run installs it, and tmux) driven in
// a detached tmux session against the real server on free ports. It connects, joins #lobby, shows
// a TCP line user's line, and its own line reaches the TCP user as `(ann) …`.
//
// What irssi does is read off the server (the hub's decisions, the line user's socket); what it
// shows is read off its tmux pane, polled with a bounded wait (a terminal has no events to wait on).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { filter, firstValueFrom, timeout } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delivery } from '../src/core/events.ts';
import { startIrcServer, type IrcTestServer } from './helpers/irc-client.ts';
import { destroyAllClients, joinAs } from './helpers/tcp.ts';

const run = promisify(execFile);
const WAIT_MS = 10_000;
const socketName = `rxchat-irssi-${process.pid}`;
const tmux = (...args: string[]) => run('tmux', ['-L', socketName, '-f', '/dev/null', ...args]);

let server: IrcTestServer;
let home: string;

beforeAll(async () => {
  server = await startIrcServer();
  home = mkdtempSync(join(tmpdir(), 'rxchat-irssi-'));
  // irssi's config: our names (so no first-run notice about them).
  writeFileSync(
    join(home, 'config'),
    'settings = {\n' +
      '  core = { real_name = "Ann Irssi"; user_name = "ann"; nick = "ann"; };\n' +
      // irssi paces its own commands (2.2 s apart once 5 have gone): only to keep the test short.
      '  "irc/core" = { cmd_queue_speed = "50msec"; };\n' +
      '};\n',
  );
});

afterAll(async () => {
  await tmux('kill-server').catch(() => undefined);
  destroyAllClients();
  await server?.close();
  if (home !== undefined) rmSync(home, { recursive: true, force: true });
});

/** The first delivery the hub makes that `match` accepts, within the wait. */
function decided(match: (d: Delivery) => boolean): Promise<Delivery> {
  return firstValueFrom(server.running.hub.deliveries$.pipe(filter(match), timeout(WAIT_MS)));
}

/** irssi's screen, polled until it shows `text` (bounded). */
async function screenShows(text: string): Promise<string> {
  const deadline = Date.now() + WAIT_MS;
  let screen = '';
  while (Date.now() < deadline) {
    screen = (await tmux('capture-pane', '-p', '-t', 'irssi', '-S', '-100')).stdout;
    if (screen.includes(text)) return screen;
    await new Promise<void>((done) => setTimeout(done, 50));
  }
  throw new Error(`irssi never showed ${JSON.stringify(text)}; its screen:\n${screen}`);
}

describe('irssi against rxchat', () => {
  it('should connect, join #lobby, show a TCP user\'s line, and send its own line to the TCP user', async () => {
    const welcomed = decided((d) => d.event.kind === 'welcome' && d.event.name === 'ann');
    await tmux(
      'new-session', '-d', '-s', 'irssi', '-x', '160', '-y', '40',
      `irssi --home=${home} -n ann -c 127.0.0.1 -p ${server.ircPort}`,
    );
    await welcomed;
    await screenShows('MOTD File is missing');

    const joined = decided((d) => d.event.kind === 'entered' && d.event.name === 'ann' && d.event.room === '#lobby');
    await tmux('send-keys', '-t', 'irssi', '/join #lobby', 'Enter');
    await joined;
    await screenShows('ann [ann@rxchat] has joined #lobby');

    const bob = await joinAs(server.linePort, 'bob');
    await screenShows('bob [bob@rxchat] has joined #lobby');
    await bob.send('hello from tcp');
    await bob.expectLines(['(bob) hello from tcp']);
    const screen = await screenShows('< bob> hello from tcp');
    expect(screen).not.toContain('Unknown command');

    await tmux('send-keys', '-t', 'irssi', '-l', 'hello from irssi');
    await tmux('send-keys', '-t', 'irssi', 'Enter');
    await bob.expectLines(['(ann) hello from irssi'], WAIT_MS);

    await tmux('send-keys', '-t', 'irssi', '-l', '/me waves');
    await tmux('send-keys', '-t', 'irssi', 'Enter');
    await bob.expectLines(['* ann waves'], WAIT_MS);

    const left = decided((d) => d.event.kind === 'left-chat' && d.event.name === 'ann');
    await tmux('send-keys', '-t', 'irssi', '-l', '/quit see you');
    await tmux('send-keys', '-t', 'irssi', 'Enter');
    await left;
    await bob.expectLines(['*** ann left the chat'], WAIT_MS);
  }, 40_000);
});
