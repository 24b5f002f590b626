// The IRC message grammar (src/irc/message.ts) and the outgoing line (src/irc/irc-line.ts):
// examples from modern.ircdocs.horse and the public irc-parser-tests cases, then properties:
// parse ∘ serialize = id on valid messages, and parsing never throws on any input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IrcLine, MAX_IRC_LINE_BYTES, fitBytes, splitToFit, utf8Bytes } from '../src/irc/irc-line.ts';
import { isMiddle, parseMessage, serializeMessage, type IrcMessage } from '../src/irc/message.ts';

const msg = (source: string | null, command: string, params: string[], tags: [string, string][] = []): IrcMessage => ({ tags, source, command, params });

describe('parseMessage', () => {
  it.each<[string, IrcMessage]>([
    ['PING', msg(null, 'PING', [])],
    ['ping :abc def', msg(null, 'PING', ['abc def'])],
    ['NICK ann', msg(null, 'NICK', ['ann'])],
    ['USER guest 0 * :Ronnie Reagan', msg(null, 'USER', ['guest', '0', '*', 'Ronnie Reagan'])],
    [':irc.example.com CAP * LIST :', msg('irc.example.com', 'CAP', ['*', 'LIST', ''])],
    ['CAP * LS :multi-prefix sasl', msg(null, 'CAP', ['*', 'LS', 'multi-prefix sasl'])],
    ['CAP REQ :sasl message-tags foo', msg(null, 'CAP', ['REQ', 'sasl message-tags foo'])],
    [':dan!d@localhost PRIVMSG #chan :Hey!', msg('dan!d@localhost', 'PRIVMSG', ['#chan', 'Hey!'])],
    [':dan!d@localhost PRIVMSG #chan Hey!', msg('dan!d@localhost', 'PRIVMSG', ['#chan', 'Hey!'])],
    [':dan!d@localhost PRIVMSG #chan ::-)', msg('dan!d@localhost', 'PRIVMSG', ['#chan', ':-)'])],
    ['PRIVMSG #chan :', msg(null, 'PRIVMSG', ['#chan', ''])],
    ['PRIVMSG #chan :a  b ', msg(null, 'PRIVMSG', ['#chan', 'a  b '])],
    ['JOIN :', msg(null, 'JOIN', [''])],
    ['  JOIN   #a   key  ', msg(null, 'JOIN', ['#a', 'key'])],
    ['@id=123AB;rose :nick!ident@host.com PRIVMSG me :Hello', msg('nick!ident@host.com', 'PRIVMSG', ['me', 'Hello'], [['id', '123AB'], ['rose', '']])],
    ['@a=b\\\\and\\nk;c=72\\s45;d=gh\\:764 foo', msg(null, 'FOO', [], [['a', 'b\\and\nk'], ['c', '72 45'], ['d', 'gh;764']])],
    ['@a=\\x\\ foo', msg(null, 'FOO', [], [['a', 'x']])],
    ['@a=;=x;;b= foo', msg(null, 'FOO', [], [['a', ''], ['b', '']])],
    ['001 ann :Welcome', msg(null, '001', ['ann', 'Welcome'])],
  ])('should parse %j', (line, expected) => {
    expect(parseMessage(line)).toEqual(expected);
  });

  it.each(['', '   ', ':source.only', '@tags=only', '@a=b :src', ': '])('should find no command in %j', (line) => {
    expect(parseMessage(line)).toBeNull();
  });
});

describe('serializeMessage', () => {
  it('should write the last parameter as trailing only when it must, or when asked', () => {
    expect(serializeMessage(msg('rxchat', 'JOIN', ['#a']))).toBe(':rxchat JOIN #a');
    expect(serializeMessage(msg('rxchat', 'PART', ['#a', 'see you']))).toBe(':rxchat PART #a :see you');
    expect(serializeMessage(msg(null, 'PRIVMSG', ['#a', '']))).toBe('PRIVMSG #a :');
    expect(serializeMessage(msg(null, 'PRIVMSG', ['#a', ':)']))).toBe('PRIVMSG #a ::)');
    expect(serializeMessage(msg(null, 'NICK', ['ann']), { trailing: true })).toBe('NICK :ann');
  });

  it('should escape tag values and never let CR, LF or NUL reach the wire', () => {
    expect(serializeMessage(msg(null, 'TAGMSG', ['#a'], [['k', 'a;b c\\d\r\n']]))).toBe('@k=a\\:b\\sc\\\\d\\r\\n TAGMSG #a');
    expect(serializeMessage(msg('x', 'PRIVMSG', ['#a', 'one\r\nQUIT :two\0']))).toBe(':x PRIVMSG #a :oneQUIT :two');
  });
});

// Valid messages: what a conforming peer may send.
const tagKey = fc.stringMatching(/^\+?([a-z][a-z0-9.-]*\/)?[A-Za-z0-9-]{1,12}$/);
const anyText = fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => s.replace(/[\r\n\0]/g, ''));
const middle = anyText.map((s) => s.replace(/ /g, '_')).filter((s) => isMiddle(s));
const message = fc.record({
  tags: fc.array(fc.tuple(tagKey, anyText), { maxLength: 3 }),
  source: fc.option(middle, { nil: null }),
  command: fc.oneof(fc.stringMatching(/^[A-Z]{1,10}$/), fc.stringMatching(/^[0-9]{3}$/)),
  params: fc.tuple(fc.array(middle, { maxLength: 6 }), fc.option(anyText, { nil: null })).map(([mid, last]) => (last === null ? mid : [...mid, last])),
});

describe('the grammar, as properties', () => {
  it('parse ∘ serialize = id on valid messages (with and without a forced trailing)', () => {
    fc.assert(
      fc.property(message, fc.boolean(), (m, trailing) => {
        expect(parseMessage(serializeMessage(m, { trailing }))).toEqual(m);
      }),
      { numRuns: 2000 },
    );
  });

  it('serialize ∘ parse is a fixed point: a parsed line, written again, parses the same', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (line) => {
        const parsed = parseMessage(line);
        if (parsed === null) return;
        expect(parseMessage(serializeMessage(parsed))).toEqual(parsed);
      }),
      { numRuns: 2000 },
    );
  });

  it('should never throw on any bytes (decoded as the framer does)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const line = Buffer.from(bytes).toString('utf8');
        const parsed = parseMessage(line);
        if (parsed !== null) expect(parsed.command.length).toBeGreaterThan(0);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('IrcLine and splitting', () => {
  it('should end every line in CR LF, encoded once', () => {
    const line = new IrcLine(':rxchat PONG rxchat :x');
    expect(line.encode().toString('utf8')).toBe(':rxchat PONG rxchat :x\r\n');
    expect(line.encode()).toBe(line.encode());
  });

  it('should cut a line over 512 bytes with CR LF on a character boundary (a last resort)', () => {
    const line = new IrcLine('é'.repeat(400));
    expect(line.encode().length).toBe(512);
    expect(line.text).toBe('é'.repeat(255));
  });

  it('should split text into pieces within the limit, whole characters, never empty, losing nothing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), fc.integer({ min: 4, max: 120 }), (text, max) => {
        const pieces = splitToFit(text, max);
        expect(pieces.join('')).toBe(text);
        for (const piece of pieces) {
          expect(utf8Bytes(piece)).toBeLessThanOrEqual(max);
          if (text !== '') expect(piece).not.toBe('');
          expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(piece)).toBe(false); // no half a surrogate pair
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('should break after a space when one is in the second half of a piece', () => {
    expect(splitToFit('aaaa bbbb cccc', 10)).toEqual(['aaaa bbbb ', 'cccc']);
    expect(fitBytes('😀😀', 5)).toBe('😀');
    expect(MAX_IRC_LINE_BYTES).toBe(510);
  });
});
