// Builds dist/ from src/: TypeScript → plain ESM in build/ (relative .ts imports rewritten to .js),
// then ncc bundles each entry point with its dependencies into one file, committed under dist/.
// Two steps because ncc's own ts-loader cannot honour `.ts` import specifiers.
import { execFileSync } from 'node:child_process';
import { rmSync, mkdirSync, renameSync, readdirSync, existsSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
const bin = (name) => join(root, 'node_modules', '.bin', name);

/**
 * entry in build/ → file name in dist/. The CLI's entry is its Node version gate (src/cli/entry.ts), which
 * imports main.ts dynamically: ncc emits the gate and webpack's runtime as dist/cli.js and the CLI with its
 * dependencies as chunks (NNN.index.js, named by deterministic chunk ids) that cli.js loads only on a
 * supported Node, so an old Node parses nothing it cannot run before it is told which Node to use.
 */
const entries = [
  ['cli/entry.js', 'cli.js'],
  ['action/index.js', 'index.js'],
];

rmSync(join(root, 'build'), { recursive: true, force: true });
run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
rmSync(join(root, 'dist'), { recursive: true, force: true });
mkdirSync(join(root, 'dist'));
const licenses = [];
for (const [entry, out] of entries) {
  const tmp = join(root, 'build', '.ncc-' + out);
  run(process.execPath, [join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js'), 'build', join('build', entry), '-o', tmp, '-q', '--no-source-map-register', '--license', 'licenses.txt']);
  for (const f of readdirSync(tmp)) {
    const from = join(tmp, f);
    if (f === 'licenses.txt') {
      // One licenses file for every bundle, each bundle's part headed by its name.
      licenses.push(`=== dist/${out} ===\n\n${readFileSync(from, 'utf8')}`);
      continue;
    }
    const target = join(root, 'dist', f === 'index.js' ? out : f);
    // Chunks are named by module id; two bundles may share a name only for identical bytes.
    if (existsSync(target) && !readFileSync(target).equals(readFileSync(from))) {
      throw new Error(`dist/${f} is produced by two bundles with different contents`);
    }
    renameSync(from, target);
  }
}
writeFileSync(join(root, 'dist', 'licenses.txt'), licenses.join('\n'));
rmSync(join(root, 'build'), { recursive: true, force: true });
const cli = join(root, 'dist', 'cli.js');
if (!existsSync(cli)) throw new Error('dist/cli.js was not produced');
// The bin entry must start with a shebang so `npx initramfs-action` runs it with node.
const body = readFileSync(cli, 'utf8');
if (!body.startsWith('#!')) writeFileSync(cli, '#!/usr/bin/env node\n' + body);
chmodSync(cli, 0o755);
