#!/usr/bin/env node
// Server entry point: argv/env → settings, then wire the pure server to the TCP listener driver.
// Process concerns only (arguments, logging to stderr, signals, exit codes); no chat logic here.
import { config as rxjsConfig } from 'rxjs';
import { parseServerArgs } from '../config.ts';
import { formatAddress, listenTcp } from '../drivers/tcp-server.ts';
import { createChatServer } from '../server.ts';

const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};

// An error thrown inside a subscriber must never become an uncaught exception that ends every
// user's chat: log it. (Each connection's own errors are already contained by the listener.)
rxjsConfig.onUnhandledError = (err: unknown) => {
  log(`unhandled error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
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
const server = createChatServer({ maxLineBytes: settings.maxLineBytes });
try {
  const listener = await listenTcp(settings, server.connect, log);
  log(`listening on ${formatAddress(listener.host, listener.port)}`);
  const stop = (signal: string): void => {
    log(`${signal}: closing`);
    void listener.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  log(`rxchat-server: cannot listen on ${formatAddress(settings.host, settings.port)}: ${e.code ?? e.message}`);
  process.exit(1);
}
