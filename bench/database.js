'use strict';
/**
 * What the bench does to its database around the measured runs (the seed itself is bench/seed.js):
 * the same starting tables for every run, the removal of what it filed, and the query plans of the
 * hot queries for the results.
 */
const { withClient } = require('../scripts/reliability/lib');
const { BENCH_STATE, LIST_STATES, SEARCH_TERMS } = require('./seed');
const { USERS, WRITERS } = require('./users');
const { log, round } = require('./util');

/**
 * What filing writes and the clean-up deletes, and what the churn scenarios' writes update. Vacuumed after the clean-up and before measuring (a run
 * stopped before its clean-up leaves dead rows), so that every run starts from the same tables
 * whether the server's autovacuum is on or not (it is off on the CI machines).
 */
const vacuumChurnedTables = (client) =>
  client.query('VACUUM ANALYZE "request", "request_recipient", "outbox_event", "idempotency_record", "audit_journal", "contact", "contact_revision", "registry_version"');

/** Requests the bench filed are removed at the end so reruns see the same data (audit events stay: append-only). */
function cleanUp(databaseUrl, since) {
  return withClient(databaseUrl, async (client) => {
    const requests = await client.query(`DELETE FROM "request" WHERE "title" LIKE 'bench-load %' AND "createdAt" >= $1`, [since]);
    const outbox = await client.query(`DELETE FROM "outbox_event" WHERE "type" = 'request.created' AND "createdAt" >= $1`, [since]);
    const keys = await client.query(`DELETE FROM "idempotency_record" WHERE "key" LIKE 'bench-%'`);
    const sessions = await client.query(
      `DELETE FROM "session" WHERE "userId" IN (SELECT "id" FROM "user" WHERE "email" = ANY ($1))`,
      [[...Object.values(USERS), ...Object.values(WRITERS)].map((user) => user.email)],
    );
    log(`Cleaned up ${requests.rowCount} requests, ${outbox.rowCount} outbox events, ${keys.rowCount} idempotency records, ${sessions.rowCount} sessions`);
    await vacuumChurnedTables(client);
  });
}

/** The hot queries as the API's repositories express them, with the parameters the scenarios send. */
const HOT_QUERIES = {
  list: [`SELECT * FROM "contact" WHERE "status" = 'ACTIVE' AND "stateCode" = $1 ORDER BY "name", "id" LIMIT 51`, [LIST_STATES[0]]],
  search: [`SELECT * FROM "contact" WHERE "status" = 'ACTIVE' AND ("name" ILIKE $1 OR "organisation" ILIKE $1) ORDER BY "name", "id" LIMIT 51`, [`%${SEARCH_TERMS[0]}%`]],
  disclosures: [
    `SELECT d."id" FROM "disclosure" d JOIN "state" s ON s."code" = d."stateCode"
      WHERE (d."stateCode" = $1 OR (d."status" = 'PUBLISHED' AND (d."audience" IN ('PUBLIC', 'ALL_STATES') OR $1 = ANY (d."selectedStates"))))
      ORDER BY d."updatedAt" DESC, d."id" DESC LIMIT 51`,
    [BENCH_STATE],
  ],
  exportPage: [
    `SELECT * FROM "contact" WHERE "status" = 'ACTIVE' AND ("name" > $1 OR ("name" = $1 AND "id" > $2::uuid)) ORDER BY "name", "id" LIMIT 500`,
    ['M', '00000000-0000-0000-0000-000000000000'],
  ],
  auditTail: [`SELECT "seq", "hash" FROM "audit_event" ORDER BY "seq" DESC LIMIT 1`, []],
};

/** One line per plan node, indented by depth: short enough to read in the results JSON. */
function planLines(node, depth = 0, lines = []) {
  lines.push(`${'  '.repeat(depth)}${node['Node Type']}${node['Index Name'] ? ` using ${node['Index Name']}` : ''}${node['Relation Name'] ? ` on ${node['Relation Name']}` : ''} (rows ${node['Actual Rows']}${node['Rows Removed by Filter'] ? `, removed by filter ${node['Rows Removed by Filter']}` : ''})`);
  for (const child of node.Plans ?? []) planLines(child, depth + 1, lines);
  return lines;
}

/** EXPLAIN (ANALYZE) of the hot queries: are they index-backed? */
function explainHotQueries(databaseUrl) {
  return withClient(databaseUrl, async (client) => {
    const plans = {};
    for (const [name, [sql, params]] of Object.entries(HOT_QUERIES)) {
      const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params);
      const plan = rows[0]['QUERY PLAN'][0];
      const nodes = planLines(plan.Plan);
      plans[name] = {
        executionMs: round(plan['Execution Time'], 3),
        sharedBlocks: (plan.Plan['Shared Hit Blocks'] ?? 0) + (plan.Plan['Shared Read Blocks'] ?? 0),
        seqScan: nodes.some((line) => line.includes('Seq Scan')),
        plan: nodes,
      };
    }
    return plans;
  });
}

module.exports = { vacuumChurnedTables, cleanUp, explainHotQueries };
