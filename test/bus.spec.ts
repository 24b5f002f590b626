// The bus: one global order even when actors publish while an event is being fanned out.
import { describe, expect, it } from 'vitest';
import { createBus } from '../src/bus.ts';
import type { RoomEvent } from '../src/protocol/events.ts';

const describeEvent = (e: RoomEvent): string => `${e.kind}:${'id' in e ? e.id : 'from' in e ? e.from : '-'}`;

describe('bus', () => {
  it('should queue what is published during a fan-out, so every subscriber sees one order', () => {
    const bus = createBus();
    const seenBy: string[][] = [[], [], []];
    // Subscriber 0 reacts to the first join by publishing another claim, re-entrantly.
    bus.events$.subscribe((e) => {
      seenBy[0]!.push(describeEvent(e));
      if (e.kind === 'joined' && e.id === 1) bus.publish({ kind: 'claim', id: 2, name: 'john' });
    });
    bus.events$.subscribe((e) => seenBy[1]!.push(describeEvent(e)));
    bus.events$.subscribe((e) => seenBy[2]!.push(describeEvent(e)));

    bus.publish({ kind: 'claim', id: 1, name: 'bob' });

    expect(seenBy[0]).toEqual(['joined:1', 'joined:2']);
    expect(seenBy[1]).toEqual(seenBy[0]);
    expect(seenBy[2]).toEqual(seenBy[0]);
  });

  it('should keep the room running when every subscriber has gone', () => {
    const bus = createBus();
    bus.events$.subscribe().unsubscribe();
    bus.publish({ kind: 'claim', id: 1, name: 'bob' });
    const seen: string[] = [];
    bus.events$.subscribe((e) => seen.push(describeEvent(e)));
    bus.publish({ kind: 'claim', id: 2, name: 'BOB' });
    expect(seen).toEqual(['name-taken:2']);
    expect(bus.roster.size).toBe(1);
  });

  it('should announce each leave once, however many times it is asked for', () => {
    const bus = createBus();
    const seen: string[] = [];
    bus.events$.subscribe((e) => seen.push(describeEvent(e)));
    bus.publish({ kind: 'claim', id: 1, name: 'bob' });
    bus.publish({ kind: 'leave', id: 1, reason: 'quit' });
    bus.publish({ kind: 'leave', id: 1, reason: 'dropped' });
    bus.publish({ kind: 'say', id: 1, text: 'too late' });
    expect(seen).toEqual(['joined:1', 'left:1']);
  });
});
