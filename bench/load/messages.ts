// The IPC vocabulary between the coordinator (bench/run.ts) and the load worker processes.
//
//   (fork)                       worker ── ready
//   coordinator ── setup ─▶             ── prepared
//               ── connect ─▶        ── progress… (every 20 ms while something changed), welcomed
//               ── enter ─▶          ── progress…, entered           (scenarios with rooms)
//               ── send ─▶           ── progress…, received
//               ── report ─▶         ── report
//               ── stop ─▶           (exits)
// A worker that hits something it cannot recover from (a refused connection, a closed socket)
// says `fatal` at once, so the coordinator fails the run instead of waiting for a timeout.
import type { HistogramData } from './histogram.ts';
import type { Transport } from './web-socket.ts';

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
  /** 0: everyone stays in the lobby; otherwise client g joins `#r<g % rooms>` on `enter`. */
  readonly rooms: number;
  /** Lines each sender sends. */
  readonly lines: number;
  readonly mode: SendMode;
  /** Connections not yet accepted (no `Username?` yet), per worker: the accept queue stays short. */
  readonly connectConcurrency: number;
  /** How the clients connect: TCP, or the web front end's WebSocket (`port` is then the web port). */
  readonly transport: Transport;
}

export type Command =
  | Setup
  | { readonly kind: 'connect' }
  | { readonly kind: 'enter' }
  | { readonly kind: 'send' }
  | { readonly kind: 'report' }
  | { readonly kind: 'stop' };

/** One ordered sequence of events a client saw, folded into counts and order hashes. */
export interface Sequence {
  /** Index of the client whose join notice came first; -1 if none did. */
  readonly firstJoin: number;
  /** Events seen (join notices and chat lines). */
  readonly events: number;
  readonly joins: number;
  /** Fingerprint of all events; of all but the first; of the chat lines alone. */
  readonly all: readonly [number, number];
  readonly tail: readonly [number, number];
  readonly chat: readonly [number, number];
}

/** With rooms: what a client saw in its room after its `*** Now in`. */
export interface RoomSummary extends Sequence {
  readonly room: number;
  /** The `<n>` of its `*** Now in #r<r> (<n> users)`: it was the room's n-th member. */
  readonly position: number;
}

/**
 * What a client saw, folded: enough for the coordinator to check counts and the global order.
 * The sequence is what came after the welcome: the lobby's join notices, and the chat lines too
 * when there are no rooms.
 */
export interface ClientSummary extends Sequence {
  readonly g: number;
  readonly welcomed: boolean;
  /** Every line it should get (every sender's, or its room's sender's) arrived exactly once, in that sender's order. */
  readonly chatComplete: boolean;
  /** With rooms: its room's sequence; null without rooms, or if its `/join` was never answered. */
  readonly room: RoomSummary | null;
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
      /** Clients whose `/join` was answered, and the room join notices they heard. */
      readonly entered: number;
      readonly roomJoins: number;
      readonly chats: number;
      /** Clock (ms) of the last line received, 0 if none. */
      readonly lastReceivedAt: number;
      readonly lastWelcomedAt: number;
    }
  | { readonly kind: 'welcomed'; readonly at: number }
  | { readonly kind: 'entered'; readonly at: number }
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
