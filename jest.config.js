/**
 * Three tiers (design.md section 9). The integration and e2e files run twice: once on a SQLite
 * file and once on PostgreSQL (each file makes its own database and Redis prefix).
 */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];
const base = { testEnvironment: 'node', transform: { '^.+\\.ts$': tsJest }, moduleFileExtensions: ['ts', 'js', 'json'] };
const dbTests = ['<rootDir>/test/integration/**/*.spec.ts', '<rootDir>/test/e2e/**/*.spec.ts'];
module.exports = {
  // Every integration and e2e file has its own database and Redis prefix: files run in parallel.
  maxWorkers: 2,
  // A whole app per file on a loaded 2-core machine: hooks and tests get a minute.
  testTimeout: 60000,
  // The secrets scan (test/support/secrets.ts): artifacts are collected, then scanned at the end.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...base, displayName: 'sqlite', testMatch: dbTests, setupFiles: ['<rootDir>/test/support/use-sqlite.ts'], testTimeout: 60000 },
    { ...base, displayName: 'postgres', testMatch: dbTests, setupFiles: ['<rootDir>/test/support/use-postgres.ts'], testTimeout: 60000 },
    // Slow proofs (fuzzing, crash and outage runs): `npm run test:resilience`, also run by CI.
    { ...base, displayName: 'resilience', testMatch: ['<rootDir>/test/resilience/**/*.spec.ts'], setupFiles: ['<rootDir>/test/support/use-sqlite.ts'], testTimeout: 900000 },
  ],
};
