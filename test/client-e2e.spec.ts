// End to end: the real `rxchat` client process, stdin piped, against the real server over real
// TCP (in this process, via test/helpers/tcp.ts `startServer`, so only clients are spawned), or,
// for what a real server never does, a small hostile fake server.
//
// Every wait is on an event (a line appears, the process exits), bounded by a timeout. The tests
// run concurrently, each with its own server, so no test sees another's users.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { killClients, spawnClient as client } from './helpers/client-rooms.ts';
import { startServer } from './helpers/tcp.ts';

afterAll(killClients);

/** A one-off TCP server that runs `onConnection` for each client. */
async function fakeServer(onConnection: (socket: Socket) => void): Promise<{ port: number; server: Server }> {
  const server = createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, server };
}

const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');

/** Runs `body` against a real server of its own, then stops the server. */
async function withServer(body: (port: number, close: () => Promise<void>) => Promise<void>): Promise<void> {
  const server = await startServer();
  try {
    await body(server.port, server.close);
  } finally {
    await server.close();
  }
}

describe.concurrent('rxchat client against the real server', () => {
  it('should chat from piped stdin and exit 0 after the goodbye', () =>
    withServer(async (port) => {
      const bob = client(['--port', String(port)]);
      bob.child.stdin.end('Bob\nhello\n');
      expect(await bob.exited()).toBe(0);
      expect(lines(bob.stdout())).toEqual(['Username?', 'You are now connected, Bob!', '(Bob) hello', 'Goodbye Bob!']);
      expect(bob.stderr()).toBe('');
    }));

  it('should send --name first, print what others say while the user is idle, and leave on Ctrl-C', () =>
    withServer(async (port) => {
      const ann = client(['--port', String(port), '--name', 'Ann']);
      await ann.waitFor(/You are now connected, Ann!\n/);
      const joe = client(['--port', String(port), '--name', 'Joe']);
      joe.child.stdin.end('hi Ann\n');
      expect(await joe.exited()).toBe(0);
      await ann.waitFor(/\*\*\* Joe left the chat\n/);
      ann.child.kill('SIGINT'); // Ctrl-C: leave politely, wait for the goodbye
      expect(await ann.exited()).toBe(0);
      expect(lines(ann.stdout())).toEqual([
        'You are now connected, Ann!',
        '*** Joe joined the chat',
        '(Joe) hi Ann',
        '*** Joe left the chat',
        'Goodbye Ann!',
      ]);
      expect(lines(joe.stdout())).toEqual(['You are now connected, Joe!', '(Joe) hi Ann', 'Goodbye Joe!']);
      expect(ann.stderr() + joe.stderr()).toBe('');
    }));
});

describe.concurrent('rxchat client when things go wrong', () => {
  it('should say the connection was refused and exit 1', async () => {
    const { port, server } = await fakeServer(() => undefined);
    await new Promise<void>((resolve) => server.close(() => resolve())); // the port is free now
    const bob = client(['--port', String(port)]);
    bob.child.stdin.end('Bob\n');
    expect(await bob.exited()).toBe(1);
    expect(bob.stderr()).toBe(`rxchat: cannot connect to 127.0.0.1:${port}: connection refused\n`);
  });

  it('should say the connection was lost and exit 1 when the server goes away', () =>
    withServer(async (port, closeServer) => {
      const bob = client(['--port', String(port), '--name', 'Bob']);
      await bob.waitFor(/You are now connected, Bob!\n/);
      await closeServer(); // every connection is dropped at once
      expect(await bob.exited()).toBe(1);
      expect(bob.stderr()).toMatch(new RegExp(`^rxchat: connection to 127\\.0\\.0\\.1:${port} lost \\(closed by the server\\)\\n$`));
    }));

  it('should neutralise escape sequences and control characters from a hostile server', async () => {
    const { port, server } = await fakeServer((socket) => {
      socket.write('Username?\n\u001b]0;pwned\u0007\u001b[2J\u001b[H(Eve) \u001b[31mhi\u001b[0m ding\u0007\u009b2J\n');
      let received = '';
      socket.on('data', (data: Buffer) => {
        received += data.toString();
        if (received.endsWith('exit\n')) socket.end('Goodbye Bob!\n');
      });
    });
    const bob = client(['--port', String(port), '--name', 'Bob']);
    bob.child.stdin.end();
    expect(await bob.exited()).toBe(0);
    server.close();
    expect(bob.stdout()).toBe('(Eve) hi ding\nGoodbye Bob!\n');
  });

  it('should close and exit 130 at once on a second Ctrl-C while the goodbye does not come', async () => {
    let received = '';
    const seen: Array<{ pattern: string; resolve: () => void }> = [];
    /** Resolves once the fake server has read `pattern` from the client. */
    const serverReads = (pattern: string): Promise<void> =>
      new Promise<void>((resolve) => {
        seen.push({ pattern, resolve });
        if (received.includes(pattern)) resolve();
      });
    const { port, server } = await fakeServer((socket) => {
      socket.write('Username?\n');
      socket.on('data', (data: Buffer) => {
        received += data.toString(); // read, never answered
        for (const { pattern, resolve } of seen) if (received.includes(pattern)) resolve();
      });
    });
    const bob = client(['--port', String(port), '--name', 'Bob']);
    await serverReads('Bob\n');
    bob.child.kill('SIGINT'); // first: leave politely
    await serverReads('Bob\nexit\n');
    bob.child.kill('SIGINT'); // second: quit now
    expect(await bob.exited()).toBe(130);
    expect(bob.stderr()).toBe('');
    server.close();
  });

  it('should answer --help with the usage (exit 0) and a bad flag with a hint (exit 2)', async () => {
    const help = client(['--help']);
    const bad = client(['--prot', '7777']);
    expect(await help.exited()).toBe(0);
    expect(help.stdout()).toMatch(/^Usage: rxchat \[options\]/);
    expect(await bad.exited()).toBe(2);
    expect(bad.stderr()).toBe("rxchat: Unknown option '--prot'\nTry 'rxchat --help'.\n");
  });
});
