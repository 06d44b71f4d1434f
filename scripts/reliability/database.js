'use strict';
/**
 * An embedded PostgreSQL per script, never the shared server on 5432: the scripts stop it, lock its
 * tables and drop its database, which must not touch anyone else's data.
 */
const fs = require('node:fs');
const path = require('node:path');
const { ROOT } = require('./build');
const { freePort, isStopping, log, onCleanup, sleep } = require('./lifecycle');

/**
 * An embedded PostgreSQL of this script alone: cluster in .data/chaos-<name>/ (created once, reused),
 * on a spare port, with a fresh database per run. `stop()` and `start()` restart it on the same port.
 */
async function startDatabase(name) {
  // Loaded here, not at the top: bench/ requires this module for withClient without a build.
  const { startEmbeddedPostgres } = require(path.join(ROOT, 'dist', 'libs', 'database', 'src', 'embedded-postgres.js'));
  const { Client } = require('pg');
  const dir = path.join(ROOT, '.data', `chaos-${name}`);
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const pgLog = fs.createWriteStream(path.join(dir, 'postgres.log'), { flags: 'a' });
  const open = () => startEmbeddedPostgres({ dataDir: dir, port, onLog: (message) => pgLog.write(`${message}\n`) });

  let running = await open();
  let stopped = false;
  const stopNow = async () => {
    if (!running) return;
    const server = running;
    running = undefined;
    // embedded-postgres waits for an 'exit' that already happened if PostgreSQL got the Ctrl-C itself.
    await Promise.race([server.stop(), sleep(15_000)]);
  };
  onCleanup(async () => {
    if (stopped) return;
    stopped = true;
    await stopNow();
    pgLog.end();
  });

  const database = 'cbm_reliability';
  const admin = new Client({ connectionString: running.serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  log(`PostgreSQL on 127.0.0.1:${port} (data in ${path.relative(ROOT, dir)}), database ${database}`);

  return {
    dir,
    port,
    url: running.databaseUrl(database),
    /** Fast shutdown (SIGINT): open connections are cut, as in a restart or a failover. */
    stop: stopNow,
    async start() {
      if (isStopping() || running) return;
      running = await open();
      // Clean-up may have begun while PostgreSQL was starting.
      if (stopped) await stopNow();
    },
  };
}

/** A connection of its own, outside the API's pool, which the scripts exhaust or cut. */
async function withClient(databaseUrl, fn) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

module.exports = { startDatabase, withClient };
