// The bench verifier's room checks (bench/verify.ts): what each client saw in its room, folded into
// fingerprints, must chain into one order per room, with `*** Now in` counts 1..size. These feed
// it honest and deliberately wrong sequences, so a "correct" rooms run means something.
import { describe, expect, it } from 'vitest';
import { OrderFingerprint } from '../bench/load/fingerprint.ts';
import type { ClientSummary } from '../bench/load/messages.ts';
import { rooms } from '../bench/scenarios/rooms.ts';
import { roomOf, sized, type SizedScenario } from '../bench/scenarios/spec.ts';
import { verify } from '../bench/verify.ts';

type Event = { readonly join: number } | { readonly sender: number; readonly seq: number };

/** 8 clients in 2 rooms (client g in room g % 2, sender r is client r), 3 lines per sender. */
const shape: SizedScenario = { ...sized(rooms, 'unit', 0.01), clients: 8, senders: 2, rooms: 2, lines: 3 };

interface Seen {
  /** The lobby: everyone's join notices after one's own welcome. */
  lobby: Event[];
  /** `<n>` of `*** Now in`, or null if the `/join` was never answered. */
  position: number | null;
  /** After `*** Now in`: the room's later joins, then its sender's lines. */
  room: Event[];
}

/** What every client sees when the 8 join in order 0..7, then `/join` in order 0..7, then chat. */
function honest(): Seen[] {
  return Array.from({ length: shape.clients }, (_, g) => {
    const r = roomOf(g, shape.rooms);
    const mates = Array.from({ length: shape.clients }, (_, h) => h).filter((h) => roomOf(h, shape.rooms) === r);
    const lines = Array.from({ length: shape.lines }, (_, seq) => ({ sender: r, seq }));
    return {
      lobby: Array.from({ length: shape.clients - g - 1 }, (_, i) => ({ join: g + 1 + i })),
      position: mates.indexOf(g) + 1,
      room: [...mates.filter((h) => h > g).map((h) => ({ join: h })), ...lines],
    };
  });
}

function fold(events: readonly Event[]): { fingerprint: OrderFingerprint; complete: boolean } {
  const fingerprint = new OrderFingerprint();
  let next = 0;
  let inOrder = true;
  for (const event of events) {
    if ('join' in event) {
      fingerprint.join(event.join);
    } else {
      fingerprint.chat(event.sender, event.seq);
      if (event.seq === next) next++;
      else inOrder = false;
    }
  }
  return { fingerprint, complete: inOrder && next === shape.lines };
}

function summaries(seen: readonly Seen[]): ClientSummary[] {
  return seen.map((s, g) => {
    const lobby = new OrderFingerprint();
    for (const event of s.lobby) if ('join' in event) lobby.join(event.join);
    const room = fold(s.room);
    const inRoom = s.position === null ? null : { room: roomOf(g, shape.rooms), position: s.position, ...room.fingerprint.sequence() };
    return lobby.summary(g, true, room.complete, inRoom);
  });
}

const check = (seen: Seen[]): string => verify(shape, summaries(seen)).join('\n');

describe('bench verifier, room by room', () => {
  it('accepts every room in one order', () => {
    expect(verify(shape, summaries(honest()))).toEqual([]);
  });

  it('notices a wrong "Now in (<n> users)" count', () => {
    const seen = honest();
    seen[2]!.position = 1;
    expect(check(seen)).toMatch(/#r0: the "Now in \(<n> users\)" counts were not 1\.\.4/);
  });

  it('notices a lost room join notice', () => {
    const seen = honest();
    seen[1]!.room.splice(0, 1);
    expect(check(seen)).toMatch(/#r1: .*(join notices|heard)/);
  });

  it('notices members of a room hearing its joins in different orders', () => {
    const seen = honest();
    const room = seen[0]!.room;
    [room[0], room[1]] = [room[1]!, room[0]!];
    expect(check(seen)).toMatch(/#r0: not one order/);
  });

  it('notices a line of the room lost, and a client whose /join was never answered', () => {
    const lost = honest();
    lost[5]!.room.pop();
    expect(check(lost)).toMatch(/1 clients did not get every chat line of its room exactly once, in order/);
    const stranded = honest();
    stranded[3]!.position = null;
    expect(check(stranded)).toMatch(/1 clients never got into their room, e.g. c3/);
  });
});
