'use strict';
/* global Buffer, setTimeout */
/**
 * The benchmark's reference: what a hand-written server does for the same answers — bare node:http
 * and pg, no framework, no authentication, no validation beyond parsing, one SQL statement per
 * request (two per export page loop, like the API). Its SQL copies the API's repositories:
 * - GET /contacts            contacts.repository.ts findPage (ACTIVE, state, q as ILIKE on name or
 *                            organisation, keyset on (name, id), limit+1 for nextCursor)
 * - GET /disclosures         disclosures.repository.ts findVisiblePage with disclosure-visibility.ts
 *                            for a State reader (READER_STATE), newest first
 * - POST /requests           a bare insert of the request row and its recipient rows (no idempotency
 *                            record, no audit event, no outbox row, no reference counter)
 * - GET /directory/export    directory-export.service.ts: every ACTIVE contact then CERT, 500 at a
 *                            time by keyset, as the same CSV
 * - POST /contacts/:id/verify  a bare UPDATE of what verifying sets (no If-Match, no revision row, no
 *                            audit event), answered with the contact (the churn scenarios' writes)
 * Paths may carry the API's /api/v1 prefix. Answers have the API's JSON shapes.
 *
 * Usage: DATABASE_URL=… PORT=… [DATABASE_POOL_SIZE=10] [READER_STATE=KEN] node bench/reference-server.js
 */
const http = require('node:http');
const { randomUUID } = require('node:crypto');
const { Pool } = require('pg');
const { stringify } = require('csv-stringify/sync');

const STALE_AFTER_DAYS = Number(process.env.DIRECTORY_STALE_AFTER_DAYS ?? 180);
const EXPIRES_SOON_MS = 30 * 86_400_000;
const READER_STATE = process.env.READER_STATE ?? 'KEN';
const ACK_HOURS = { ROUTINE: 72, PRIORITY: 24, URGENT: 12, CRITICAL: 2 };
const EXPORT_PAGE = 500;
const CSV_COLUMNS = [
  'entry', 'id', 'stateCode', 'kindOrType', 'name', 'organisation', 'emails', 'phones', 'available24x7', 'timeZone',
  'languages', 'pgpFingerprint', 'pgpExpiresAt', 'certId', 'lastVerifiedAt', 'stale', 'updatedAt',
];

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  application_name: 'cbm-bench-reference',
});
pool.on('error', () => undefined);

const staleBefore = () => new Date(Date.now() - STALE_AFTER_DAYS * 86_400_000);
const isStale = (verifiedAt, threshold, failedAt = null) => verifiedAt === null || verifiedAt < threshold || failedAt !== null;
const likeLiteral = (text) => text.replace(/[\\%_]/g, (character) => `\\${character}`);
const encodeCursor = (...parts) => Buffer.from(JSON.stringify(parts)).toString('base64url');

function pgpKey(row, now) {
  return row.pgpKey
    ? {
        armored: row.pgpKey,
        fingerprint: row.pgpFingerprint,
        algorithm: row.pgpAlgorithm,
        expiresAt: row.pgpExpiresAt,
        expiresSoon: row.pgpExpiresAt !== null && row.pgpExpiresAt.getTime() - now.getTime() < EXPIRES_SOON_MS,
      }
    : null;
}

function contactView(row, threshold, now) {
  return {
    id: row.id, stateCode: row.stateCode, kind: row.kind, name: row.name, title: row.title, organisation: row.organisation,
    emails: row.emails, phones: row.phones, available24x7: row.available24x7, hours: row.hours ?? null, timeZone: row.timeZone,
    languages: row.languages, pgpKey: pgpKey(row, now), notes: row.notes, certId: row.certId, status: row.status,
    lastVerifiedAt: row.lastVerifiedAt, stale: isStale(row.lastVerifiedAt, threshold, row.deliveryFailedAt),
    deliveryFailedAt: row.deliveryFailedAt, version: row.version, createdAt: row.createdAt, updatedAt: row.updatedAt,
  };
}

const CONTACT_COLUMNS = `c."id", c."stateCode", c."kind"::text AS "kind", c."name", c."title", c."organisation", c."emails", c."phones",
  c."available24x7", c."hours", c."timeZone", c."languages", c."pgpKey", c."pgpFingerprint", c."pgpAlgorithm", c."pgpExpiresAt",
  c."notes", c."certId", c."status"::text AS "status", c."lastVerifiedAt", c."deliveryFailedAt", c."version", c."createdAt", c."updatedAt"`;

async function listContacts(query, response) {
  const limit = query.has('limit') ? Number(query.get('limit')) : 50;
  const params = [];
  const where = [`c."status" = 'ACTIVE'`];
  if (query.get('state')) {
    params.push(query.get('state'));
    where.push(`c."stateCode" = $${params.length}`);
  }
  if (query.get('q')) {
    params.push(`%${likeLiteral(query.get('q'))}%`);
    where.push(`(c."name" ILIKE $${params.length} OR c."organisation" ILIKE $${params.length})`);
  }
  if (query.get('cursor')) {
    const [name, id] = JSON.parse(Buffer.from(query.get('cursor'), 'base64url').toString('utf8'));
    params.push(name, id);
    where.push(`(c."name" > $${params.length - 1} OR (c."name" = $${params.length - 1} AND c."id" > $${params.length}::uuid))`);
  }
  params.push(limit + 1);
  const { rows } = await pool.query(
    `SELECT ${CONTACT_COLUMNS} FROM "contact" c WHERE ${where.join(' AND ')} ORDER BY c."name" ASC, c."id" ASC LIMIT $${params.length}`,
    params,
  );
  const threshold = staleBefore();
  const now = new Date();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  sendJson(response, 200, {
    items: page.map((row) => contactView(row, threshold, now)),
    nextCursor: rows.length > limit ? encodeCursor(last.name, last.id) : null,
  });
}

async function listDisclosures(query, response) {
  const limit = query.has('limit') ? Number(query.get('limit')) : 50;
  const { rows } = await pool.query(
    `SELECT d."id", d."stateCode", d."status"::text AS "status", d."kind"::text AS "kind", d."title", d."summary", d."body",
            d."sectors"::text[] AS "sectors", COALESCE(d."areas"::text[], '{}') AS "areas", d."references", d."language", d."dateAdopted"::text AS "dateAdopted",
            d."officialReference", d."tlp"::text AS "tlp", d."audience"::text AS "audience", d."selectedStates", d."version",
            d."publishedAt", d."withdrawnAt", d."createdAt", d."updatedAt"
       FROM "disclosure" d JOIN "state" s ON s."code" = d."stateCode"
      WHERE (d."stateCode" = $1 OR (d."status" = 'PUBLISHED' AND (d."audience" IN ('PUBLIC', 'ALL_STATES') OR $1 = ANY (d."selectedStates"))))
      ORDER BY d."updatedAt" DESC, d."id" DESC
      LIMIT $2`,
    [READER_STATE, limit + 1],
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  sendJson(response, 200, {
    items: page.map((row) => ({
      id: row.id, stateCode: row.stateCode, status: row.status, kind: row.kind, title: row.title, summary: row.summary, body: row.body,
      sectors: row.sectors, areas: row.areas, references: row.references, language: row.language, dateAdopted: row.dateAdopted,
      officialReference: row.officialReference, tlp: row.tlp === 'AMBER_STRICT' ? 'AMBER+STRICT' : row.tlp, audience: row.audience,
      ...(row.stateCode === READER_STATE ? { selectedStates: row.selectedStates } : {}),
      version: row.version, publishedAt: row.publishedAt, withdrawnAt: row.withdrawnAt, createdAt: row.createdAt, updatedAt: row.updatedAt,
    })),
    nextCursor: rows.length > limit ? encodeCursor(last.updatedAt, last.id) : null,
  });
}

/** The same row the API writes (its reference counter, idempotency record, audit event and outbox rows left out). */
async function createRequest(request, response) {
  const input = JSON.parse(await readBody(request));
  const now = new Date();
  const id = randomUUID();
  const recipients = input.recipients.map((code) => String(code).toUpperCase());
  const { rows } = await pool.query(
    `WITH created AS (
       INSERT INTO "request" ("id", "reference", "requesterState", "type", "urgency", "title", "description", "incidentStart", "incidentEnd",
                              "sectors", "indicators", "requestedActions", "tlp", "respondBy", "acknowledgeBy", "language", "createdAt", "updatedAt")
       VALUES ($1, $2, $3, $4::"RequestType", $5::"Urgency", $6, $7, $8, $9, $10::"Sector"[], $11, $12, $13::"Tlp", $14, $15, $16, $17, $17)
       RETURNING "id", "reference", "createdAt", "acknowledgeBy"),
     addressed AS (
       INSERT INTO "request_recipient" ("id", "requestId", "stateCode", "updatedAt")
       SELECT gen_random_uuid(), $1, code, $17 FROM unnest($18::text[]) AS code)
     SELECT * FROM created`,
    [
      id, `REF-${id}`, READER_STATE, input.type, input.urgency, input.title.trim(), input.description, input.incidentStart ?? null,
      input.incidentEnd ?? null, input.sectors ?? [], JSON.stringify((input.indicators ?? []).map((i) => ({ type: i.type, value: i.value.trim() }))),
      input.requestedActions ?? null, input.tlp === 'AMBER+STRICT' ? 'AMBER_STRICT' : (input.tlp ?? 'AMBER'), input.respondBy ?? null,
      new Date(now.getTime() + ACK_HOURS[input.urgency] * 3_600_000), input.language.toLowerCase(), now, recipients,
    ],
  );
  const row = rows[0];
  sendJson(response, 201, {
    id: row.id, reference: row.reference, requesterState: READER_STATE, type: input.type, urgency: input.urgency,
    recipients: recipients.sort().map((stateCode) => ({ stateCode, status: 'SUBMITTED' })),
    title: input.title.trim(), description: input.description, createdAt: row.createdAt, acknowledgeBy: row.acknowledgeBy,
  });
}

/** What the API's verify sets (lastVerifiedAt, the bounce cleared, the version), as one bare UPDATE. */
async function verifyContact(id, response) {
  const { rows } = await pool.query(
    `UPDATE "contact" c SET "lastVerifiedAt" = now(), "deliveryFailedAt" = NULL, "version" = c."version" + 1, "updatedAt" = now()
      WHERE c."id" = $1::uuid RETURNING ${CONTACT_COLUMNS}`,
    [id],
  );
  if (rows.length === 0) return sendJson(response, 404, { title: 'Not Found' });
  sendJson(response, 200, contactView(rows[0], staleBefore(), new Date()));
}

function cell(value) {
  const text = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

async function exportDirectory(query, response) {
  const format = query.get('format') ?? 'json';
  if (format !== 'csv') return sendJson(response, 400, { title: 'the reference exports CSV only' });
  const date = new Date().toISOString().slice(0, 10);
  response.writeHead(200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="cbm-directory-${date}.csv"`,
    'Cache-Control': 'no-store',
  });
  const threshold = staleBefore();
  const write = async (chunk) => {
    if (!response.write(chunk)) await new Promise((resolve) => response.once('drain', resolve));
  };
  await write(stringify([CSV_COLUMNS]));
  for (const table of ['contact', 'cert']) {
    let after = null;
    for (;;) {
      const params = after ? [after.name, after.id, EXPORT_PAGE] : [EXPORT_PAGE];
      const keyset = after ? `AND (e."name" > $1 OR (e."name" = $1 AND e."id" > $2::uuid))` : '';
      const columns = table === 'contact'
        ? `e."id", e."stateCode", e."kind"::text AS "kind", e."name", e."organisation", e."emails", e."phones", e."available24x7", e."timeZone",
           e."languages", e."pgpKey", e."pgpFingerprint", e."pgpExpiresAt", e."certId", e."lastVerifiedAt", e."deliveryFailedAt", e."updatedAt"`
        : `e."id", e."stateCode", e."type"::text AS "type", e."name", e."shortName", e."emails", e."emergencyPhone", e."available24x7", e."timeZone",
           e."languages", e."pgpKey", e."pgpFingerprint", e."pgpExpiresAt", e."lastVerifiedAt", e."updatedAt"`;
      const { rows } = await pool.query(
        `SELECT ${columns} FROM "${table}" e WHERE e."status" = 'ACTIVE' ${keyset} ORDER BY e."name" ASC, e."id" ASC LIMIT $${params.length}`,
        params,
      );
      if (rows.length > 0) {
        await write(
          stringify(
            rows.map((row) => {
              const key = row.pgpKey ? { fingerprint: row.pgpFingerprint, expiresAt: row.pgpExpiresAt } : undefined;
              return (table === 'contact'
                ? ['contact', row.id, row.stateCode, row.kind, row.name, row.organisation, row.emails.join(';'),
                    row.phones.map((phone) => `${phone.label}:${phone.number}`).join(';'), row.available24x7, row.timeZone, row.languages.join(';'),
                    key?.fingerprint, key?.expiresAt, row.certId, row.lastVerifiedAt, isStale(row.lastVerifiedAt, threshold, row.deliveryFailedAt), row.updatedAt]
                : ['cert', row.id, row.stateCode, row.type, row.name, row.shortName, row.emails.join(';'),
                    row.emergencyPhone ? `emergency:${row.emergencyPhone}` : '', row.available24x7, row.timeZone, row.languages.join(';'),
                    key?.fingerprint, key?.expiresAt, '', row.lastVerifiedAt, isStale(row.lastVerifiedAt, threshold), row.updatedAt]
              ).map(cell);
            }),
          ),
        );
      }
      if (rows.length < EXPORT_PAGE) break;
      after = { name: rows[rows.length - 1].name, id: rows[rows.length - 1].id };
    }
  }
  response.end();
}

function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(response, status, body) {
  const payload = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(payload) });
  response.end(payload);
}

const server = http.createServer((request, response) => {
  const url = new URL(request.url, 'http://reference');
  const route = url.pathname.replace(/^\/api\/v1/, '').replace(/\/$/, '');
  let handled;
  if (request.method === 'GET' && route === '/contacts') handled = listContacts(url.searchParams, response);
  else if (request.method === 'GET' && route === '/disclosures') handled = listDisclosures(url.searchParams, response);
  else if (request.method === 'POST' && route === '/requests') handled = createRequest(request, response);
  else if (request.method === 'POST' && /^\/contacts\/[0-9a-f-]{36}\/verify$/.test(route)) handled = verifyContact(route.split('/')[2], response);
  else if (request.method === 'GET' && route === '/directory/export') handled = exportDirectory(url.searchParams, response);
  else if (request.method === 'GET' && route === '/health/ready') handled = pool.query('SELECT 1').then(() => sendJson(response, 200, { status: 'ok' }));
  else return sendJson(response, 404, { title: 'Not Found' });
  handled.catch((error) => {
    if (response.headersSent) response.destroy(error);
    else sendJson(response, 500, { title: 'Internal Server Error', detail: error.message });
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 3900), process.env.HOST ?? '127.0.0.1', () => {
  process.stdout.write(`reference server on ${JSON.stringify(server.address())}\n`);
});

function shutdown() {
  server.close(() => pool.end().finally(() => process.exit(0)));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
