#!/usr/bin/env node
// Server entry point: argv/env → settings, then wire the pure server to the TCP listener driver.
// Process concerns only (arguments, logging to stderr, signals, exit codes); no chat logic here.
import { Subject, config as rxjsConfig } from 'rxjs';
import { parseServerArgs } from '../config.ts';
import { adaptiveTiming, createOutboxes } from '../drivers/outbox.ts';
import { describeError, formatAddress, listenTcp } from '../drivers/tcp-server.ts';
import { createChatServer } from '../server.ts';

// Log lines are gathered and written once per event-loop turn: stderr is synchronous when it is
// a pipe or a file, and a join storm logs thousands of lines. Whatever is left is written at exit.
let pendingLog: string[] = [];
const flushLog = (): void => {
  if (pendingLog.length === 0) return;
  const text = pendingLog.join('');
  pendingLog = [];
  process.stderr.write(text);
};
const log = (message: string): void => {
  if (pendingLog.length === 0) setImmediate(flushLog);
  pendingLog.push(`${message}\n`);
};
process.on('exit', flushLog);

// An error thrown inside a subscriber must never become an uncaught exception that ends every
// user's chat: log it. (Each connection's own errors are already contained by the listener.)
rxjsConfig.onUnhandledError = (err: unknown) => {
  log(`unhandled error: ${describeError(err)}`);
};

const parsed = parseServerArgs(process.argv.slice(2), process.env);
if (parsed.kind === 'help') {
  process.stdout.write(parsed.text);
  process.exit(0);
}
if (parsed.kind === 'error') {
  process.stderr.write(`rxchat-server: ${parsed.message}\nTry 'rxchat-server --help'.\n`);
  process.exit(2);
}

const { settings } = parsed;
const shutdown$ = new Subject<void>();
// The sockets' output batching; the bus hands out its broadcast lines just before each flush.
const outboxes = createOutboxes(adaptiveTiming(), (err) => log(`internal error while writing: ${describeError(err)}`));
const server = createChatServer(
  { maxLineBytes: settings.maxLineBytes, nameTimeoutMs: settings.nameTimeoutSeconds * 1000, rate: settings.rate, burst: settings.burst },
  { shutdown$, outputScheduler: outboxes.scheduler },
);

try {
  const listener = await listenTcp({ ...settings, outboxes }, server.connect, log);
  log(`listening on ${formatAddress(listener.host, listener.port)}`);
  log(
    `limits: line ${settings.maxLineBytes} B, name timeout ${settings.nameTimeoutSeconds} s, sendq ${settings.sendqBytes} B, ` +
      `rate ${settings.rate === 0 ? 'off' : `${settings.rate}/s burst ${settings.burst}`}, max clients ${settings.maxClients}`,
  );

  // First signal: tell everyone, flush, close, exit 0 within the grace period. Second: exit now.
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log(`${signal} again: exiting at once`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    stopping = true;
    const graceMs = settings.shutdownGraceSeconds * 1000;
    const started = Date.now();
    log(`${signal}: shutting down (${listener.connections()} connections, grace ${settings.shutdownGraceSeconds} s)`);
    shutdown$.next();
    // Cut stragglers a little before the deadline, so the exit itself is never late.
    void listener.close(Math.max(0, graceMs - 250)).then(() => {
      log(`shut down in ${Date.now() - started} ms`);
      process.exit(0);
    });
    setTimeout(() => process.exit(0), graceMs).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  log(`rxchat-server: cannot listen on ${formatAddress(settings.host, settings.port)}: ${e.code ?? e.message}`);
  process.exit(1);
}
