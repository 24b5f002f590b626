// Marble-test helpers for the pure server: frames in, written lines out, a fresh hub per call.
//
// `server()` builds what src/server.ts builds, minus the sockets: a memory log, the hub on it and
// the line protocol's front end, all on the TestScheduler's virtual time (inside `marbles`, the
// async scheduler is virtual, and so is the time that stamps the log's entries).
import { mergeMap, type Observable } from 'rxjs';
import type { Frame } from '../../src/framing.ts';
import { CHAT_DEFAULTS, type ChatConfig } from '../../src/core/state.ts';
import { createHub, type Hub } from '../../src/hub/hub.ts';
import { createMemoryLog } from '../../src/hub/memory-log.ts';
import { lineFrontEnd, type LineConfig, type Output } from '../../src/line/front-end.ts';

/** The protocol's defaults, as the marble tests assume them. */
export const CONFIG: LineConfig = { maxLineBytes: 4096, nameTimeoutMs: 60_000, rate: 20, burst: 40 };

/** A line as the client typed it (after framing). */
export const L = (text: string): Frame => ({ kind: 'line', text });

/** The prompt, which opens most expected marbles. */
export const U = 'Username?';

/** The text of the line an output puts on the wire, if it is one. */
export function lineTexts(output: Output): string[] {
  return output.kind === 'send' ? [output.line.text] : [];
}

/** The lines written to a connection (log outputs left out). */
export function written(output$: Observable<Output>): Observable<string> {
  return output$.pipe(mergeMap(lineTexts));
}

export type Connect = (id: number, frame$: Observable<Frame>) => Observable<string>;

/**
 * A fresh hub (and so a fresh chat); returns `connect(id, frame$)` giving the lines written to
 * connection `n1/<id>`. `chat` overrides the chat's limits (history, rooms), the rest the line front end's.
 */
export function server(config: Partial<LineConfig> = {}, chat: Partial<ChatConfig> = {}, shutdown$?: Observable<unknown>): Connect & { readonly hub: Hub } {
  const front = frontEnd(config, chat, shutdown$);
  const connect: Connect = (id, frame$) => written(front.connect({ id, frame$ }));
  return Object.assign(connect, { hub: front.hub });
}

/** A test connection: a number for an id (connection `n1/<id>`). */
export interface TestConnection {
  readonly id: number;
  readonly frame$: Observable<Frame>;
  readonly tooSlow$?: Observable<unknown>;
}

/** The line front end on a fresh hub, with every output (not only lines); `shutdown$` shuts the hub down. */
export function frontEnd(
  config: Partial<LineConfig> = {},
  chat: Partial<ChatConfig> = {},
  shutdown$?: Observable<unknown>,
): { readonly hub: Hub; connect(connection: TestConnection): Observable<Output> } {
  const hub = createHub(createMemoryLog('n1'), { ...CHAT_DEFAULTS, ...chat });
  const front = lineFrontEnd(hub, { ...CONFIG, ...config });
  shutdown$?.subscribe(() => hub.shutdown());
  return { hub, connect: ({ id, ...rest }) => front.connect({ id: `n1/${id}`, ...rest }) };
}

/** Everything a connection asks of the driver, as text: lines as written, other outputs in caps. */
export function outputs(output$: Observable<Output>): Observable<string> {
  return output$.pipe(mergeMap((output) => (output.kind === 'log' ? [] : output.kind === 'send' ? lineTexts(output) : [output.kind.toUpperCase()])));
}
