// Terminal driver: stdin lines, Ctrl-D and Ctrl-C in; lines printed on stdout/stderr out.
//
// Interactive (stdin and stdout both TTYs): readline shows the prompt `> ` and edits the line,
// and every printed line goes *above* what the user is typing without clobbering it: move up to
// the prompt's first row (`getCursorPos().rows`, for input wrapped over several rows), column 0,
// clear to the end of the screen, write the line, then `rl.prompt(true)` redraws the prompt and
// the half-typed input with the cursor where it was (Node has no built-in for this; FEATURES §5.1).
// Otherwise (piped stdin, or stdout a file or pipe): no prompt, no cursor movement, lines as is.
//
// Tab (interactive only) is readline's `completer`: it asks the pure `complete` (client/complete.ts)
// with the line up to the cursor and the latest roster and rooms, read through the `roster` and
// `rooms` getters that the CLI feeds from the client's `roster$` and `rooms$`. Readline applies the
// answer and lists the candidates on a second Tab. `setPrompt` changes the prompt (`#rust> `, from
// the client's `prompt$`) and redraws it with the half-typed input. Colour (paint.ts) is added
// here, to text the reducer has already sanitised; a line of another room gets its tag coloured.
//
// Ctrl-C arrives as readline's 'SIGINT' in raw mode, or as the process signal when the terminal
// is not in raw mode (or from `kill -INT`); both become `interrupt$`. The driver decides nothing.
import type { EventEmitter } from 'node:events';
import { clearScreenDown, createInterface, cursorTo, moveCursor } from 'node:readline';
import { Observable, filter, fromEvent, map, merge } from 'rxjs';
import { complete, type Completion } from '../client/complete.ts';
import { paint, paintLine, type TextStyle } from '../client/paint.ts';
import { NO_ROOMS, type Rooms } from '../client/rooms.ts';
import { EMPTY_ROSTER, type Roster } from '../client/roster.ts';

export const PROMPT = '> ';

type TtyFlag = { readonly isTTY?: boolean };

export interface TerminalOptions {
  readonly input: NodeJS.ReadableStream & TtyFlag;
  readonly output: NodeJS.WritableStream & TtyFlag;
  readonly errorOutput: NodeJS.WritableStream & TtyFlag;
  /** Where a SIGINT signal arrives (the process in the CLI). */
  readonly signals: EventEmitter;
  /** Whether colour may be used on output / errorOutput (see paint.ts `colorEnabled`). */
  readonly color: boolean;
  readonly errorColor: boolean;
  /** Who is online right now, for Tab completion (without it, Tab completes command names only). */
  readonly roster?: () => Roster;
  /** The rooms known right now, for Tab completion of room names. */
  readonly rooms?: () => Rooms;
}

export interface Terminal {
  /** True when there is a prompt and lines are printed above it. */
  readonly interactive: boolean;
  readonly line$: Observable<string>;
  /** Ctrl-D on an empty line, or the end of piped stdin (not our own `close`). */
  readonly eof$: Observable<void>;
  readonly interrupt$: Observable<void>;
  /** Prints a line on stdout (above the prompt when interactive); `room`: the line's `[<room>] ` tag is coloured. */
  print(text: string, style: TextStyle, room?: string): void;
  /** Shows `prompt` instead of the current one (redrawn at once with the half-typed input). */
  setPrompt(prompt: string): void;
  /** Prints a line on stderr (above the prompt when interactive), in red when colour is on. */
  warn(text: string): void;
  /** Erases the prompt and stops reading. Idempotent. */
  close(): void;
}

export function openTerminal(options: TerminalOptions): Terminal {
  const { input, output, errorOutput } = options;
  const interactive = input.isTTY === true && output.isTTY === true;
  const roster = options.roster ?? ((): Roster => EMPTY_ROSTER);
  const rooms = options.rooms ?? ((): Rooms => NO_ROOMS);
  // One parameter: readline calls it synchronously (two would make it callback-style).
  const completer = (line: string): Completion => complete(line, roster(), rooms());
  const rl = createInterface({
    input,
    ...(interactive ? { output, completer } : {}),
    terminal: interactive,
    prompt: PROMPT,
    crlfDelay: Number.POSITIVE_INFINITY, // CRLF from a Windows file is one line break
  });
  let closed = false;

  /** Moves to the prompt's first row, column 0, and clears from there to the end of the screen. */
  const erasePrompt = (): void => {
    moveCursor(output, 0, -rl.getCursorPos().rows);
    cursorTo(output, 0);
    clearScreenDown(output);
  };

  const writeAbove = (stream: NodeJS.WritableStream, text: string): void => {
    if (!interactive || closed) {
      stream.write(`${text}\n`);
      return;
    }
    erasePrompt();
    stream.write(`${text}\n`);
    rl.prompt(true);
  };

  const line$ = fromEvent(rl, 'line', (text: string) => text);
  if (interactive) {
    rl.on('line', () => {
      if (!closed) rl.prompt(); // a fresh prompt under the line just entered
    });
    rl.prompt();
  }

  return {
    interactive,
    line$,
    eof$: fromEvent(rl, 'close').pipe(
      filter(() => !closed),
      map(() => undefined),
    ),
    interrupt$: merge(fromEvent(rl, 'SIGINT'), fromEvent(options.signals, 'SIGINT')).pipe(map(() => undefined)),
    print: (text, style, room) => writeAbove(output, paintLine(text, style, room, options.color)),
    setPrompt: (prompt) => {
      if (prompt === rl.getPrompt()) return;
      if (!interactive || closed) {
        rl.setPrompt(prompt);
        return;
      }
      erasePrompt(); // where the old prompt and the input stand now
      rl.setPrompt(prompt);
      rl.prompt(true);
    },
    warn: (text) => writeAbove(errorOutput, paint(text, 'error', options.errorColor)),
    close: () => {
      if (closed) return;
      if (interactive) erasePrompt();
      closed = true;
      rl.close();
    },
  };
}
