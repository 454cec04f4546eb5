import { describe, expect, it } from 'vitest';
import { formatDuration, MAX_DURATION_MS, parseDuration } from '../../src/duration.ts';

describe('parseDuration', () => {
  it('reads bare seconds and every unit, alone or combined', () => {
    expect(parseDuration('90')).toBe(90_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1m30s250ms')).toBe(90_250);
    expect(parseDuration(' 45s ')).toBe(45_000);
  });
  it('refuses what is not a duration, zero, and more than a week', () => {
    for (const bad of ['', 's', '10 m', '1.5s', '-5s', '10x', '5min', 'soon', '0', '0s', '8d', '99999999999999999999h']) {
      expect(parseDuration(bad), bad).toBeUndefined();
    }
    expect(parseDuration('7d')).toBe(MAX_DURATION_MS);
  });
});

describe('formatDuration', () => {
  it('writes the short form parseDuration reads', () => {
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(1500)).toBe('1.5s');
    expect(formatDuration(30_000)).toBe('30s');
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(3_600_000)).toBe('1h');
    expect(formatDuration(93_784_000)).toBe('1d2h3m4s');
    for (const ms of [250, 30_000, 90_000, 3_600_000, 93_784_000]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
  it('says "more than a year" rather than a number nobody reads (a Retry-After can say anything)', () => {
    expect(formatDuration(1e23)).toBe('more than a year');
  });
});
