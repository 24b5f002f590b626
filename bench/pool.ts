// The coordinator's handle on its load workers: fork them, command them, wait on what they say.
//
// Every wait is on worker events with two bounds: a stall timeout (nothing new for `stallMs`:
// the run is stuck) and an overall cap (`maxMs`: generous, so slow servers still finish, but
// the harness can never hang). A worker's `fatal` message or unexpected exit fails the wait at once.
import { fork, type ChildProcess } from 'node:child_process';
import { isWorkerEvent, type Command, type WorkerEvent } from './load/messages.ts';
import { cpuSeconds, track, waitForExit } from './proc.ts';

export interface WaitLimits {
  /** Fail if no worker says anything for this long. */
  readonly stallMs: number;
  /** Fail after this long, whatever happens. */
  readonly maxMs: number;
  /** Where things stood, for the failure message. */
  readonly status?: () => string;
}

type Listener = (event: WorkerEvent, worker: number) => void;

export class WorkerPool {
  readonly #children: readonly ChildProcess[];
  readonly #listeners = new Set<Listener>();
  readonly #failures = new Set<(reason: Error) => void>();
  /** The first failure, kept: a worker may fail between two waits. */
  #failure: Error | null = null;
  #stopping = false;

  private constructor(children: readonly ChildProcess[]) {
    this.#children = children;
    children.forEach((child, index) => {
      child.on('message', (message: unknown) => {
        if (!isWorkerEvent(message)) return;
        if (message.kind === 'fatal') this.#fail(new Error(`load worker ${index}: ${message.message}`));
        for (const listener of [...this.#listeners]) listener(message, index);
      });
      child.once('exit', (code, signal) => this.#fail(new Error(`load worker ${index} exited (${signal ?? `code ${code}`})`)));
    });
  }

  /**
   * Forks `count` workers running the (transpiled) worker script; resolves once each says `ready`.
   * `nodeFlags` go to node (e.g. --cpu-prof); `{worker}` in a flag becomes the worker's index.
   */
  static async start(count: number, script: string, timeoutMs: number, nodeFlags: readonly string[] = []): Promise<WorkerPool> {
    const children = Array.from({ length: count }, (_, index) =>
      track(
        fork(script, [], {
          execArgv: nodeFlags.map((flag) => flag.replace('{worker}', String(index))),
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        }),
      ),
    );
    const pool = new WorkerPool(children);
    let ready = 0;
    await pool.waitFor('workers to start', (event) => (event.kind === 'ready' && ++ready === count ? true : undefined), {
      stallMs: timeoutMs,
      maxMs: timeoutMs,
    });
    return pool;
  }

  /** False once a worker has failed or exited. */
  get healthy(): boolean {
    return this.#failure === null;
  }

  get size(): number {
    return this.#children.length;
  }

  /** The workers' process ids (for CPU accounting). */
  get pids(): readonly number[] {
    return this.#children.map((child) => child.pid ?? -1);
  }

  /** CPU seconds used by all workers so far. */
  cpuSeconds(): number {
    return this.pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  }

  send(worker: number, command: Command): void {
    const child = this.#children[worker];
    if (child?.connected === true) child.send(command);
  }

  broadcast(command: Command): void {
    for (const child of this.#children) if (child.connected) child.send(command);
  }

  /**
   * Resolves with the first value `check` returns (not undefined) for an incoming event.
   * Rejects on a stall, on the overall cap, or when a worker fails.
   */
  waitFor<T>(what: string, check: (event: WorkerEvent, worker: number) => T | undefined, limits: WaitLimits): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.#failure !== null) {
        reject(new Error(`while waiting for ${what}: ${this.#failure.message}`));
        return;
      }
      const started = Date.now();
      let stall: NodeJS.Timeout;
      const done = (): void => {
        clearTimeout(stall);
        clearTimeout(cap);
        this.#listeners.delete(listener);
        this.#failures.delete(failed);
      };
      const failed = (reason: Error): void => {
        done();
        const status = limits.status?.();
        reject(new Error(`while waiting for ${what}: ${reason.message}${status === undefined ? '' : ` (${status})`}`));
      };
      const armStall = (): void => {
        clearTimeout(stall);
        stall = setTimeout(() => failed(new Error(`no progress for ${limits.stallMs / 1000} s`)), limits.stallMs);
      };
      const cap = setTimeout(
        () => failed(new Error(`gave up after ${((Date.now() - started) / 1000).toFixed(0)} s (the cap)`)),
        limits.maxMs,
      );
      const listener: Listener = (event, worker) => {
        armStall();
        const value = check(event, worker);
        if (value === undefined) return;
        done();
        resolve(value);
      };
      armStall();
      this.#listeners.add(listener);
      this.#failures.add(failed);
    });
  }

  /** Asks every worker to stop, and kills any that has not exited within `timeoutMs`. */
  async stop(timeoutMs: number): Promise<void> {
    this.#stopping = true;
    this.#failures.clear();
    this.broadcast({ kind: 'stop' });
    await Promise.all(this.#children.map((child) => waitForExit(child, timeoutMs)));
  }

  #fail(reason: Error): void {
    if (this.#stopping) return;
    this.#failure ??= reason;
    for (const failed of [...this.#failures]) failed(reason);
  }
}
