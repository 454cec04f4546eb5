// quote.ts: user input in one-line messages.
import { describe, expect, it } from 'vitest';
import { quote } from '../../src/quote.ts';

describe('quote', () => {
  it('single-quotes short input as it is', () => {
    expect(quote('./agent:/usr/bin/agent')).toBe("'./agent:/usr/bin/agent'");
  });
  it('shortens long input in the middle, keeping how it starts and ends', () => {
    const q = quote(`/start/${'x'.repeat(500)}/end`);
    expect(q.length).toBeLessThanOrEqual(82);
    expect(q).toMatch(/^'\/start\/x+…x+\/end'$/);
  });
  it('escapes control characters, so a message stays one line', () => {
    expect(quote('a\nb\r\tc\u0000')).toBe("'a\\nb\\r\\tc\\x00'");
  });
});
