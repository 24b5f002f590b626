// CPU context of a stress run, from /proc, sampled every 100 ms: how busy the whole machine
// was, how much of that was this run's own processes (server, workers, orchestrator), and how
// long the server's event-loop thread waited in the run queue for a CPU (/proc/<pid>/schedstat).
// A delivery delay that coincides with a long run-queue wait is CPU starvation of the machine
// (other work on the same cores), not something the server did; this tells the two apart.
import { readFileSync } from 'node:fs';
import { nowMs } from './util.ts';

interface Sample {
  readonly at: number;
  /** Machine-wide jiffies: busy and total, all CPUs. */
  readonly busy: number;
  readonly total: number;
  /** Jiffies (user + system) used by our processes. */
  readonly ours: number;
  /** The server's main thread: ns on a CPU and ns waiting for one. */
  readonly serverRun: number;
  readonly serverWait: number;
}

export interface CpuWindow {
  /** Machine busy, in cores (0..cores). */
  readonly machineCores: number;
  /** Of which this run's processes, in cores. */
  readonly oursCores: number;
  /** Share of the window the server's event-loop thread spent waiting for a CPU, %. */
  readonly serverWaitPercent: number;
  /** Share of the window the server's event-loop thread ran, %. */
  readonly serverRunPercent: number;
}

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function processJiffies(pid: number): number {
  const stat = read(`/proc/${pid}/stat`);
  if (stat === '') return 0;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

export class SystemMonitor {
  readonly samples: Sample[] = [];
  readonly loadAtStart = SystemMonitor.loadavg();
  #timer: NodeJS.Timeout | undefined;
  // Jiffies of processes that have exited, so "ours" does not drop when a worker ends.
  readonly #lastSeen = new Map<number, number>();

  constructor(
    private readonly ourPids: () => readonly number[],
    private readonly serverPid: number,
  ) {}

  static loadavg(): string {
    return read('/proc/loadavg').split(' ').slice(0, 3).join(' ');
  }

  start(): void {
    this.sample();
    this.#timer = setInterval(() => this.sample(), 100);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  sample(): void {
    const cpu = read('/proc/stat').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    // user nice system idle iowait irq softirq steal ...
    const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
    const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
    let ours = 0;
    for (const pid of this.ourPids()) {
      const now = processJiffies(pid);
      if (now > 0) this.#lastSeen.set(pid, now);
    }
    for (const j of this.#lastSeen.values()) ours += j;
    const sched = read(`/proc/${this.serverPid}/schedstat`).trim().split(' ').map(Number);
    this.samples.push({ at: nowMs(), busy: total - idle, total, ours, serverRun: sched[0] ?? 0, serverWait: sched[1] ?? 0 });
  }

  /** CPU use over [from, to], from the first and last samples inside it. */
  window(from: number, to: number): CpuWindow {
    const inside = this.samples.filter((s) => s.at >= from && s.at <= to);
    const a = inside[0];
    const b = inside[inside.length - 1];
    if (a === undefined || b === undefined || b.total <= a.total) return { machineCores: 0, oursCores: 0, serverWaitPercent: 0, serverRunPercent: 0 };
    const cores = Math.max(1, (read('/proc/stat').match(/^cpu\d+ /gm) ?? []).length);
    const elapsedNs = (b.at - a.at) * 1e6;
    return {
      machineCores: ((b.busy - a.busy) / (b.total - a.total)) * cores,
      oursCores: ((b.ours - a.ours) / (b.total - a.total)) * cores,
      serverWaitPercent: elapsedNs > 0 && b.serverWait > 0 ? ((b.serverWait - a.serverWait) / elapsedNs) * 100 : 0,
      serverRunPercent: elapsedNs > 0 && b.serverRun > 0 ? ((b.serverRun - a.serverRun) / elapsedNs) * 100 : 0,
    };
  }
}
