// What the page remembers across a reload of the tab (sessionStorage): the name it chatted under,
// its rooms and its current room, so a reload (or a new connection after a drop) brings the user
// back as they were. Pure: encoding and a strict decoding (the stored text is input like any other).
import { isWireName, isWireRoom } from '../line/messages.ts';

export interface Memory {
  /** The name the server last welcomed us under (following our /nick); null: none, ask. */
  readonly name: string | null;
  /** The rooms we were in, in the order we joined them. */
  readonly rooms: readonly string[];
  /** Our current room then; null for none. */
  readonly current: string | null;
}

export const FORGOTTEN: Memory = Object.freeze({ name: null, rooms: Object.freeze([]), current: null });

/** The sessionStorage key. */
export const MEMORY_KEY = 'rxchat.session';

/** At most this many rooms are remembered (the server's default --max-rooms-per-user is 20). */
const MAX_REMEMBERED_ROOMS = 100;

export function encodeMemory(memory: Memory): string {
  return JSON.stringify(memory);
}

/** The memory in `text`, or FORGOTTEN when it is missing or not exactly what encodeMemory writes. */
export function decodeMemory(text: string | null): Memory {
  if (text === null) return FORGOTTEN;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return FORGOTTEN;
  }
  if (typeof value !== 'object' || value === null) return FORGOTTEN;
  const { name, rooms, current } = value as Record<string, unknown>;
  if (name !== null && (typeof name !== 'string' || !isWireName(name))) return FORGOTTEN;
  if (!Array.isArray(rooms) || rooms.length > MAX_REMEMBERED_ROOMS || !rooms.every((r) => typeof r === 'string' && isWireRoom(r))) return FORGOTTEN;
  if (current !== null && (typeof current !== 'string' || !isWireRoom(current))) return FORGOTTEN;
  return { name, rooms: rooms as string[], current };
}

/** True when two memories say the same. */
export function sameMemory(a: Memory, b: Memory): boolean {
  return a.name === b.name && a.current === b.current && a.rooms.length === b.rooms.length && a.rooms.every((r, i) => r === b.rooms[i]);
}
