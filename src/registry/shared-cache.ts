// A second, slower tier behind the local blob cache: a store shared between machines (the action's
// @actions/cache, one entry per blob digest). The registry source asks it for a blob the local cache lacks,
// before downloading; whatever it restores is verified like any cache entry before use. Implementations
// turn their own trouble into warnings and answer false: a shared cache can only ever save a download.
export interface SharedBlobCache {
  /**
   * Tries to place the blob `digest` (`size` bytes) at `path`, the local cache entry's path. True when
   * something was placed there; the caller then checks its size and digest, and downloads on a mismatch.
   */
  restore(digest: string, size: number, path: string): Promise<boolean>;
  /**
   * Told after a blob was downloaded from the registry and verified into the local cache at `path`
   * (absent from the shared cache, or its entry was corrupt): the blobs worth saving there.
   */
  downloaded(digest: string, path: string): void;
}
