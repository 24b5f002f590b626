// Marble-test helpers for the pure server: frames in, written lines out, a fresh room per call.
import { filter, map, type Observable } from 'rxjs';
import type { Frame } from '../../src/framing.ts';
import { createChatServer, type Output } from '../../src/server.ts';

/** A line as the client typed it (after framing). */
export const L = (text: string): Frame => ({ kind: 'line', text });

/** The prompt, which opens most expected marbles. */
export const U = 'Username?';

/** The lines written to a connection (log outputs left out). */
export function written(output$: Observable<Output>): Observable<string> {
  return output$.pipe(
    filter((output) => output.kind === 'send'),
    map((output) => output.line.text),
  );
}

/** A fresh server (and so a fresh room); returns `connect(id, frame$)` giving the lines written to it. */
export function server(maxLineBytes = 4096): (id: number, frame$: Observable<Frame>) => Observable<string> {
  const chat = createChatServer({ maxLineBytes });
  return (id, frame$) => written(chat.connect({ id, frame$ }));
}
