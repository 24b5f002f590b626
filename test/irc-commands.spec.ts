// Every IRC command of a registered user, and every error numeric, as marble tests over the pure
// server (memory log, hub, IRC and line front ends, virtual time). IRC users are in no room until
// they JOIN; line users (`line(id, …)`) are in #lobby from their name on, as PROTOCOL.md says.
//
// Inputs stay open (no `|`): nobody hangs up unless the test is about it, and with server pings off
// no timer repeats, so virtual time simply runs out. Wire text is written out literally.
import { describe, it } from 'vitest';
import { L } from './helpers/chat.ts';
import { R, ircServer, joined, register, welcome, type Figures } from './helpers/irc.ts';
import { marbles } from './helpers/marbles.ts';

const U = 'Username?';
const hello = (name: string): string => `You are now connected, ${name}!`;
/** Registers and joins channels in one frame. */
const enter = (nick: string, ...channels: string[]) => [...register(nick), ...channels.map((c) => R(`JOIN ${c}`))];
/** What `enter` is answered: the welcome, then each JOIN (each channel new, joined alone). */
const entered = (nick: string, figures: Figures, ...channels: string[]): string[] => [
  ...welcome(nick, figures),
  ...channels.flatMap((c) => joined(nick, c, [nick])),
];

describe('IRC JOIN', () => {
  it('should join several channels, tell their members (IRC and line) and answer 353/366 with the room as first created', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc, line } = ircServer();
      const cid = hot('-c---', { c: L('Cid') });
      const bob = hot('--b--', { b: enter('bob', '#rust') });
      const ann = hot('---r-j', { r: register('ann'), j: R('JOIN #lobby,#RUST') });
      expectObservable(line(1, cid)).toBe('uw---j', { u: U, w: hello('Cid'), j: '*** ann joined #lobby' });
      expectObservable(irc(2, bob)).toBe('--w--j', { w: entered('bob', { users: 2, unknown: 1 }, '#rust'), j: [':ann!ann@rxchat JOIN #rust'] });
      expectObservable(irc(3, ann)).toBe('---w-j', {
        w: welcome('ann', { users: 3, channels: 2 }),
        j: [...joined('ann', '#lobby', ['Cid', 'ann']), ...joined('ann', '#rust', ['bob', 'ann'])],
      });
    });
  });

  it('should answer 403 for a name without # or a bad one, 461 without one, ignore a key, and ignore a channel one is on', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc } = ircServer();
      const ann = hot('-r-a-b-c-d-e', { r: register('ann'), a: R('JOIN rust'), b: R('JOIN #r!st'), c: R('JOIN'), d: R('JOIN #a secretkey'), e: R('JOIN #A') });
      expectObservable(irc(1, ann)).toBe('-w-a-b-c-d', {
        w: welcome('ann'),
        a: [':rxchat 403 ann rust :No such channel'],
        b: [":rxchat 403 ann #r!st :Invalid channel name: '!' is not allowed (use letters, digits, '_', '-' or '.')"],
        c: [':rxchat 461 ann JOIN :Not enough parameters'],
        d: joined('ann', '#a', ['ann']),
      });
    });
  });

  it('should part every channel on JOIN 0', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc } = ircServer();
      const ann = hot('-r-z', { r: enter('ann', '#a', '#b'), z: R('JOIN 0') });
      expectObservable(irc(1, ann)).toBe('-w-z', { w: entered('ann', {}, '#a', '#b'), z: [':ann!ann@rxchat PART #a', ':ann!ann@rxchat PART #b'] });
    });
  });

  it('should answer 405 past --max-rooms-per-user and 403 past --max-rooms', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc } = ircServer({}, { maxRoomsPerUser: 2, maxRooms: 3 });
      const ann = hot('-r-j', { r: register('ann'), j: R('JOIN #a,#b,#c') });
      const bob = hot('-----r-j', { r: register('bob'), j: R('JOIN #d') });
      const limit = (lines: string[]): string[] => lines.map((l) => l.replace('CHANLIMIT=#:20', 'CHANLIMIT=#:2'));
      expectObservable(irc(1, ann)).toBe('-w-j', {
        w: limit(welcome('ann', { unknown: 1 })),
        j: [...joined('ann', '#a', ['ann']), ...joined('ann', '#b', ['ann']), ':rxchat 405 ann #c :You have joined too many channels (max 2)'],
      });
      expectObservable(irc(2, bob)).toBe('-----w-j', {
        w: limit(welcome('bob', { users: 2, channels: 3 })),
        j: [':rxchat 403 bob #d :Cannot create channel: too many rooms (max 3)'],
      });
    });
  });

  it("should replay the room's history after NAMES as server NOTICEs with the time the room decided each line", () => {
    marbles(({ hot, expectObservable }) => {
      const { irc, line } = ircServer();
      const cid = hot('-c-h-m', { c: L('Cid'), h: L('hello'), m: L('/me waves') });
      const ann = hot('-------r', { r: enter('ann', '#lobby') });
      expectObservable(line(1, cid)).toBe('uw-h-m-j', { u: U, w: hello('Cid'), h: '(Cid) hello', m: '* Cid waves', j: '*** ann joined #lobby' });
      expectObservable(irc(2, ann)).toBe('-------w', {
        w: [
          ...welcome('ann', { users: 2 }),
          ...joined('ann', '#lobby', ['Cid', 'ann']),
          ':rxchat NOTICE #lobby :[00:00] <Cid> hello',
          ':rxchat NOTICE #lobby :[00:00] * Cid waves',
        ],
      });
    });
  });
});

describe('IRC PART', () => {
  it('should part with a reason: echoed, relayed to IRC members, and to line members as `left`', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc, line } = ircServer();
      const cid = hot('-cj----', { c: L('Cid'), j: L('/join #a') });
      const bob = hot('---b---', { b: enter('bob', '#a') });
      const ann = hot('----r-p', { r: enter('ann', '#a'), p: R('PART #a :see you') });
      expectObservable(line(1, cid)).toBe('uwnbj-p', {
        u: U,
        w: hello('Cid'),
        n: '*** Now in #a (1 user)',
        b: '*** bob joined #a',
        j: '*** ann joined #a',
        p: '*** ann left #a',
      });
      expectObservable(irc(2, bob)).toBe('---wj-p', {
        w: [...welcome('bob', { users: 2, channels: 2, unknown: 1 }), ...joined('bob', '#a', ['Cid', 'bob'])],
        j: [':ann!ann@rxchat JOIN #a'],
        p: [':ann!ann@rxchat PART #a :see you'],
      });
      expectObservable(irc(3, ann)).toBe('----w-p', {
        w: [...welcome('ann', { users: 3, channels: 2 }), ...joined('ann', '#a', ['Cid', 'bob', 'ann'])],
        p: [':ann!ann@rxchat PART #a :see you'],
      });
    });
  });

  it('should part several channels, and answer 442 for one it is not on and 461 for none', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc } = ircServer();
      const ann = hot('-r-p-q-n', { r: enter('ann', '#a', '#b'), p: R('PART #a,#B'), q: R('PART #a'), n: R('PART') });
      expectObservable(irc(1, ann)).toBe('-w-p-q-n', {
        w: entered('ann', {}, '#a', '#b'),
        p: [':ann!ann@rxchat PART #a', ':ann!ann@rxchat PART #b'],
        q: [":rxchat 442 ann #a :You're not on that channel"],
        n: [':rxchat 461 ann PART :Not enough parameters'],
      });
    });
  });
});

describe('IRC PRIVMSG and NOTICE', () => {
  it('should relay a channel line to IRC members as PRIVMSG and to line members as `(<name>) <text>`, not echoing it', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc, line } = ircServer();
      const cid = hot('-c-------', { c: L('Cid') });
      const bob = hot('--b------', { b: enter('bob', '#lobby') });
      const ann = hot('---r-s-a-', { r: enter('ann', '#lobby'), s: R('PRIVMSG #LOBBY :hello all'), a: R('PRIVMSG #lobby :\x01ACTION waves\x01') });
      expectObservable(line(1, cid)).toBe('uwbj-s-a', {
        u: U,
        w: hello('Cid'),
        b: '*** bob joined #lobby',
        j: '*** ann joined #lobby',
        s: '(ann) hello all',
        a: '* ann waves',
      });
      expectObservable(irc(2, bob)).toBe('--wj-s-a', {
        w: [...welcome('bob', { users: 2, unknown: 1 }), ...joined('bob', '#lobby', ['Cid', 'bob'])],
        j: [':ann!ann@rxchat JOIN #lobby'],
        s: [':ann!ann@rxchat PRIVMSG #lobby :hello all'],
        a: [':ann!ann@rxchat PRIVMSG #lobby :\x01ACTION waves\x01'],
      });
      expectObservable(irc(3, ann)).toBe('---w', { w: [...welcome('ann', { users: 3 }), ...joined('ann', '#lobby', ['Cid', 'bob', 'ann'])] });
    });
  });

  it("should relay a line user's lines to IRC users as PRIVMSG from <name>!<name>@rxchat (and /me as ACTION)", () => {
    marbles(({ hot, expectObservable }) => {
      const { irc, line } = ircServer();
      const cid = hot('-c--s-m', { c: L('Cid'), s: L('hi irc'), m: L('/me waves back') });
      const ann = hot('--r', { r: enter('ann', '#lobby') });
      expectObservable(line(1, cid)).toBe('uwj-s-m', { u: U, w: hello('Cid'), j: '*** ann joined #lobby', s: '(Cid) hi irc', m: '* Cid waves back' });
      expectObservable(irc(2, ann)).toBe('--w-s-m', {
        w: [...welcome('ann', { users: 2 }), ...joined('ann', '#lobby', ['Cid', 'ann'])],
        s: [':Cid!Cid@rxchat PRIVMSG #lobby :hi irc'],
        m: [':Cid!Cid@rxchat PRIVMSG #lobby :\x01ACTION waves back\x01'],
      });
    });
  });

  it('should echo one\'s own lines with echo-message, and relay a NOTICE as a NOTICE (a chat line to line users)', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc, line } = ircServer();
      const cid = hot('-c--------', { c: L('Cid') });
      const ann = hot('--r-e-s-n-', { r: enter('ann', '#lobby'), e: R('CAP REQ echo-message'), s: R('PRIVMSG #lobby :mine'), n: R('NOTICE #lobby :note') });
      expectObservable(line(1, cid)).toBe('uwj---s-n', { u: U, w: hello('Cid'), j: '*** ann joined #lobby', s: '(ann) mine', n: '(ann) note' });
      expectObservable(irc(2, ann)).toBe('--w-e-s-n', {
        w: [...welcome('ann', { users: 2 }), ...joined('ann', '#lobby', ['Cid', 'ann'])],
        e: [':rxchat CAP ann ACK :echo-message'],
        s: [':ann!ann@rxchat PRIVMSG #lobby :mine'],
        n: [':ann!ann@rxchat NOTICE #lobby :note'],
      });
    });
  });

  it('should drop CTCP other than ACTION, strip formatting and controls, and say nothing for a blank line', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc, line } = ircServer();
      const cid = hot('-c--------', { c: L('Cid') });
      const ann = hot('--r-v-f-b-', { r: enter('ann', '#lobby'), v: R('PRIVMSG #lobby :\x01VERSION\x01'), f: R('PRIVMSG #lobby :\x02bold\x02 \x0304,12red\x03 \x1b[31mplain'), b: R('PRIVMSG #lobby :\x02 \x02') });
      expectObservable(line(1, cid)).toBe('uwj---f', { u: U, w: hello('Cid'), j: '*** ann joined #lobby', f: '(ann) bold red [31mplain' });
      expectObservable(irc(2, ann)).toBe('--w', { w: [...welcome('ann', { users: 2 }), ...joined('ann', '#lobby', ['Cid', 'ann'])] });
    });
  });

  it('should carry private messages both ways between IRC and line users', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc, line } = ircServer();
      const cid = hot('-c---m---', { c: L('Cid'), m: L('/msg ANN hi there') });
      const bob = hot('--r------', { r: register('bob') });
      const ann = hot('---r-p---q', { r: register('ann'), p: R('PRIVMSG cid :psst'), q: R('PRIVMSG Bob,cid :both') });
      expectObservable(line(1, cid)).toBe('uw---(mp)q', { u: U, w: hello('Cid'), m: '[Cid -> ann] hi there', p: '[ann -> Cid] psst', q: '[ann -> Cid] both' });
      expectObservable(irc(2, bob)).toBe('--w------q', { w: welcome('bob', { users: 2, unknown: 1 }), q: [':ann!ann@rxchat PRIVMSG bob :both'] });
      expectObservable(irc(3, ann)).toBe('---w-m', { w: welcome('ann', { users: 3 }), m: [':Cid!Cid@rxchat PRIVMSG ann :hi there'] });
    });
  });

  it('should answer 401, 404, 411, 412 and 407, and never answer a NOTICE', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc } = ircServer();
      const bob = hot('-b', { b: enter('bob', '#b') });
      const ann = hot('--r-a-b-c-d-e-f-g-h', {
        r: enter('ann', '#a'),
        a: R('PRIVMSG zed :x'),
        b: R('PRIVMSG #b :x'),
        c: R('PRIVMSG #nosuch :x'),
        d: R('PRIVMSG'),
        e: R('PRIVMSG #a'),
        f: R('PRIVMSG v,w,x,y,z :x'),
        g: R('NOTICE zed :x'),
        h: [R('NOTICE #b :x'), R('NOTICE #nosuch :x'), R('NOTICE'), R('NOTICE #a'), R('PING :h')],
      });
      expectObservable(irc(2, ann)).toBe('--w-a-b-c-d-e-f---h', {
        w: [...welcome('ann', { users: 2, channels: 2 }), ...joined('ann', '#a', ['ann'])],
        a: [':rxchat 401 ann zed :No such nick/channel'],
        b: [':rxchat 404 ann #b :Cannot send to channel (join it first)'],
        c: [':rxchat 401 ann #nosuch :No such nick/channel'],
        d: [':rxchat 411 ann :No recipient given (PRIVMSG)'],
        e: [':rxchat 412 ann :No text to send'],
        f: ['v', 'w', 'x', 'y'].map((n) => `:rxchat 401 ann ${n} :No such nick/channel`).concat([':rxchat 407 ann z :Too many targets (max 4): not sent']),
        h: [':rxchat PONG rxchat :h'],
      });
      expectObservable(irc(1, bob)).toBe('-w', { w: [...welcome('bob', { unknown: 1 }), ...joined('bob', '#b', ['bob'])] });
    });
  });
});

describe('IRC NICK and QUIT', () => {
  it('should rename: NICK to the user and everyone sharing a room, `is now known as` for line users', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc, line } = ircServer();
      const cid = hot('-c-----', { c: L('Cid') });
      const bob = hot('--b----', { b: enter('bob', '#a') });
      const ann = hot('---r-n-', { r: enter('ann', '#lobby', '#a'), n: R('NICK Anna') });
      expectObservable(line(1, cid)).toBe('uw-j-n', { u: U, w: hello('Cid'), j: '*** ann joined #lobby', n: '*** ann is now known as Anna' });
      expectObservable(irc(2, bob)).toBe('--wj-n', {
        w: [...welcome('bob', { users: 2, unknown: 1 }), ...joined('bob', '#a', ['bob'])],
        j: [':ann!ann@rxchat JOIN #a'],
        n: [':ann!ann@rxchat NICK :Anna'],
      });
      expectObservable(irc(3, ann)).toBe('---w-n', {
        w: [...welcome('ann', { users: 3, channels: 2 }), ...joined('ann', '#lobby', ['Cid', 'ann']), ...joined('ann', '#a', ['bob', 'ann'])],
        n: [':ann!ann@rxchat NICK :Anna'],
      });
    });
  });

  it('should answer 433 for a taken nick, 432 for a bad one, 431 for none, and nothing for the nick one has', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc } = ircServer();
      const bob = hot('-b', { b: register('bob') });
      const ann = hot('--r-t-i-n-s-c-p', { r: register('ann'), t: R('NICK BOB'), i: R('NICK :a b'), n: R('NICK'), s: R('NICK ann'), c: R('NICK Ann'), p: R('PING :p') });
      expectObservable(irc(2, ann)).toBe('--w-t-i-n---c-p', {
        w: welcome('ann', { users: 2 }),
        t: [':rxchat 433 ann BOB :Nickname is already in use'],
        i: [":rxchat 432 ann * :Erroneous nickname: spaces are not allowed (use letters, digits, '_', '-' or '.')"],
        n: [':rxchat 431 ann :No nickname given'],
        c: [':ann!ann@rxchat NICK :Ann'],
        p: [':rxchat PONG rxchat :p'],
      });
      expectObservable(irc(1, bob)).toBe('-w', { w: welcome('bob', { unknown: 1 }) });
    });
  });

  it('should answer QUIT with ERROR and close; others see QUIT :Quit: <reason>, line users `left the chat`', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc, line } = ircServer();
      const cid = hot('-c---', { c: L('Cid') });
      const bob = hot('--b--', { b: enter('bob', '#lobby') });
      const ann = hot('---r-q', { r: enter('ann', '#lobby'), q: R('QUIT :bye now') });
      expectObservable(line(1, cid)).toBe('uwbj-q', {
        u: U,
        w: hello('Cid'),
        b: '*** bob joined #lobby',
        j: '*** ann joined #lobby',
        q: '*** ann left the chat',
      });
      expectObservable(irc(2, bob)).toBe('--wj-q', {
        w: [...welcome('bob', { users: 2, unknown: 1 }), ...joined('bob', '#lobby', ['Cid', 'bob'])],
        j: [':ann!ann@rxchat JOIN #lobby'],
        q: [':ann!ann@rxchat QUIT :Quit: bye now'],
      });
      expectObservable(irc(3, ann)).toBe('---w-(q|)', {
        w: [...welcome('ann', { users: 3 }), ...joined('ann', '#lobby', ['Cid', 'bob', 'ann'])],
        q: ['ERROR :Closing link: ann (Quit: bye now)'],
      });
    });
  });

  it('should announce a hang-up as QUIT :Connection closed', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc } = ircServer();
      const bob = hot('-b---', { b: enter('bob', '#a') });
      const ann = hot('--r-|', { r: enter('ann', '#a') });
      expectObservable(irc(1, bob)).toBe('-wj-q', {
        w: [...welcome('bob', { unknown: 1 }), ...joined('bob', '#a', ['bob'])],
        j: [':ann!ann@rxchat JOIN #a'],
        q: [':ann!ann@rxchat QUIT :Connection closed'],
      });
      expectObservable(irc(2, ann)).toBe('--w-|', { w: [...welcome('ann', { users: 2, channels: 2 }), ...joined('ann', '#a', ['bob', 'ann'])] });
    });
  });
});

describe('IRC queries', () => {
  it('should answer NAMES of any channel in any letter case, of none with 366 alone, and NAMES alone with 366 *', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc, line } = ircServer();
      line(1, hot('-c', { c: L('Cid') })).subscribe();
      const ann = hot('--r-a-b-c', { r: register('ann'), a: R('NAMES #LoBbY,#nosuch'), b: R('NAMES'), c: R('NAMES nochan') });
      expectObservable(irc(2, ann)).toBe('--w-a-b-c', {
        w: welcome('ann', { users: 2 }),
        a: [':rxchat 353 ann = #lobby :Cid', ':rxchat 366 ann #lobby :End of /NAMES list', ':rxchat 366 ann #nosuch :End of /NAMES list'],
        b: [':rxchat 366 ann * :End of /NAMES list'],
        c: [':rxchat 366 ann nochan :End of /NAMES list'],
      });
    });
  });

  it('should answer WHO of a channel, a nick (any case), nobody and everyone with 352s and 315', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc, line } = ircServer();
      line(1, hot('-c', { c: L('Cid') })).subscribe();
      const ann = hot('--r-a-b-c-d', { r: enter('ann', '#lobby'), a: R('WHO #LOBBY'), b: R('WHO cid'), c: R('WHO zed'), d: R('WHO') });
      expectObservable(irc(2, ann)).toBe('--w-a-b-c-d', {
        w: [...welcome('ann', { users: 2 }), ...joined('ann', '#lobby', ['Cid', 'ann'])],
        a: [':rxchat 352 ann #lobby Cid rxchat rxchat Cid H :0 Cid', ':rxchat 352 ann #lobby ann rxchat rxchat ann H :0 ann', ':rxchat 315 ann #LOBBY :End of WHO list'],
        b: [':rxchat 352 ann * Cid rxchat rxchat Cid H :0 Cid', ':rxchat 315 ann cid :End of WHO list'],
        c: [':rxchat 315 ann zed :End of WHO list'],
        d: [':rxchat 352 ann * Cid rxchat rxchat Cid H :0 Cid', ':rxchat 352 ann * ann rxchat rxchat ann H :0 ann', ':rxchat 315 ann * :End of WHO list'],
      });
    });
  });

  it('should answer WHOIS with 311, 319, 312 and 318, and 401 + 318 for nobody', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc, line } = ircServer();
      line(1, hot('-c-j', { c: L('Cid'), j: L('/join #rust') })).subscribe();
      const ann = hot('-----r-a-b-c', { r: register('ann'), a: R('WHOIS CID'), b: R('WHOIS rxchat zed'), c: R('WHOIS') });
      expectObservable(irc(2, ann)).toBe('-----w-a-b-c', {
        w: welcome('ann', { users: 2, channels: 2 }),
        a: [':rxchat 311 ann Cid Cid rxchat * :Cid', ':rxchat 319 ann Cid :#lobby #rust', ':rxchat 312 ann Cid rxchat :rxchat chat server', ':rxchat 318 ann Cid :End of /WHOIS list'],
        b: [':rxchat 401 ann zed :No such nick/channel', ':rxchat 318 ann zed :End of /WHOIS list'],
        c: [':rxchat 461 ann WHOIS :Not enough parameters'],
      });
    });
  });

  it('should answer LIST with every room and its users, or only those asked, between 321 and 323', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc } = ircServer();
      const ann = hot('-r-a-b', { r: enter('ann', '#b', '#A'), a: R('LIST'), b: R('LIST #a,#zz') });
      expectObservable(irc(1, ann)).toBe('-w-a-b', {
        w: entered('ann', {}, '#b', '#A'),
        a: [':rxchat 321 ann Channel :Users  Name', ':rxchat 322 ann #A 1 :', ':rxchat 322 ann #b 1 :', ':rxchat 322 ann #lobby 0 :', ':rxchat 323 ann :End of /LIST'],
        b: [':rxchat 321 ann Channel :Users  Name', ':rxchat 322 ann #A 1 :', ':rxchat 323 ann :End of /LIST'],
      });
    });
  });

  it('should answer TOPIC with 331 (rooms have no topic), refuse setting one (482, 442) and answer 403 for no such channel', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc } = ircServer();
      const bob = hot('-b', { b: enter('bob', '#b') });
      const ann = hot('--r-a-b-c-d-e', { r: enter('ann', '#a'), a: R('TOPIC #A'), b: R('TOPIC #a :new topic'), c: R('TOPIC #b :mine'), d: R('TOPIC #nosuch'), e: R('TOPIC') });
      expectObservable(irc(2, ann)).toBe('--w-a-b-c-d-e', {
        w: [...welcome('ann', { users: 2, channels: 2 }), ...joined('ann', '#a', ['ann'])],
        a: [':rxchat 331 ann #a :No topic is set'],
        b: [":rxchat 482 ann #a :You're not channel operator: rooms have no topic"],
        c: [":rxchat 442 ann #b :You're not on that channel"],
        d: [':rxchat 403 ann #nosuch :No such channel'],
        e: [':rxchat 461 ann TOPIC :Not enough parameters'],
      });
      expectObservable(irc(1, bob)).toBe('-w', { w: [...welcome('bob', { unknown: 1 }), ...joined('bob', '#b', ['bob'])] });
    });
  });

  it('should answer MODE queries (324 +n, 221 +, empty ban/except/invite lists) and refuse changes (482, 501, 502, 401, 403)', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc } = ircServer();
      const bob = hot('-b', { b: register('bob') });
      const ann = hot('--r-a-b-c-d-e-f-g-h-i-j', {
        r: enter('ann', '#a'),
        a: R('MODE #A'),
        b: [R('MODE #a b'), R('MODE #a +e'), R('MODE #a I')],
        c: R('MODE #a +m'),
        d: R('MODE ANN'),
        e: R('MODE ann +i'),
        f: R('MODE bob'),
        g: R('MODE zed'),
        h: R('MODE #nosuch'),
        i: R('MODE'),
        j: R('MODE #a +o bob'),
      });
      expectObservable(irc(2, ann)).toBe('--w-a-b-c-d-e-f-g-h-i-j', {
        w: [...welcome('ann', { users: 2 }), ...joined('ann', '#a', ['ann'])],
        a: [':rxchat 324 ann #a +n'],
        b: [':rxchat 368 ann #a :End of channel ban list', ':rxchat 349 ann #a :End of channel exception list', ':rxchat 347 ann #a :End of channel invite list'],
        c: [":rxchat 482 ann #a :You're not channel operator: rooms have no operators or modes to change"],
        d: [':rxchat 221 ann +'],
        e: [':rxchat 501 ann :Unknown MODE flag (rxchat has no user modes)'],
        f: [":rxchat 502 ann :Can't view or change mode for other users"],
        g: [':rxchat 401 ann zed :No such nick/channel'],
        h: [':rxchat 403 ann #nosuch :No such channel'],
        i: [':rxchat 461 ann MODE :Not enough parameters'],
        j: [":rxchat 482 ann #a :You're not channel operator: rooms have no operators or modes to change"],
      });
      expectObservable(irc(1, bob)).toBe('-w', { w: welcome('bob', { unknown: 1 }) });
    });
  });

  it('should answer AWAY (305/306), ISON (303), USERHOST (302), MOTD (422), LUSERS and VERSION', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc, line } = ircServer();
      line(1, hot('-c', { c: L('Cid') })).subscribe();
      const ann = hot('--r-a-b-c-d-e-f-g', {
        r: register('ann'),
        a: R('AWAY :lunch'),
        b: R('AWAY'),
        c: R('ISON zed CID ann'),
        d: R('USERHOST cid zed'),
        e: R('MOTD'),
        f: R('LUSERS'),
        g: R('VERSION'),
      });
      const w = welcome('ann', { users: 2 });
      expectObservable(irc(2, ann)).toBe('--w-a-b-c-d-e-f-g', {
        w,
        a: [':rxchat 306 ann :You have been marked as being away (others are not told: rxchat has no away state)'],
        b: [':rxchat 305 ann :You are no longer marked as being away'],
        c: [':rxchat 303 ann :Cid ann'],
        d: [':rxchat 302 ann :Cid=+Cid@rxchat'],
        e: [':rxchat 422 ann :MOTD File is missing'],
        f: w.slice(5, 10),
        g: [':rxchat 351 ann rxchat-2.0 rxchat :rxchat: one chat for TCP, web and IRC users', w[4] as string],
      });
    });
  });

  it('should answer PING with PONG (461 without a token), 421 for unknown commands, 462 for USER or PASS again, 482 for KICK, 406 for WHOWAS', () => {
    marbles(({ hot, expectObservable }) => {
      const { irc } = ircServer();
      const ann = hot('-r-a-b-c-d-e-f-g-h', {
        r: register('ann'),
        a: R('PING :LAG123'),
        b: R('PING'),
        c: R('FROB x'),
        d: R('USER a b c :d'),
        e: R('PASS x'),
        f: R('KICK #a bob :out'),
        g: R('001 ann :hi'),
        h: R('WHOWAS zed'),
      });
      expectObservable(irc(1, ann)).toBe('-w-a-b-c-d-e-f-g-h', {
        w: welcome('ann'),
        a: [':rxchat PONG rxchat :LAG123'],
        b: [':rxchat 461 ann PING :Not enough parameters'],
        c: [':rxchat 421 ann FROB :Unknown command'],
        d: [':rxchat 462 ann :You may not reregister'],
        e: [':rxchat 462 ann :You may not reregister'],
        f: [":rxchat 482 ann #a :You're not channel operator: rooms have no operators"],
        g: [':rxchat 421 ann 001 :Unknown command'],
        h: [':rxchat 406 ann zed :There was no such nickname (rxchat keeps no record of past nicks)', ':rxchat 369 ann zed :End of WHOWAS'],
      });
    });
  });
});
