// The image config blob (OCI image-spec config.md; Docker's is the same shape for what we read): its
// platform, its `config` object, and its rootfs diff_ids, checked for the types the rest of the tool relies on.
import { InitramfsError } from '../errors.ts';
import { escaped } from '../quote.ts';
import { checkDigest } from './digest.ts';
import type { ImageConfig, Platform } from './types.ts';

export interface ParsedConfig {
  /** Undefined when the config names no os/architecture (hand-made images). */
  platform?: Platform;
  config: ImageConfig;
  diffIds?: string[];
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Reads a config blob's parsed JSON; throws BAD_IMAGE naming `what` for anything off-spec. */
export function parseImageConfig(json: unknown, what: string): ParsedConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InitramfsError('BAD_IMAGE', `${what}: not a JSON object`);
  }
  const doc = json as Record<string, unknown>;
  const result: ParsedConfig = { config: {} };
  if (typeof doc.os === 'string' && typeof doc.architecture === 'string') {
    result.platform = { os: doc.os, architecture: doc.architecture };
    if (typeof doc.variant === 'string' && doc.variant !== '') result.platform.variant = doc.variant;
  }
  const c = doc.config;
  if (c !== undefined && c !== null) {
    if (typeof c !== 'object' || Array.isArray(c)) throw new InitramfsError('BAD_IMAGE', `${what}: "config" is not an object`);
    const cfg = c as Record<string, unknown>;
    for (const key of ['Entrypoint', 'Cmd', 'Env'] as const) {
      const v = cfg[key];
      if (v === undefined) continue;
      if (v !== null && !isStringArray(v)) {
        throw new InitramfsError('BAD_IMAGE', `${what}: config.${key} is not a list of strings`);
      }
      result.config[key] = v;
    }
    for (const key of ['WorkingDir', 'User'] as const) {
      const v = cfg[key];
      if (v === undefined || v === null) continue;
      if (typeof v !== 'string') throw new InitramfsError('BAD_IMAGE', `${what}: config.${key} is not a string`);
      result.config[key] = v;
    }
  }
  const rootfs = doc.rootfs as Record<string, unknown> | undefined;
  if (rootfs !== undefined && rootfs !== null && typeof rootfs === 'object') {
    const ids = rootfs.diff_ids;
    if (ids !== undefined && ids !== null) {
      if (!Array.isArray(ids)) throw new InitramfsError('BAD_IMAGE', `${what}: rootfs.diff_ids is not a list`);
      result.diffIds = ids.map((d, i) => checkDigest(d, `${what} rootfs.diff_ids[${i}]`));
    }
  }
  return result;
}

/**
 * JSON.parse with BAD_IMAGE naming the blob instead of a SyntaxError. V8's message quotes a piece of the
 * document itself, so it is escaped like any other image data.
 */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new InitramfsError('BAD_IMAGE', `${what}: not valid JSON (${escaped((e as Error).message)})`);
  }
}
