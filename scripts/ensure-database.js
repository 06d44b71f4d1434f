// Creates the database named in DATABASE_URL if it does not exist (CI's drift check and smoke test
// need one; PostgreSQL has no CREATE DATABASE IF NOT EXISTS).
const { Client } = require('pg');

async function main() {
  const target = new URL(process.env.DATABASE_URL);
  const database = decodeURIComponent(target.pathname.slice(1));
  const maintenance = new URL(target);
  maintenance.pathname = '/postgres';
  const client = new Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
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
