// Creates the database named in DATABASE_URL if it does not exist (CI's drift check and smoke test
// need one; PostgreSQL has no CREATE DATABASE IF NOT EXISTS). With --fresh it is dropped first: CI
// runs on a machine whose server outlives each run, and must start from an empty database.
const { Client } = require('pg');

async function main() {
  const target = new URL(process.env.DATABASE_URL);
  const database = decodeURIComponent(target.pathname.slice(1));
  const maintenance = new URL(target);
  maintenance.pathname = '/postgres';
  const client = new Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    if (process.argv.includes('--fresh')) {
      await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(database)} WITH (FORCE)`);
    }
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

main().catch((error) => {
  console.error(`Could not ensure the database exists: ${error.message}`);
  process.exit(1);
});
