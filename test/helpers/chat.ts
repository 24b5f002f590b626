// Marble-test helpers for the pure server: frames in, written lines out, a fresh room per call.
import { mergeMap, type Observable } from 'rxjs';
import type { Frame } from '../../src/framing.ts';
import { createChatServer, type Output, type ServerConfig } from '../../src/server.ts';

/** The protocol's defaults, as the marble tests assume them. */
export const CONFIG: ServerConfig = { maxLineBytes: 4096, nameTimeoutMs: 60_000, rate: 20, burst: 40 };

/** A line as the client typed it (after framing). */
export const L = (text: string): Frame => ({ kind: 'line', text });

/** The prompt, which opens most expected marbles. */
export const U = 'Username?';

/** The text of each line an output puts on the wire (a broadcast batch gives one per line). */
export function lineTexts(output: Output): string[] {
  if (output.kind === 'send') return [output.line.text];
  if (output.kind === 'broadcast') return output.batch.lines.map((line) => line.text);
  return [];
}

/** The lines written to a connection (log outputs left out). */
export function written(output$: Observable<Output>): Observable<string> {
  return output$.pipe(mergeMap(lineTexts));
}

/** A fresh server (and so a fresh room); returns `connect(id, frame$)` giving the lines written to it. */
export function server(config: Partial<ServerConfig> = {}, shutdown$?: Observable<unknown>): (id: number, frame$: Observable<Frame>) => Observable<string> {
  const chat = createChatServer({ ...CONFIG, ...config }, shutdown$ === undefined ? {} : { shutdown$ });
  return (id, frame$) => written(chat.connect({ id, frame$ }));
}

/** Everything a connection asks of the listener, as text: lines as written, other outputs in caps. */
export function outputs(output$: Observable<Output>): Observable<string> {
  return output$.pipe(
    mergeMap((output) => (output.kind === 'log' ? [] : output.kind === 'send' || output.kind === 'broadcast' ? lineTexts(output) : [output.kind.toUpperCase()])),
  );
}
