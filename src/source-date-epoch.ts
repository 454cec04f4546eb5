// SOURCE_DATE_EPOCH (reproducible-builds.org): the environment variable that clamps every mtime in the
// archive. Read by both shells, so both reject the same bad values with the same message.
import { InitramfsError } from './errors.ts';

export function parseSourceDateEpoch(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 0xffffffff) {
    throw new InitramfsError('USAGE', `SOURCE_DATE_EPOCH '${value}': expected whole seconds since 1970 (0 to 4294967295)`);
  }
  return Number(value);
}
