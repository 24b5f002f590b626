// The IPC vocabulary between the coordinator (bench/run.ts) and the load worker processes.
//
//   (fork)                       worker ── ready
//   coordinator ── setup ─▶             ── prepared
//               ── connect ─▶        ── progress… (every 20 ms while something changed), welcomed
//               ── send ─▶           ── progress…, received
//               ── report ─▶         ── report
//               ── stop ─▶           (exits)
// A worker that hits something it cannot recover from (a refused connection, a closed socket)
// says `fatal` at once, so the coordinator fails the run instead of waiting for a timeout.
import type { HistogramData } from './histogram.ts';

/** How senders send: a window of lines in flight (fan-out), or a fixed rate (latency). */
export type SendMode =
  | { readonly kind: 'window'; readonly window: number }
  | { readonly kind: 'paced'; readonly perSecond: number };

export interface Setup {
  readonly kind: 'setup';
  readonly host: string;
  readonly port: number;
  /** Global indices of this worker's clients; a client g < senders is sender g. */
  readonly clients: readonly number[];
  readonly senders: number;
  /** Lines each sender sends. */
  readonly lines: number;
  readonly mode: SendMode;
  /** Connections not yet accepted (no `Username?` yet), per worker: the accept queue stays short. */
  readonly connectConcurrency: number;
}

export type Command =
  | Setup
  | { readonly kind: 'connect' }
  | { readonly kind: 'send' }
  | { readonly kind: 'report' }
  | { readonly kind: 'stop' };

/** What a client saw, folded: enough for the coordinator to check counts and the global order. */
export interface ClientSummary {
  readonly g: number;
  readonly welcomed: boolean;
  /** Index of the client whose join notice came first after our welcome; -1 if none did. */
  readonly firstJoin: number;
  /** Events seen after the welcome (join notices and chat lines). */
  readonly events: number;
  readonly joins: number;
  /** Fingerprint of all events; of all but the first; of the chat lines alone. */
  readonly all: readonly [number, number];
  readonly tail: readonly [number, number];
  readonly chat: readonly [number, number];
  /** Every sender's lines arrived exactly once, in that sender's order. */
  readonly chatComplete: boolean;
}

export interface WorkerReport {
  readonly clients: readonly ClientSummary[];
  readonly latency: HistogramData;
  /** Lines that were not what the protocol promised, and other protocol faults. */
  readonly faults: number;
  /** The first few faults, described. */
  readonly faultSamples: readonly string[];
}

export type WorkerEvent =
  | { readonly kind: 'ready' }
  | { readonly kind: 'prepared' }
  | {
      readonly kind: 'progress';
      readonly welcomed: number;
      readonly joins: number;
      readonly chats: number;
      /** Clock (ms) of the last line received, 0 if none. */
      readonly lastReceivedAt: number;
      readonly lastWelcomedAt: number;
    }
  | { readonly kind: 'welcomed'; readonly at: number }
  | { readonly kind: 'received'; readonly firstSentAt: number; readonly lastReceivedAt: number }
  | { readonly kind: 'report'; readonly report: WorkerReport }
  | { readonly kind: 'fatal'; readonly message: string };

/** Narrows a message from the IPC channel (its shape is ours; only the tag is checked). */
export function isWorkerEvent(message: unknown): message is WorkerEvent {
  return typeof message === 'object' && message !== null && typeof (message as { kind?: unknown }).kind === 'string';
}

export function isCommand(message: unknown): message is Command {
  return typeof message === 'object' && message !== null && typeof (message as { kind?: unknown }).kind === 'string';
}
