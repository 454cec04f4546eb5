// classifyWhiteout: what a base name says, per OCI image-spec layer.md.
import { describe, expect, it } from 'vitest';
import { classifyWhiteout } from '../../src/rootfs/whiteout.ts';

describe('classifyWhiteout', () => {
  it('recognises the opaque marker before the generic prefix', () => {
    expect(classifyWhiteout('.wh..wh..opq')).toEqual({ kind: 'opaque' });
  });

  it('.wh.NAME deletes NAME', () => {
    expect(classifyWhiteout('.wh.passwd')).toEqual({ kind: 'delete', name: 'passwd' });
    expect(classifyWhiteout('.wh..hidden')).toEqual({ kind: 'delete', name: '.hidden' });
  });

  it('ignores other reserved .wh..wh. names', () => {
    expect(classifyWhiteout('.wh..wh.plnk')).toEqual({ kind: 'ignored' });
    expect(classifyWhiteout('.wh..wh..opqx')).toEqual({ kind: 'ignored' });
  });

  it('ignores whiteouts that name the directory itself', () => {
    expect(classifyWhiteout('.wh.')).toEqual({ kind: 'ignored' });
    expect(classifyWhiteout('.wh..')).toEqual({ kind: 'ignored' });
  });

  it('leaves ordinary names alone, including ones that only contain "wh"', () => {
    for (const n of ['passwd', 'x.wh.y', '.wh', 'wh.x', '.WH.x']) expect(classifyWhiteout(n)).toEqual({ kind: 'none' });
  });
});
