// The Unlexable token's first-character hint (grammar/src/lexer.ts): Chevrotain's dispatch needs
// every code unit the token can start with, and unlexableStarts tests only the ASCII ones and U+FEFF
// against its pattern, taking every other code unit as one. Tested here on all 65,536 against the
// pattern itself, so that a pattern that one day excludes another non-ASCII character fails.
import { describe, expect, it } from 'vitest';
import { Unlexable, unlexableStarts } from '../../grammar/src/lexer.js';

describe('Unlexable', () => {
  it("its start characters are exactly the code units its pattern matches on their own", () => {
    const pattern = Unlexable.PATTERN as RegExp;
    const one = new RegExp(`^(?:${pattern.source})$`, pattern.flags);
    const all: number[] = [];
    for (let c = 0; c <= 0xffff; c++) if (one.test(String.fromCharCode(c))) all.push(c);
    expect(all.length).toBeGreaterThan(65_000);
    expect(unlexableStarts()).toEqual(all);
  });
});
