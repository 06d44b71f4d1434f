'use strict';
/**
 * npm run chaos:pool — pool exhaustion. The API runs with a small pool (DATABASE_POOL_SIZE=3); a
 * separate pg client takes `LOCK TABLE contact IN ACCESS EXCLUSIVE MODE` in an open transaction, so
 * every GET /api/v1/contacts/:id blocks inside PostgreSQL while holding one of the API's connections.
 * Not the contact list: its answers come from the API's read cache (RegistryReadCache) while the
 * registry version is unchanged, so during the lock it answers 200 without reading the table and
 * tests nothing here. Requests keep coming (one contact, and GET /api/v1/states which does not touch
 * the locked table):
 * they must wait a bounded time — DATABASE_CONNECT_TIMEOUT_MS for a free connection, or
 * DATABASE_STATEMENT_TIMEOUT_MS for a blocked statement — and then get 503 with Retry-After, while
 * /health/live keeps answering 200. The lock is then released and service must resume. The run fails
 * when no API connection was seen waiting on the lock or no request of one contact got 503: then the
 * load did not reach the locked table, and the figures would prove nothing.
 *
 * Settings (environment): POOL_SIZE (3), POOL_CONNECT_TIMEOUT_MS (2000), POOL_STATEMENT_TIMEOUT_MS
 * (6000), POOL_LOCK_HOLD_MS (12000). Figures: bench/results/chaos-pool.json.
 */
const { clearInterval, setInterval } = require('node:timers');
const lib = require('./lib');

const POOL_SIZE = Number(process.env.POOL_SIZE ?? 3);
const CONNECT_TIMEOUT_MS = Number(process.env.POOL_CONNECT_TIMEOUT_MS ?? 2000);
const STATEMENT_TIMEOUT_MS = Number(process.env.POOL_STATEMENT_TIMEOUT_MS ?? 6000);
const HOLD_MS = Number(process.env.POOL_LOCK_HOLD_MS ?? 12_000);

function summarise(samples) {
  const ms = samples.map((sample) => sample.ms);
  const unavailable = samples.filter((sample) => sample.status === 503);
  return {
    count: samples.length,
    byStatus: lib.countBy(samples.map((sample) => (sample.status === 0 ? `error:${sample.error}` : sample.status))),
    maxMs: ms.length ? Math.round(Math.max(...ms)) : null,
    p50Ms: ms.length ? Math.round(lib.percentile(ms, 50)) : null,
    unavailable: unavailable.length,
    unavailableWithRetryAfter: unavailable.filter((sample) => sample.retryAfter !== undefined).length,
    retryAfterValues: [...new Set(unavailable.map((sample) => sample.retryAfter))],
    unavailableMaxMs: unavailable.length ? Math.round(Math.max(...unavailable.map((sample) => sample.ms))) : null,
    unavailableMinMs: unavailable.length ? Math.round(Math.min(...unavailable.map((sample) => sample.ms))) : null,
  };
}

lib.run(async () => {
  lib.ensureBuilt();
  const db = await lib.startDatabase('pool');
  const api = await lib.startApi({
    databaseUrl: db.url,
    dir: db.dir,
    env: {
      DATABASE_POOL_SIZE: String(POOL_SIZE),
      DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
      DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      // The worker would take pool connections on its own schedule; the figures are about requests.
      NOTIFICATION_WORKER_ENABLED: 'false',
    },
  });
  await lib.participate(db.url, ['ITA']);
  const officer = await lib.createUser(db.url, 'STATE_OFFICER', 'ITA');
  const contactIds = [];
  for (let i = 0; i < 10; i += 1) contactIds.push((await lib.createContact(db.url, 'ITA')).id);
  const auth = await lib.signIn(api, officer.email);
  let next = 0;
  const oneContact = () => `/api/v1/contacts/${contactIds[next++ % contactIds.length]}`;

  const get = (kind, path, headers = auth) =>
    lib.request('GET', `${api.url}${path}`, { headers, timeout: 60_000 }).then((response) => ({
      kind,
      status: response.status,
      error: response.error,
      ms: response.ms,
      retryAfter: response.headers ? response.headers['retry-after'] : undefined,
      code: response.body && typeof response.body === 'object' ? response.body.code : undefined,
      at: response.at,
    }));

  const baseline = await Promise.all(Array.from({ length: 5 }, () => get('contacts', oneContact())));
  if (baseline.some((sample) => sample.status !== 200)) throw new Error(`baseline reads failed: ${JSON.stringify(baseline)}`);

  const { Client } = require('pg');
  const locker = new Client({ connectionString: db.url, application_name: 'reliability-locker' });
  const monitor = new Client({ connectionString: db.url, application_name: 'reliability-monitor' });
  await locker.connect();
  await monitor.connect();
  lib.onCleanup(() => locker.end().catch(() => undefined));
  lib.onCleanup(() => monitor.end().catch(() => undefined));

  await locker.query('BEGIN');
  await locker.query('LOCK TABLE contact IN ACCESS EXCLUSIVE MODE');
  const lockedAt = Date.now();
  lib.log(`contact locked (ACCESS EXCLUSIVE) for ${HOLD_MS} ms; firing requests…`);

  const pending = [];
  const timers = [];
  const every = (ms, fn) => {
    fn();
    timers.push(setInterval(fn, ms));
  };
  every(200, () => pending.push(get('contacts', oneContact())));
  every(400, () => pending.push(get('states', '/api/v1/states')));
  every(250, () => pending.push(get('live', '/health/live', {})));
  every(1000, () => pending.push(get('ready', '/health/ready', {})));
  const poolSamples = [];
  const blockedSamples = [];
  every(1000, () => {
    pending.push(
      lib.request('GET', `${api.url}/metrics`, { timeout: 10_000 }).then((response) => {
        const gauge = (name) => {
          const match = typeof response.body === 'string' ? new RegExp(`^${name} (\\d+)`, 'm').exec(response.body) : null;
          return match ? Number(match[1]) : null;
        };
        poolSamples.push({ status: response.status, ms: Math.round(response.ms), total: gauge('db_pool_connections_total'), idle: gauge('db_pool_connections_idle'), waiting: gauge('db_pool_requests_waiting') });
        return { kind: 'metrics', status: response.status, ms: response.ms, at: response.at };
      }),
    );
    monitor
      .query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'cbm-registry' AND wait_event_type = 'Lock'")
      .then((result) => blockedSamples.push(result.rows[0].n))
      .catch(() => undefined);
  });

  await lib.sleep(HOLD_MS);
  await locker.query('COMMIT');
  const releasedAt = Date.now();
  for (const timer of timers) clearInterval(timer);
  lib.log('lock released; waiting for the answers in flight…');
  const during = await Promise.all(pending);
  const after = [];
  for (let i = 0; i < 5; i += 1) after.push(await get('contacts', oneContact()));

  const byKind = (kind) => during.filter((sample) => sample.kind === kind);
  const contacts = summarise(byKind('contacts'));
  const states = summarise(byKind('states'));
  const live = summarise(byKind('live'));
  const ready = summarise(byKind('ready'));
  const metrics = summarise(byKind('metrics'));
  const otherErrors = during.filter((sample) => sample.status >= 500 && sample.status !== 503 && sample.kind !== 'ready').length;
  const unavailableAll = during.filter((sample) => sample.status === 503 && (sample.kind === 'contacts' || sample.kind === 'states'));
  const withoutRetryAfter = unavailableAll.filter((sample) => sample.retryAfter === undefined).length;
  const bound = STATEMENT_TIMEOUT_MS + CONNECT_TIMEOUT_MS + 1000;
  const overBound = during.filter((sample) => (sample.kind === 'contacts' || sample.kind === 'states') && sample.ms > bound).length;
  const faults = lib.unhandledErrors(api.logFile);
  const blockedMax = blockedSamples.length ? Math.max(...blockedSamples) : null;
  const reachedLock = blockedMax >= 1 && contacts.unavailable >= 1;

  const figures = {
    settings: { poolSize: POOL_SIZE, connectTimeoutMs: CONNECT_TIMEOUT_MS, statementTimeoutMs: STATEMENT_TIMEOUT_MS, lockHoldMs: HOLD_MS, lockedFor: releasedAt - lockedAt },
    baselineContactsMaxMs: Math.round(Math.max(...baseline.map((sample) => sample.ms))),
    duringLock: { contacts, states, healthLive: live, healthReady: ready, metrics },
    apiConnectionsBlockedOnLockMax: blockedMax,
    loadReachedTheLock: reachedLock,
    poolGaugeSamples: poolSamples,
    fiveHundredsOtherThan503: otherErrors,
    unavailableWithoutRetryAfter: withoutRetryAfter,
    answersSlowerThanBound: { boundMs: bound, count: overBound },
    afterRelease: { statuses: lib.countBy(after.map((sample) => sample.status)), maxMs: Math.round(Math.max(...after.map((sample) => sample.ms))) },
    apiProcessSurvived: api.alive,
    unhandledErrorsInApiLog: faults.length,
    unhandledErrorSamples: faults.slice(0, 5),
  };

  const fmt = (summary) => `${summary.count}: ${Object.entries(summary.byStatus).map(([key, value]) => `${key}:${value}`).join(' ')}, max ${summary.maxMs} ms`;
  lib.printTable(`Pool exhaustion: pool ${POOL_SIZE}, connect timeout ${CONNECT_TIMEOUT_MS} ms, statement timeout ${STATEMENT_TIMEOUT_MS} ms, contact locked ${figures.settings.lockedFor} ms`, [
    ['GET /api/v1/contacts/:id (needs the lock)', fmt(contacts)],
    ['  503s: fastest / slowest', `${contacts.unavailableMinMs} / ${contacts.unavailableMaxMs} ms`],
    ['GET /api/v1/states (other table)', fmt(states)],
    ['  503s: fastest / slowest', `${states.unavailableMinMs} / ${states.unavailableMaxMs} ms`],
    ['503s with Retry-After', `${unavailableAll.length - withoutRetryAfter} of ${unavailableAll.length} (Retry-After: ${[...new Set(unavailableAll.map((s) => s.retryAfter))].join(',')})`],
    [`answers slower than ${bound} ms`, overBound],
    ['5xx other than 503', otherErrors],
    ['API connections blocked on the lock (max)', blockedMax],
    ['load reached the lock (blocked and 503)', reachedLock ? 'yes' : 'NO: the scenario did not happen'],
    ['/health/live', fmt(live)],
    ['/health/ready', fmt(ready)],
    ['/metrics', fmt(metrics)],
    ['after release: one contact', `${JSON.stringify(figures.afterRelease.statuses)}, max ${figures.afterRelease.maxMs} ms`],
    ['API process survived', api.alive ? 'yes' : 'NO'],
    ['unhandled errors in the API log', faults.length],
  ]);
  lib.writeResult('chaos-pool', figures);
  if (!reachedLock) console.error('FAIL: no request waited on the locked table or got 503 from it; the figures above test nothing.');
  const ok = reachedLock && api.alive && otherErrors === 0 && withoutRetryAfter === 0 && overBound === 0 && live.byStatus['200'] === live.count && figures.afterRelease.statuses['200'] === 5;
  return ok ? 0 : 1;
});
