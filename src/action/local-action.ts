// Entry point for GitHub's @github/local-action (`npx local-action run . src/action/local-action.ts .env`;
// README, "Run the action locally"). That tool imports one module of the sources, swaps @actions/core,
// @actions/artifact and @actions/cache in its module graph for local stand-ins (inputs from the .env file,
// outputs printed at the end, artifacts and caches in local directories), and calls the module's exported
// run(). index.ts cannot be that module: it runs the action as it is imported and exports nothing; nor can
// dist/index.js, which carries its own bundled @actions/core that nothing can swap. Like index.ts, this
// entry makes a Ctrl-C remove the build's temporary files before the process ends.
import { exitOnSignals, sayOn } from '../cleanup.ts';
import { run as runAction } from './main.ts';

/** Runs the action once, with the inputs local-action's @actions/core stand-in reads from the .env file. */
export async function run(): Promise<void> {
  exitOnSignals(sayOn(1));
  await runAction();
}
