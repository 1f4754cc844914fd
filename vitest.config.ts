import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Node resolves `graphql` to its CommonJS build (no "exports" map; "main" wins), and so do yoga
    // and @apollo/subgraph. Vite would pick the ESM build ("module") for our files: two GraphQLError
    // classes. Tests must load graphql the way production does.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Two cores: keep forks few so simulator-backed suites do not starve each other.
    pool: 'forks',
    maxWorkers: 2,
  },
});
