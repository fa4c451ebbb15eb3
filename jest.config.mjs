// Tests are compiled by tsc (same output as production, decorator metadata included) and run from dist/ as ESM.
export default {
  rootDir: 'dist',
  testMatch: ['**/tests/**/*.test.js'],
  transform: {},
  testEnvironment: 'node',
  testTimeout: 60000,
  maxWorkers: 2,
};
