// What the stress orchestrator (bench/stress.ts) and its client workers (worker.ts) say to each
// other over the fork IPC channel, and the text of the lines the harness sends through the chat.
//
// Chat lines used by the harness (names are fixed, so each line's sender says what it is):
//   (control) MARK | END           sync points: every well-behaved client records from MARK on
//   (w<i>) <seq> <sentMs> <phase>  a talker's line: per-talker sequence, send time, c|h|a phase
//   (flooder) f <seq>              the flooder's lines, sequence from 0
//   (longline) after-long-line     the line the 10 MiB sender sends after its overlong one
//   (longprobe) after-long-line    the same from the solo probes on the quiet server
import type { SerializedHistogram } from './util.ts';

export const CONTROL = 'control';
export const NONREADER = 'nonreader';
export const FLOODER = 'flooder';
export const LONGLINE = 'longline';
/** A second long-line sender, run alone once the others are gone, so its RSS effect stands out. */
export const LONGPROBE = 'longprobe';
export const AFTER_LONG_LINE = 'after-long-line';
export const MARK = 'MARK';
export const END = 'END';
export const SHUTTING_DOWN = '*** Server is shutting down';
export const TOO_SLOW_NOTICE = `*** ${NONREADER} left the chat (too slow)`;

/** Talker phase tags: calm (before the hostile clients), hostile, after (they are gone). */
export type Phase = 'c' | 'h' | 'a';

export interface ClientSpec {
  readonly name: string;
  readonly talker: boolean;
}

export type MainToWorker =
  | {
      readonly type: 'start';
      readonly port: number;
      readonly clients: readonly ClientSpec[];
      readonly talkRate: number;
      readonly joinTimeoutMs: number;
      /** Every talker name across all workers (lines from them are checked). */
      readonly talkers: readonly string[];
    }
  | { readonly type: 'await-control'; readonly text: string; readonly timeoutMs: number }
  | { readonly type: 'talk'; readonly phase: Phase }
  | { readonly type: 'phase'; readonly phase: Phase }
  | { readonly type: 'stop-talk'; readonly timeoutMs: number }
  | { readonly type: 'expect'; readonly sent: Readonly<Record<string, number>> }
  | { readonly type: 'await-closed'; readonly sigtermAt: number; readonly timeoutMs: number };

export interface WorkerReport {
  readonly type: 'report';
  readonly clients: number;
  /** Lines received by this worker's clients, all kinds. */
  readonly linesReceived: number;
  /** Talker lines received (sender included), across this worker's clients. */
  readonly talkerLinesReceived: number;
  readonly talkerMissing: number;
  readonly talkerDuplicates: number;
  readonly talkerOutOfOrder: number;
  readonly talkerExtra: number;
  readonly talkerProblems: readonly string[];
  /** The recorded stream (MARK .. shutdown notice), as first seen by any client of this worker. */
  readonly canonical: readonly string[];
  /** Clients whose recorded stream differs from `canonical` (first difference of each, up to 5). */
  readonly orderProblems: readonly string[];
  readonly orderMismatchClients: number;
  /** How many clients recorded exactly `canonical.length` lines. */
  readonly fullLengthClients: number;
  readonly flooderProblems: readonly string[];
  readonly flooderViolations: number;
  readonly flooderLinesMin: number;
  readonly flooderLinesMax: number;
  readonly afterLongLineOnce: number;
  readonly tooSlowSeen: number;
  readonly shutdownNoticeSeen: number;
  readonly closedByServer: number;
  readonly notClosed: number;
  /** Latest notice / close after SIGTERM, ms. */
  readonly shutdownNoticeMaxMs: number;
  readonly closeMaxMs: number;
  readonly unexpectedCount: number;
  readonly unexpected: readonly string[];
  readonly delays: Readonly<Record<Phase, SerializedHistogram>>;
  /** Talker lines by send time in 250 ms windows: [window start (ms), worst delay, count]. */
  readonly timeline: ReadonlyArray<readonly [number, number, number]>;
  /** This worker's event-loop stalls: [250 ms window start, worst lateness ms]. */
  readonly stalls: ReadonlyArray<readonly [number, number]>;
  readonly loopDelayMaxMs: number;
  readonly loopDelayP99Ms: number;
}

export type WorkerToMain =
  | { readonly type: 'joined'; readonly joined: number; readonly failures: readonly string[] }
  | { readonly type: 'saw-control'; readonly text: string; readonly missing: readonly string[] }
  | { readonly type: 'talk-stopped'; readonly sent: Readonly<Record<string, number>>; readonly unconfirmed: readonly string[] }
  | WorkerReport
  | { readonly type: 'fatal'; readonly message: string };

const WORKER_TYPES = new Set(['joined', 'saw-control', 'talk-stopped', 'report', 'fatal']);
const MAIN_TYPES = new Set(['start', 'await-control', 'talk', 'phase', 'stop-talk', 'expect', 'await-closed']);

function hasType(message: unknown, types: ReadonlySet<string>): boolean {
  if (typeof message !== 'object' || message === null || !('type' in message)) return false;
  const { type } = message;
  return typeof type === 'string' && types.has(type);
}

/** IPC messages come from our own processes; the guard only checks the envelope. */
export function isWorkerMessage(message: unknown): message is WorkerToMain {
  return hasType(message, WORKER_TYPES);
}

export function isMainMessage(message: unknown): message is MainToWorker {
  return hasType(message, MAIN_TYPES);
}
