'use strict';
/**
 * Test users, States and contacts written directly with pg (as test/support/factories.ts does through
 * Prisma), since the API offers no way to create them without an administrator; sign-in goes over
 * HTTP, as a client's would.
 */
const { randomUUID } = require('node:crypto');
const path = require('node:path');
const { ROOT } = require('./build');
const { withClient } = require('./database');
const { request } = require('./http');

const PASSWORD = 'a long and unusual passphrase 42';

async function signIn(api, email, password = PASSWORD, localAddress) {
  const response = await request('POST', `${api.url}/api/v1/auth/login`, { body: { email, password }, localAddress });
  if (response.status !== 200 || !response.body.accessToken) {
    throw new Error(`sign-in of ${email} on ${api.name}: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return { Authorization: `Bearer ${response.body.accessToken}` };
}

async function participate(databaseUrl, codes) {
  await withClient(databaseUrl, (client) => client.query('UPDATE state SET participating = true, "updatedAt" = now() WHERE code = ANY($1)', [codes]));
}

// Hashing is deliberately slow; users with the shared password reuse one hash.
let passwordHash;
async function createUser(databaseUrl, role, stateCode, { password = PASSWORD, label = '' } = {}) {
  const { hashPassword } = require(path.join(ROOT, 'dist', 'apps', 'api', 'src', 'auth', 'password-hasher.js'));
  const hash = password === PASSWORD ? (passwordHash ??= await hashPassword(PASSWORD)) : await hashPassword(password);
  const id = randomUUID();
  const email = `${role.toLowerCase()}${label ? `.${label}` : ''}.${id.slice(0, 8)}@${(stateCode ?? 'un').toLowerCase()}.example`;
  await withClient(databaseUrl, (client) =>
    client.query(
      'INSERT INTO "user" (id, email, "displayName", role, "stateCode", "passwordHash", "updatedAt") VALUES ($1, $2, $3, $4, $5, $6, now())',
      [id, email, `${role} ${label}`.trim(), role, stateCode, hash],
    ),
  );
  return { id, email, password, role, stateCode };
}

async function createContact(databaseUrl, stateCode, { kind = 'TECHNICAL', email, name } = {}) {
  const id = randomUUID();
  const suffix = id.slice(0, 8);
  await withClient(databaseUrl, (client) =>
    client.query(
      `INSERT INTO contact (id, "stateCode", kind, name, emails, phones, "timeZone", languages, status, "lastVerifiedAt", "updatedAt")
       VALUES ($1, $2, $3, $4, $5, '[]'::jsonb, 'UTC', '{en}', 'ACTIVE', now(), now())`,
      [id, stateCode, kind, name ?? `Contact ${suffix}`, [email ?? `contact.${suffix}@${stateCode.toLowerCase()}.example`]],
    ),
  );
  return { id };
}

module.exports = { PASSWORD, signIn, participate, createUser, createContact };
