// Child processes for the benchmark: start, watch, measure and always kill them.
//
// Every child the harness starts is tracked here and killed (SIGKILL) when the harness exits,
// fails or is interrupted, so no server or worker outlives a run. Measurements come from
// /proc (Linux): CPU time as utime+stime of /proc/<pid>/stat, write syscalls as syscw of
// /proc/<pid>/io, memory as VmRSS of /proc/<pid>/status, open files from /proc/self/limits.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { closeSync, fstatSync, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const children = new Set<ChildProcess>();

/** Tracks a child so that it is killed when the harness exits. */
export function track<T extends ChildProcess>(child: T): T {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Kills every tracked child at once (safe to call from an 'exit' handler: it is synchronous). */
export function killAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
}

/** Installs the handlers that kill every child on exit, Ctrl-C, SIGTERM and crashes. Once. */
let installed = false;
export function killChildrenOnExit(cleanups: readonly (() => void)[] = []): void {
  if (installed) return;
  installed = true;
  const cleanup = (): void => {
    killAll();
    for (const fn of cleanups) fn();
  };
  process.once('exit', cleanup);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping every child process\n`);
      cleanup();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
  const crash = (err: unknown): void => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    cleanup();
    process.exit(1);
  };
  process.once('uncaughtException', crash);
  process.once('unhandledRejection', crash);
}

/** Resolves when the child has exited; after `timeoutMs` it is killed (SIGKILL) and still awaited. */
export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Servers

export interface ServerProcess {
  readonly pid: number;
  readonly host: string;
  readonly port: number;
  /** rxchat's web front end's port, when it logged one (`web on http://<host>:<port>/`). */
  readonly webPort: number | undefined;
  /** The last lines the server wrote to stderr (for failure reports). */
  stderrTail(): readonly string[];
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs: number): Promise<void>;
}

const STDERR_TAIL_LINES = 20;
const STDERR_TAIL_BYTES = 8192;
/** How often the server's log is read while waiting for `listening on`. */
const LOG_POLL_MS = 20;

/**
 * Starts a server process and resolves once it prints `listening on <host>:<port>` on stderr.
 * Rejects if it exits first or says nothing of the kind within `timeoutMs`.
 *
 * The server's stderr goes to a file, not a pipe: Node writes to a pipe synchronously, so a
 * harness busy elsewhere (on a machine whose cores the load already takes) would stall the
 * server whenever the pipe filled, and measure its own slowness. A file never pushes back.
 */
export function startServer(command: string, args: readonly string[], timeoutMs: number): Promise<ServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'rxchat-bench-server-'));
  const logPath = join(dir, 'stderr.log');
  const logFd = openSync(logPath, 'w+');
  const child = track(spawn(command, args, { stdio: ['ignore', 'ignore', logFd] }));
  /** The log's last lines, read from the file. */
  const readTail = (): string[] => {
    const bytes = Buffer.alloc(STDERR_TAIL_BYTES);
    const from = Math.max(0, fstatSync(logFd).size - STDERR_TAIL_BYTES);
    const n = readSync(logFd, bytes, 0, STDERR_TAIL_BYTES, from);
    return bytes.toString('utf8', 0, n).split('\n').filter((line) => line !== '').slice(-STDERR_TAIL_LINES);
  };
  // When the process is gone, keep its last lines and delete the file.
  let finalTail: string[] | undefined;
  const done = (): void => {
    if (finalTail !== undefined) return;
    finalTail = readTail();
    closeSync(logFd);
    rmSync(dir, { recursive: true, force: true });
  };
  child.once('exit', done);
  child.once('error', done); // never started: no 'exit' may follow
  const tail = (): string[] => finalTail ?? readTail();
  return new Promise<ServerProcess>((resolve, reject) => {
    let settled = false;
    let read = 0;
    let partial = '';
    let webPort: number | undefined;
    const poll = setInterval(() => {
      const bytes = Buffer.alloc(64 * 1024);
      const n = readSync(logFd, bytes, 0, bytes.length, read);
      read += n;
      const lines = (partial + bytes.toString('utf8', 0, n)).split('\n');
      partial = lines.pop() ?? '';
      // rxchat logs every listener in one write: the web port comes with `listening on`.
      for (const line of lines) {
        const web = /^web on http:\/\/\S+:(\d+)\/$/.exec(line);
        if (web !== null) webPort = Number(web[1]);
      }
      for (const line of lines) {
        const match = /^listening on (\S+):(\d+)$/.exec(line);
        if (match === null || child.pid === undefined || settled) continue;
        settled = true;
        clearInterval(poll);
        clearTimeout(timer);
        resolve({
          pid: child.pid,
          host: match[1]!.replace(/^\[|\]$/g, ''),
          port: Number(match[2]),
          webPort,
          stderrTail: tail,
          stop: (graceMs) => {
            child.kill('SIGTERM');
            return waitForExit(child, graceMs);
          },
        });
      }
    }, LOG_POLL_MS);
    const fail = (reason: string): void => {
      if (settled) return;
      settled = true;
      clearInterval(poll);
      clearTimeout(timer);
      const lines = tail();
      child.kill('SIGKILL');
      reject(new Error(`${reason}; its stderr ended with:\n  ${lines.join('\n  ')}`));
    };
    const timer = setTimeout(() => fail(`the server did not print "listening on" within ${timeoutMs} ms`), timeoutMs);
    child.once('error', (err) => fail(`the server could not start: ${err.message}`));
    child.once('exit', (code, signal) => fail(`the server exited (${signal ?? `code ${code}`}) before listening`));
  });
}

// ---------------------------------------------------------------------------------------------
// /proc measurements

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may itself contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]); // field 14 of proc(5)
  const stime = Number(fields[12]); // field 15
  return (utime + stime) / clockTicks();
}

/** Write-type system calls (write, writev) a process has made so far: /proc/<pid>/io syscw. */
export function writeSyscalls(pid: number): number {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  const match = /^syscw:\s+(\d+)$/m.exec(io);
  if (match === null) throw new Error(`no syscw for process ${pid}`);
  return Number(match[1]);
}

/** Resident memory of a process, in bytes. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (match === null) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** The hard limit on open files; Node raises its own soft limit to it at start-up. */
export function openFilesHardLimit(): number {
  const limits = readFileSync('/proc/self/limits', 'utf8');
  const match = /^Max open files\s+(\S+)\s+(\S+)/m.exec(limits);
  if (match === null || match[2] === 'unlimited') return Number.POSITIVE_INFINITY;
  return Number(match[2]);
}
