#!/usr/bin/env node
// The CLI's entry point, bundled as dist/cli.js (the package's bin). `npx` runs it under whatever Node the
// machine has, so it checks the version first and loads the CLI only on a supported one: the CLI's own
// modules need zstd in node:zlib and would otherwise fail at load time with a stack trace. Hence no static
// import but node-support.ts (plain syntax) and no top-level await; main.ts is imported dynamically, which
// the bundler turns into a separate chunk that an old Node never reads.
import { isSupportedNode, unsupportedNodeMessage } from './node-support.ts';

if (isSupportedNode(process.versions.node)) {
  import('./main.ts').catch((e) => {
    // main.ts turns every failure of a command into its exit code; this is a chunk that failed to load.
    process.stderr.write(`internal error (please report): ${(e && e.stack) || String(e)}\n`);
    process.exitCode = 70;
  });
} else {
  process.stderr.write(unsupportedNodeMessage(process.versions.node));
  process.exitCode = 1;
}
