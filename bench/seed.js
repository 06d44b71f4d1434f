'use strict';
/**
 * The benchmark's data: a dedicated database (cbm_bench or cbm_bench_small) on the local PostgreSQL,
 * or on an embedded one started from the compiled service, migrated with the Prisma CLI and filled
 * with bulk SQL (INSERT … SELECT generate_series), never through the API. A marker (the database's
 * comment) records what was seeded, so a rerun with the same size reuses the data.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');
const { Client } = require('pg');
const { withClient } = require('../scripts/reliability/lib');

const ROOT = path.resolve(__dirname, '..');
/** Bump when the seed below changes: databases seeded by an older version are dropped and refilled. */
const SEED_VERSION = 5;

const SIZES = {
  default: { contacts: 25_000, certs: 2_000, requests: 50_000, auditEvents: 1_000_000, disclosures: 5_000 },
  small: { contacts: 500, certs: 40, requests: 1_000, auditEvents: 20_000, disclosures: 100 },
};

/** States that take part; the bench users belong to the first. */
const PARTICIPATING = ['KEN', 'FRA', 'BRA', 'IND', 'JPN', 'DEU', 'ZAF', 'MEX', 'EST', 'SGP', 'CAN', 'NGA', 'AUS', 'CHL', 'POL', 'EGY', 'IDN', 'NLD', 'GHA', 'URY'];
const BENCH_STATE = 'KEN';
/** The list scenario pages through these States; each holds at least 60 active-or-not contacts at every size. */
const LIST_STATES = ['FRA', 'BRA', 'IND', 'JPN', 'DEU'];
const LIST_STATE_MIN = 60;
/**
 * Search terms: rare surnames, each given to exactly SEARCH_MATCHES contacts at every size, so the
 * search answers the same number of rows whatever the directory's size (scaling shows in latency).
 */
const SEARCH_SURNAMES = ['Quarshie', 'Zoltanek', 'Wyckliffe', 'Yevtushen', 'Oxenbury', 'Jaquemart', 'Fitzwilliam', 'Kvaratsk', 'Huxtable', 'Brzezinka'];
const SEARCH_MATCHES = 20;
const SEARCH_TERMS = SEARCH_SURNAMES.map((surname) => surname.slice(0, 4));

const FIRST_NAMES = [
  'Amina', 'Ahmed', 'Ana', 'Andrei', 'Aiko', 'Bea', 'Carlos', 'Chen', 'Chiara', 'Daniel', 'Dmitri', 'Elena', 'Emeka', 'Fatima', 'Farid',
  'Grace', 'Hana', 'Hugo', 'Ines', 'Ivan', 'Jamal', 'Jin', 'Juan', 'Karin', 'Kofi', 'Lars', 'Leila', 'Luis', 'Maria', 'Mei', 'Mohamed',
  'Nadia', 'Nikolai', 'Olga', 'Omar', 'Paulo', 'Priya', 'Rahul', 'Rosa', 'Sami', 'Sara', 'Sofia', 'Tariq', 'Tomas', 'Usha', 'Victor',
  'Wei', 'Yara', 'Yusuf', 'Zainab',
];
const LAST_NAMES = [
  'Abebe', 'Adeyemi', 'Alvarez', 'Andersen', 'Bakr', 'Banda', 'Becker', 'Bianchi', 'Bondarenko', 'Cohen', 'Costa', 'Dahl', 'Diallo',
  'Dubois', 'Eriksen', 'Farah', 'Fernandes', 'Garcia', 'Gomez', 'Gupta', 'Haddad', 'Hansen', 'Hassan', 'Hoang', 'Ibrahim', 'Ito', 'Ivanov',
  'Jensen', 'Kamau', 'Kapoor', 'Khan', 'Kim', 'Kowalski', 'Lambert', 'Larsen', 'Lee', 'Lopez', 'Mahmoud', 'Martin', 'Mensah', 'Meyer',
  'Moreau', 'Muller', 'Nakamura', 'Nguyen', 'Novak', 'Odhiambo', 'Okafor', 'Olsen', 'Park', 'Patel', 'Pereira', 'Petrov', 'Popescu',
  'Rahman', 'Ramos', 'Rossi', 'Said', 'Santos', 'Sato', 'Schmidt', 'Silva', 'Singh', 'Sokolov', 'Suzuki', 'Takahashi', 'Tanaka', 'Torres',
  'Traore', 'Tran', 'Vargas', 'Wang', 'Weber', 'Wong', 'Yamamoto', 'Yilmaz', 'Zhang', 'Zulu',
];

/** Where to create the bench database: DATABASE_URL's server, the local one, or an embedded one. */
async function resolveServer(log) {
  const candidates = [];
  if (process.env.BENCH_EMBEDDED !== '1') {
    if (process.env.DATABASE_URL) candidates.push(process.env.DATABASE_URL);
    candidates.push('postgresql://postgres@127.0.0.1:5432/postgres');
  }
  for (const candidate of candidates) {
    const url = new URL(candidate);
    url.pathname = '/postgres';
    const client = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      log(`PostgreSQL server: ${redact(url)}`);
      return { serverUrl: url.toString(), databaseUrl: (name) => withDatabase(url, name), stop: async () => undefined };
    } catch (error) {
      log(`No PostgreSQL at ${redact(url)} (${error.message})`);
      await client.end().catch(() => undefined);
    }
  }
  const embeddedModule = path.join(ROOT, 'dist', 'libs', 'database', 'src', 'embedded-postgres.js');
  const { startEmbeddedPostgres } = require(embeddedModule);
  const port = Number(process.env.BENCH_EMBEDDED_PORT ?? 54339);
  const dataDir = path.join(__dirname, '.data', 'postgres');
  log(`Starting an embedded PostgreSQL on 127.0.0.1:${port} (data in ${dataDir})`);
  const embedded = await startEmbeddedPostgres({ dataDir, port });
  return { serverUrl: embedded.serverUrl, databaseUrl: (name) => embedded.databaseUrl(name), stop: () => embedded.stop(), embedded: true };
}

function withDatabase(url, name) {
  const copy = new URL(url.toString());
  copy.pathname = `/${name}`;
  return copy.toString();
}

function redact(url) {
  const copy = new URL(url.toString());
  if (copy.password) copy.password = '***';
  return copy.toString();
}

function marker(size) {
  return `cbm-bench seed v${SEED_VERSION} size=${size} ${JSON.stringify(SIZES[size])}`;
}

function migrate(databaseUrl, log) {
  log('Applying migrations (prisma migrate deploy)');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'prisma', 'build', 'index.js'), 'migrate', 'deploy'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`prisma migrate deploy failed (${code}):\n${output}`))));
  });
}

/**
 * Makes sure the bench database for `size` exists, is migrated and seeded. Returns its URL and the
 * server handle (stop it at the end when embedded).
 */
async function prepareBenchDatabase(size, { log = (line) => process.stdout.write(`${line}\n`), reseed = false } = {}) {
  const server = await resolveServer(log);
  // BENCH_DATABASE: another name, so that two checkouts can bench at once without sharing tables.
  const name = process.env.BENCH_DATABASE ?? (size === 'small' ? 'cbm_bench_small' : 'cbm_bench');
  const databaseUrl = server.databaseUrl(name);
  const wanted = marker(size);
  const existing = await withClient(server.serverUrl, async (client) => {
    const { rows } = await client.query("SELECT shobj_description(oid, 'pg_database') AS marker FROM pg_database WHERE datname = $1", [name]);
    return rows[0];
  });
  if (existing && existing.marker === wanted && !reseed) {
    log(`Reusing ${name} (${wanted})`);
    await migrate(databaseUrl, log); // a no-op unless the project added migrations since
    return { databaseUrl, server, name, reused: true };
  }
  await withClient(server.serverUrl, async (client) => {
    if (existing) {
      log(`Dropping ${name} (marker ${JSON.stringify(existing.marker)} ≠ wanted)`);
      await client.query(`DROP DATABASE ${client.escapeIdentifier(name)} WITH (FORCE)`);
    }
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  });
  await migrate(databaseUrl, log);
  const started = Date.now();
  await withClient(databaseUrl, (client) => seed(client, SIZES[size], log));
  await withClient(server.serverUrl, (client) => client.query(`COMMENT ON DATABASE ${client.escapeIdentifier(name)} IS ${client.escapeLiteral(wanted)}`));
  log(`Seeded ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { databaseUrl, server, name, reused: false };
}

async function timed(log, label, client, sql, params) {
  const started = Date.now();
  const result = await client.query(sql, params);
  log(`  ${label}: ${result.rowCount ?? 0} rows in ${Date.now() - started} ms`);
  return result;
}

async function seed(client, n, log) {
  const { UN_STATES } = require(path.join(ROOT, 'dist', 'libs', 'database', 'src', 'reference-data', 'un-states.js'));
  log(`Seeding ${JSON.stringify(n)}`);
  await client.query('SET synchronous_commit = off');
  await client.query('BEGIN');
  // Deterministic ids that are valid version-4 UUIDs (the API's cursors and id parameters check that).
  await client.query(`CREATE FUNCTION pg_temp.bench_uuid(seed text) RETURNS uuid IMMUTABLE LANGUAGE sql AS $$
    SELECT (substr(h, 1, 12) || '4' || substr(h, 14, 3) || '8' || substr(h, 18, 15))::uuid FROM md5(seed) AS h$$`);

  // The 195 States, exactly as the API seeds them at start-up, and the participating ones.
  await timed(log, 'state', client, `
    INSERT INTO "state" ("code", "name", "region", "membership", "updatedAt")
    SELECT code, name, region::"UnRegionalGroup", membership::"UnMembership", now()
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS input(code, name, region, membership)
    ON CONFLICT ("code") DO NOTHING`,
  [UN_STATES.map((s) => s.code), UN_STATES.map((s) => s.name), UN_STATES.map((s) => s.region), UN_STATES.map((s) => s.membership)]);
  await client.query(`UPDATE "state" SET "participating" = true WHERE "code" = ANY ($1)`, [PARTICIPATING]);
  await client.query(`CREATE TEMP TABLE bench_states AS SELECT row_number() OVER (ORDER BY code) - 1 AS i, code FROM "state"`);
  const stateCount = UN_STATES.length;

  // CERTs: ~10 per State, the first of each State a NATIONAL one.
  await timed(log, 'cert', client, `
    INSERT INTO "cert" ("id", "stateCode", "name", "shortName", "type", "constituency", "website", "emails", "emergencyPhone",
                        "available24x7", "hours", "timeZone", "languages", "rfc2350Url", "firstMember", "trustedIntroducer",
                        "sectors", "notes", "status", "lastVerifiedAt", "version", "createdAt", "updatedAt")
    SELECT pg_temp.bench_uuid('cert' || g), s.code,
           (ARRAY['National CSIRT', 'Government CERT', 'Energy ISAC CERT', 'Finance CERT', 'Health CSIRT'])[1 + g % 5] || ' ' || s.code || ' ' || g,
           'CERT-' || s.code || '-' || g,
           (CASE WHEN g <= ${stateCount} THEN 'NATIONAL' WHEN g % 2 = 0 THEN 'GOVERNMENT' ELSE 'SECTOR' END)::"CertType",
           'Constituency of ' || s.code, 'https://cert-' || lower(s.code) || '-' || g || '.example',
           ARRAY['cert' || g || '@' || lower(s.code) || '.example'], '+4122' || lpad(g::text, 7, '0'),
           g % 3 = 0, NULL, 'UTC', ARRAY['en'], NULL, g % 4 = 0, 'NONE'::"TrustedIntroducerStatus",
           ARRAY[(ARRAY['ENERGY','FINANCE','HEALTH','TELECOMMUNICATIONS_ICT'])[1 + g % 4]]::"Sector"[], NULL,
           (CASE WHEN g % 25 = 0 THEN 'INACTIVE' ELSE 'ACTIVE' END)::"EntryStatus",
           now() - ((g * 37) % 400) * interval '1 day', 1, now() - interval '500 days', now() - ((g * 13) % 400) * interval '1 day'
      FROM generate_series(1, $1::int) g JOIN bench_states s ON s.i = (g - 1) % ${stateCount}`, [n.certs]);

  // Contacts. The first rows give each list State its minimum and each search surname its matches;
  // the rest spread over every State with common names.
  const listRows = LIST_STATES.length * LIST_STATE_MIN;
  const searchRows = SEARCH_SURNAMES.length * SEARCH_MATCHES;
  if (Math.max(listRows, searchRows) > n.contacts) throw new Error('Too few contacts for the list States and search surnames');
  const fakeKey = `-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n${'mQINBGV'.padEnd(64, 'x')}\n${'A'.repeat(64)}\n${'B'.repeat(64)}\n${'C'.repeat(64)}\n=abcd\n-----END PGP PUBLIC KEY BLOCK-----`;
  await timed(log, 'contact', client, `
    WITH input AS (
      SELECT g,
             CASE WHEN g <= ${listRows} THEN ($2::text[])[1 + (g - 1) % ${LIST_STATES.length}] ELSE s.code END AS state_code,
             ($4::text[])[1 + (g * 31) % ${FIRST_NAMES.length}] || ' ' ||
             CASE WHEN g <= ${searchRows} THEN ($3::text[])[1 + (g - 1) % ${SEARCH_SURNAMES.length}]
                  ELSE ($5::text[])[1 + (g * 17) % ${LAST_NAMES.length}] END AS name
        FROM generate_series(1, $1::int) g JOIN bench_states s ON s.i = (g * 7919) % ${stateCount})
    INSERT INTO "contact" ("id", "stateCode", "kind", "name", "title", "organisation", "emails", "phones", "available24x7", "hours",
                           "timeZone", "languages", "pgpKey", "pgpFingerprint", "pgpAlgorithm", "pgpExpiresAt", "notes", "certId",
                           "status", "lastVerifiedAt", "deliveryFailedAt", "version", "createdAt", "updatedAt")
    SELECT pg_temp.bench_uuid('contact' || g), state_code, (ARRAY['DIPLOMATIC','POLICY','TECHNICAL'])[1 + g % 3]::"ContactKind", name,
           (ARRAY['Director', 'Duty officer', 'Head of unit', NULL])[1 + g % 4],
           (ARRAY['Ministry of Foreign Affairs', 'Cyber Security Agency', 'Computer Emergency Response Team'])[1 + g % 3],
           ARRAY[lower(replace(name, ' ', '.')) || '.' || g || '@' || lower(state_code) || '.example'],
           jsonb_build_array(jsonb_build_object('number', '+4122' || lpad(g::text, 7, '0'), 'label', 'office')),
           g % 4 = 0,
           CASE WHEN g % 5 = 0 THEN '[{"days":["MON","TUE","WED","THU","FRI"],"from":"09:00","to":"17:00"}]'::jsonb END,
           (ARRAY['UTC','Europe/Paris','Africa/Nairobi','Asia/Tokyo','America/Sao_Paulo'])[1 + g % 5],
           CASE WHEN g % 3 = 0 THEN ARRAY['en','fr'] ELSE ARRAY['en'] END,
           CASE WHEN g % 10 = 0 THEN $6 END, CASE WHEN g % 10 = 0 THEN upper(md5('fp' || g) || substr(md5('fq' || g), 1, 8)) END,
           CASE WHEN g % 10 = 0 THEN 'rsa4096' END, CASE WHEN g % 10 = 0 THEN now() + ((g % 700) - 20) * interval '1 day' END,
           NULL, NULL,
           (CASE WHEN g % 23 = 0 THEN 'INACTIVE' ELSE 'ACTIVE' END)::"EntryStatus",
           CASE WHEN g % 17 = 0 THEN NULL ELSE now() - ((g * 37) % 400) * interval '1 day' END,
           CASE WHEN g % 101 = 0 THEN now() - interval '3 days' END,
           1, now() - interval '500 days', now() - ((g * 13) % 400) * interval '1 day'
      FROM input`,
  [n.contacts, LIST_STATES, SEARCH_SURNAMES, FIRST_NAMES, LAST_NAMES, fakeKey]);
  // Technical contacts work for their State's first CERT.
  await timed(log, 'contact.certId', client, `
    UPDATE "contact" c SET "certId" = first_cert.id
      FROM (SELECT DISTINCT ON ("stateCode") "stateCode", id FROM "cert" ORDER BY "stateCode", id) first_cert
     WHERE first_cert."stateCode" = c."stateCode" AND c."kind" = 'TECHNICAL'`);

  // Disclosures, with TLP and audience consistent (CLEAR ⇔ PUBLIC; RED and AMBER+STRICT ⇒ SELECTED_STATES).
  await timed(log, 'disclosure', client, `
    WITH input AS (
      SELECT g, s.code AS state_code, (ARRAY['CLEAR','GREEN','AMBER','AMBER_STRICT','RED','GREEN','AMBER'])[1 + g % 7] AS tlp,
             (ARRAY['PUBLISHED','PUBLISHED','PUBLISHED','PUBLISHED','PUBLISHED','PUBLISHED','PUBLISHED','PUBLISHED','DRAFT','WITHDRAWN'])[1 + (g * 3) % 10] AS status
        FROM generate_series(1, $1::int) g JOIN bench_states s ON s.i = (g * 31) % ${stateCount})
    INSERT INTO "disclosure" ("id", "stateCode", "status", "kind", "title", "summary", "body", "sectors", "references", "language",
                              "dateAdopted", "officialReference", "tlp", "audience", "selectedStates", "version", "publishedAt",
                              "withdrawnAt", "createdAt", "updatedAt")
    SELECT pg_temp.bench_uuid('disclosure' || g), state_code, status::"DisclosureStatus",
           (ARRAY['CI_DESIGNATION','PROTECTION_EFFORT','LAW_OR_POLICY'])[1 + g % 3]::"DisclosureKind",
           'Disclosure ' || g || ' of ' || state_code,
           'Summary of disclosure ' || g || ': critical infrastructure, protection efforts and national policy.',
           repeat('Body text of the disclosure, describing measures and contacts in some detail. ', 8) || g,
           ARRAY[(ARRAY['ENERGY','WATER','HEALTH','FINANCE'])[1 + g % 4]]::"Sector"[],
           ARRAY['https://gov.example/' || g], 'en',
           CASE WHEN g % 3 = 2 THEN date '2024-01-01' + (g % 300) END,
           CASE WHEN g % 3 = 2 THEN 'Act ' || g END,
           tlp::"Tlp",
           (CASE WHEN tlp = 'CLEAR' THEN 'PUBLIC' WHEN tlp IN ('RED', 'AMBER_STRICT') OR g % 5 = 0 THEN 'SELECTED_STATES' ELSE 'ALL_STATES' END)::"DisclosureAudience",
           CASE WHEN tlp IN ('RED', 'AMBER_STRICT') OR (tlp <> 'CLEAR' AND g % 5 = 0)
                THEN ARRAY[(ARRAY['KEN','FRA','BRA','IND','JPN'])[1 + g % 5], (ARRAY['DEU','ZAF','MEX','EST','SGP'])[1 + g % 5]]
                ELSE ARRAY[]::text[] END,
           1, CASE WHEN status <> 'DRAFT' THEN now() - (g % 700) * interval '1 hour' END,
           CASE WHEN status = 'WITHDRAWN' THEN now() - (g % 100) * interval '1 hour' END,
           now() - interval '800 days', now() - (g % 20000) * interval '1 hour'
      FROM input`, [n.disclosures]);

  // Requests between participating States, with one or two recipients each.
  const p = PARTICIPATING.length;
  await timed(log, 'request', client, `
    INSERT INTO "request" ("id", "reference", "requesterState", "type", "urgency", "title", "description", "incidentStart", "sectors",
                           "indicators", "requestedActions", "tlp", "respondBy", "acknowledgeBy", "language", "createdAt", "updatedAt")
    SELECT pg_temp.bench_uuid('request' || g), 'SEED-' || lpad(g::text, 7, '0'), ($2::text[])[1 + g % ${p}],
           (ARRAY['INFORMATION','ASSISTANCE','INVESTIGATION','MITIGATION','CONSULTATION'])[1 + g % 5]::"RequestType",
           (ARRAY['ROUTINE','PRIORITY','URGENT','CRITICAL'])[1 + g % 4]::"Urgency",
           'Seeded request ' || g, repeat('Description of the incident and of the help needed. ', 4),
           now() - (50000 - g % 50000) * interval '20 minutes' - interval '1 day', ARRAY['ENERGY']::"Sector"[],
           jsonb_build_array(jsonb_build_object('type', 'IPV4', 'value', '203.0.113.' || (g % 250)),
                             jsonb_build_object('type', 'DOMAIN', 'value', 'bad' || g || '.example')),
           NULL, 'AMBER'::"Tlp", NULL,
           now() - (50000 - g % 50000) * interval '20 minutes' + interval '72 hours', 'en',
           now() - (50000 - g % 50000) * interval '20 minutes', now() - (50000 - g % 50000) * interval '20 minutes'
      FROM generate_series(1, $1::int) g`, [n.requests, PARTICIPATING]);
  await timed(log, 'request_recipient', client, `
    INSERT INTO "request_recipient" ("id", "requestId", "stateCode", "status", "acknowledgedAt", "answeredAt", "updatedAt")
    SELECT pg_temp.bench_uuid('recipient' || g || '-' || k), pg_temp.bench_uuid('request' || g), ($2::text[])[1 + (g + k) % ${p}],
           (ARRAY['SUBMITTED','ACKNOWLEDGED','IN_PROGRESS','ANSWERED','CLOSED','DECLINED'])[1 + (g + k) % 6]::"RecipientStatus",
           CASE WHEN (g + k) % 6 >= 1 THEN now() - (50000 - g % 50000) * interval '20 minutes' + interval '3 hours' END,
           CASE WHEN (g + k) % 6 >= 3 THEN now() - (50000 - g % 50000) * interval '20 minutes' + interval '30 hours' END,
           now()
      FROM generate_series(1, $1::int) g CROSS JOIN generate_series(1, 2) k
     WHERE k = 1 OR g % 3 = 0`, [n.requests, PARTICIPATING]);

  // The audit log: append-only (its trigger refuses UPDATE, DELETE and TRUNCATE, not INSERT) and
  // hash-chained. Bench rows carry dummy hashes that chain to each other (prevHash = previous hash);
  // GET /audit-events/verify would report them, which no scenario calls. The API's own appends chain
  // onto the last one.
  await timed(log, 'audit_event', client, `
    INSERT INTO "audit_event" ("seq", "occurredAt", "actorUserId", "actorStateCode", "stateCode", "action", "entityType", "entityId",
                               "summary", "requestId", "ip", "prevHash", "hash")
    SELECT g, now() - ($1::int - g) * interval '10 seconds', NULL, ($2::text[])[1 + g % ${p}], ($2::text[])[1 + (g * 7) % ${p}],
           (ARRAY['contact.updated','request.created','auth.login','disclosure.published','cert.verified','request.acknowledged'])[1 + g % 6],
           (ARRAY['contact','request','user','disclosure','cert','request'])[1 + g % 6], pg_temp.bench_uuid('entity' || (g % 30000))::text,
           jsonb_build_object('seed', true, 'n', g), NULL, '192.0.2.' || (g % 250),
           CASE WHEN g = 1 THEN repeat('0', 64) ELSE md5((g - 1)::text) || md5('x' || (g - 1)) END,
           md5(g::text) || md5('x' || g)
      FROM generate_series(1, $1::int) g`, [n.auditEvents, PARTICIPATING]);

  await client.query('COMMIT');
  const started = Date.now();
  await client.query('VACUUM ANALYZE');
  log(`  VACUUM ANALYZE in ${Date.now() - started} ms`);
}

module.exports = {
  prepareBenchDatabase,
  SIZES,
  PARTICIPATING,
  BENCH_STATE,
  LIST_STATES,
  SEARCH_TERMS,
  SEARCH_MATCHES,
  ROOT,
};

if (require.main === module) {
  const size = process.argv.includes('--small') ? 'small' : 'default';
  prepareBenchDatabase(size, { reseed: process.argv.includes('--reseed') })
    .then(async ({ databaseUrl, server }) => {
      process.stdout.write(`${redact(new URL(databaseUrl))}\n`);
      await server.stop();
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
