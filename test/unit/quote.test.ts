import { describe, expect, test } from 'vitest';
import { quote, quoteBytes, shown } from '../../src/quote.ts';
import { decodeNumber, TarFormatError } from '../../src/image/tar-index.ts';

const PRINTABLE_LINE = /^[\x20-\x7e\u00a0-\uffff]*$/;

describe('quote', () => {
  test('keeps printable text of any script and escapes quotes and backslashes', () => {
    expect(quote('café/img.tar')).toBe("'café/img.tar'");
    expect(quote("a'b\\c")).toBe("'a\\'b\\\\c'");
  });

  test('shows control, escape and line-separator characters as escapes, never raw', () => {
    expect(quote('a\nb\x1b[31m\u2028\u202e\r\t\0')).toBe("'a\\nb\\x1b[31m\\u{2028}\\u{202e}\\r\\t\\x00'");
  });

  test('shortens long text in the middle, keeping how it starts and ends', () => {
    expect(quote(`/start/${'x'.repeat(500)}/end`, 20)).toBe(`'/start/xxx…xxxxx/end'`);
    expect(quote('x'.repeat(10), 10)).toBe(`'${'x'.repeat(10)}'`);
    expect(quote('y'.repeat(1 << 20))).toHaveLength(160 + 2);
  });
});

describe('quoteBytes', () => {
  test('shows every byte outside printable ASCII as \\xNN', () => {
    expect(quoteBytes('\x1f\x8b\x08\x00ab\xff')).toBe("'\\x1f\\x8b\\x08\\x00ab\\xff'");
  });
});

describe('shown', () => {
  test('leaves a printable reference as it is, so it can be copied, and quotes anything else', () => {
    expect(shown('oci-archive:/tmp/my img.tar:v1')).toBe('oci-archive:/tmp/my img.tar:v1');
    expect(shown('oci-archive:/tmp/\x1b.tar')).toBe("'oci-archive:/tmp/\\x1b.tar'");
  });
});

describe('tar header numbers', () => {
  test('a binary field is reported with escapes, not raw bytes', () => {
    // The size field of a gzip file read as a tar header: what a compressed archive used to print.
    const field = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x9d, 0xc3, 0x0a, 0x1b, 0x5b, 0x32, 0x4a, 0x07]);
    let message = '';
    try {
      decodeNumber(field, 0, field.length);
    } catch (e) {
      expect(e).toBeInstanceOf(TarFormatError);
      message = (e as Error).message;
    }
    expect(message).toContain('\\x1f\\x8b\\x08');
    expect(message).toMatch(PRINTABLE_LINE);
  });
});
