#!/usr/bin/env node
// Server entry point: argv/env → settings, then start the server (server.ts: the hub and every
// front end). Process concerns only (arguments, logging to stderr, signals, exit codes); no chat logic here.
import { config as rxjsConfig } from 'rxjs';
import { parseServerArgs } from '../config.ts';
import { describeError, formatAddress } from '../drivers/tcp-server.ts';
import type { Listener } from '../run.ts';

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
// Loaded only now: --help and a bad flag answer at once, without loading every front end and client library.
const { startServer } = await import('../server.ts');
try {
  const server = await startServer(settings, log);
  for (const l of server.listeners) {
    log(l.name === 'line protocol' ? `listening on ${formatAddress(l.host, l.port)}` : `${l.name} on ${describeListener(l)}`);
  }
  log(
    `limits: line ${settings.maxLineBytes} B, name timeout ${settings.nameTimeoutSeconds} s, sendq ${settings.sendqBytes} B, ` +
      `rate ${settings.rate === 0 ? 'off' : `${settings.rate}/s burst ${settings.burst}`}, max clients ${settings.maxClients}, ` +
      `history ${settings.history} (replay ${settings.replay}), max rooms ${settings.maxRooms} (${settings.maxRoomsPerUser} per user)`,
  );

  // A node the cluster declared gone closes its listeners (drivers/redis-node.ts) and so ends;
  // it ends with status 1, so a supervisor sees a failure and starts it again as a new node.
  server.hub.deliveries$.subscribe(({ event }) => {
    if (event.kind === 'node-closed' && event.node === server.hub.node && event.why === 'gone') process.exitCode = 1;
  });

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
    log(`${signal}: shutting down (${server.connections()} connections, grace ${settings.shutdownGraceSeconds} s)`);
    // Cut stragglers a little before the deadline, so the exit itself is never late.
    void server.shutdown(Math.max(0, graceMs - 250)).then(() => {
      log(`shut down in ${Date.now() - started} ms`);
      process.exit(0);
    });
    setTimeout(() => process.exit(0), graceMs).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (err) {
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
  const where = e.port === undefined ? formatAddress(settings.host, settings.port) : formatAddress(e.address ?? settings.host, e.port);
  log(`rxchat-server: cannot listen on ${where}: ${e.code ?? e.message}`);
  process.exit(1);
}

/** `http://127.0.0.1:7780/` for the web page, `host:port` for the others. */
function describeListener(l: Listener): string {
  const address = formatAddress(l.host, l.port);
  return l.name === 'web' ? `http://${address}/` : address;
}
