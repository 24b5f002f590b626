// Marble-test helpers for the IRC front end: the pure server (memory log, hub, IRC and line front
// ends) in virtual time, and the wire text the tests expect, written out literally.
//
// `ircServer()` builds what src/server.ts builds, minus the sockets. `irc(id, frame$)` gives what
// IRC connection `n1/<id>` is sent, one array of lines per virtual frame (a reply of several lines
// is one value), so an expected marble reads `'-a-b'` with `a: [':rxchat 001 ann :…', …]`.
// `line(id, frame$)` is a line-protocol connection on the same hub, one line per value.
import { Observable, asyncScheduler, mergeMap, type SchedulerLike } from 'rxjs';
import type { Frame } from '../../src/framing.ts';
import { CHAT_DEFAULTS, type ChatConfig } from '../../src/core/state.ts';
import { createHub, type Hub } from '../../src/hub/hub.ts';
import { createMemoryLog } from '../../src/hub/memory-log.ts';
import type { ChatLog } from '../../src/hub/log.ts';
import { ircFrontEnd, type IrcConfig } from '../../src/irc/front-end.ts';
import { lineFrontEnd, type Output } from '../../src/line/front-end.ts';

/** Defaults for the marble tests: flood control as the protocol's, no server pings unless asked. */
export const IRC_CONFIG: IrcConfig = { serverName: 'rxchat', registrationTimeoutMs: 60_000, pingIntervalMs: 0, rate: 20, burst: 40 };

/** A line as an IRC client sends it (after framing: no CR LF). */
export const R = (text: string): Frame => ({ kind: 'line', text });

/** What a test client sends in one frame: a line, or several at once. */
export type Sent = Frame | readonly Frame[];
const frames = (sent$: Observable<Sent>): Observable<Frame> => sent$.pipe(mergeMap((s) => (Array.isArray(s) ? (s as readonly Frame[]) : [s as Frame])));
export const TOO_LONG: Frame = { kind: 'too-long' };

/** The lines an output stream writes, batched per virtual frame (lines written in one frame are one value). */
export function perFrame(output$: Observable<Output>): Observable<string[]> {
  return new Observable<string[]>((subscriber) => {
    let batch: string[] | null = null;
    let done = false;
    const flush = (): void => {
      if (batch !== null) subscriber.next(batch);
      batch = null;
      if (done) subscriber.complete();
    };
    // A frame's lines are gathered until the frame's other work is done: a 0 ms action runs after it.
    const sub = output$.subscribe({
      next(output) {
        if (output.kind !== 'send') return;
        if (batch === null) {
          batch = [];
          scheduleFlush();
        }
        batch.push(output.line.text);
      },
      error: (err: unknown) => subscriber.error(err),
      complete() {
        done = true;
        if (batch === null) subscriber.complete();
      },
    });
    let flushing: { unsubscribe(): void } | undefined;
    function scheduleFlush(): void {
      flushing = scheduler().schedule(flush, 0);
    }
    return () => {
      sub.unsubscribe();
      flushing?.unsubscribe();
    };
  });
}

// The scheduler perFrame flushes on: the async one, which TestScheduler.run makes virtual.
const scheduler = (): SchedulerLike => asyncScheduler;

export interface IrcTestServer {
  readonly hub: Hub;
  /** An IRC connection `n1/<id>`: its lines, one array per frame. */
  irc(id: number, sent$: Observable<Sent>): Observable<string[]>;
  /** An IRC connection's every output (lines, log, pause…), for tests of the shell. */
  ircOutputs(id: number, sent$: Observable<Sent>, tooSlow$?: Observable<unknown>): Observable<Output>;
  /** A line-protocol connection `n1/<id>` on the same hub: its lines, one per value. */
  line(id: number, frame$: Observable<Frame>): Observable<string>;
}

/** A fresh chat with both front ends (call inside `marbles`, so time is virtual). */
export function ircServer(config: Partial<IrcConfig> = {}, chat: Partial<ChatConfig> = {}, log?: ChatLog): IrcTestServer {
  const hub = createHub(log ?? createMemoryLog('n1'), { ...CHAT_DEFAULTS, ...chat });
  const front = ircFrontEnd(hub, { ...IRC_CONFIG, ...config });
  const lines = lineFrontEnd(hub, { maxLineBytes: 4096, nameTimeoutMs: 60_000, rate: 20, burst: 40 });
  const ircOutputs = (id: number, sent$: Observable<Sent>, tooSlow$?: Observable<unknown>): Observable<Output> =>
    front.connect({ id: `n1/${id}`, frame$: frames(sent$), ...(tooSlow$ === undefined ? {} : { tooSlow$ }) });
  return {
    hub,
    ircOutputs,
    irc: (id, sent$) => perFrame(ircOutputs(id, sent$)),
    line: (id, frame$) => lines.connect({ id: `n1/${id}`, frame$ }).pipe(mergeMap((o) => (o.kind === 'send' ? [o.line.text] : []))),
  };
}

// ---------------------------------------------------------------------------------------------
// Expected wire text, written out (not built with the code under test).

/** The figures of a welcome's LUSERS: users in the chat, rooms, connections with no name yet. */
export interface Figures {
  readonly users?: number;
  readonly channels?: number;
  readonly unknown?: number;
  readonly local?: number;
}

/** Everything registration sends: 001-005, LUSERS 251-255 and 422 (no MOTD). */
export function welcome(nick: string, figures: Figures = {}, server = 'rxchat'): string[] {
  const { users = 1, channels = 1, unknown = 0, local = users } = figures;
  return [
    `:${server} 001 ${nick} :Welcome to the rxchat IRC network, ${nick}`,
    `:${server} 002 ${nick} :Your host is ${server}, running version rxchat-2.0`,
    `:${server} 003 ${nick} :This server was created Thu, 01 Jan 1970 00:00:00 GMT`,
    `:${server} 004 ${nick} ${server} rxchat-2.0`,
    `:${server} 005 ${nick} CASEMAPPING=ascii CHANLIMIT=#:20 CHANMODES=,,,n CHANNELLEN=33 CHANTYPES=# NETWORK=rxchat NICKLEN=24 PREFIX=() ` +
      'TARGMAX=JOIN:,PART:,NAMES:,PRIVMSG:4,NOTICE:4,WHOIS:1,ISON:,USERHOST:5 UTF8ONLY :are supported by this server',
    `:${server} 251 ${nick} :There are ${users} users and 0 invisible on 1 servers`,
    `:${server} 252 ${nick} 0 :operator(s) online`,
    `:${server} 253 ${nick} ${unknown} :unknown connection(s)`,
    `:${server} 254 ${nick} ${channels} :channels formed`,
    `:${server} 255 ${nick} :I have ${local} clients and 0 servers`,
    `:${server} 422 ${nick} :MOTD File is missing`,
  ];
}

/** The JOIN echo and NAMES a joiner gets (no history). */
export function joined(nick: string, channel: string, names: readonly string[]): string[] {
  return [`:${nick}!${nick}@rxchat JOIN ${channel}`, `:rxchat 353 ${nick} = ${channel} :${names.join(' ')}`, `:rxchat 366 ${nick} ${channel} :End of /NAMES list`];
}

/** NICK and USER, as clients send them to register. */
export const register = (nick: string): Frame[] => [R(`NICK ${nick}`), R(`USER ${nick} 0 * :${nick} the tester`)];
