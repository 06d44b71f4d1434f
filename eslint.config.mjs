// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import featureBoundaries from './eslint-rules/feature-boundaries.mjs';

/**
 * Only repositories reach the database (and libs/database, which provides them): services ask a
 * repository or run a unit of work (UnitOfWork), and never see a Prisma client, a transaction or SQL.
 */
const DATABASE_ACCESS = {
  paths: [
    { name: 'pg', message: 'Only *.repository.ts files and libs/database reach the database.' },
    { name: '@prisma/client', message: 'Only *.repository.ts files and libs/database reach the database.' },
    { name: '@prisma/adapter-pg', message: 'Only *.repository.ts files and libs/database reach the database.' },
    {
      name: '@cbm/database',
      importNames: ['PrismaService', 'PrismaClient', 'Prisma', 'Database', 'withPoolClient', 'sqlParameters', 'likeLiteral', 'Bind'],
      message: 'Only *.repository.ts files reach the database: ask a repository, or make several calls one change with UnitOfWork.',
    },
  ],
  patterns: [{ group: ['**/generated/prisma/**', '@cbm/database/*'], message: "Import from '@cbm/database' (repositories only for the client)." }],
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.data/', 'coverage/', 'libs/database/src/generated/', 'jest.config.js'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Nest and the embedded server load some modules lazily, by design (documented where used).
      '@typescript-eslint/no-require-imports': 'off',
      'no-console': ['error', { allow: ['error', 'warn'] }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['**/*.repository.ts', 'libs/database/**', '**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', DATABASE_ACCESS] },
  },
  {
    files: ['apps/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    plugins: { cbm: { rules: { 'feature-boundaries': featureBoundaries } } },
    rules: { 'cbm/feature-boundaries': 'error' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { URL: 'readonly', require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly' } },
  },
  {
    files: ['prisma/migration-adapter.ts'],
    // pg.Client#query has overloads that a subclass can only forward untyped.
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
