// The IRC renderer (src/irc/render.ts): how the chat's events read on IRC, that every line fits in
// 512 bytes with its CR LF (a line user may say 4096 bytes), and that one rendering is shared by
// every IRC recipient of an event (the hub's encode-once rule).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../src/core/events.ts';
import { historyText, ircRenderer, quitMessage } from '../src/irc/render.ts';
import type { Output } from '../src/line/front-end.ts';
import { R, ircServer, register } from './helpers/irc.ts';
import { marbles } from './helpers/marbles.ts';

const render = ircRenderer('irc.example.org');
const texts = (event: ChatEvent): string[] => render(event).map((l) => l.text);

describe('IRC rendering of chat events', () => {
  it('should relay what users do from <name>!<name>@rxchat', () => {
    expect(texts({ kind: 'said', conn: 'n1/1', name: 'Ann', room: '#rust', text: 'hi', style: 'chat' })).toEqual([':Ann!Ann@rxchat PRIVMSG #rust :hi']);
    expect(texts({ kind: 'said', conn: 'n1/1', name: 'Ann', room: '#rust', text: 'waves', style: 'action' })).toEqual([':Ann!Ann@rxchat PRIVMSG #rust :\x01ACTION waves\x01']);
    expect(texts({ kind: 'said', conn: 'n1/1', name: 'Ann', room: '#rust', text: 'fyi', style: 'notice' })).toEqual([':Ann!Ann@rxchat NOTICE #rust :fyi']);
    expect(texts({ kind: 'whispered', from: 'n1/1', fromName: 'Ann', to: 'n1/2', toName: 'Bob', text: 'psst', style: 'chat' })).toEqual([':Ann!Ann@rxchat PRIVMSG Bob :psst']);
    expect(texts({ kind: 'connected', conn: 'n1/1', name: 'Ann', room: '#lobby' })).toEqual([':Ann!Ann@rxchat JOIN #lobby']);
    expect(texts({ kind: 'joined-room', conn: 'n1/1', name: 'Ann', room: '#rust' })).toEqual([':Ann!Ann@rxchat JOIN #rust']);
    expect(texts({ kind: 'left-room', conn: 'n1/1', name: 'Ann', room: '#rust', message: null })).toEqual([':Ann!Ann@rxchat PART #rust']);
    expect(texts({ kind: 'left-room', conn: 'n1/1', name: 'Ann', room: '#rust', message: 'later' })).toEqual([':Ann!Ann@rxchat PART #rust :later']);
    expect(texts({ kind: 'renamed', conn: 'n1/1', from: 'Ann', to: 'Anna' })).toEqual([':Ann!Ann@rxchat NICK :Anna']);
    expect(texts({ kind: 'left-chat', conn: 'n1/1', name: 'Ann', reason: 'too-slow', message: null })).toEqual([':Ann!Ann@rxchat QUIT :Too slow to read (sendq exceeded)']);
    expect(texts({ kind: 'node-closed', node: 'n1', why: 'shutdown' })).toEqual(['ERROR :Server is shutting down']);
  });

  it('should give the joiner its JOIN, NAMES from the server, and history as NOTICEs; nothing on a switch', () => {
    const at = Date.UTC(2024, 0, 1, 14, 2);
    const history = [
      { at, name: 'Ann', text: 'hello', style: 'chat' as const },
      { at, name: 'Ann', text: 'waves', style: 'action' as const },
      { at, name: 'Bob', text: 'fyi', style: 'notice' as const },
    ];
    expect(texts({ kind: 'entered', conn: 'n1/2', name: 'Bob', room: '#rust', users: ['Ann', 'Bob'], history })).toEqual([
      ':Bob!Bob@rxchat JOIN #rust',
      ':irc.example.org 353 Bob = #rust :Ann Bob',
      ':irc.example.org 366 Bob #rust :End of /NAMES list',
      ':irc.example.org NOTICE #rust :[14:02] <Ann> hello',
      ':irc.example.org NOTICE #rust :[14:02] * Ann waves',
      ':irc.example.org NOTICE #rust :[14:02] -Bob- fyi',
    ]);
    expect(texts({ kind: 'entered', conn: 'n1/2', name: 'Bob', room: '#rust', users: ['Ann', 'Bob'], history: null })).toEqual([]);
  });

  it('should say why someone left: their QUIT message, or what happened', () => {
    expect(quitMessage('quit', 'bye')).toBe('Quit: bye');
    expect(quitMessage('quit', null)).toBe('Quit');
    expect(quitMessage('dropped', null)).toBe('Connection closed');
    expect(quitMessage('dropped', 'Ping timeout: 180 seconds')).toBe('Ping timeout: 180 seconds');
    expect(historyText({ at: 0, name: 'A', text: 't', style: 'chat' })).toBe('[00:00] <A> t');
  });

  it("should split a line user's 4096-byte line into PRIVMSGs of at most 512 bytes, each an ACTION when it is one", () => {
    const text = 'word '.repeat(819) + 'end';
    for (const style of ['chat', 'action'] as const) {
      const lines = render({ kind: 'said', conn: 'n1/1', name: 'Ann', room: '#rust', text, style });
      expect(lines.length).toBeGreaterThan(8);
      const prefix = style === 'action' ? ':Ann!Ann@rxchat PRIVMSG #rust :\x01ACTION ' : ':Ann!Ann@rxchat PRIVMSG #rust :';
      for (const line of lines) {
        expect(line.encode().length).toBeLessThanOrEqual(512);
        expect(line.text.startsWith(prefix)).toBe(true);
        if (style === 'action') expect(line.text.endsWith('\x01')).toBe(true);
      }
      const rejoined = lines.map((l) => l.text.slice(prefix.length, style === 'action' ? -1 : undefined)).join('');
      expect(rejoined).toBe(text);
    }
  });

  it('should keep every line of every event within 512 bytes with CR LF, and free of CR, LF and NUL (property)', () => {
    const name = fc.stringMatching(/^[\p{L}\p{Nd}_.-]{1,24}$/u);
    const room = fc.stringMatching(/^[\p{L}\p{Nd}_.-]{1,32}$/u).map((r) => `#${r}`);
    const text = fc.string({ unit: 'grapheme', maxLength: 1500 });
    const style = fc.constantFrom('chat' as const, 'action' as const, 'notice' as const);
    const event: fc.Arbitrary<ChatEvent> = fc.oneof(
      fc.record({ kind: fc.constant('said' as const), conn: fc.constant('n1/1'), name, room, text, style }),
      fc.record({ kind: fc.constant('whispered' as const), from: fc.constant('n1/1'), fromName: name, to: fc.constant('n1/2'), toName: name, text, style }),
      fc.record({ kind: fc.constant('left-room' as const), conn: fc.constant('n1/1'), name, room, message: fc.option(text, { nil: null }) }),
      fc.record({ kind: fc.constant('left-chat' as const), conn: fc.constant('n1/1'), name, reason: fc.constantFrom('quit' as const, 'dropped' as const), message: fc.option(text, { nil: null }) }),
      fc.record({
        kind: fc.constant('entered' as const),
        conn: fc.constant('n1/1'),
        name,
        room,
        users: fc.array(name, { maxLength: 200 }),
        history: fc.array(fc.record({ at: fc.nat(), name, text, style }), { maxLength: 3 }),
      }),
    );
    fc.assert(
      fc.property(event, (e) => {
        for (const line of render(e)) {
          const bytes = line.encode();
          expect(bytes.length).toBeLessThanOrEqual(512);
          expect(bytes.subarray(-2).toString()).toBe('\r\n');
          expect(/[\r\n\0]/.test(line.text)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('IRC rendering is shared', () => {
  it('should hand every IRC member of a room the same line objects for one event (rendered and encoded once)', () => {
    const sent: Output[][] = [[], [], []];
    marbles(({ hot }) => {
      const { ircOutputs } = ircServer();
      for (const id of [1, 2, 3]) {
        const input = hot(id === 1 ? '-r-s' : '-r', { r: [...register(`u${id}`), R('JOIN #a')], s: R('PRIVMSG #a :once') });
        ircOutputs(id, input).subscribe((o) => (sent[id - 1] as Output[]).push(o));
      }
    });
    const relayed = sent.slice(1).map((outputs) => outputs.find((o) => o.kind === 'send' && o.line.text === ':u1!u1@rxchat PRIVMSG #a :once'));
    expect(relayed[0]).toBeDefined();
    expect(relayed[0] && relayed[0].kind === 'send' ? relayed[0].line : null).toBe(relayed[1] && relayed[1].kind === 'send' ? relayed[1].line : undefined);
    // The sayer gets nothing back (no echo-message).
    expect(sent[0]?.some((o) => o.kind === 'send' && o.line.text.includes('PRIVMSG #a :once'))).toBe(false);
  });
});
