// One log entry as one Redis Stream entry, both ways, and the stream ids it is ordered by.
//
// A node appends a batch of its intents as `XADD <log> * v 1 n <node> s <seq> i <json intents>`.
// Every node reads the entry back and decodes it here; the entry's time (`at`) is the ms part of
// the id Redis gave it, so every node stamps it alike and no node's clock is involved.
//
// What is read from Redis is input like any other: anything malformed (a field missing, a
// sequence number that is not one, an intent of an unknown kind or the wrong shape) is refused
// with a reason. Every node refuses the same entries, so skipping them keeps every node alike.
import type { Intent, LeaveReason, LogEntry, NodeId, Style } from '../core/intents.ts';

/** The entry format; a node refuses entries of any other version (it could not decide them alike). */
export const ENTRY_VERSION = '1';

/** The fields of `XADD <log> * <fields…>` for one batch. */
export function encodeBatch(node: NodeId, seq: number, intents: readonly Intent[]): string[] {
  return ['v', ENTRY_VERSION, 'n', node, 's', String(seq), 'i', JSON.stringify(intents)];
}

/** A stream entry id's time: its ms part (`1718000000000-3` → 1718000000000). */
export function idTime(id: string): number {
  const dash = id.indexOf('-');
  return Number(dash < 0 ? id : id.slice(0, dash));
}

/** Orders two stream ids (`<ms>-<seq>`) as Redis does: negative, zero or positive. */
export function compareIds(a: string, b: string): number {
  const [am, as] = splitId(a);
  const [bm, bs] = splitId(b);
  return am !== bm ? (am < bm ? -1 : 1) : as === bs ? 0 : as < bs ? -1 : 1;
}

function splitId(id: string): [bigint, bigint] {
  const dash = id.indexOf('-');
  return dash < 0 ? [BigInt(id), 0n] : [BigInt(id.slice(0, dash)), BigInt(id.slice(dash + 1))];
}

/** Whether `id` is a stream id as Redis writes them. */
export function isStreamId(id: unknown): id is string {
  return typeof id === 'string' && /^\d{1,20}-\d{1,20}$/.test(id);
}

export type Decoded = { readonly ok: true; readonly entry: LogEntry } | { readonly ok: false; readonly reason: string };

/** Decodes and checks one stream entry (its id and its flat field list as XREAD gives them). */
export function decodeEntry(id: string, fields: readonly unknown[]): Decoded {
  if (!isStreamId(id)) return { ok: false, reason: `bad id ${JSON.stringify(id)}` };
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const key = fields[i];
    const value = fields[i + 1];
    if (typeof key === 'string' && typeof value === 'string') map.set(key, value);
  }
  const version = map.get('v');
  if (version !== ENTRY_VERSION) return { ok: false, reason: `entry format ${JSON.stringify(version ?? null)}, this node reads ${ENTRY_VERSION}` };
  const node = map.get('n');
  if (node === undefined || node === '' || node.length > 64) return { ok: false, reason: 'no node' };
  const seq = Number(map.get('s'));
  if (!Number.isSafeInteger(seq) || seq < 1) return { ok: false, reason: `bad sequence number ${JSON.stringify(map.get('s') ?? null)}` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(map.get('i') ?? '');
  } catch {
    return { ok: false, reason: 'intents are not JSON' };
  }
  if (!Array.isArray(parsed)) return { ok: false, reason: 'intents are not a list' };
  const intents: Intent[] = [];
  for (const raw of parsed) {
    const intent = checkIntent(raw);
    if (intent === null) return { ok: false, reason: `bad intent ${JSON.stringify(raw).slice(0, 200)}` };
    intents.push(intent);
  }
  return { ok: true, entry: { node, seq, at: idTime(id), intents } };
}

const STYLES: ReadonlySet<string> = new Set<Style>(['chat', 'action', 'notice']);
const REASONS: ReadonlySet<string> = new Set<LeaveReason>(['quit', 'dropped', 'too-slow']);

type Fields = Record<string, unknown>;
const str = (o: Fields, key: string): boolean => typeof o[key] === 'string';
const optStr = (o: Fields, key: string): boolean => o[key] === undefined || typeof o[key] === 'string';
const strOrNull = (o: Fields, key: string): boolean => o[key] === null || typeof o[key] === 'string';

/** An intent of a known kind with fields of the right types, or null. */
export function checkIntent(raw: unknown): Intent | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const o = raw as Fields;
  const ok = ((): boolean => {
    switch (o.kind) {
      case 'claim':
        return str(o, 'conn') && str(o, 'name') && typeof o.lobby === 'boolean';
      case 'say':
        return str(o, 'conn') && strOrNull(o, 'room') && str(o, 'text') && STYLES.has(o.style as string);
      case 'msg':
        return str(o, 'conn') && str(o, 'to') && str(o, 'text') && STYLES.has(o.style as string);
      case 'rename':
        return str(o, 'conn') && str(o, 'name');
      case 'join':
      case 'members':
        return str(o, 'conn') && str(o, 'room');
      case 'part':
        return str(o, 'conn') && strOrNull(o, 'room') && optStr(o, 'message');
      case 'who':
      case 'rooms':
        return str(o, 'conn');
      case 'history':
        return str(o, 'conn') && (o.count === null || (Number.isSafeInteger(o.count) && (o.count as number) > 0));
      case 'whois':
        return str(o, 'conn') && str(o, 'name');
      case 'leave':
        return str(o, 'conn') && REASONS.has(o.reason as string) && optStr(o, 'message');
      case 'shutdown':
        return true;
      case 'node-gone':
        return str(o, 'node');
      default:
        return false;
    }
  })();
  return ok ? (o as unknown as Intent) : null;
}

/**
 * Intents that are never refused or dropped while the log is out of reach: they keep the chat's
 * state true (a user who left must leave everywhere), are tiny, and there is at most one per
 * connection or node.
 */
export function isControl(intent: Intent): boolean {
  return intent.kind === 'leave' || intent.kind === 'shutdown' || intent.kind === 'node-gone';
}
