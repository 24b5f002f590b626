// The orchestrator's side of a client worker (worker.ts): fork it, send it commands, and wait,
// with a deadline, for its answer of a given type. A worker that dies or reports a fatal error
// fails every pending and later wait at once instead of letting them run into their timeouts.
import { fork, type ChildProcess } from 'node:child_process';
import { isWorkerMessage, type MainToWorker, type WorkerToMain } from './ipc.ts';

type Of<T extends WorkerToMain['type']> = Extract<WorkerToMain, { type: T }>;

interface Pending {
  readonly type: WorkerToMain['type'];
  readonly resolve: (message: WorkerToMain) => void;
  readonly reject: (err: Error) => void;
  readonly timer: NodeJS.Timeout;
}

export class WorkerHandle {
  readonly child: ChildProcess;
  readonly #inbox: WorkerToMain[] = [];
  readonly #pending = new Set<Pending>();
  #failure: Error | undefined;

  constructor(
    path: string,
    readonly label: string,
  ) {
    // The default execArgv is ours, so a worker runs under tsx's loader just as we do.
    this.child = fork(path, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (message: unknown) => {
      if (!isWorkerMessage(message)) return;
      if (message.type === 'fatal') return this.#fail(new Error(`${label} failed: ${message.message}`));
      for (const pending of this.#pending) {
        if (pending.type === message.type) {
          this.#pending.delete(pending);
          clearTimeout(pending.timer);
          pending.resolve(message);
          return;
        }
      }
      this.#inbox.push(message);
    });
    this.child.on('exit', (code, signal) => this.#fail(new Error(`${label} exited (code ${code}, signal ${signal})`)));
    this.child.on('error', (err) => this.#fail(new Error(`${label}: ${err.message}`)));
  }

  #fail(err: Error): void {
    this.#failure ??= err;
    for (const pending of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(err);
    }
    this.#pending.clear();
  }

  send(message: MainToWorker): void {
    if (this.child.connected) this.child.send(message);
  }

  /** The next message of `type` (already received or still to come); rejects after `ms`. */
  next<T extends WorkerToMain['type']>(type: T, ms: number): Promise<Of<T>> {
    const i = this.#inbox.findIndex((m) => m.type === type);
    if (i !== -1) {
      const [message] = this.#inbox.splice(i, 1);
      return Promise.resolve(message as Of<T>);
    }
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    return new Promise<Of<T>>((resolve, reject) => {
      const pending: Pending = {
        type,
        resolve: (message) => resolve(message as Of<T>),
        reject,
        timer: setTimeout(() => {
          this.#pending.delete(pending);
          reject(new Error(`${this.label}: no '${type}' within ${ms} ms`));
        }, ms),
      };
      this.#pending.add(pending);
    });
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
