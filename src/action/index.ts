// Entry point of the bundled action (dist/index.js, run by `runs.using: node24`).
import { run } from './main.ts';

await run();
