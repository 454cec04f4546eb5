// Runs `f`, expecting it to throw an InitramfsError with code USAGE, and returns its message so a test can
// match the wording users see. Fails the test when `f` throws anything else or nothing.
import { expect } from 'vitest';
import { InitramfsError } from '../../src/errors.ts';

export function usageError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InitramfsError);
    expect((e as InitramfsError).code).toBe('USAGE');
    return (e as Error).message;
  }
  throw new Error('expected a USAGE error');
}
