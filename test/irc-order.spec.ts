// Replies leave in the order of the commands that caused them, however late the log decides
// (a cluster's Redis): the IRC front end holds its local answers behind pending intents until the
// hub says they are settled (hub.ts Port.settled). A log that decides only when the test releases
// its entries (helpers/delayed-log.ts) stands in for Redis.
//
// Examples first (PONG after a WHO's whole reply; QUIT's ERROR after the answers before it; reading
// stops while too much waits), then a property: for random commands, some answered by the chat and
// some locally, released in random batches, every reply comes in command order.
import fc from 'fast-check';
import { Subject, VirtualTimeScheduler, type Subscription } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Frame } from '../src/framing.ts';
import { CHAT_DEFAULTS } from '../src/core/state.ts';
import { createHub, type Hub } from '../src/hub/hub.ts';
import { ircFrontEnd } from '../src/irc/front-end.ts';
import { HOLD_LIMIT } from '../src/irc/step.ts';
import { createDelayedLog, type DelayedLog } from './helpers/delayed-log.ts';
import { IRC_CONFIG, R } from './helpers/irc.ts';

interface Client {
  readonly lines: string[];
  readonly outputs: string[];
  send(...texts: string[]): void;
  done(): boolean;
}

let subscriptions: Subscription[] = [];
afterEach(() => {
  for (const s of subscriptions) s.unsubscribe();
  subscriptions = [];
});

/** A hub on a delayed log, with an IRC front end in virtual time (no flood control, no pings). */
function setup(): { readonly log: DelayedLog; readonly hub: Hub; connect(id: number): Client } {
  const log = createDelayedLog('n1');
  const hub = createHub(log, CHAT_DEFAULTS);
  const front = ircFrontEnd(hub, { ...IRC_CONFIG, rate: 0 }, new VirtualTimeScheduler());
  return {
    log,
    hub,
    connect(id) {
      const frame$ = new Subject<Frame>();
      const lines: string[] = [];
      const outputs: string[] = [];
      let completed = false;
      subscriptions.push(
        front.connect({ id: `n1/${id}`, frame$ }).subscribe({
          next(o) {
            if (o.kind === 'send') lines.push(o.line.text);
            if (o.kind !== 'log') outputs.push(o.kind === 'send' ? o.line.text : o.kind.toUpperCase());
          },
          complete: () => void (completed = true),
        }),
      );
      return { lines, outputs, send: (...texts) => texts.forEach((t) => frame$.next(R(t))), done: () => completed };
    },
  };
}

/** A registered client (its claim released at once); its welcome is taken off its lines. */
function registered(env: ReturnType<typeof setup>, id: number, nick: string): Client {
  const client = env.connect(id);
  client.send(`NICK ${nick}`, `USER ${nick} 0 * :${nick}`);
  env.log.release(env.log.pending());
  expect(client.lines.at(-1)).toBe(`:rxchat 422 ${nick} :MOTD File is missing`);
  client.lines.length = 0;
  client.outputs.length = 0;
  return client;
}

describe('IRC replies in command order', () => {
  it("should send PONG after a JOIN's and a WHO's whole reply when the log decides them late", () => {
    const env = setup();
    const ann = registered(env, 1, 'ann');
    ann.send('JOIN #a', 'PING :one', 'WHO #a', 'PING :two', 'MODE #a +m');
    expect(ann.lines).toEqual([]); // nothing may overtake the pending JOIN
    env.log.release(1);
    expect(ann.lines).toEqual([':ann!ann@rxchat JOIN #a', ':rxchat 353 ann = #a :ann', ':rxchat 366 ann #a :End of /NAMES list', ':rxchat PONG rxchat :one']);
    env.log.release(1);
    expect(ann.lines.slice(4)).toEqual([
      ':rxchat 352 ann #a ann rxchat rxchat ann H :0 ann',
      ':rxchat 315 ann #a :End of WHO list',
      ':rxchat PONG rxchat :two',
      ":rxchat 482 ann #a :You're not channel operator: rooms have no operators or modes to change",
    ]);
  });

  it('should keep the order when several intents are decided in one entry', () => {
    const env = setup();
    const ann = registered(env, 1, 'ann');
    ann.send('NAMES #lobby', 'PING :a', 'WHOIS ann', 'PING :b');
    env.log.release(2, true);
    expect(ann.lines).toEqual([
      ':rxchat 353 ann = #lobby :',
      ':rxchat 366 ann #lobby :End of /NAMES list',
      ':rxchat PONG rxchat :a',
      ':rxchat 311 ann ann ann rxchat * :ann',
      ':rxchat 312 ann ann rxchat :rxchat chat server',
      ':rxchat 318 ann ann :End of /WHOIS list',
      ':rxchat PONG rxchat :b',
    ]);
  });

  it("should let others' lines through while answers wait: they follow the log's order, not this client's", () => {
    const env = setup();
    const ann = registered(env, 1, 'ann');
    const bob = registered(env, 2, 'bob');
    ann.send('JOIN #a');
    bob.send('JOIN #a');
    env.log.release(2);
    ann.lines.length = 0;
    ann.send('WHO #a', 'PING :after-who');
    bob.send('PRIVMSG #a :hello');
    env.log.release(1); // ann's WHO
    env.log.release(1); // bob's line
    expect(ann.lines).toEqual([
      ':rxchat 352 ann #a ann rxchat rxchat ann H :0 ann',
      ':rxchat 352 ann #a bob rxchat rxchat bob H :0 bob',
      ':rxchat 315 ann #a :End of WHO list',
      ':rxchat PONG rxchat :after-who',
      ':bob!bob@rxchat PRIVMSG #a :hello',
    ]);
  });

  it("should send QUIT's ERROR, and close, only after the answers to what came before", () => {
    const env = setup();
    const ann = registered(env, 1, 'ann');
    ann.send('WHO ann', 'QUIT :bye', 'PING :ignored');
    expect(ann.lines).toEqual([]);
    expect(ann.done()).toBe(false);
    env.log.release(2);
    expect(ann.lines).toEqual([':rxchat 352 ann * ann rxchat rxchat ann H :0 ann', ':rxchat 315 ann ann :End of WHO list', 'ERROR :Closing link: ann (Quit: bye)']);
    expect(ann.done()).toBe(true);
  });

  it(`should stop reading while ${HOLD_LIMIT} intents are pending, and read again once they are decided`, () => {
    const env = setup();
    const ann = registered(env, 1, 'ann');
    for (let i = 0; i < HOLD_LIMIT; i++) ann.send(`NAMES #n${i}`);
    expect(ann.outputs).toEqual(['PAUSE']);
    env.log.release(1);
    // One decided: fewer than the limit wait, so reading resumes.
    expect(ann.outputs).toEqual(['PAUSE', ':rxchat 366 ann #n0 :End of /NAMES list', 'RESUME']);
    env.log.release(HOLD_LIMIT);
    expect(ann.lines).toHaveLength(HOLD_LIMIT);
  });

  it(`should stop reading while ${HOLD_LIMIT} local answers wait behind an intent`, () => {
    const env = setup();
    const ann = registered(env, 1, 'ann');
    ann.send('JOIN #a');
    for (let i = 0; i < HOLD_LIMIT; i++) ann.send(`PING :${i}`);
    expect(ann.outputs).toEqual(['PAUSE']);
    env.log.release(1);
    expect(ann.outputs.slice(-2)).toEqual([`:rxchat PONG rxchat :${HOLD_LIMIT - 1}`, 'RESUME']);
  });
});

describe('IRC replies in command order (property)', () => {
  /** Commands and the line that ends each one's reply (unique per command, so order is checkable). */
  const COMMANDS: readonly ((i: number) => { readonly send: string; readonly last: RegExp })[] = [
    (i) => ({ send: `PING :p${i}`, last: new RegExp(`^:rxchat PONG rxchat :p${i}$`) }), // local
    (i) => ({ send: `WHO #w${i}`, last: new RegExp(` 315 ann #w${i} `) }), // the chat: no such room
    (i) => ({ send: `NAMES #n${i}`, last: new RegExp(` 366 ann #n${i} `) }), // the chat
    (i) => ({ send: `JOIN #j${i}`, last: new RegExp(` 366 ann #j${i} `) }), // the chat: a new room
    (i) => ({ send: `MODE #m${i} +k`, last: new RegExp(` 482 ann #m${i} `) }), // local refusal
    (i) => ({ send: `WHOIS nobody${i}`, last: new RegExp(` 318 ann nobody${i} `) }), // the chat
    (i) => ({ send: `FROB${i}`, last: new RegExp(` 421 ann FROB${i} `) }), // local: unknown
  ];

  it('should end every reply in command order, whatever the log decides when', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.record({ command: fc.nat(COMMANDS.length - 1) }), fc.record({ release: fc.nat(4), batch: fc.boolean() })), { maxLength: 40 }),
        (steps) => {
          const env = setup();
          const ann = registered(env, 1, 'ann');
          const expected: RegExp[] = [];
          steps.forEach((s, i) => {
            if ('command' in s) {
              const c = (COMMANDS[s.command] as (i: number) => { send: string; last: RegExp })(i);
              ann.send(c.send);
              expected.push(c.last);
            } else env.log.release(s.release, s.batch);
          });
          env.log.release(env.log.pending());
          const ends = ann.lines.filter((line) => expected.some((re) => re.test(line)));
          expect(ends.length).toBe(expected.length);
          ends.forEach((line, i) => expect(line).toMatch(expected[i] as RegExp));
          for (const s of subscriptions) s.unsubscribe();
          subscriptions = [];
        },
      ),
      { numRuns: 150 },
    );
  });
});
