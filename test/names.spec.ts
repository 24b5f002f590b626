// Name validation and case-insensitive identity, as a table of inputs and answers.
import { describe, expect, it } from 'vitest';
import { checkName, nameKey } from '../src/core/names.ts';

describe('checkName', () => {
  it.each([
    ['Bob', 'Bob'],
    ['  Bob \t', 'Bob'],
    ['a', 'a'],
    ['x'.repeat(24), 'x'.repeat(24)],
    ['john_doe-2.0', 'john_doe-2.0'],
    ['Zoë', 'Zoë'],
    ['Zoe\u0308', 'Zoë'], // combining diaeresis, normalised to NFC
    ['日本', '日本'],
    ['नमस्ते', 'नमस्ते'], // Devanagari letters carry combining vowel signs
    ['Bo\u0007b', 'Bob'], // control characters are stripped first
  ])('accepts %j as %j', (raw, name) => {
    expect(checkName(raw)).toEqual({ ok: true, name });
  });

  it.each([
    ['', 'name is empty'],
    ['   ', 'name is empty'],
    ['\u0007\u001b', 'name is empty'],
    ['x'.repeat(25), 'too long (25 characters, max 24)'],
    ['Bob Smith', "spaces are not allowed (use letters, digits, '_', '-' or '.')"],
    ['bob!', "'!' is not allowed (use letters, digits, '_', '-' or '.')"],
    ['(Bob)', "'(' is not allowed (use letters, digits, '_', '-' or '.')"],
    ['\u0301abc', "'\u0301' is not allowed (use letters, digits, '_', '-' or '.')"], // a mark cannot stand first
    ['\u001b[1mBob', "'[' is not allowed (use letters, digits, '_', '-' or '.')"], // ESC stripped, '[' left
  ])('rejects %j: %s', (raw, reason) => {
    expect(checkName(raw)).toEqual({ ok: false, reason });
  });
});

describe('nameKey', () => {
  it('compares names case-insensitively, folding ß with SS', () => {
    expect(nameKey('Bob')).toBe(nameKey('bOB'));
    expect(nameKey('STRASSE')).toBe(nameKey('straße'));
    expect(nameKey('Zoë')).toBe(nameKey('ZOË'));
    expect(nameKey('Bob')).not.toBe(nameKey('Rob'));
  });
});
