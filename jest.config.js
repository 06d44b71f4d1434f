/**
 * `npm test` runs both projects: unit specs beside the code, and e2e specs in test/ that drive the
 * real Nest app over HTTP against a real PostgreSQL (one database per worker, see
 * test/support/global-setup.ts).
 */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] };
const moduleNameMapper = {
  '^@cbm/(auth|common|database)(/.*)?$': '<rootDir>/libs/$1/src$2',
};

/** @type {import('jest').Config} */
module.exports = {
  // A global option: inside a project Jest ignores it and every test and hook gets 5 s.
  testTimeout: 30000,
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts', '<rootDir>/prisma/**/*.spec.ts'],
      transform,
      moduleNameMapper,
    },
    {
      displayName: 'e2e',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      transform,
      moduleNameMapper,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
