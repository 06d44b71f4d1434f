'use strict';
/**
 * npm run chaos:two — two API processes (as built for production) on one database, with a local SMTP
 * receiver (smtp-server) as their SMTP_URL. Shows:
 *  (a) login lockout: wrong passwords alternately to both processes lock the account after
 *      LOGIN_MAX_FAILURES in total (and not before);
 *  (b) the per-address auth rate limit (AUTH_RATE_LIMIT_PER_MINUTE): whether it holds across
 *      processes (measured, not assumed), with a one-process control;
 *  (c) under read load on both, N request filings spread over both processes to a State with one
 *      technical contact: each outbox message is mailed once (counted per Message-ID);
 *  (d) the audit chain written by both processes verifies (GET /api/v1/audit-events/verify on both).
 *  (e) the read cache: a contact created, then deactivated, through B is in (then gone from) the
 *      very next list A answers, although A answered that list from its cache just before.
 *
 * Each part signs in from its own loopback address (127.0.0.2, .3, .4) so that the per-address
 * limit of one part does not spill into another. Settings (environment): TWO_FILINGS (40),
 * TWO_LOAD_S (15). Figures: bench/results/chaos-two.json.
 */
const { randomUUID } = require('node:crypto');
const autocannon = require('autocannon');
const { simpleParser } = require('mailparser');
const { SMTPServer } = require('smtp-server');
const { requestBody } = require('../../test/fixtures/request.fixture');
const lib = require('./lib');

const FILINGS = Number(process.env.TWO_FILINGS ?? 40);
const LOAD_S = Number(process.env.TWO_LOAD_S ?? 15);
const MAX_FAILURES = 5;
const RATE_LIMIT = 20;
const CONTACT_EMAIL = 'soc@ncsc.nld.example';

async function startMailbox() {
  const mails = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          mails.push({
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            messageId: parsed.messageId ?? '',
            notificationId: parsed.headers.get('x-cbm-notification-id') ?? '',
            subject: parsed.subject ?? '',
          });
          callback();
        })
        .catch(callback);
    },
  });
  const port = await lib.freePort();
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  lib.onCleanup(() => new Promise((resolve) => server.close(() => resolve())));
  lib.log(`SMTP receiver on 127.0.0.1:${port}`);
  return { url: `smtp://127.0.0.1:${port}`, mails };
}

lib.run(async () => {
  lib.ensureBuilt();
  const db = await lib.startDatabase('two');
  const mailbox = await startMailbox();
  const common = {
    SMTP_URL: mailbox.url,
    LOGIN_MAX_FAILURES: String(MAX_FAILURES),
    AUTH_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
    NOTIFICATION_POLL_INTERVAL_MS: '250',
    DATABASE_POOL_SIZE: '5',
  };
  const a = await lib.startApi({ name: 'api-a', databaseUrl: db.url, dir: db.dir, env: { ...common, MAIL_FROM: 'CBM Registry A <a@cbm-registry.invalid>' } });
  const b = await lib.startApi({ name: 'api-b', databaseUrl: db.url, dir: db.dir, env: { ...common, MAIL_FROM: 'CBM Registry B <b@cbm-registry.invalid>' } });
  const apis = [a, b];

  await lib.participate(db.url, ['ITA', 'NLD']);
  const officer = await lib.createUser(db.url, 'STATE_OFFICER', 'ITA');
  const admin = await lib.createUser(db.url, 'PLATFORM_ADMIN', null);
  const victim = await lib.createUser(db.url, 'STATE_VIEWER', 'ITA', { label: 'victim' });
  const control = await lib.createUser(db.url, 'STATE_VIEWER', 'ITA', { label: 'control' });
  await lib.createContact(db.url, 'NLD', { kind: 'TECHNICAL', email: CONTACT_EMAIL, name: 'NLD national SOC' });
  const login = (api, email, password, localAddress) =>
    lib.request('POST', `${api.url}/api/v1/auth/login`, { body: { email, password }, localAddress }).then((response) => response.status);

  // (a) Login lockout across both processes -------------------------------------------------------
  const lockoutAddress = '127.0.0.3';
  const controlStatuses = [];
  for (let i = 0; i < MAX_FAILURES - 1; i += 1) controlStatuses.push(await login(apis[i % 2], control.email, 'wrong password number one', lockoutAddress));
  const controlCorrect = await login(apis[(MAX_FAILURES - 1) % 2], control.email, lib.PASSWORD, lockoutAddress);
  const victimStatuses = [];
  for (let i = 0; i < MAX_FAILURES; i += 1) victimStatuses.push(await login(apis[i % 2], victim.email, 'wrong password number one', lockoutAddress));
  const victimCorrectA = await login(a, victim.email, lib.PASSWORD, lockoutAddress);
  const victimCorrectB = await login(b, victim.email, lib.PASSWORD, lockoutAddress);
  const victimRow = await lib.withClient(db.url, async (client) => (await client.query('SELECT "failedLoginCount", "lockedUntil" FROM "user" WHERE id = $1', [victim.id])).rows[0]);
  const lockout = {
    loginMaxFailures: MAX_FAILURES,
    control: { wrongAttemptsAlternating: controlStatuses, thenCorrectPassword: controlCorrect, lockedEarly: controlCorrect !== 200 },
    victim: {
      wrongAttemptsAlternating: victimStatuses,
      thenCorrectPasswordOnA: victimCorrectA,
      thenCorrectPasswordOnB: victimCorrectB,
      failedLoginCountInDatabase: victimRow.failedLoginCount,
      lockedUntil: victimRow.lockedUntil,
    },
    holdsAcrossProcesses: controlCorrect === 200 && victimCorrectA === 401 && victimCorrectB === 401 && victimRow.lockedUntil !== null,
  };
  lib.log(`(a) lockout across processes: ${lockout.holdsAcrossProcesses ? 'holds' : 'DOES NOT HOLD'}`);

  // (b) Per-address auth rate limit -----------------------------------------------------------------
  const attempts = RATE_LIMIT * 3;
  const crossStatuses = [];
  for (let i = 0; i < attempts; i += 1) crossStatuses.push({ api: apis[i % 2].name, status: await login(apis[i % 2], 'nobody@nowhere.example', 'wrong password number two', '127.0.0.2') });
  const controlSingle = [];
  for (let i = 0; i < RATE_LIMIT + 10; i += 1) controlSingle.push(await login(a, 'nobody@nowhere.example', 'wrong password number two', '127.0.0.4'));
  const allowed = (list) => list.filter((entry) => (entry.status ?? entry) !== 429).length;
  const crossAllowedA = allowed(crossStatuses.filter((entry) => entry.api === a.name));
  const crossAllowedB = allowed(crossStatuses.filter((entry) => entry.api === b.name));
  const rateLimit = {
    limitPerMinutePerAddress: RATE_LIMIT,
    oneProcess: { attempts: controlSingle.length, allowed: allowed(controlSingle), first429At: controlSingle.indexOf(429) + 1 || null },
    twoProcessesAlternating: {
      attempts,
      allowed: crossAllowedA + crossAllowedB,
      allowedByProcess: { [a.name]: crossAllowedA, [b.name]: crossAllowedB },
      first429At: crossStatuses.findIndex((entry) => entry.status === 429) + 1 || null,
      statuses: lib.countBy(crossStatuses.map((entry) => entry.status)),
    },
  };
  rateLimit.holdsAcrossProcesses = rateLimit.twoProcessesAlternating.allowed <= RATE_LIMIT;
  lib.log(`(b) auth rate limit across processes: ${rateLimit.holdsAcrossProcesses ? 'holds' : `does NOT hold (${rateLimit.twoProcessesAlternating.allowed} allowed for a limit of ${RATE_LIMIT})`}`);

  // (c) Outbox delivered once, under read load on both -----------------------------------------------
  const auth = await lib.signIn(a, officer.email);
  const body = requestBody({ recipients: ['NLD'] });
  const loads = apis.map((api) =>
    autocannon({ url: `${api.url}/api/v1/contacts?limit=20`, connections: 4, duration: LOAD_S, headers: { ...auth, accept: 'application/json' } }),
  );
  for (const load of loads) lib.onCleanup(() => load.stop());
  const filed = [];
  let next = 0;
  const filer = async () => {
    while (next < FILINGS && !lib.isStopping()) {
      const i = next++;
      const api = apis[i % 2];
      const response = await lib.request('POST', `${api.url}/api/v1/requests`, { headers: { ...auth, 'Idempotency-Key': randomUUID() }, body });
      filed.push({ api: api.name, status: response.status, id: response.body && response.body.id });
      await lib.sleep(Math.round((LOAD_S * 1000 * 0.6) / (FILINGS / 4)));
    }
  };
  await Promise.all([filer(), filer(), filer(), filer()]);
  const loadResults = await Promise.all(loads);
  const requestIds = filed.filter((entry) => entry.status === 201).map((entry) => entry.id);

  const deadline = Date.now() + 90_000;
  let delivery;
  for (;;) {
    delivery = await lib.withClient(db.url, async (client) => {
      const events = await client.query(
        "SELECT count(*)::int AS n, count(*) FILTER (WHERE \"dispatchedAt\" IS NOT NULL)::int AS dispatched FROM outbox_event WHERE type = 'request.created' AND payload->>'requestId' = ANY($1::text[])",
        [requestIds],
      );
      const notes = await client.query(
        `SELECT n.status, count(*)::int AS n FROM notification n JOIN outbox_event e ON e.id = n."eventId"
         WHERE e.type = 'request.created' AND e.payload->>'requestId' = ANY($1::text[]) GROUP BY n.status`,
        [requestIds],
      );
      const attemptsRow = await client.query(
        `SELECT count(*)::int AS n FROM notification_attempt t JOIN notification n ON n.id = t."notificationId" JOIN outbox_event e ON e.id = n."eventId"
         WHERE e.type = 'request.created' AND e.payload->>'requestId' = ANY($1::text[])`,
        [requestIds],
      );
      return { events: events.rows[0].n, dispatched: events.rows[0].dispatched, notifications: Object.fromEntries(notes.rows.map((row) => [row.status, row.n])), attempts: attemptsRow.rows[0].n };
    });
    const done = delivery.dispatched === requestIds.length && (delivery.notifications.PENDING ?? 0) === 0 && (delivery.notifications.DELIVERED ?? 0) >= requestIds.length;
    if (done || Date.now() > deadline) break;
    await lib.sleep(500);
  }
  await lib.sleep(3000); // a duplicate would arrive within a few worker rounds
  const toContact = mailbox.mails.filter((mail) => mail.to.includes(CONTACT_EMAIL));
  const perMessageId = lib.countBy(toContact.map((mail) => mail.messageId));
  const counts = Object.values(perMessageId);
  const outbox = {
    filings: FILINGS,
    filingStatuses: lib.countBy(filed.map((entry) => entry.status)),
    filedByProcess: lib.countBy(filed.map((entry) => entry.api)),
    readLoad: loadResults.map((result, i) => ({ api: apis[i].name, requests: result.requests.total, non2xx: result.non2xx, errors: result.errors, p99Ms: result.latency.p99 })),
    outboxEvents: delivery.events,
    dispatched: delivery.dispatched,
    notificationsByStatus: delivery.notifications,
    deliveryAttemptsRecorded: delivery.attempts,
    mailsToContact: toContact.length,
    distinctMessageIds: counts.length,
    messageIdsMailedTwiceOrMore: counts.filter((count) => count > 1).length,
    messageIdsMissing: Math.max(0, requestIds.length - counts.length),
    deliveredByProcess: lib.countBy(toContact.map((mail) => mail.from)),
    mailsReceivedInTotal: mailbox.mails.length,
  };
  outbox.eachDeliveredOnce = counts.length === requestIds.length && outbox.messageIdsMailedTwiceOrMore === 0;
  lib.log(`(c) outbox: ${outbox.mailsToContact} mails, ${outbox.distinctMessageIds} Message-IDs for ${requestIds.length} requests`);

  // (d) Audit chain written by both processes -------------------------------------------------------
  const adminAuth = await lib.signIn(b, admin.email);
  const verifyA = await lib.request('GET', `${a.url}/api/v1/audit-events/verify`, { headers: adminAuth, timeout: 120_000 });
  const verifyB = await lib.request('GET', `${b.url}/api/v1/audit-events/verify`, { headers: adminAuth, timeout: 120_000 });
  const auditRows = await lib.withClient(db.url, async (client) => (await client.query('SELECT count(*)::int AS n FROM audit_event')).rows[0].n);
  const audit = {
    auditEvents: auditRows,
    verifyOnA: { status: verifyA.status, body: verifyA.body, ms: Math.round(verifyA.ms) },
    verifyOnB: { status: verifyB.status, body: verifyB.body, ms: Math.round(verifyB.ms) },
  };
  audit.valid = verifyA.status === 200 && verifyA.body.valid === true && verifyB.status === 200 && verifyB.body.valid === true;

  // (e) Read cache: a change made through B is in A's next answer ------------------------------------
  // A keeps list answers keyed by the registry version it reads with each credential; B's commit
  // bumps that version, so A must not serve its cached page once B has answered.
  const listUrl = `${a.url}/api/v1/contacts?state=ITA&limit=200`;
  const names = (response) => (response.body && Array.isArray(response.body.items) ? response.body.items.map((item) => item.name) : []);
  const warmA = [await lib.request('GET', listUrl, { headers: auth }), await lib.request('GET', listUrl, { headers: auth })];
  const newName = `Cache probe ${randomUUID().slice(0, 8)}`;
  const createdOnB = await lib.request('POST', `${b.url}/api/v1/contacts`, {
    headers: auth,
    body: { kind: 'TECHNICAL', name: newName, emails: ['cache.probe@ita.example'], phones: [], available24x7: false, timeZone: 'Europe/Rome', languages: ['it'] },
  });
  const afterCreateOnA = await lib.request('GET', listUrl, { headers: auth });
  const deactivatedOnB = createdOnB.body && createdOnB.body.id
    ? await lib.request('DELETE', `${b.url}/api/v1/contacts/${createdOnB.body.id}`, { headers: { ...auth, 'If-Match': createdOnB.headers.etag } })
    : { status: 0 };
  const afterDeactivateOnA = await lib.request('GET', listUrl, { headers: auth });
  const cache = {
    warmStatuses: warmA.map((response) => response.status),
    warmSameEtag: warmA[0].headers.etag === warmA[1].headers.etag,
    createdOnB: createdOnB.status,
    seenOnAAfterCreate: names(afterCreateOnA).includes(newName),
    deactivatedOnB: deactivatedOnB.status,
    goneOnAAfterDeactivate: afterDeactivateOnA.status === 200 && !names(afterDeactivateOnA).includes(newName),
  };
  cache.holdsAcrossProcesses = createdOnB.status === 201 && cache.seenOnAAfterCreate && deactivatedOnB.status === 200 && cache.goneOnAAfterDeactivate;
  lib.log(`(e) read cache across processes: ${cache.holdsAcrossProcesses ? 'holds' : 'DOES NOT HOLD'}`);

  const faults = [...lib.unhandledErrors(a.logFile), ...lib.unhandledErrors(b.logFile)];
  const figures = { lockout, rateLimit, outbox, audit, cache, processesSurvived: a.alive && b.alive, unhandledErrorsInApiLogs: faults.length, unhandledErrorSamples: faults.slice(0, 5) };

  lib.printTable('Two API processes on one database', [
    ['(a) lockout: 4 wrong (A,B,A,B) then right', `${controlStatuses.join(',')} → ${controlCorrect} (not locked early: ${controlCorrect === 200 ? 'yes' : 'NO'})`],
    [`(a) lockout: ${MAX_FAILURES} wrong (A,B,A,B,A) then right`, `${victimStatuses.join(',')} → A:${victimCorrectA} B:${victimCorrectB}; failedLoginCount ${victimRow.failedLoginCount}, locked ${victimRow.lockedUntil ? 'yes' : 'no'}`],
    ['(a) lockout holds across processes', lockout.holdsAcrossProcesses ? 'yes' : 'NO'],
    [`(b) rate limit ${RATE_LIMIT}/min, one process`, `${rateLimit.oneProcess.allowed} of ${rateLimit.oneProcess.attempts} allowed, first 429 at #${rateLimit.oneProcess.first429At}`],
    ['(b) same address, alternating A/B', `${rateLimit.twoProcessesAlternating.allowed} of ${attempts} allowed (A ${crossAllowedA}, B ${crossAllowedB}), first 429 at #${rateLimit.twoProcessesAlternating.first429At}`],
    ['(b) rate limit holds across processes', rateLimit.holdsAcrossProcesses ? 'yes' : `NO (effective limit ${rateLimit.twoProcessesAlternating.allowed}/min = per process)`],
    ['(c) filings (201) by process', `${JSON.stringify(outbox.filingStatuses)} ${JSON.stringify(outbox.filedByProcess)}`],
    ['(c) read load on A / B (requests, non-2xx)', outbox.readLoad.map((load) => `${load.requests}, ${load.non2xx}`).join(' / ')],
    ['(c) notifications by status', JSON.stringify(outbox.notificationsByStatus)],
    ['(c) mails to the contact / distinct Message-IDs', `${outbox.mailsToContact} / ${outbox.distinctMessageIds}`],
    ['(c) Message-IDs mailed twice+ / missing', `${outbox.messageIdsMailedTwiceOrMore} / ${outbox.messageIdsMissing}`],
    ['(c) mails sent by process', Object.entries(outbox.deliveredByProcess).map(([from, n]) => `${from.split('@')[0]}:${n}`).join(' ')],
    ['(d) audit events / verify on A, B', `${auditRows} / ${verifyA.status} ${JSON.stringify(verifyA.body)}, ${verifyB.status} valid=${verifyB.body && verifyB.body.valid}`],
    ['(e) list cached on A (same ETag twice)', `${cache.warmStatuses.join(',')} ${cache.warmSameEtag ? 'yes' : 'no'}`],
    ['(e) contact created on B → in A\'s next list', `${cache.createdOnB} → ${cache.seenOnAAfterCreate ? 'yes' : 'NO'}`],
    ['(e) deactivated on B → gone from A\'s next list', `${cache.deactivatedOnB} → ${cache.goneOnAAfterDeactivate ? 'yes' : 'NO'}`],
    ['processes survived / unhandled errors', `${figures.processesSurvived ? 'yes' : 'NO'} / ${faults.length}`],
  ]);
  lib.writeResult('chaos-two', figures);
  return lockout.holdsAcrossProcesses && rateLimit.holdsAcrossProcesses && outbox.eachDeliveredOnce && audit.valid && cache.holdsAcrossProcesses && figures.processesSurvived
    ? 0
    : 1;
});
