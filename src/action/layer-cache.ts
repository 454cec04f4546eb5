// The action's shared blob cache: one @actions/cache entry per registry blob, keyed by its digest. A digest
// names immutable bytes, so the key never needs a hash of anything else, and a matrix of language images on
// one base shares the base's entries. The core asks for a blob only when its local cache lacks it; what we
// restore is verified by the core before use, and the core tells us which blobs it had to download: those
// are saved after the build. Cache trouble (service down, ACTIONS_CACHE_MODE, a concurrent job's entry) is a
// warning and never fails a build.
import * as cache from '@actions/cache';
import { existsSync } from 'node:fs';
import { digestHex } from '../image/digest.ts';
import type { SharedBlobCache } from '../registry/shared-cache.ts';

/** Key prefix, versioned so a change of entry layout never restores old entries. */
const KEY_PREFIX = 'initramfs-action-blob-v1-sha256-';

export const blobCacheKey = (digest: string): string => KEY_PREFIX + digestHex(digest);

export interface LayerCacheEvents {
  warn(message: string): void;
}

export class ActionsLayerCache implements SharedBlobCache {
  /** Digest → local cache path of every blob downloaded from the registry in this run. */
  readonly #downloaded = new Map<string, string>();
  readonly #events: LayerCacheEvents;
  readonly #available: boolean;
  #toldUnavailable = false;

  constructor(events: LayerCacheEvents) {
    this.#events = events;
    // @github/local-action's stand-in for @actions/cache has restoreCache and saveCache but no
    // isFeatureAvailable: without it there is no GitHub cache service, and the local cache directory of the
    // build is the only cache, as on a runner without the service.
    this.#available = typeof cache.isFeatureAvailable === 'function' && cache.isFeatureAvailable();
  }

  async restore(digest: string, _size: number, path: string): Promise<boolean> {
    if (!this.#available) {
      // Said once, and only when a registry blob is wanted (local images never ask).
      if (!this.#toldUnavailable) this.#events.warn('the GitHub cache service is not available to this job; layers are pulled from the registry');
      this.#toldUnavailable = true;
      return false;
    }
    try {
      const hit = await cache.restoreCache([path], blobCacheKey(digest));
      return hit !== undefined && existsSync(path);
    } catch (e) {
      this.#events.warn(`cache restore of ${digest} failed, pulling it instead: ${(e as Error).message}`);
      return false;
    }
  }

  downloaded(digest: string, path: string): void {
    this.#downloaded.set(digest, path);
  }

  /** Whether `digest` came from a cache (this one, or the runner's local one) rather than the registry. */
  cached(digest: string): boolean {
    return !this.#downloaded.has(digest);
  }

  /**
   * Saves every blob that was downloaded. A key that exists already (another job of the matrix saved it
   * meanwhile, or a corrupt entry this run replaced by a download) is left alone after a lookup, and a
   * save that loses a race is only a warning.
   */
  async saveDownloaded(): Promise<{ saved: number; skipped: number }> {
    let saved = 0;
    let skipped = 0;
    if (!this.#available) return { saved, skipped };
    for (const [digest, path] of this.#downloaded) {
      if (!existsSync(path)) continue;
      const key = blobCacheKey(digest);
      try {
        if ((await cache.restoreCache([path], key, [], { lookupOnly: true })) !== undefined) {
          skipped++;
          continue;
        }
        const id = await cache.saveCache([path], key);
        if (id === -1) skipped++;
        else saved++;
      } catch (e) {
        this.#events.warn(`cache save of ${digest} failed (the next run pulls it again): ${(e as Error).message}`);
      }
    }
    return { saved, skipped };
  }
}
