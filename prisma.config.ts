import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { createMigrationAdapter, unrefLongTimers } from './prisma/migration-adapter';

// `prisma generate` needs no database; the placeholder only keeps the datasource block valid.
const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/cbm_registry';
process.env.DATABASE_URL = databaseUrl;

unrefLongTimers();

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  adapter: async () => createMigrationAdapter(databaseUrl),
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
});
