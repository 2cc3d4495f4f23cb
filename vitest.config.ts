import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    pool: 'forks',
    // Debian packages are installed before any worker starts; each file's worker returns to its event
    // loop before every test (both: vitest's RPC times out after 60 s of a blocked worker).
    globalSetup: ['./test/setup/global.ts'],
    setupFiles: ['./test/setup/each-file.ts'],
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
