#!/usr/bin/env node
// Client entry point: argv → settings, then wire the terminal and TCP drivers to the pure client.
// Process concerns only (arguments, exit codes, flushing stdout/stderr); no chat logic here.
import { asyncScheduler } from 'rxjs';
import { chatClient } from '../client/chat-client.ts';
import { parseClientArgs } from '../client/args.ts';
import { colorEnabled } from '../client/paint.ts';
import { NO_ROOMS, type Rooms } from '../client/rooms.ts';
import { EMPTY_ROSTER, type Roster } from '../client/roster.ts';
import { connectTcp } from '../drivers/tcp-client.ts';
import { formatAddress } from '../drivers/tcp-server.ts';
import { openTerminal } from '../drivers/terminal.ts';

/** Server lines up to 1 MiB are shown; the server's own limit is far lower (4096 by default). */
const MAX_SERVER_LINE_BYTES = 1024 * 1024;
/** How long to wait for `Goodbye…!` after asking to leave. */
const GOODBYE_TIMEOUT_MS = 2000;

const parsed = parseClientArgs(process.argv.slice(2));
if (parsed.kind === 'help') {
  process.stdout.write(parsed.text);
  process.exit(0);
}
if (parsed.kind === 'error') {
  process.stderr.write(`rxchat: ${parsed.message}\nTry 'rxchat --help'.\n`);
  process.exit(2);
}

const { settings } = parsed;
// A reader that went away (`rxchat | head -3`) is not worth a stack trace: leave quietly.
process.stdout.on('error', () => process.exit(1));

/** The latest roster and rooms from the client, read by the terminal on Tab. */
let roster: Roster = EMPTY_ROSTER;
let rooms: Rooms = NO_ROOMS;

const terminal = openTerminal({
  input: process.stdin,
  output: process.stdout,
  errorOutput: process.stderr,
  signals: process,
  color: colorEnabled(process.stdout.isTTY, settings.noColor, process.env),
  errorColor: colorEnabled(process.stderr.isTTY, settings.noColor, process.env),
  roster: () => roster,
  rooms: () => rooms,
});
const server = connectTcp({ host: settings.host, port: settings.port, maxLineBytes: MAX_SERVER_LINE_BYTES });

const { effect$, roster$, rooms$, prompt$ } = chatClient(
  {
    connected$: server.connected$,
    serverFrame$: server.frame$,
    serverClosed$: server.closed$,
    userLine$: terminal.line$,
    userEof$: terminal.eof$,
    interrupt$: terminal.interrupt$,
    scheduler: asyncScheduler,
  },
  {
    name: settings.name,
    server: formatAddress(settings.host, settings.port),
    goodbyeTimeoutMs: GOODBYE_TIMEOUT_MS,
    // Ask who is online after the welcome only for a person at a terminal; pipes stay exact.
    whoOnJoin: terminal.interactive,
  },
);

roster$.subscribe((latest) => {
  roster = latest;
});
rooms$.subscribe((latest) => {
  rooms = latest;
});
prompt$.subscribe((prompt) => terminal.setPrompt(prompt));

/** Stops reading, lets stdout and stderr drain (they may be pipes), then exits with `code`. */
const exit = (code: number): void => {
  terminal.close();
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
};

effect$.subscribe({
  next: (effect) => {
    switch (effect.kind) {
      case 'print':
        terminal.print(effect.text, effect.style, effect.room);
        break;
      case 'warn':
        terminal.warn(effect.text);
        break;
      case 'send':
        server.send(effect.text);
        break;
      case 'close':
        server.close();
        break;
      case 'exit':
        exit(effect.code);
        break;
    }
  },
  error: (err: unknown) => {
    terminal.warn(`rxchat: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    server.close();
    exit(1);
  },
});
