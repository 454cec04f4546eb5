import { defineConfig } from 'vitest/config';

// Two projects so each can run alone: `unit` is pure and fast; `integration` drives real tools
// (bsdtar, cpio, umoci, qemu) and real bytes, and needs the Debian packages .ci/run installs.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // Boots and builds are CPU-heavy; two cores.
          fileParallelism: true,
          maxWorkers: 2,
        },
      },
    ],
  },
});
