// The server under stress: the real `node dist/bin/chat-server.js`, as its own process.
//
// `ensureBuilt` runs `npm run build` first if dist/ is missing or older than src/.
// Spawns it on 127.0.0.1 with `--port 0` (plus any extra flags), reads the chosen port from
// `listening on 127.0.0.1:<port>` on stderr, keeps every stderr line (and a copy in a log file),
// samples its resident set size from /proc/<pid>/status (VmRSS) every 100 ms, and measures
// how long it takes to exit after SIGTERM.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync, statSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { nowMs } from './util.ts';

export interface RssSample {
  readonly at: number;
  readonly kib: number;
  /** CPU time (user + system) the server has used so far, ms. */
  readonly cpuMs: number;
}

export interface ServerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly at: number;
}

export class ServerProcess {
  readonly stderr: string[] = [];
  readonly samples: RssSample[] = [];
  exit: ServerExit | undefined;
  sigtermAt = 0;
  readonly exited: Promise<ServerExit>;
  #sampler: NodeJS.Timeout | undefined;
  readonly #log: WriteStream;

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly logPath: string,
    log: WriteStream,
    exited: Promise<ServerExit>,
  ) {
    this.#log = log;
    this.exited = exited;
  }

  /** Starts the server and resolves once it listens; rejects (and kills it) after `timeoutMs`. */
  static start(repo: string, extraArgs: readonly string[], logPath: string, timeoutMs: number): Promise<ServerProcess> {
    const child = spawn(process.execPath, ['dist/bin/chat-server.js', '--host', '127.0.0.1', '--port', '0', ...extraArgs], {
      cwd: repo,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const log = createWriteStream(logPath);
    log.on('error', () => {}); // the log is a convenience; never let it end the run
    const lines: string[] = [];
    let onLine: ((line: string) => void) | undefined;
    const exited = new Promise<ServerExit>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal, at: nowMs() }));
    });
    if (child.stderr !== null) {
      createInterface({ input: child.stderr, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
        lines.push(line);
        if (!log.writableEnded) log.write(`${line}\n`);
        onLine?.(line);
      });
    }
    return new Promise<ServerProcess>((resolve, reject) => {
      let started = false;
      const fail = (why: string): void => {
        if (started) return;
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`server did not start: ${why}; stderr: ${lines.slice(-10).join(' | ')}`));
      };
      const timer = setTimeout(() => fail(`no 'listening on' line within ${timeoutMs} ms`), timeoutMs);
      child.once('error', (err) => fail(err.message));
      void exited.then((exit) => fail(`exited early (code ${exit.code}, signal ${exit.signal})`));
      onLine = (line) => {
        const match = /^listening on 127\.0\.0\.1:(\d+)$/.exec(line);
        if (match === null) return;
        clearTimeout(timer);
        started = true;
        const server = new ServerProcess(child, Number(match[1]), logPath, log, exited);
        server.stderr.push(...lines);
        onLine = (next) => server.stderr.push(next);
        void exited.then((exit) => {
          server.exit = exit;
          server.stopSampling();
        });
        server.#startSampling();
        resolve(server);
      };
    });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  #startSampling(): void {
    this.sample();
    this.#sampler = setInterval(() => this.sample(), 100);
  }

  stopSampling(): void {
    clearInterval(this.#sampler);
  }

  /** Reads VmRSS now, keeps the sample and returns it in KiB (0 if the process is gone). */
  sample(): number {
    if (!this.alive) return 0;
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
      if (match === null) return 0;
      const kib = Number(match[1]);
      // /proc/<pid>/stat: after the ")" ending the command name, utime and stime are the 12th
      // and 13th fields, in clock ticks (100 per second on Linux).
      const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cpuMs = (Number(fields[11]) + Number(fields[12])) * 10;
      this.samples.push({ at: nowMs(), kib, cpuMs });
      return kib;
    } catch {
      return 0; // exited between the check and the read
    }
  }

  /** The largest sample taken in [from, to]. */
  peak(from = 0, to = Number.POSITIVE_INFINITY): number {
    let peak = 0;
    for (const s of this.samples) if (s.at >= from && s.at <= to && s.kib > peak) peak = s.kib;
    return peak;
  }

  /** The server's CPU use in [from, to], as a percentage of one core (from the samples). */
  cpuPercent(from: number, to: number): number {
    const inside = this.samples.filter((s) => s.at >= from && s.at <= to);
    const first = inside[0];
    const last = inside[inside.length - 1];
    if (first === undefined || last === undefined || last.at <= first.at) return 0;
    return ((last.cpuMs - first.cpuMs) / (last.at - first.at)) * 100;
  }

  /** The soft open-files limit the server runs with (from /proc/<pid>/limits), or 0. */
  openFilesLimit(): number {
    try {
      const limits = readFileSync(`/proc/${this.pid}/limits`, 'utf8');
      const match = /^Max open files\s+(\d+)/m.exec(limits);
      return match === null ? 0 : Number(match[1]);
    } catch {
      return 0;
    }
  }

  /** Sends SIGTERM once and notes when. */
  terminate(): number {
    if (this.sigtermAt === 0 && this.alive) {
      this.sigtermAt = nowMs();
      this.child.kill('SIGTERM');
    }
    return this.sigtermAt;
  }

  /** Kills the server outright (cleanup path). */
  kill(): void {
    this.stopSampling();
    if (this.alive) this.child.kill('SIGKILL');
    this.#log.end();
  }

  /** Server log lines that suggest a fault: internal errors, unhandled errors, stack traces. */
  faults(): string[] {
    return this.stderr.filter((line) => /internal error|unhandled error|uncaught|FATAL|heap out of memory/i.test(line));
  }
}

/** Newest modification time under `dir` (recursively), in ms. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Builds the server (`npm run build`) unless dist/ is newer than everything in src/. */
export function ensureBuilt(repo: string): void {
  let built = 0;
  try {
    built = statSync(join(repo, 'dist/bin/chat-server.js')).mtimeMs;
  } catch {
    // not built yet
  }
  if (built > 0 && built >= newest(join(repo, 'src'))) return;
  console.log('stress: building (npm run build)');
  execFileSync('npm', ['run', 'build'], { cwd: repo, stdio: 'inherit', timeout: 180_000 });
}

/** This process's soft open-files limit (what `ulimit -n` shows), or 0 if unknown. */
export function openFilesLimit(): number {
  const match = /^Max open files\s+(\d+)/m.exec(read('/proc/self/limits'));
  return match === null ? 0 : Number(match[1]);
}

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
