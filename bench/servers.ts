// The servers under test and how each is started: two baselines and rxchat, each in a fresh
// process on 127.0.0.1 and a free port, on plain `node`.
//
// rxchat runs with its protective limits out of the way, so the benchmark measures the chat
// path and not the guards: no flood control (--rate 0), a 1 GiB output budget per client
// (--sendq-bytes), room for every client (--max-clients) and no name timeout to race
// (--name-timeout 86400). Its logging (one stderr line per connect, join and disconnect) stays
// on, and so do its web and IRC front ends (idle, on free ports): that is how it runs.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CompiledBench } from './compile.ts';
import { BENCH_DIR } from './compile.ts';

/** `rxchat-web` is rxchat with its clients on the web front end's WebSocket instead of TCP. */
/** `rxchat-cluster` is two rxchat nodes on one Redis, the load split across them (bench/cluster.ts). */
export type ServerName = 'naive' | 'tuned' | 'rxchat' | 'rxchat-web' | 'rxchat-cluster';

/** The servers a scenario runs unless it names its own (`--servers` picks among ALL_SERVERS). */
export const SERVERS: readonly ServerName[] = ['naive', 'tuned', 'rxchat'];
export const ALL_SERVERS: readonly ServerName[] = [...SERVERS, 'rxchat-web', 'rxchat-cluster'];

/** How the load's clients reach `server`. */
export function transportOf(server: ServerName): 'tcp' | 'web' {
  return server === 'rxchat-web' ? 'web' : 'tcp';
}

export const RXCHAT_ENTRY = join(BENCH_DIR, '..', 'dist', 'bin', 'chat-server.js');

const GIB = 1024 * 1024 * 1024;

/** The rxchat flags the benchmark uses for `clients` clients (also printed in the report). */
export function rxchatFlags(clients: number): string[] {
  // The other front ends run as they do by default, idle, each on a free port (their default
  // ports, 7780 and 6667, may be taken by another server on this machine).
  return ['--rate', '0', '--sendq-bytes', String(GIB), '--max-clients', String(clients + 100), '--name-timeout', '86400', '--web-port', '0', '--irc-port', '0'];
}

export interface ServerCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * How to start `server` for a run with `clients` clients; `nodeFlags` go to node itself (--cpu-prof…).
 * `rxchatEntry` is the rxchat build to run (another checkout's dist/, to compare two versions).
 */
export function serverCommand(
  server: ServerName,
  compiled: CompiledBench,
  clients: number,
  nodeFlags: readonly string[] = [],
  rxchatEntry: string = RXCHAT_ENTRY,
): ServerCommand {
  const address = ['--host', '127.0.0.1', '--port', '0'];
  if (server === 'rxchat' || server === 'rxchat-web' || server === 'rxchat-cluster') {
    if (!existsSync(rxchatEntry)) throw new Error(`${rxchatEntry} is missing: run \`npm run build\` first`);
    return { command: process.execPath, args: [...nodeFlags, rxchatEntry, ...address, ...rxchatFlags(clients)] };
  }
  return { command: process.execPath, args: [...nodeFlags, compiled.baseline(server), ...address] };
}
