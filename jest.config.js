/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  // Sources import their TypeScript siblings with the `.js` extension that Node's resolution needs.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 60_000,
  // Services under test contact only 127.0.0.1: vendor telemetry is off before any library loads.
  setupFiles: ['<rootDir>/tests/support/environment.ts'],
  // The end-to-end suites start real servers and DuckDB instances; two workers fit two cores.
  maxWorkers: 2,
};
