// IRC registration as marble tests over the pure server (memory log, hub, IRC and line front ends,
// virtual time): NICK and USER in either order, CAP negotiation, taken and invalid nicks, the
// commands allowed before registration, the registration timeout and server pings.
//
// Each client is a hot Observable of what it sends (`r` = NICK + USER at once); the expected marble
// is what it is sent, one array of lines per frame. Wire text is written out literally.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initialSession, step, type Session, type SessionConfig } from '../src/irc/session.ts';
import { R, TOO_LONG, ircServer, joined, register, welcome } from './helpers/irc.ts';
import { marbles } from './helpers/marbles.ts';
import { L } from './helpers/chat.ts';

describe('IRC registration', () => {
  it('should welcome NICK then USER with 001-005, LUSERS and 422, and nothing before', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc } = ircServer();
      const ann = hot('-n-u-|', { n: R('NICK ann'), u: R('USER ann 0 * :Ann Example') });
      expectObservable(irc(1, ann)).toBe('---w-|', { w: welcome('ann', { channels: 1 }) });
    });
  });

  it('should welcome USER then NICK just the same', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc } = ircServer();
      const ann = hot('-u-n-|', { n: R('nick ann'), u: R('user ann 0 * :Ann Example') });
      expectObservable(irc(1, ann)).toBe('---w-|', { w: welcome('ann') });
    });
  });

  it('should wait for CAP END once CAP LS started a negotiation, answering LS, REQ and LIST', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc } = ircServer();
      const ann = hot('-c-r-q-x-l-e-|', {
        c: R('CAP LS 302'),
        r: register('ann'),
        q: R('CAP REQ :echo-message'),
        x: R('CAP REQ :echo-message sasl'),
        l: R('CAP LIST'),
        e: R('CAP END'),
      });
      expectObservable(irc(1, ann)).toBe('-c---q-x-l-w-|', {
        c: [':rxchat CAP * LS :echo-message'],
        q: [':rxchat CAP * ACK :echo-message'],
        x: [':rxchat CAP * NAK :echo-message sasl'],
        l: [':rxchat CAP * LIST :echo-message'],
        w: welcome('ann'),
      });
    });
  });

  it('should treat CAP REQ before any LS as a negotiation too, and answer an unknown CAP subcommand with 410', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc } = ircServer();
      const ann = hot('-q-r-b-e-|', { q: R('CAP REQ :-echo-message'), r: register('ann'), b: R('CAP FOO'), e: R('CAP END') });
      expectObservable(irc(1, ann)).toBe('-q---b-w-|', {
        q: [':rxchat CAP * ACK :-echo-message'],
        b: [':rxchat 410 * FOO :Invalid CAP command'],
        w: welcome('ann'),
      });
    });
  });

  it("should follow irssi's opening: CAP LS 302, `JOIN :` (451), CAP END, NICK, USER", () => {
    marbles(({ hot, expectObservable }) => {
      const { irc } = ircServer();
      const ann = hot('-(cj)-e-r-|', { c: R('CAP LS 302'), j: R('JOIN :'), e: R('CAP END'), r: [R('NICK ann'), R('USER root root 127.0.0.1 :root')] });
      expectObservable(irc(1, ann)).toBe('-a------w-|', {
        a: [':rxchat CAP * LS :echo-message', ':rxchat 451 * :You have not registered'],
        w: welcome('ann'),
      });
    });
  });

  it('should answer PING, ignore PASS and PONG, and refuse every other command with 451 before registration', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc } = ircServer();
      const ann = hot('-p-s-o-j-m-|', { p: R('PING :abc'), s: R('PASS secret'), o: R('PONG x'), j: R('JOIN #lobby'), m: R('PRIVMSG #lobby :hi') });
      expectObservable(irc(1, ann)).toBe('-p-----j-m-|', {
        p: [':rxchat PONG rxchat :abc'],
        j: [':rxchat 451 * :You have not registered'],
        m: [':rxchat 451 * :You have not registered'],
      });
    });
  });

  it('should answer 431, 432 (with the reason) and 461, and keep waiting for a good NICK', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc } = ircServer();
      const ann = hot('-a-b-c-d-e-f-|', {
        a: R('NICK'),
        b: R('NICK #ann'),
        c: R('NICK ' + 'x'.repeat(25)),
        d: R('USER ann 0 *'),
        e: R('USER ann 0 * :Ann'),
        f: R('NICK ann'),
      });
      expectObservable(irc(1, ann)).toBe('-a-b-c-d---w-|', {
        a: [':rxchat 431 * :No nickname given'],
        b: [":rxchat 432 * #ann :Erroneous nickname: '#' is not allowed (use letters, digits, '_', '-' or '.')"],
        c: [`:rxchat 432 * ${'x'.repeat(25)} :Erroneous nickname: too long (25 characters, max 24)`],
        d: [':rxchat 461 * USER :Not enough parameters'],
        w: welcome('ann'),
      });
    });
  });

  it('should answer 433 for a nick taken on IRC (in any letter case) and register with the next NICK', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc } = ircServer();
      const ann = hot('-r-------|', { r: register('Ann') });
      const bob = hot('---r-n---|', { r: register('ANN'), n: R('NICK bob') });
      expectObservable(irc(1, ann)).toBe('-w-------|', { w: welcome('Ann', { unknown: 1 }) });
      expectObservable(irc(2, bob)).toBe('---t-w---|', {
        t: [':rxchat 433 * ANN :Nickname is already in use'],
        w: welcome('bob', { users: 2 }),
      });
    });
  });

  it('should keep nicks unique across front ends: a line user holds the name, and an IRC user blocks a line user', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc, line } = ircServer();
      const cid = hot('-c------|', { c: L('Cid') });
      const ann = hot('---r-n--|', { r: register('cid'), n: R('NICK ann') });
      const dan = hot('-------a---|', { a: L('ANN') });
      expectObservable(line(1, cid)).toBe('uw------|', { u: 'Username?', w: 'You are now connected, Cid!' });
      expectObservable(irc(2, ann)).toBe('---t-w--|', { t: [':rxchat 433 * cid :Nickname is already in use'], w: welcome('ann', { users: 2, unknown: 1 }) });
      // The IRC user counts as online for everyone: a line user cannot take the nick either.
      expectObservable(line(3, dan)).toBe('u------(tu)|', { u: 'Username?', t: '*** Username ANN is taken' });
    });
  });

  it('should hold lines sent while the claim is out and handle them once registered, in order', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc } = ircServer();
      const ann = hot('-a-|', { a: [R('NICK ann'), R('USER ann 0 * :Ann'), R('JOIN #rust'), R('PING :after')] });
      expectObservable(irc(1, ann)).toBe('-a-|', { a: [...welcome('ann'), ...joined('ann', '#rust', ['ann']), ':rxchat PONG rxchat :after'] });
    });
  });

  it('should treat a NICK held during a refused claim as the next attempt', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc } = ircServer();
      const ann = hot('-r-------|', { r: register('ann') });
      const bob = hot('---a-----|', { a: [R('NICK ann'), R('USER b 0 * :B'), R('NICK bob')] });
      expectObservable(irc(1, ann)).toBe('-w-------|', { w: welcome('ann', { unknown: 1 }) });
      expectObservable(irc(2, bob)).toBe('---a-----|', { a: [':rxchat 433 * ann :Nickname is already in use', ...welcome('bob', { users: 2 })] });
    });
  });

  it('should say 417 for a line over 512 bytes and keep the connection, before and after registration', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc } = ircServer();
      const ann = hot('-t-r-t-p-|', { t: TOO_LONG, r: register('ann'), p: R('PING x') });
      expectObservable(irc(1, ann)).toBe('-a-w-b-p-|', {
        a: [':rxchat 417 * :Input line was too long'],
        w: welcome('ann'),
        b: [':rxchat 417 ann :Input line was too long'],
        p: [':rxchat PONG rxchat :x'],
      });
    });
  });

  it('should close a connection that has not registered in time with an ERROR', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc } = ircServer({ registrationTimeoutMs: 10 });
      const ann = hot('-n---', { n: R('NICK ann') });
      expectObservable(irc(1, ann)).toBe('----------(e|)', { e: ['ERROR :Closing link: registration timed out'] });
    });
  });

  it('should answer QUIT before registration with ERROR and close', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc } = ircServer();
      const ann = hot('-n-q-', { n: R('NICK ann'), q: R('QUIT :never mind') });
      expectObservable(irc(1, ann)).toBe('---(e|)', { e: ['ERROR :Closing link: * (Quit)'] });
    });
  });

  it('should ignore empty lines and lines with no command', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc } = ircServer();
      const ann = hot('-a-b-c-p-|', { a: R(''), b: R('   '), c: R(':only.a.source'), p: R('PING y') });
      expectObservable(irc(1, ann)).toBe('-------p-|', { p: [':rxchat PONG rxchat :y'] });
    });
  });
});

describe('IRC server pings', () => {
  it('should ping a client silent for an interval and drop it, as a QUIT, when silent for another', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc } = ircServer({ pingIntervalMs: 1000 });
      // ann registers at 1 and then says nothing; bob answers the ping at 2000 (any line counts).
      const ann = hot('-r', { r: [...register('ann'), R('JOIN #a')] });
      const bob = hot('-r 1998ms -p 1498ms |', { r: [...register('bob'), R('JOIN #a')], p: R('PONG :rxchat') });
      expectObservable(irc(1, ann)).toBe('-w 1998ms p 999ms (e|)', {
        w: [...welcome('ann', { unknown: 1 }), ...joined('ann', '#a', ['ann']), ':bob!bob@rxchat JOIN #a'],
        p: [':rxchat PING :rxchat'],
        e: ['ERROR :Closing link: ann (Ping timeout: 2 seconds)'],
      });
      expectObservable(irc(2, bob)).toBe('-w 1998ms p 999ms q 499ms |', {
        w: [...welcome('bob', { users: 2, channels: 2 }), ...joined('bob', '#a', ['ann', 'bob'])],
        p: [':rxchat PING :rxchat'],
        q: [':ann!ann@rxchat QUIT :Ping timeout: 2 seconds'],
      });
    });
  });
});

describe('IRC registration in any order (property, on the pure reducer)', () => {
  const config: SessionConfig = {
    server: { name: 'rxchat', created: 'today', maxRoomsPerUser: 20 },
    lusers: () => ({ users: 1, servers: 1, unknown: 0, channels: 1, local: 1 }),
    pingIntervalMs: 0,
  };
  const LINES = ['NICK ann', 'USER ann 0 * :Ann', 'CAP LS 302', 'CAP REQ :echo-message', 'CAP END', 'PASS x', 'PING :p', 'JOIN #a', 'NICK b@d'];

  it('should claim exactly once, as soon as NICK and USER are in and no CAP negotiation is open', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(LINES.length - 1), { maxLength: 14 }), (picks) => {
        let session: Session = initialSession('n1/1');
        let nick = false;
        let user = false;
        let capping = false;
        let expectedAt = -1;
        const claims: number[] = [];
        picks.forEach((pick, i) => {
          const text = LINES[pick] as string;
          if (text === 'NICK ann') nick = true;
          if (text.startsWith('USER')) user = true;
          if (text === 'CAP LS 302' || text.startsWith('CAP REQ')) capping = true;
          if (text === 'CAP END') capping = false;
          if (expectedAt === -1 && nick && user && !capping) expectedAt = i;
          const t = step(session, { kind: 'line', text }, config);
          session = t.session;
          for (const e of t.effects) if (e.kind === 'publish' && e.intent.kind === 'claim') claims.push(i);
        });
        expect(claims).toEqual(expectedAt === -1 ? [] : [expectedAt]);
      }),
      { numRuns: 1000 },
    );
  });
});
