'use strict';
/**
 * npm run chaos — the API (as built for production) under load from autocannon, mixed reads
 * (GET /api/v1/contacts, GET /api/v1/requests) and request filings (POST /api/v1/requests with an
 * Idempotency-Key), while its own embedded PostgreSQL is stopped (fast shutdown) and started again
 * mid-run. Reports whether the process survived, the outage window, 5xx other than 503, acknowledged
 * writes (201s with their ids) missing from the database afterwards, and the time to recover.
 *
 * Settings (environment): CHAOS_DURATION_S (40), CHAOS_RESTART_AT_S (12), CHAOS_DOWN_S (3),
 * CHAOS_CONNECTIONS (12). Figures: bench/results/chaos.json.
 */
const { randomUUID } = require('node:crypto');
const autocannon = require('autocannon');
const { requestBody } = require('../../test/fixtures/request.fixture');
const lib = require('./lib');

const DURATION_S = Number(process.env.CHAOS_DURATION_S ?? 40);
const RESTART_AT_S = Number(process.env.CHAOS_RESTART_AT_S ?? 12);
const DOWN_S = Number(process.env.CHAOS_DOWN_S ?? 3);
const CONNECTIONS = Number(process.env.CHAOS_CONNECTIONS ?? 12);

lib.run(async () => {
  lib.ensureBuilt();
  const db = await lib.startDatabase('run');
  const api = await lib.startApi({ databaseUrl: db.url, dir: db.dir, env: { DATABASE_POOL_SIZE: '10' } });

  await lib.participate(db.url, ['ITA', 'NLD', 'PHL']);
  const officer = await lib.createUser(db.url, 'STATE_OFFICER', 'ITA');
  for (let i = 0; i < 30; i += 1) await lib.createContact(db.url, i % 2 ? 'NLD' : 'PHL', { kind: i % 3 ? 'TECHNICAL' : 'POLICY' });
  const auth = await lib.signIn(api, officer.email);

  const body = JSON.stringify(requestBody({ recipients: ['NLD', 'PHL'] }));
  const probe = await lib.request('POST', `${api.url}/api/v1/requests`, { headers: { ...auth, 'Idempotency-Key': randomUUID() }, body });
  if (probe.status !== 201) throw new Error(`a filing before the run answered ${probe.status}: ${JSON.stringify(probe.body)}`);

  /** Every answer (or transport error) with the time it completed. */
  const events = [];
  /** Ids returned by 201 answers to filings: acknowledged writes. */
  const acknowledged = [probe.body.id];
  const filingStatuses = [];
  /** Idempotency keys of every filing sent, and of those answered 201. */
  const sentKeys = [];
  const acknowledgedKeys = new Set();

  const startedAt = Date.now();
  const instance = autocannon({
    url: api.url,
    connections: CONNECTIONS,
    duration: DURATION_S,
    timeout: 30,
    headers: { ...auth, 'content-type': 'application/json', accept: 'application/json' },
    requests: [
      { method: 'GET', path: '/api/v1/contacts?limit=20' },
      { method: 'GET', path: '/api/v1/requests?limit=20' },
      {
        method: 'POST',
        path: '/api/v1/requests',
        setupRequest: (req, context) => {
          context.key = randomUUID();
          sentKeys.push(context.key);
          return { ...req, headers: { ...req.headers, 'idempotency-key': context.key }, body };
        },
        onResponse: (status, responseBody, context) => {
          filingStatuses.push(status);
          if (status === 201) {
            acknowledged.push(JSON.parse(responseBody).id);
            acknowledgedKeys.add(context.key);
          }
        },
      },
    ],
  });
  lib.onCleanup(() => instance.stop());
  instance.on('response', (_client, statusCode) => events.push({ at: Date.now(), status: statusCode }));
  instance.on('reqError', (error) => events.push({ at: Date.now(), status: 0, error: error.code || error.message }));

  const restart = (async () => {
    await lib.sleep(RESTART_AT_S * 1000);
    if (lib.isStopping()) return {};
    const stopAt = Date.now();
    lib.log('Stopping PostgreSQL (fast shutdown)…');
    await db.stop();
    const stoppedAt = Date.now();
    await lib.sleep(DOWN_S * 1000);
    lib.log('Starting PostgreSQL again…');
    await db.start();
    const readyAt = Date.now();
    lib.log(`PostgreSQL back after ${readyAt - stopAt} ms`);
    return { stopAt, stoppedAt, readyAt };
  })();

  const result = await instance;
  const { stopAt, stoppedAt, readyAt } = await restart;

  const liveAfter = await lib.request('GET', `${api.url}/health/live`);
  const readyAfter = await lib.request('GET', `${api.url}/health/ready`);
  const survived = api.alive && liveAfter.status === 200;

  const failures = events.filter((event) => event.status < 200 || event.status >= 300);
  const firstFailure = failures[0];
  const lastFailure = failures[failures.length - 1];
  const firstOkAfter = events.find((event) => event.at >= readyAt && event.status >= 200 && event.status < 300);
  const byStatus = lib.countBy(events.map((event) => (event.status === 0 ? `error:${event.error}` : event.status)));
  const other5xx = events.filter((event) => event.status >= 500 && event.status !== 503).length;
  const unexpected4xx = events.filter((event) => event.status >= 400 && event.status < 500).length;

  // A client retries a filing not answered 201 (a 503, or still in flight when the load stopped) with
  // the same key: it must get the first answer (when the filing was committed though its answer was
  // lost) or a new request, never two requests.
  const unacknowledgedKeys = sentKeys.filter((key) => !acknowledgedKeys.has(key));
  const before = await lib.withClient(db.url, async (client) => new Set((await client.query('SELECT id FROM request')).rows.map((row) => row.id)));
  const retries = [];
  let replayedFromEarlierCommit = 0;
  for (const key of unacknowledgedKeys) {
    const retry = await lib.request('POST', `${api.url}/api/v1/requests`, { headers: { ...auth, 'Idempotency-Key': key }, body });
    retries.push(retry.status);
    if (retry.status === 201) {
      acknowledged.push(retry.body.id);
      if (before.has(retry.body.id)) replayedFromEarlierCommit += 1;
    }
  }
  const { found, outboxFound, stored } = await lib.withClient(db.url, async (client) => {
    const rows = await client.query('SELECT id FROM request WHERE id = ANY($1::uuid[])', [acknowledged]);
    const outbox = await client.query(
      "SELECT DISTINCT payload->>'requestId' AS id FROM outbox_event WHERE type = 'request.created' AND payload->>'requestId' = ANY($1::text[])",
      [acknowledged],
    );
    const all = await client.query('SELECT count(*)::int AS n FROM request');
    return { found: new Set(rows.rows.map((row) => row.id)), outboxFound: new Set(outbox.rows.map((row) => row.id)), stored: all.rows[0].n };
  });
  const missing = acknowledged.filter((id) => !found.has(id));
  const missingOutbox = acknowledged.filter((id) => !outboxFound.has(id));
  // Filings journal their audit event and chain it after the commit; one committed while PostgreSQL
  // went away waits in the journal for the API's sweep (every 5 s). It must arrive, once.
  const journalDrain = await lib.withClient(db.url, async (client) => {
    const since = Date.now();
    let left = -1;
    while (Date.now() - since < 20_000) {
      left = (await client.query('SELECT count(*)::int AS n FROM audit_journal')).rows[0].n;
      if (left === 0) break;
      await lib.sleep(250);
    }
    const audited = await client.query(
      "SELECT \"entityId\" AS id, count(*)::int AS n FROM audit_event WHERE action = 'request.created' AND \"entityId\" = ANY($1::text[]) GROUP BY 1",
      [acknowledged],
    );
    return { left, waitedMs: Date.now() - since, counts: new Map(audited.rows.map((row) => [row.id, row.n])) };
  });
  const missingAudit = acknowledged.filter((id) => !journalDrain.counts.has(id));
  const auditedTwice = [...journalDrain.counts.values()].filter((n) => n > 1).length;
  const faults = lib.unhandledErrors(api.logFile);

  const figures = {
    settings: { durationS: DURATION_S, restartAtS: RESTART_AT_S, downS: DOWN_S, connections: CONNECTIONS, poolSize: 10, mix: 'GET contacts : GET requests : POST requests = 1:1:1' },
    apiProcessSurvived: survived,
    apiExit: api.exit ?? null,
    healthAfter: { live: liveAfter.status, ready: readyAfter.status },
    requests: { total: events.length, rps: Math.round(result.requests.average), latencyP50Ms: result.latency.p50, latencyP99Ms: result.latency.p99, byStatus },
    postgres: { stopRequestedAtMs: stopAt - startedAt, stoppedAtMs: stoppedAt - startedAt, readyAgainAtMs: readyAt - startedAt, downMs: readyAt - stopAt },
    outage: {
      firstNon2xxAtMs: firstFailure ? firstFailure.at - startedAt : null,
      lastNon2xxAtMs: lastFailure ? lastFailure.at - startedAt : null,
      windowMs: firstFailure ? lastFailure.at - firstFailure.at : 0,
      non2xx: failures.length,
    },
    fiveHundredsOtherThan503: other5xx,
    fourHundreds: unexpected4xx,
    timeToRecoverMs: firstOkAfter ? firstOkAfter.at - readyAt : null,
    lastNon2xxAfterPostgresReadyMs: lastFailure ? Math.max(0, lastFailure.at - readyAt) : 0,
    writes: {
      filings: filingStatuses.length + 1,
      filingStatuses: lib.countBy(filingStatuses),
      acknowledged: acknowledged.length - retries.filter((status) => status === 201).length,
      acknowledgedMissing: missing.length,
      acknowledgedWithoutOutboxEvent: missingOutbox.length,
      acknowledgedWithoutAuditEvent: missingAudit.length,
      auditEventsTwice: auditedTwice,
      auditJournalLeft: journalDrain.left,
      auditJournalDrainedAfterMs: journalDrain.waitedMs,
      storedInDatabase: stored,
      retriedWithSameKey: unacknowledgedKeys.length,
      retryStatuses: lib.countBy(retries),
      retriesAnsweredWithEarlierCommit: replayedFromEarlierCommit,
      storedNeverAcknowledgedAfterRetries: stored - found.size,
      missingIds: missing.slice(0, 20),
    },
    unhandledErrorsInApiLog: faults.length,
    unhandledErrorSamples: faults.slice(0, 5),
  };

  lib.printTable('Chaos: PostgreSQL restarted under load', [
    ['API process survived', survived ? 'yes' : `NO (${JSON.stringify(api.exit)})`],
    ['requests (rps, p50/p99 ms)', `${events.length} (${figures.requests.rps}/s, ${result.latency.p50}/${result.latency.p99})`],
    ['by status', Object.entries(byStatus).map(([key, value]) => `${key}:${value}`).join(' ')],
    ['PostgreSQL stopped at / ready at', `${figures.postgres.stopRequestedAtMs} ms / ${figures.postgres.readyAgainAtMs} ms (down ${figures.postgres.downMs} ms)`],
    ['outage window (first→last non-2xx)', `${figures.outage.windowMs} ms (${figures.outage.firstNon2xxAtMs}→${figures.outage.lastNon2xxAtMs} ms, ${failures.length} answers)`],
    ['5xx other than 503 (must be 0)', other5xx],
    ['4xx during the run', unexpected4xx],
    ['time to recover (PG ready → first 2xx)', figures.timeToRecoverMs === null ? 'never' : `${figures.timeToRecoverMs} ms`],
    ['last non-2xx after PG ready', `${figures.lastNon2xxAfterPostgresReadyMs} ms`],
    ['filings acknowledged (201) during the run', `${figures.writes.acknowledged} of ${figures.writes.filings}`],
    ['acknowledged writes missing (must be 0)', missing.length],
    ['acknowledged without outbox event', missingOutbox.length],
    ['acknowledged without audit event in the chain (must be 0)', `${missingAudit.length} (journal empty after ${journalDrain.waitedMs} ms, ${journalDrain.left} left)`],
    ['audit events recorded twice (must be 0)', auditedTwice],
    ['filings not answered 201, retried (same key)', `${unacknowledgedKeys.length}: ${Object.entries(figures.writes.retryStatuses).map(([k, v]) => `${k}:${v}`).join(' ')}`],
    ['…answered with an earlier commit (replay)', replayedFromEarlierCommit],
    ['stored, never acknowledged after retries (must be 0)', figures.writes.storedNeverAcknowledgedAfterRetries],
    ['unhandled errors in the API log', faults.length],
  ]);
  lib.writeResult('chaos', figures);
  const whole = missing.length === 0 && missingAudit.length === 0 && auditedTwice === 0 && figures.writes.storedNeverAcknowledgedAfterRetries === 0;
  return survived && other5xx === 0 && whole ? 0 : 1;
});
