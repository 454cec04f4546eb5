// Images from an OCI image layout directory (`oci:DIR[:REF]`): the layout's files are the directory's.
// A file where the directory should be is most likely the same layout in a tar: the message says to use
// oci-archive:.
import { closeSync, createReadStream, fstatSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { InitramfsError } from '../errors.ts';
import { separatorsFrom } from '../host-path.ts';
import { LayoutSource, type LayoutFiles } from './layout-source.ts';
import { quote, shown } from '../quote.ts';
import { openRegularFile, regularFileSize } from './regular-file.ts';
import { verifyStream, type BlobCheck } from './verify.ts';

export interface OciReference {
  dir: string;
  ref?: string;
}

/**
 * Splits `oci:DIR[:REF]`. When everything after `oci:` is an existing directory it is the DIR (so a
 * directory whose name contains ':' works); otherwise the REF is what follows the last ':' — never the
 * colon of a Windows drive: `oci:C:\layouts\app` is the directory `C:\layouts\app`, with no REF.
 */
export function parseOciReference(reference: string, platform: NodeJS.Platform = process.platform): OciReference {
  if (!reference.startsWith('oci:')) {
    throw new InitramfsError('USAGE', `image reference ${quote(reference)}: expected oci:DIR[:REF]`);
  }
  const rest = reference.slice('oci:'.length);
  if (rest === '') throw new InitramfsError('USAGE', `image reference ${quote(reference)}: no directory after oci:`);
  if (isDirectory(rest)) return { dir: rest };
  const colon = rest.lastIndexOf(':');
  if (colon <= 0 || colon < separatorsFrom(rest, platform) || colon === rest.length - 1) return { dir: rest };
  return { dir: rest.slice(0, colon), ref: rest.slice(colon + 1) };
}

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

const isDirectory = (path: string): boolean => statOrUndefined(path)?.isDirectory() === true;

/** A layout's files in a directory; only regular files are read (regular-file.ts). */
class DirectoryFiles implements LayoutFiles {
  readonly noun = 'the layout';
  readonly where: string;
  readonly #what: string;
  constructor(dir: string) {
    this.where = dir;
    this.#what = `layout ${quote(dir)}`;
  }

  size(path: string): number | undefined {
    return regularFileSize(join(this.where, path), this.#what);
  }

  read(path: string, max: number): Buffer {
    const fd = openRegularFile(join(this.where, path), this.#what);
    if (fd === undefined) throw new InitramfsError('BAD_IMAGE', `${this.#what}: ${path} is gone`);
    try {
      const buf = Buffer.alloc(Math.min(fstatSync(fd).size, max));
      let done = 0;
      for (let n = -1; n !== 0 && done < buf.length; done += n) n = readSync(fd, buf, done, buf.length - done, done);
      return buf.subarray(0, done);
    } finally {
      closeSync(fd);
    }
  }

  open(path: string, check: BlobCheck): Readable {
    const fd = openRegularFile(join(this.where, path), this.#what);
    if (fd === undefined) throw new InitramfsError('BAD_IMAGE', `${this.#what}: ${path} is gone`);
    const verify = verifyStream(check.digest, check.size, check.what);
    const file = createReadStream('', { fd, highWaterMark: 1 << 20 });
    file.on('error', (err) => verify.destroy(err));
    return file.pipe(verify);
  }
}

export class OciLayoutSource extends LayoutSource {
  readonly dir: string;

  /** `reference` is `oci:DIR[:REF]` as the user wrote it. Nothing is read until platforms()/resolve(). */
  constructor(reference: string) {
    const { dir, ref } = parseOciReference(reference);
    super(reference, 'oci', new DirectoryFiles(dir), ref);
    this.dir = dir;
  }

  /** Opens `oci:DIR[:REF]` and reads its index, so a missing directory or unknown REF fails here. */
  static async open(reference: string): Promise<OciLayoutSource> {
    const source = new OciLayoutSource(reference);
    const st = statOrUndefined(source.dir);
    if (st?.isFile()) {
      const archive = `oci-archive:${source.dir}${source.ref !== undefined ? `:${source.ref}` : ''}`;
      throw new InitramfsError(
        'USAGE',
        `${reference}: ${quote(source.dir)} is a file, and oci: reads a layout directory; for a layout in a tar (docker buildx --output type=oci,dest=FILE, skopeo copy … oci-archive:FILE) use ${shown(archive)}`,
      );
    }
    if (!st?.isDirectory()) {
      throw new InitramfsError('IMAGE_NOT_FOUND', `${reference}: directory ${quote(source.dir)} does not exist`);
    }
    await source.platforms();
    return source;
  }
}
