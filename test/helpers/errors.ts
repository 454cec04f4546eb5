// Expecting an InitramfsError: the helpers return it (or its message) so a test can match the code and the
// wording users see, and fail the test when anything else, or nothing, is thrown.
import { expect } from 'vitest';
import { InitramfsError } from '../../src/errors.ts';

/** Runs `f`, expecting a USAGE error; returns its message. */
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

/** Awaits `p`, expecting it to reject with an InitramfsError of any code; returns the error. */
export async function failure(p: Promise<unknown>): Promise<InitramfsError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(InitramfsError);
    return e as InitramfsError;
  }
  throw new Error('expected an InitramfsError');
}
