// Typed errors with stable codes: the one thing every entry point (CLI, action, tests) relies on to tell
// a user mistake or a bad image apart from a bug in this tool.

/** Stable error codes. Never rename one: scripts and tests match on them. */
export type ErrorCode =
  | 'USAGE' // a command-line argument or option is malformed
  | 'IMAGE_NOT_FOUND' // the image reference names nothing (missing directory, file, tag)
  | 'PLATFORM_NOT_FOUND' // the image has no manifest for the requested platform
  | 'BAD_IMAGE' // the image's JSON or layout is not what the spec says
  | 'DIGEST_MISMATCH' // a blob's bytes do not match its digest or size
  | 'BAD_LAYER' // a layer's compressed stream or tar is corrupt or truncated
  | 'UNSUPPORTED' // a media type, compression or format this tool does not read
  | 'INJECT_SOURCE' // a --inject or --init source cannot be read
  | 'NO_INIT' // no /init can be found or generated
  | 'INIT_TOOLS' // the init-tools image has no static busybox for the target platform
  | 'MODULES' // a --modules-dir / --module cannot be used (missing, wrong architecture, xz-compressed)
  | 'ARCHIVE_LIMIT' // an entry cannot be represented in newc (size, mtime, name length)
  | 'AUTH' // the registry refused the credentials (or their absence): 401/403
  | 'NETWORK' // the registry could not be reached, or kept failing after every retry
  | 'REGISTRY' // the registry answered with an error that is none of the above
  | 'IO' // the output or cache cannot be written
  | 'BOOT'; // the archive cannot be booted as asked (QEMU missing, an architecture it cannot run)

/** An error the user can act on: printed as one line, no stack. */
export class InitramfsError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InitramfsError';
    this.code = code;
  }
}

/** A blob's content did not match what its descriptor promised. */
export class DigestMismatchError extends InitramfsError {
  readonly blob: string;
  constructor(blob: string, message: string) {
    super('DIGEST_MISMATCH', message);
    this.blob = blob;
  }
}

export const isInitramfsError = (e: unknown): e is InitramfsError => e instanceof InitramfsError;
