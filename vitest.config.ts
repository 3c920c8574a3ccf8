import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql ships a CJS and an ESM build; Node (and so Pothos, yoga...) loads the CJS one, Vite
  // would pick the ESM one for our sources: two "graphql" instances that reject each other's
  // types. Point Vite at the CJS build too, so tests run with the same single instance as production.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Each file starts its own servers on ephemeral ports; two workers fit the 2-core machine.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
