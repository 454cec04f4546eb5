// Preloaded into a CLI process by the memory tests (`node --import`): when the process exits, however it
// exits, writes its peak resident set size (getrusage's ru_maxrss, in KiB) to the file named by
// INITRAMFS_TEST_PEAK_RSS. Plain JavaScript, so any Node the CLI runs under can load it.
import { writeFileSync } from 'node:fs';

const file = process.env.INITRAMFS_TEST_PEAK_RSS;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
