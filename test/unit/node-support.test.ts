// The Node versions the CLI's entry accepts, and that every place which states the floor states the same.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { isSupportedNode, unsupportedNodeMessage, MINIMUM_NODE_22, SUPPORTED_NODE_RANGE } from '../../src/cli/node-support.ts';

const repoFile = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('the Node version gate', () => {
  it('accepts Node 22 from 22.15.0 (zstd in node:zlib) and every Node from 24', () => {
    for (const v of ['22.15.0', '22.15.1', '22.19.0', '22.23.5', '24.0.0', '24.22.3', '25.1.0', '30.0.0']) {
      expect(isSupportedNode(v), v).toBe(true);
    }
  });

  it('refuses Node 22 before 22.15, Node 23 (end of life, zstd only from 23.8) and everything older', () => {
    for (const v of ['22.14.0', '22.9.0', '22.0.0', '23.8.0', '23.11.1', '21.7.3', '20.20.2', '18.20.8', '12.22.12', '0.10.48', 'garbage']) {
      expect(isSupportedNode(v), v).toBe(false);
    }
  });

  it('the one line it prints names the Node needed and the Node found', () => {
    const msg = unsupportedNodeMessage('20.20.2');
    expect(msg).toBe('initramfs-action needs Node 22.15.0 or a newer Node 22, or Node 24 or newer; this is Node 20.20.2\n');
    expect(msg.indexOf('\n')).toBe(msg.length - 1);
  });

  it('package.json engines states the range the gate enforces', () => {
    expect(JSON.parse(repoFile('package.json')).engines.node).toBe(SUPPORTED_NODE_RANGE);
    expect(SUPPORTED_NODE_RANGE).toBe(`^${MINIMUM_NODE_22} || >=24`);
  });

  it('.ci/run runs the CLI end-to-end tests under exactly the Node 22 floor the gate claims', () => {
    expect(repoFile('.ci/run')).toMatch(new RegExp(`^NODE22_FLOOR=${MINIMUM_NODE_22.replaceAll('.', '\\.')}\\b`, 'm'));
  });
});
