// Which Node the CLI runs on, decided before anything else is loaded (see entry.ts). Plain syntax only:
// this file must parse and run on any Node since 12 so that an old one gets a sentence, not a stack.
//
// The floor is measured, not copied from engines fields: the bundled CLI's end-to-end tests pass on Node
// 22.15.0 (the first 22.x with zstd in node:zlib, which compression and zstd layers need), 22.15.1 and the
// latest 22.x, and on 24; on 22.14 the bundle dies loading its zstd decoder. Node 23 (odd, end of life)
// only got zstd in 23.8 and is not tested, so it is refused with the rest.

/** The oldest Node 22 the CLI runs on; Node 24 and newer are all supported. */
export const MINIMUM_NODE_22 = '22.15.0';

/** The range in package.json's `engines.node` (a test keeps the two in step). */
export const SUPPORTED_NODE_RANGE = `^${MINIMUM_NODE_22} || >=24`;

/** Whether `version` (as in `process.versions.node`, e.g. `22.15.0`) is one the CLI runs on. */
export function isSupportedNode(version: string): boolean {
  const parts = version.split('.').map((p) => parseInt(p, 10));
  const major = parts[0] || 0;
  const minor = parts[1] || 0;
  const floorMinor = parseInt(MINIMUM_NODE_22.split('.')[1] || '0', 10);
  return major >= 24 || (major === 22 && minor >= floorMinor);
}

/** The one line an unsupported Node gets. */
export function unsupportedNodeMessage(version: string): string {
  return `initramfs-action needs Node ${MINIMUM_NODE_22} or a newer Node 22, or Node 24 or newer; this is Node ${version}\n`;
}
