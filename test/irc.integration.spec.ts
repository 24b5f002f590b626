// The IRC front end over real sockets: the real server (src/server.ts) with its line-protocol and
// IRC listeners on free ports, a raw IRC client (helpers/irc-client.ts, which also checks that every
// line it reads ends in CR LF and fits in 512 bytes) and the line client of helpers/tcp.ts.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectIrc, destroyIrcClients, startIrcServer, type IrcClient, type IrcTestServer } from './helpers/irc-client.ts';
import { connectClient, destroyAllClients, joinAs } from './helpers/tcp.ts';

let server: IrcTestServer | undefined;
const clients: IrcClient[] = [];

afterEach(async () => {
  for (const c of clients) expect(c.violations).toEqual([]);
  clients.length = 0;
  destroyIrcClients();
  destroyAllClients();
  await server?.close();
  server = undefined;
});

async function start(...args: Parameters<typeof startIrcServer>): Promise<IrcTestServer> {
  server = await startIrcServer(...args);
  return server;
}

async function irc(port: number): Promise<IrcClient> {
  const client = await connectIrc(port);
  clients.push(client);
  return client;
}

describe('IRC over TCP, with line users in the same chat', () => {
  it('should carry lines both ways between an IRC client and a TCP line client in #lobby', async () => {
    const { ircPort, linePort } = await start();
    const ann = await irc(ircPort);
    await ann.send('CAP LS 302');
    await ann.waitFor(':rxchat CAP * LS :echo-message');
    await ann.send('CAP END');
    await ann.register('ann');
    await ann.send('JOIN #lobby');
    await ann.waitFor(':rxchat 366 ann #lobby :End of /NAMES list');

    const bob = await joinAs(linePort, 'bob');
    await ann.waitFor(':bob!bob@rxchat JOIN #lobby');
    await bob.send('hi irc');
    await bob.expectLines(['(bob) hi irc']);
    await ann.waitFor(':bob!bob@rxchat PRIVMSG #lobby :hi irc');

    await ann.send('PRIVMSG #lobby :hi tcp');
    await bob.expectLines(['(ann) hi tcp']);
    await ann.send('PRIVMSG #lobby :\x01ACTION waves\x01');
    await bob.expectLines(['* ann waves']);
    await bob.send('/me waves back');
    await bob.expectLines(['* bob waves back']);
    await ann.waitFor(':bob!bob@rxchat PRIVMSG #lobby :\x01ACTION waves back\x01');

    await ann.send('NAMES #LOBBY');
    await ann.waitFor(':rxchat 353 ann = #lobby :ann bob');
    await bob.send('/who #lobby');
    await bob.expectLines(['*** Users in #lobby (2): ann, bob']);

    await ann.send('QUIT :bye');
    await ann.waitFor('ERROR :Closing link: ann (Quit: bye)');
    await ann.closed();
    await bob.expectLines(['*** ann left the chat']);
  });

  it('should carry lines both ways between an IRC client and a web (WebSocket) user', async () => {
    const { ircPort, webPort } = await start({ webPort: 0 });
    const ann = await irc(ircPort);
    await ann.register('ann');
    await ann.send('JOIN #lobby');
    await ann.waitFor(':rxchat 366 ann #lobby :End of /NAMES list');

    const ws = new WebSocket(`ws://127.0.0.1:${webPort}/chat`);
    const heard: string[] = [];
    const waiters: Array<() => void> = [];
    ws.on('message', (data) => {
      heard.push(String(data).replace(/\r?\n$/, ''));
      for (const w of waiters.splice(0)) w();
    });
    const hear = (line: string): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`web user never read ${JSON.stringify(line)}; read ${JSON.stringify(heard)}`)), 3000);
        const check = (): void => {
          if (heard.includes(line)) {
            clearTimeout(timer);
            resolve();
          } else waiters.push(check);
        };
        check();
      });
    try {
      await hear('Username?');
      ws.send('wen');
      await hear('You are now connected, wen!');
      await ann.waitFor(':wen!wen@rxchat JOIN #lobby');
      ws.send('hi from the web');
      await ann.waitFor(':wen!wen@rxchat PRIVMSG #lobby :hi from the web');
      await ann.send('PRIVMSG #lobby :hi from irc');
      await hear('(ann) hi from irc');
      await ann.send('PRIVMSG wen :just you');
      await hear('[ann -> wen] just you');
    } finally {
      ws.terminate();
    }
    await ann.waitFor(':wen!wen@rxchat QUIT :Connection closed');
  });

  it('should share rooms and private messages across front ends', async () => {
    const { ircPort, linePort } = await start();
    const ann = await irc(ircPort);
    await ann.register('ann');
    await ann.send('JOIN #Rust');
    await ann.waitFor(':ann!ann@rxchat JOIN #Rust');
    const bob = await joinAs(linePort, 'bob');
    await bob.send('/join rust');
    await bob.expectLines(['*** Now in #Rust (2 users)']);
    await ann.waitFor(':bob!bob@rxchat JOIN #Rust');
    await ann.send('PRIVMSG #rust :in rust');
    await bob.expectLines(['(ann) in rust']);
    await bob.send('/msg ANN private');
    await bob.expectLines(['[bob -> ann] private']);
    await ann.waitFor(':bob!bob@rxchat PRIVMSG ann :private');
    await ann.send('PRIVMSG Bob :back');
    await bob.expectLines(['[ann -> bob] back']);
    await bob.send('/part');
    await bob.expectLines(['*** You left #Rust', '*** Now in #lobby (1 user)']);
    await ann.waitFor(':bob!bob@rxchat PART #Rust');
    await bob.send('/nick robert');
    await bob.expectLines(['*** bob is now known as robert']);
    await ann.send('WHOIS robert');
    await ann.waitFor(':rxchat 319 ann robert :#lobby');
  });

  it('should keep names unique across front ends, in any letter case', async () => {
    const { ircPort, linePort } = await start();
    await joinAs(linePort, 'bob');
    const ann = await irc(ircPort);
    await ann.send('NICK BOB');
    await ann.send('USER x 0 * :x');
    await ann.waitFor(':rxchat 433 * BOB :Nickname is already in use');
    await ann.register('ann');
    const other = await connectClient(linePort);
    await other.expectLines(['Username?']);
    await other.send('ANN');
    await other.expectLines(['*** Username ANN is taken', 'Username?']);
  });

  it('should answer 417 to a line over 512 bytes with its CR LF and keep the connection; 512 exactly is fine', async () => {
    const { ircPort } = await start();
    const ann = await irc(ircPort);
    await ann.register('ann');
    await ann.send(`PING :${'x'.repeat(600)}`);
    await ann.waitFor(':rxchat 417 ann :Input line was too long');
    const exact = `PING :${'y'.repeat(510 - 'PING :'.length)}`;
    expect(Buffer.byteLength(exact) + 2).toBe(512);
    await ann.send(exact);
    await ann.waitFor(/^:rxchat PONG rxchat :y+$/);
  });

  it('should relay only UTF-8 (UTF8ONLY): invalid bytes become U+FFFD, a character split across packets stays whole', async () => {
    const { ircPort, linePort } = await start();
    const ann = await irc(ircPort);
    await ann.register('ann');
    await ann.send('JOIN #lobby');
    const bob = await joinAs(linePort, 'bob');
    await ann.waitFor(':bob!bob@rxchat JOIN #lobby');
    await ann.sendRaw(Buffer.concat([Buffer.from('PRIVMSG #lobby :bad '), Buffer.from([0xff, 0xfe]), Buffer.from(' end\r\n')]));
    await bob.expectLines(['(ann) bad \uFFFD\uFFFD end']);
    const euro = Buffer.from('PRIVMSG #lobby :€uro\r\n');
    await ann.sendRaw(euro.subarray(0, 17));
    await ann.sendRaw(euro.subarray(17));
    await bob.expectLines(['(ann) €uro']);
  });

  it('should prefix every server reply with --irc-server-name', async () => {
    const { ircPort } = await start({ ircServerName: 'irc.example.org' });
    const ann = await irc(ircPort);
    await ann.send('NICK ann');
    await ann.send('USER ann 0 * :Ann');
    await ann.waitFor(/ 422 ann /);
    await ann.send('PING :t');
    await ann.waitFor(':irc.example.org PONG irc.example.org :t');
    const replies = ann.lines.filter((l) => /^:\S+ \d{3} /.test(l));
    expect(replies.length).toBeGreaterThan(10);
    for (const line of replies) expect(line.startsWith(':irc.example.org ')).toBe(true);
  });

  it('should count IRC connections with the others against --max-clients and refuse with ERROR :Server full', async () => {
    const { ircPort, linePort } = await start({ maxClients: 1 });
    await joinAs(linePort, 'bob');
    const ann = await irc(ircPort);
    expect(await ann.closed()).toEqual(['ERROR :Server full']);
  });

  it('should close a connection that does not register within the name timeout', async () => {
    const { ircPort } = await start({}, { nameTimeoutMs: 150 });
    const ann = await irc(ircPort);
    await ann.send('NICK ann');
    expect(await ann.closed()).toEqual(['ERROR :Closing link: registration timed out']);
  });

  it('should ping a silent client and drop it when it never answers; line users hear it left', async () => {
    const { ircPort, linePort } = await start({}, { ircPingIntervalMs: 100 });
    const bob = await joinAs(linePort, 'bob');
    const ann = await irc(ircPort);
    await ann.register('ann');
    await ann.send('JOIN #lobby');
    await bob.expectLines(['*** ann joined #lobby']);
    await ann.waitFor(':rxchat PING :rxchat');
    await ann.waitFor('ERROR :Closing link: ann (Ping timeout: 0.2 seconds)');
    await ann.closed();
    await bob.expectLines(['*** ann left the chat']);
  });

  it('should keep a client that answers pings', async () => {
    const { ircPort } = await start({}, { ircPingIntervalMs: 100 });
    const ann = await irc(ircPort);
    await ann.register('ann');
    for (let i = 0; i < 3; i++) {
      await ann.waitFor(':rxchat PING :rxchat');
      await ann.send('PONG :rxchat');
    }
    await ann.send('PING :still-here');
    await ann.waitFor(':rxchat PONG rxchat :still-here');
  });

  it('should slow a flood down, never drop it: 80 PINGs answered in order', async () => {
    const { ircPort } = await start({ rate: 200, burst: 10 });
    const ann = await irc(ircPort);
    await ann.register('ann');
    await ann.sendRaw(Array.from({ length: 80 }, (_, i) => `PING :n${i}\r\n`).join(''));
    for (let i = 0; i < 80; i++) await ann.waitFor(`:rxchat PONG rxchat :n${i}`);
  });

  it('should cut off an IRC client too slow to read, and tell the others it left (too slow)', async () => {
    const { ircPort, linePort } = await start({ sendqBytes: 4096, rate: 0 });
    // ann reads nothing; cid floods #flood (an IRC sender gets no echo, so only ann falls behind);
    // bob shares only #quiet with ann, so he hears of her leaving and nothing of the flood.
    const ann = await irc(ircPort);
    await ann.register('ann');
    await ann.send('JOIN #flood,#quiet');
    await ann.waitFor(':rxchat 366 ann #quiet :End of /NAMES list');
    const cid = await irc(ircPort);
    await cid.register('cid');
    await cid.send('JOIN #flood');
    await cid.waitFor(':rxchat 366 cid #flood :End of /NAMES list');
    const bob = await joinAs(linePort, 'bob');
    await bob.send('/join #quiet');
    await bob.expectLines(['*** Now in #quiet (2 users)']);
    ann.pause();
    const batch = `PRIVMSG #flood :${'z'.repeat(480)}\r\n`.repeat(100);
    const notice = '*** ann left the chat (too slow)';
    for (let i = 0; i < 400 && !bob.received.includes(notice); i++) await cid.sendRaw(batch);
    await bob.expectLines([notice], 10_000);
    expect(server?.logs.some((l) => /too slow: \d+ bytes unsent/.test(l))).toBe(true);
  });

  it('should tell IRC clients the server is shutting down, then close them', async () => {
    const { ircPort, running } = await start();
    const ann = await irc(ircPort);
    await ann.register('ann');
    const closing = running.shutdown(1000);
    expect(await ann.closed()).toEqual(['ERROR :Server is shutting down']);
    await closing;
    server = undefined;
  });
});
