// Entry point of the bundled action (dist/index.js, run by `runs.using: node24`). A cancelled job gets
// SIGINT, then SIGTERM: either removes the build's temporary files before the process ends (cleanup.ts).
import { exitOnSignals, sayOn } from '../cleanup.ts';
import { run } from './main.ts';

exitOnSignals(sayOn(1));
await run();
