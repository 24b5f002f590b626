// Tab completion (src/client/complete.ts): examples for each position in the line, then properties
// over any line and any roster. `tab` below applies an answer the way Node 20's readline does on
// the first Tab (lib/internal/readline/interface.js, `kTabCompleter`), so the properties speak
// about what the user sees happen to the line, not only about the candidates.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commonPrefix, complete, type Completion } from '../src/client/complete.ts';
import { EMPTY_ROSTER, type Roster } from '../src/client/roster.ts';
import { nameKey } from '../src/protocol/names.ts';

const R = (me: string | null, ...names: string[]): Roster => ({ me, names, keys: names.map(nameKey) });
const ROSTER = R('Bob', 'Bob', 'Ann', 'anna', 'Joe', 'José', 'zed');

/** The line after one Tab, as readline computes it (the cursor at the end of `line`). */
function tab(line: string, [completions, completeOn]: Completion): string {
  if (completions.length === 0) return line;
  const prefix = commonPrefix(completions.filter((c) => c !== ''));
  if (prefix.startsWith(completeOn) && prefix.length > completeOn.length) return line + prefix.slice(completeOn.length);
  if (!completeOn.startsWith(prefix)) return line.slice(0, line.length - completeOn.length) + prefix;
  return line;
}

const typed = (line: string, roster: Roster = ROSTER): string => tab(line, complete(line, roster));

describe('complete: command names', () => {
  it('should complete a command word, with a space when the command takes arguments', () => {
    expect(complete('/ms', ROSTER)).toEqual([['/msg '], '/ms']);
    expect(complete('/w', ROSTER)).toEqual([['/who'], '/w']);
    expect(complete('/h', ROSTER)).toEqual([['/help'], '/h']);
    expect(typed('/ms')).toBe('/msg ');
    expect(typed('/n')).toBe('/nick ');
    expect(typed('/q')).toBe('/quit');
  });

  it('should match in any letter case and keep leading spaces', () => {
    expect(typed('/MS')).toBe('/msg ');
    expect(typed('  /Wh')).toBe('  /who');
  });

  it('should offer every command for a bare slash, and both for an ambiguous prefix', () => {
    expect(complete('/', ROSTER)[0]).toEqual(['/who', '/msg ', '/nick ', '/me ', '/help', '/quit']);
    expect(complete('/m', ROSTER)).toEqual([['/msg ', '/me '], '/m']);
    expect(typed('/m')).toBe('/m'); // readline lists them on a second Tab
    expect(complete('/x', ROSTER)).toEqual([[], '/x']);
  });
});

describe('complete: user names', () => {
  it('should complete the second word of /msg with a name and a space, never my own', () => {
    expect(typed('/msg j')).toBe('/msg Jo');
    expect(complete('/msg jo', ROSTER)).toEqual([['Joe ', 'José '], 'jo']);
    expect(typed('/msg z')).toBe('/msg zed ');
    expect(typed('/MSG  Z')).toBe('/MSG  zed ');
    expect(complete('/msg b', ROSTER)).toEqual([[], 'b']); // Bob is me
  });

  it('should list everyone (but me) after /msg and a space, sorted', () => {
    expect(complete('/msg ', ROSTER)).toEqual([['Ann ', 'anna ', 'Joe ', 'José ', 'zed '], '']);
  });

  it('should address someone IRC-style in the first word of a chat line', () => {
    expect(typed('z')).toBe('zed: ');
    expect(typed('  ZE')).toBe('  zed: ');
    expect(complete('an', ROSTER)).toEqual([['Ann: ', 'anna: '], 'an']);
    expect(typed('an')).toBe('an'); // `Ann` and `anna` differ in case where they agree: readline would lose letters
  });

  it('should complete a later word of chat, /me or the text of /msg with a plain space', () => {
    expect(typed('hi z')).toBe('hi zed ');
    expect(typed('/me waves at z')).toBe('/me waves at zed ');
    expect(typed('/msg Joe ask z')).toBe('/msg Joe ask zed ');
  });

  it('should complete nothing for an empty word outside /msg, nor for /nick', () => {
    expect(complete('', ROSTER)).toEqual([[], '']);
    expect(complete('zed: ', ROSTER)).toEqual([[], '']);
    expect(complete('/nick z', ROSTER)).toEqual([[], 'z']);
    expect(complete('hello', EMPTY_ROSTER)).toEqual([[], 'hello']);
  });

  it('should put a name in its own case in place of the word, keeping what was typed', () => {
    expect(typed('ZED')).toBe('zed: ');
    expect(typed('hi jos')).toBe('hi José ');
    // `Bob` and `BOBBY` share only `B` in exact case: readline would turn `bob` into `B`. So only
    // the candidates in the word's exact case are offered: none for `bob`.
    const twins = R(null, 'Bob', 'BOBBY');
    expect(complete('bob', twins)).toEqual([[], 'bob']);
    expect(typed('bob', twins)).toBe('bob');
    expect(complete('BOB', twins)).toEqual([['Bob: ', 'BOBBY: '], 'BOB']); // `BOB` starts with `B`: safe as is
    expect(complete('BOBB', twins)).toEqual([['BOBBY: '], 'BOBB']);
    expect(complete('Bo', twins)).toEqual([['Bob: ', 'BOBBY: '], 'Bo']); // `Bo` starts with `B`: left alone, listed on a second Tab
    expect(typed('Bo', twins)).toBe('Bo');
    // With no common prefix at all readline leaves the word alone: every candidate is offered.
    const triplets = R(null, 'Bob', 'BOBBY', 'bobcat');
    expect(complete('bob', triplets)).toEqual([['Bob: ', 'BOBBY: ', 'bobcat: '], 'bob']);
    expect(typed('bob', triplets)).toBe('bob');
  });
});

/** A name as the server would send it, often sharing a prefix (in some case) with others. */
const name = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom('Ann', 'anna', 'ANNIE', 'Bob', 'BOBBY', 'bobcat', 'José', 'JOSEPH', 'straße', 'STRASSE', 'Ωmega', 'ωMEGA', 'a.b', 'x_y-z'),
  },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.-]{1,24}$/) },
);
/** Names that agree on a prefix in some letter case only: the hard case for readline. */
const TWINS = ['Bob', 'BOBBY', 'bObcat', 'Ann', 'anna', 'ANNIE', 'Ωmega', 'ωMEGA', 'straße', 'STRASSE'];
const roster: fc.Arbitrary<Roster> = fc
  .tuple(
    fc.oneof(fc.uniqueArray(name, { selector: nameKey, maxLength: 12 }), fc.shuffledSubarray(TWINS, { minLength: 2 })),
    fc.option(name, { nil: null }),
  )
  .map(([names, me]) => R(me, ...names.filter((n, i) => names.findIndex((m) => nameKey(m) === nameKey(n)) === i)));
/** Many runs: each is a few microseconds. */
const RUNS = { numRuns: 1000 };

/** The start of one of `names` (or of any name), as typed: in its own case, all lower or all upper. */
const typedPrefix = (names: readonly string[]): fc.Arbitrary<string> =>
  fc
    .tuple(names.length > 0 ? fc.constantFrom(...names) : name, fc.nat(), fc.constantFrom('same', 'lower', 'upper'))
    .map(([n, cut, typing]) => {
      const p = n.slice(0, 1 + (cut % n.length));
      return typing === 'lower' ? p.toLowerCase() : typing === 'upper' ? p.toUpperCase() : p;
    });

/** Where the word being completed may stand: first, after /msg, later in chat or /me, after /nick. */
const context = fc.constantFrom('', '  ', '/msg ', '/MSG  ', 'hi ', 'hi\t', '/me waves at ', '/msg Ann ', '/nick ', 'Ann: ', '/who ');

/** A roster, and a line typed against it: mostly a context and the start of a name, else anything. */
const rosterAndLine: fc.Arbitrary<[Roster, string]> = roster.chain((who) =>
  fc.tuple(
    fc.constant(who),
    fc.oneof(
      { weight: 4, arbitrary: fc.tuple(context, typedPrefix(who.names)).map(([before, word]) => before + word) },
      { weight: 1, arbitrary: fc.tuple(context, fc.constantFrom('/', '/m', '/Ms', '/WHO', '')).map(([before, word]) => before + word) },
      {
        weight: 2,
        arbitrary: fc
          .array(fc.oneof(fc.constantFrom('/', '/m', '/msg', ' ', '  ', '\t', 'hi', ':'), name, typedPrefix(who.names)), { maxLength: 6 })
          .map((parts) => parts.join('')),
      },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
      // Any UTF-16 code unit: controls, lone surrogates (the `binary` unit costs a second to set up).
      { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 30 }) },
    ),
  ),
);

describe('complete: properties', () => {
  it('should never throw, and answer with a suffix of the line', () => {
    fc.assert(
      fc.property(rosterAndLine, ([who, text]) => {
        const [, substring] = complete(text, who);
        expect(text.endsWith(substring)).toBe(true);
      }),
      RUNS,
    );
  });

  it('should only offer candidates that start with the completed text, in any letter case', () => {
    fc.assert(
      fc.property(rosterAndLine, ([who, text]) => {
        const [candidates, substring] = complete(text, who);
        for (const candidate of candidates) expect(nameKey(candidate).startsWith(nameKey(substring))).toBe(true);
      }),
      RUNS,
    );
  });

  it('should never offer my own name, and only names that are online', () => {
    fc.assert(
      fc.property(rosterAndLine, ([who, text]) => {
        const [candidates] = complete(text, who);
        for (const candidate of candidates) {
          const word = candidate.replace(/:? $/u, '');
          if (word.startsWith('/')) continue;
          expect(who.keys).toContain(nameKey(word));
          if (who.me !== null) expect(nameKey(word)).not.toBe(nameKey(who.me));
        }
      }),
      RUNS,
    );
  });

  it('should never lose what was typed: after a Tab the line still starts with it, in some letter case', () => {
    fc.assert(
      fc.property(rosterAndLine, ([who, text]) => {
        expect(nameKey(tab(text, complete(text, who))).startsWith(nameKey(text))).toBe(true);
      }),
      RUNS,
    );
  });

  it('should be stable: a second Tab after a unique completion never changes what the first one wrote', () => {
    fc.assert(
      fc.property(rosterAndLine, ([who, text]) => {
        const first = complete(text, who);
        fc.pre(first[0].length === 1);
        const once = tab(text, first);
        const twice = tab(once, complete(once, who));
        expect(twice.startsWith(once)).toBe(true);
        // A completed word that ends without a separator (`/who`) completes to itself.
        if (!/\s$/u.test(once)) expect(twice).toBe(once);
      }),
      RUNS,
    );
  });

  it('should complete a unique name prefix to that name, whatever its case', () => {
    fc.assert(
      fc.property(roster, fc.nat(), fc.nat(), fc.boolean(), (who, pick, cut, upper) => {
        const others = who.names.filter((n) => who.me === null || nameKey(n) !== nameKey(who.me));
        fc.pre(others.length > 0);
        const target = others[pick % others.length] ?? '';
        const prefix = target.slice(0, 1 + (cut % target.length));
        fc.pre(others.filter((n) => nameKey(n).startsWith(nameKey(prefix))).length === 1);
        const word = upper ? prefix.toUpperCase() : prefix.toLowerCase();
        fc.pre(nameKey(word) === nameKey(prefix)); // some letters have no simple other case
        expect(typed(`hi ${word}`, who)).toBe(`hi ${target} `);
      }),
      RUNS,
    );
  });
});
