// Tab completion (src/client/complete.ts): examples for each position in the line (commands, room
// names after /join /part /who, user names), then properties over any line, roster and rooms. `tab` below applies an answer the way Node 20's readline does on
// the first Tab (lib/internal/readline/interface.js, `kTabCompleter`), so the properties speak
// about what the user sees happen to the line, not only about the candidates.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commonPrefix, complete, type Completion } from '../src/client/complete.ts';
import { NO_ROOMS, knownRooms, type Rooms } from '../src/client/rooms.ts';
import { EMPTY_ROSTER, type Roster } from '../src/client/roster.ts';
import { nameKey } from '../src/core/names.ts';

const R = (me: string | null, ...names: string[]): Roster => ({ me, names, keys: names.map(nameKey) });
const ROSTER = R('Bob', 'Bob', 'Ann', 'anna', 'Joe', 'José', 'zed');
/** Rooms I am in, and rooms seen in a /rooms list. */
const ROOMS = (joined: string[], listed: string[] = []): Rooms => ({
  ...NO_ROOMS,
  current: joined.at(-1) ?? null,
  joined,
  list: listed.map((room) => ({ room, users: 1 })),
});
const MINE = ROOMS(['#lobby', '#rust'], ['#lobby', '#rust', '#ruby', '#Haskell', '#go']);

/** The line after one Tab, as readline computes it (the cursor at the end of `line`). */
function tab(line: string, [completions, completeOn]: Completion): string {
  if (completions.length === 0) return line;
  const prefix = commonPrefix(completions.filter((c) => c !== ''));
  if (prefix.startsWith(completeOn) && prefix.length > completeOn.length) return line + prefix.slice(completeOn.length);
  if (!completeOn.startsWith(prefix)) return line.slice(0, line.length - completeOn.length) + prefix;
  return line;
}

const typed = (line: string, roster: Roster = ROSTER, rooms: Rooms = MINE): string => tab(line, complete(line, roster, rooms));

describe('complete: command names', () => {
  it('should complete a command word, with a space when the command takes arguments', () => {
    expect(complete('/ms', ROSTER)).toEqual([['/msg '], '/ms']);
    expect(complete('/w', ROSTER)).toEqual([['/who'], '/w']);
    expect(complete('/he', ROSTER)).toEqual([['/help'], '/he']);
    expect(typed('/ms')).toBe('/msg ');
    expect(typed('/n')).toBe('/nick ');
    expect(typed('/q')).toBe('/quit');
  });

  it('should complete the room commands: a space after /join (it needs a room), none after those whose room is optional', () => {
    expect(typed('/j')).toBe('/join ');
    expect(typed('/p')).toBe('/part');
    expect(typed('/r')).toBe('/rooms');
    expect(typed('/hi')).toBe('/history');
    expect(complete('/h', ROSTER)).toEqual([['/history', '/help'], '/h']);
  });

  it('should match in any letter case and keep leading spaces', () => {
    expect(typed('/MS')).toBe('/msg ');
    expect(typed('  /Wh')).toBe('  /who');
  });

  it('should offer every command for a bare slash, and both for an ambiguous prefix', () => {
    expect(complete('/', ROSTER)[0]).toEqual(['/who', '/join ', '/part', '/rooms', '/history', '/msg ', '/nick ', '/me ', '/help', '/quit']);
    expect(complete('/m', ROSTER)).toEqual([['/msg ', '/me '], '/m']);
    expect(typed('/m')).toBe('/m'); // readline lists them on a second Tab
    expect(complete('/x', ROSTER)).toEqual([[], '/x']);
  });
});

describe('complete: room names', () => {
  it('should complete the room of /join and /who from my rooms and the listed ones, with its #', () => {
    expect(typed('/join #h')).toBe('/join #Haskell');
    expect(typed('/join #ru')).toBe('/join #ru'); // #rust and #ruby: listed on a second Tab
    expect(complete('/join #ru', ROSTER, MINE)).toEqual([['#ruby', '#rust'], '#ru']);
    expect(typed('/join #rus')).toBe('/join #rust');
    expect(typed('/who #g')).toBe('/who #go');
    expect(typed('/WHO  #G')).toBe('/WHO  #go');
  });

  it('should keep a room typed without its # without it, as the server takes it', () => {
    expect(typed('/join has')).toBe('/join Haskell');
    expect(typed('/join HAS')).toBe('/join Haskell');
    expect(complete('/join ru', ROSTER, MINE)).toEqual([['ruby', 'rust'], 'ru']);
  });

  it('should list every room for an empty word, and complete /part only to rooms I am in', () => {
    expect(complete('/join ', ROSTER, MINE)).toEqual([['#go', '#Haskell', '#lobby', '#ruby', '#rust'], '']);
    expect(typed('/join ')).toBe('/join #');
    expect(complete('/part ', ROSTER, MINE)).toEqual([['#lobby', '#rust'], '']);
    expect(typed('/part #r')).toBe('/part #rust');
    expect(typed('/part #h')).toBe('/part #h'); // not mine: nothing to leave
  });

  it('should know my rooms before any /rooms list, and complete nothing after the room', () => {
    expect(typed('/join #r', ROSTER, ROOMS(['#lobby', '#rust']))).toBe('/join #rust');
    expect(complete('/join #rust ', ROSTER, MINE)).toEqual([[], '']);
    expect(complete('/join #rust a', ROSTER, MINE)).toEqual([[], 'a']);
    expect(complete('/join #r', ROSTER, NO_ROOMS)).toEqual([[], '#r']);
    expect(complete('/who Ann', ROSTER, MINE)).toEqual([[], 'Ann']); // /who takes a room, not a name
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
const context = fc.constantFrom('', '  ', '/msg ', '/MSG  ', 'hi ', 'hi\t', '/me waves at ', '/msg Ann ', '/nick ', 'Ann: ', '/who ', '/join ', '/part ', '/JOIN  ');

/** Room names as the server writes them, often sharing a prefix in some letter case. */
const roomName = fc.oneof(
  fc.constantFrom('#lobby', '#rust', '#Rust-lang', '#RUBY', '#ruby.on.rails', '#go', '#Ωmega', '#ωMEGA', '#straße', '#STRASSE'),
  fc.stringMatching(/^[A-Za-z0-9_.-]{1,32}$/).map((r) => `#${r}`),
);
const rooms: fc.Arbitrary<Rooms> = fc
  .tuple(fc.uniqueArray(roomName, { selector: nameKey, maxLength: 6 }), fc.uniqueArray(roomName, { selector: nameKey, maxLength: 8 }))
  .map(([joined, listed]) => ROOMS(joined, listed));

/** A roster and rooms, and a line typed against them: mostly a context and the start of a name or room, else anything. */
const rosterAndLine: fc.Arbitrary<[Roster, string, Rooms]> = fc.tuple(roster, rooms).chain(([who, where]) =>
  fc.tuple(
    fc.constant(who),
    fc.oneof(
      { weight: 4, arbitrary: fc.tuple(context, typedPrefix(who.names)).map(([before, word]) => before + word) },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.constantFrom('/join ', '/part ', '/who ', '/Join  '), typedPrefix([...where.joined, ...where.list.map((r) => r.room)]), fc.boolean())
          .map(([before, word, bare]) => before + (bare ? word.replace(/^#/u, '') : word)),
      },
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
    fc.constant(where),
  ),
);

describe('complete: properties', () => {
  it('should never throw, and answer with a suffix of the line', () => {
    fc.assert(
      fc.property(rosterAndLine, ([who, text, where]) => {
        const [, substring] = complete(text, who, where);
        expect(text.endsWith(substring)).toBe(true);
      }),
      RUNS,
    );
  });

  it('should only offer candidates that start with the completed text, in any letter case', () => {
    fc.assert(
      fc.property(rosterAndLine, ([who, text, where]) => {
        const [candidates, substring] = complete(text, who, where);
        for (const candidate of candidates) expect(nameKey(candidate).startsWith(nameKey(substring))).toBe(true);
      }),
      RUNS,
    );
  });

  it('should offer only names online (never mine), or after /join, /who, /part only rooms known (for /part, mine)', () => {
    fc.assert(
      fc.property(rosterAndLine, ([who, text, where]) => {
        const [candidates] = complete(text, who, where);
        const command = /^\s*(\/\S+)\s+\S*$/u.exec(text)?.[1]?.toLowerCase();
        const roomsOffered = command === '/part' ? where.joined : command === '/join' || command === '/who' ? knownRooms(where) : null;
        for (const candidate of candidates) {
          const word = candidate.replace(/:? $/u, '');
          if (word.startsWith('/')) continue;
          if (roomsOffered !== null) {
            expect(roomsOffered.map(nameKey)).toContain(nameKey(word.startsWith('#') ? word : `#${word}`));
            continue;
          }
          expect(who.keys).toContain(nameKey(word));
          if (who.me !== null) expect(nameKey(word)).not.toBe(nameKey(who.me));
        }
      }),
      RUNS,
    );
  });

  it('should never lose what was typed: after a Tab the line still starts with it, in some letter case', () => {
    fc.assert(
      fc.property(rosterAndLine, ([who, text, where]) => {
        expect(nameKey(tab(text, complete(text, who, where))).startsWith(nameKey(text))).toBe(true);
      }),
      RUNS,
    );
  });

  it('should be stable: a second Tab after a unique completion never changes what the first one wrote', () => {
    fc.assert(
      fc.property(rosterAndLine, ([who, text, where]) => {
        const first = complete(text, who, where);
        fc.pre(first[0].length === 1);
        const once = tab(text, first);
        const twice = tab(once, complete(once, who, where));
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
