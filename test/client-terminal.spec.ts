// The terminal driver over in-memory streams (no real TTY): printing above half-typed input on a
// TTY, plain output when piped, Ctrl-C and Ctrl-D, Tab completion against the roster and rooms
// getters, the prompt changing with the current room, and when colour is used (paint.ts).
import { EventEmitter } from 'node:events';
import { PassThrough, Writable } from 'node:stream';
import { firstValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { colorEnabled, paint } from '../src/client/paint.ts';
import { NO_ROOMS, type Rooms } from '../src/client/rooms.ts';
import { EMPTY_ROSTER, type Roster } from '../src/client/roster.ts';
import { nameKey } from '../src/core/names.ts';
import { openTerminal, type Terminal } from '../src/drivers/terminal.ts';

/** A writable that records what is written; `isTTY` and `columns` as a terminal would have them. */
class Screen extends Writable {
  written = '';
  constructor(
    readonly isTTY: boolean,
    readonly columns = 80,
  ) {
    super();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.written += chunk.toString();
    done();
  }
  /** What was written since the last call. */
  take(): string {
    const text = this.written;
    this.written = '';
    return text;
  }
}

class Keyboard extends PassThrough {
  constructor(readonly isTTY: boolean) {
    super();
  }
}

/** Lets the streams deliver what was written to them (they emit on a later tick). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function setup(
  tty: boolean,
  columns = 80,
  color = false,
  roster: () => Roster = () => EMPTY_ROSTER,
  rooms: () => Rooms = () => NO_ROOMS,
): { keyboard: Keyboard; out: Screen; err: Screen; signals: EventEmitter; terminal: Terminal } {
  const keyboard = new Keyboard(tty);
  const out = new Screen(tty, columns);
  const err = new Screen(tty, columns);
  const signals = new EventEmitter();
  const terminal = openTerminal({ input: keyboard, output: out, errorOutput: err, signals, color, errorColor: color, roster, rooms });
  return { keyboard, out, err, signals, terminal };
}

const R = (me: string | null, ...names: string[]): Roster => ({ me, names, keys: names.map(nameKey) });

/** Types each chunk as its own keypress burst, letting readline (and its async completer) catch up. */
async function type(keyboard: Keyboard, ...chunks: string[]): Promise<void> {
  for (const chunk of chunks) {
    keyboard.write(chunk);
    await settle();
  }
}

const ESC = '\u001b';

describe('terminal driver on a TTY', () => {
  it('should print a server line above the half-typed input and redraw the prompt with that input', async () => {
    const { keyboard, out, terminal } = setup(true);
    expect(out.take()).toContain('> '); // the prompt is shown at once
    const line = firstValueFrom(terminal.line$);
    keyboard.write('hel');
    await settle();
    out.take();

    terminal.print('(Ann) hi', 'chat');
    const written = out.take();
    // column 0, clear to the end of the screen, the line, then the prompt and the input again
    expect(written).toMatch(new RegExp(`^${ESC}\\[1G${ESC}\\[0J\\(Ann\\) hi\\n.*> hel`, 's'));

    keyboard.write('lo\r');
    expect(await line).toBe('hello'); // the typed line was not clobbered
    terminal.close();
  });

  it('should move up first when the half-typed input wraps over several rows', async () => {
    const { keyboard, out, terminal } = setup(true, 10);
    keyboard.write('a'.repeat(15)); // "> " + 15 characters: two rows of a 10-column terminal
    await settle();
    out.take();
    terminal.print('news', 'chat');
    expect(out.take()).toMatch(new RegExp(`^${ESC}\\[1A${ESC}\\[1G${ESC}\\[0Jnews\\n`));
    terminal.close();
  });

  it('should print warnings above the prompt too, on stderr', async () => {
    const { out, err, terminal } = setup(true);
    out.take();
    terminal.warn('rxchat: connection to 127.0.0.1:7777 lost (closed by the server)');
    expect(err.take()).toBe('rxchat: connection to 127.0.0.1:7777 lost (closed by the server)\n');
    expect(out.take()).toContain('> '); // prompt redrawn under it
    terminal.close();
  });

  it('should turn Ctrl-C into an interrupt and Ctrl-D on an empty line into end of input', async () => {
    const { keyboard, terminal } = setup(true);
    const interrupt = firstValueFrom(terminal.interrupt$);
    const eof = firstValueFrom(terminal.eof$);
    keyboard.write('\u0003');
    await interrupt;
    keyboard.write('\u0004');
    await eof;
  });

  it('should show a new prompt at once, with the half-typed input, and keep it for the next line', async () => {
    const { keyboard, out, terminal } = setup(true);
    const lines = firstValueFrom(terminal.line$.pipe(take(2), toArray()));
    await type(keyboard, 'hel');
    out.take();
    terminal.setPrompt('#rust> ');
    expect(out.take()).toMatch(new RegExp(`^${ESC}\\[1G${ESC}\\[0J.*#rust> hel`, 's'));
    terminal.setPrompt('#rust> '); // the same prompt: nothing to redraw
    expect(out.take()).toBe('');
    await type(keyboard, 'lo\r');
    expect(out.take()).toContain('#rust> '); // the fresh prompt under the line entered
    terminal.print('(Ann) hi', 'chat');
    expect(out.take()).toMatch(/\(Ann\) hi\n.*#rust> /su);
    terminal.setPrompt('> ');
    await type(keyboard, 'x\r');
    expect(await lines).toEqual(['hello', 'x']);
    terminal.close();
  });

  it('should erase the prompt on close and not report its own close as end of input', async () => {
    const { out, terminal } = setup(true);
    const eofs: unknown[] = [];
    terminal.eof$.subscribe((e) => eofs.push(e));
    out.take();
    terminal.close();
    terminal.close();
    expect(out.take()).toMatch(new RegExp(`^${ESC}\\[1G${ESC}\\[0J`));
    expect(eofs).toEqual([]);
  });
});

describe('terminal driver: Tab completion on a TTY', () => {
  it('should complete a command, then a user name, from the roster of the moment', async () => {
    let roster = R('Bob', 'Bob', 'Ann');
    const { keyboard, terminal } = setup(true, 80, false, () => roster);
    const line = firstValueFrom(terminal.line$);
    await type(keyboard, '/ms', '\t'); // → "/msg "
    roster = R('Bob', 'Bob', 'Ann', 'Joe'); // Joe joined meanwhile
    await type(keyboard, 'j', '\t', 'hi there\r'); // → "/msg Joe "
    expect(await line).toBe('/msg Joe hi there');
    terminal.close();
  });

  it('should address someone IRC-style, fixing the letter case', async () => {
    const { keyboard, terminal } = setup(true, 80, false, () => R('Bob', 'Bob', 'Annabel'));
    const line = firstValueFrom(terminal.line$);
    await type(keyboard, 'annA', '\t', 'hello\r');
    expect(await line).toBe('Annabel: hello');
    terminal.close();
  });

  it('should list the candidates on a second Tab when the prefix is ambiguous, and keep the input', async () => {
    const { keyboard, out, terminal } = setup(true, 80, false, () => R('Bob', 'Bob', 'Ann', 'Anna'));
    const line = firstValueFrom(terminal.line$);
    await type(keyboard, 'hi A', '\t'); // the common part first: "hi Ann"
    out.take();
    await type(keyboard, '\t');
    const listed = out.take();
    expect(listed).toMatch(/Ann {2,}Anna/u); // readline's columns
    expect(listed).toContain('> hi Ann'); // the prompt and the input are redrawn under the list
    await type(keyboard, 'a\r');
    expect(await line).toBe('hi Anna');
    terminal.close();
  });

  it('should complete a room name after /join from the rooms of the moment', async () => {
    let rooms: Rooms = { ...NO_ROOMS, current: '#lobby', joined: ['#lobby'] };
    const { keyboard, terminal } = setup(true, 80, false, () => R('Bob', 'Bob'), () => rooms);
    const line = firstValueFrom(terminal.line$);
    await type(keyboard, '/jo', '\t'); // → "/join "
    rooms = { ...rooms, list: [{ room: '#lobby', users: 2 }, { room: '#rust', users: 3 }] }; // a /rooms reply came
    await type(keyboard, '#r', '\t', '\r'); // → "/join #rust"
    expect(await line).toBe('/join #rust');
    terminal.close();
  });

  it('should complete command names without a roster at all', async () => {
    const keyboard = new Keyboard(true);
    const out = new Screen(true);
    const terminal = openTerminal({ input: keyboard, output: out, errorOutput: new Screen(true), signals: new EventEmitter(), color: false, errorColor: false });
    const line = firstValueFrom(terminal.line$);
    await type(keyboard, '/WH', '\t', '\r');
    expect(await line).toBe('/who');
    terminal.close();
  });
});

describe('terminal driver with piped stdin or stdout', () => {
  it('should read a TAB in piped input as itself: no completion without a terminal', async () => {
    const { keyboard, terminal } = setup(false, 80, false, () => R('Bob', 'Bob', 'Ann'));
    const line = firstValueFrom(terminal.line$);
    keyboard.end('/ms\tAn\t\n');
    expect(await line).toBe('/ms\tAn\t');
  });

  it('should print lines as they are: no prompt, no cursor movement, no colour', async () => {
    const keyboard = new Keyboard(false);
    const out = new Screen(false);
    const err = new Screen(false);
    const terminal = openTerminal({ input: keyboard, output: out, errorOutput: err, signals: new EventEmitter(), color: false, errorColor: false });
    terminal.print('Username?', 'prompt');
    terminal.print('*** Ann joined the chat', 'notice');
    terminal.warn('rxchat: connection to 127.0.0.1:7777 lost (connection reset)');
    expect(out.take()).toBe('Username?\n*** Ann joined the chat\n');
    expect(err.take()).toBe('rxchat: connection to 127.0.0.1:7777 lost (connection reset)\n');
    terminal.close();
  });

  it('should read every piped line, CRLF or LF, then report the end of input', async () => {
    const { keyboard, terminal } = setup(false);
    const lines = firstValueFrom(terminal.line$.pipe(take(3), toArray()));
    const eof = firstValueFrom(terminal.eof$);
    keyboard.end('Bob\r\nhello\nlast without LF');
    expect(await lines).toEqual(['Bob', 'hello', 'last without LF']);
    await eof;
  });

  it('should turn a SIGINT signal into an interrupt', async () => {
    const { signals, terminal } = setup(false);
    const interrupt = firstValueFrom(terminal.interrupt$);
    signals.emit('SIGINT');
    await interrupt;
    terminal.close();
  });

  it('should colour only when asked: notices dim, prompts cyan, errors red, chat plain', () => {
    const { out, err, terminal } = setup(false, 80, true);
    terminal.print('*** Ann joined the chat', 'notice');
    terminal.print('(Ann) hi', 'chat');
    terminal.warn('rxchat: lost');
    expect(out.take()).toBe(`${ESC}[2m*** Ann joined the chat${ESC}[22m\n(Ann) hi\n`);
    expect(err.take()).toBe(`${ESC}[31mrxchat: lost${ESC}[39m\n`);
    terminal.close();
  });

  it("should colour another room's tag, and print it plain without colour", () => {
    const colour = setup(false, 80, true);
    colour.terminal.print('[#rust] (Ann) hi', 'chat', '#rust');
    expect(colour.out.take()).toBe(`${ESC}[33m[#rust]${ESC}[39m (Ann) hi\n`);
    colour.terminal.close();
    const plain = setup(false, 80, false);
    plain.terminal.print('[#rust] (Ann) hi', 'chat', '#rust');
    expect(plain.out.take()).toBe('[#rust] (Ann) hi\n');
    plain.terminal.close();
  });

  it('should take a new prompt quietly when piped: no prompt is ever shown', () => {
    const { out, terminal } = setup(false);
    terminal.setPrompt('#rust> ');
    terminal.print('(Ann) hi', 'chat');
    expect(out.take()).toBe('(Ann) hi\n');
    terminal.close();
  });
});

describe('colour', () => {
  it.each([
    ['a TTY, nothing set', true, false, {}, true],
    ['NO_COLOR empty (does not count)', true, false, { NO_COLOR: '' }, true],
    ['NO_COLOR=1', true, false, { NO_COLOR: '1' }, false],
    ['NO_COLOR=0 (any non-empty value)', true, false, { NO_COLOR: '0' }, false],
    ['--no-color', true, true, {}, false],
    ['not a TTY', false, false, {}, false],
    ['TERM=dumb', true, false, { TERM: 'dumb' }, false],
  ])('should decide colour for %s', (_case, isTTY, flag, env, expected) => {
    expect(colorEnabled(isTTY, flag, env)).toBe(expected);
  });

  it('should leave text untouched when colour is off', () => {
    expect(paint('*** hi', 'notice', false)).toBe('*** hi');
    expect(paint('Username?', 'prompt', true)).toBe(`${ESC}[36mUsername?${ESC}[39m`);
  });
});
