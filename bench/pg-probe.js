'use strict';
/**
 * Preloaded by the bench (`node --require bench/pg-probe.js`) into the API and into the reference
 * alike: counts the SQL statements the process sends through pg (Client#query, which Prisma's
 * driver adapter uses too, BEGIN and COMMIT included) — the database round trips per request. One
 * counter increment per query; nothing is timed or recorded. On SIGUSR2 it writes
 * "<signal number> <count>" to BENCH_PG_PROBE_FILE.
 */
const fs = require('node:fs');

const file = process.env.BENCH_PG_PROBE_FILE;
const pg = require(require.resolve('pg', { paths: [process.cwd()] }));
let statements = 0;
let signals = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(...args) {
  statements++;
  return query.apply(this, args);
};
if (file) process.on('SIGUSR2', () => fs.writeFileSync(file, `${++signals} ${statements}`));
