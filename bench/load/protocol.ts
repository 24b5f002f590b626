// The wire, as the load generator sees it: names, chat payloads, and byte-level line parsing.
//
// Receivers handle millions of lines, so nothing here decodes text on the hot path: a line is a
// (buffer, start, end) range, classified by its first byte and parsed with integer loops.
// The lines a benchmark client expects (see PROTOCOL.md):
//   Username?                               → answer with our name
//   You are now connected, c<g>!            → welcomed (g is the client's global index)
//   *** c<g> joined the chat                → a join notice, code g
//   (c<g>) m <k> <seq> <t_us> <filler>      → chat line <seq> of sender <k>, sent at <t_us>
// and in scenarios with rooms, after the client sent `/join #r<r>`:
//   *** Now in #r<r> (<n> users)             → in room r, the n-th member (`(1 user)` for the first)
//   *** c<g> joined #r<r>                    → a room join notice, code g
// Anything else is unexpected and counts against correctness.

export const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const ZERO = 0x30;
const NINE = 0x39;
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const STAR = 0x2a;
const LOWER_C = 0x63;
const LOWER_M = 0x6d;

/** Fixed text after the numbers, so a chat line is about 70 bytes, a typical short message. */
export const FILLER = 'the quick brown fox jumps over';

export const PROMPT = Buffer.from('Username?');
const JOINED_PREFIX = Buffer.from('*** c');
const JOINED_SUFFIX = Buffer.from(' joined the chat');
const JOINED_ROOM = Buffer.from(' joined #r');
const NOW_IN_PREFIX = Buffer.from('*** Now in #r');
const ONE_USER = Buffer.from(' (1 user)');
const USERS_SUFFIX = Buffer.from(' users)');

/** The name of the client with global index `g`. Short, unique, and cheap to parse back. */
export function clientName(g: number): string {
  return `c${g}`;
}

/** What the server answers to a client's name. */
export function welcomeLine(g: number): Buffer {
  return Buffer.from(`You are now connected, ${clientName(g)}!`);
}

/** The name of room r: `#r<r>`. */
export function roomName(r: number): string {
  return `#r${r}`;
}

/** The command that makes room r a client's current room (with its LF). */
export function joinCommand(r: number): string {
  return `/join ${roomName(r)}\n`;
}

/** One chat line as sent by sender `k` (with its LF). */
export function chatPayload(k: number, seq: number, sentAtUs: number): string {
  return `m ${k} ${seq} ${sentAtUs} ${FILLER}\n`;
}

/** A line's end without a trailing CR (our servers send none, but PROTOCOL.md allows it on input). */
export function trimCr(buf: Uint8Array, start: number, end: number): number {
  return end > start && buf[end - 1] === CR ? end - 1 : end;
}

/** True when bytes [start, end) of `buf` are exactly `expected` (short: a JS loop beats a native call). */
export function rangeEquals(buf: Uint8Array, start: number, end: number, expected: Uint8Array): boolean {
  if (end - start !== expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (buf[start + i] !== expected[i]) return false;
  return true;
}

/** True when `buf` has `expected` at `start` (room permitting). */
function hasAt(buf: Uint8Array, start: number, end: number, expected: Uint8Array): boolean {
  return end - start >= expected.length && rangeEquals(buf, start, start + expected.length, expected);
}

/** A parsed chat line; reused for every line (no allocation per line). */
export interface ChatFields {
  sender: number;
  seq: number;
  sentAtUs: number;
}

/** Where a parse stopped; -1 when the bytes were not what was expected. */
let cursor = 0;

/** Parses a decimal integer at `pos` up to the next space or `end`; sets `cursor` past it. */
function uintAt(buf: Uint8Array, pos: number, end: number): number {
  let value = 0;
  let p = pos;
  for (; p < end; p++) {
    const c = buf[p]!;
    if (c === SPACE) break;
    if (c < ZERO || c > NINE) {
      cursor = -1;
      return 0;
    }
    value = value * 10 + (c - ZERO);
  }
  cursor = p === pos ? -1 : p;
  return value;
}

/** `*** c<g> joined the chat` → g, or -1 if the line is something else. */
export function parseJoined(buf: Buffer, start: number, end: number): number {
  if (buf[start] !== STAR || !hasAt(buf, start, end, JOINED_PREFIX)) return -1;
  const g = uintAt(buf, start + JOINED_PREFIX.length, end);
  if (cursor < 0 || !rangeEquals(buf, cursor, end, JOINED_SUFFIX)) return -1;
  return g;
}

/** `*** c<g> joined #r<r>` → g, or -1 if the line is something else or of another room than `room`. */
export function parseJoinedRoom(buf: Buffer, start: number, end: number, room: number): number {
  if (buf[start] !== STAR || !hasAt(buf, start, end, JOINED_PREFIX)) return -1;
  const g = uintAt(buf, start + JOINED_PREFIX.length, end);
  if (cursor < 0 || !hasAt(buf, cursor, end, JOINED_ROOM)) return -1;
  const r = uintAt(buf, cursor + JOINED_ROOM.length, end);
  return cursor === end && r === room ? g : -1;
}

/** `*** Now in #r<r> (<n> users)` (or `(1 user)`) for `room` → n, or -1 for anything else. */
export function parseNowIn(buf: Buffer, start: number, end: number, room: number): number {
  if (buf[start] !== STAR || !hasAt(buf, start, end, NOW_IN_PREFIX)) return -1;
  const r = uintAt(buf, start + NOW_IN_PREFIX.length, end);
  if (cursor < 0 || r !== room) return -1;
  if (rangeEquals(buf, cursor, end, ONE_USER)) return 1;
  if (buf[cursor] !== SPACE || buf[cursor + 1] !== OPEN_PAREN) return -1;
  const n = uintAt(buf, cursor + 2, end);
  return cursor >= 0 && n > 1 && rangeEquals(buf, cursor, end, USERS_SUFFIX) ? n : -1;
}

/** `(c<g>) m <k> <seq> <t_us> ...` → fills `out` and returns true; false for anything else. */
export function parseChat(buf: Buffer, start: number, end: number, out: ChatFields): boolean {
  if (buf[start] !== OPEN_PAREN || buf[start + 1] !== LOWER_C) return false;
  let p = start + 2;
  const nameEnd = Math.min(end, start + 32); // names are short: bound the scan
  while (p < nameEnd && buf[p] !== CLOSE_PAREN) p++;
  if (buf[p] !== CLOSE_PAREN || buf[p + 1] !== SPACE || buf[p + 2] !== LOWER_M || buf[p + 3] !== SPACE) return false;
  out.sender = uintAt(buf, p + 4, end);
  if (cursor < 0 || cursor >= end) return false;
  out.seq = uintAt(buf, cursor + 1, end);
  if (cursor < 0 || cursor >= end) return false;
  out.sentAtUs = uintAt(buf, cursor + 1, end);
  return cursor >= 0;
}

// ---------------------------------------------------------------------------------------------
// Order fingerprints (used by fingerprint.ts): each client folds the events it saw after its
// welcome into two 32-bit hashes per sequence. Equal sequences give equal hashes, so the
// coordinator compares orders without shipping them.

/** An event's code: a join notice is its client index; a chat line sets bit 30. */
export function joinCode(g: number): number {
  return g;
}

export function chatCode(sender: number, seq: number): number {
  return (0x4000_0000 | (sender << 20) | seq) >>> 0;
}

export const HASH_SEED_A = 0x811c9dc5;
export const HASH_SEED_B = 0x9747b28c;

export function stepA(hash: number, code: number): number {
  return Math.imul(hash ^ code, 0x0100_0193) >>> 0; // FNV-1a style
}

export function stepB(hash: number, code: number): number {
  const h = Math.imul(hash + code + 0x9e37_79b9, 0x5bd1_e995) >>> 0; // murmur-style multiply
  return (h ^ (h >>> 15)) >>> 0;
}
