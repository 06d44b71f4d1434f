'use strict';
/* global fetch */
/**
 * Who the bench acts as: a STATE_VIEWER and a STATE_OFFICER of the bench State, written into the
 * database with the API's own password hashing and signed in over HTTP like any client.
 */
const path = require('node:path');
const { withClient } = require('../scripts/reliability/lib');
const { BENCH_STATE, LIST_STATES, PARTICIPATING, ROOT } = require('./seed');

const BENCH_PASSWORD = 'bench passphrase that nobody guesses 42';
const USERS = {
  viewer: { email: `bench.viewer@${BENCH_STATE.toLowerCase()}.example`, role: 'STATE_VIEWER', stateCode: BENCH_STATE },
  officer: { email: `bench.officer@${BENCH_STATE.toLowerCase()}.example`, role: 'STATE_OFFICER', stateCode: BENCH_STATE },
};
/**
 * The churn scenarios' writers: an officer of the bench State and of every listed State, so that the
 * writes change the very pages the list scenario reads (an officer verifies only its own State's contacts).
 */
const WRITER_STATES = [BENCH_STATE, ...LIST_STATES];
const WRITERS = Object.fromEntries(
  WRITER_STATES.map((code) => [code, code === BENCH_STATE ? USERS.officer : { email: `bench.officer@${code.toLowerCase()}.example`, role: 'STATE_OFFICER', stateCode: code }]),
);

/** Upserted on every run, so that a lockout or an MFA enrolment left by anything else cannot fail a sign-in. */
async function createBenchUsers(databaseUrl) {
  const { hashPassword } = require(path.join(ROOT, 'dist', 'apps', 'api', 'src', 'auth', 'password-hasher.js'));
  const hash = await hashPassword(BENCH_PASSWORD);
  await withClient(databaseUrl, async (client) => {
    for (const user of new Set([...Object.values(USERS), ...Object.values(WRITERS)])) {
      await client.query(
        `INSERT INTO "user" ("id", "email", "displayName", "role", "stateCode", "passwordHash", "passwordChangedAt", "updatedAt")
         VALUES (gen_random_uuid(), $1, $2, $3::"Role", $4, $5, now(), now())
         ON CONFLICT ("email") DO UPDATE SET "passwordHash" = EXCLUDED."passwordHash", "role" = EXCLUDED."role", "stateCode" = EXCLUDED."stateCode",
           "failedLoginCount" = 0, "lockedUntil" = NULL, "disabledAt" = NULL, "mfaEnabledAt" = NULL, "mfaSecret" = NULL`,
        [user.email, `Bench ${user.role}`, user.role, user.stateCode, hash],
      );
    }
    await client.query(`UPDATE "state" SET "participating" = true, "mfaRequired" = false WHERE "code" = ANY ($1)`, [PARTICIPATING]);
  });
}

async function signIn(apiBase, user) {
  const response = await fetch(`${apiBase}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: BENCH_PASSWORD }),
  });
  const body = await response.json();
  if (response.status !== 200 || !body.accessToken) throw new Error(`Sign-in of ${user.email} failed: ${response.status} ${JSON.stringify(body)}`);
  return body.accessToken;
}

/** Fresh tokens of both users: filing needs the officer, the reads the viewer. */
async function signInBoth(apiBase) {
  return { viewer: await signIn(apiBase, USERS.viewer), officer: await signIn(apiBase, USERS.officer) };
}

/** A token per writing State's officer. */
async function signInWriters(apiBase) {
  const tokens = {};
  for (const [code, user] of Object.entries(WRITERS)) tokens[code] = await signIn(apiBase, user);
  return tokens;
}

module.exports = { USERS, WRITERS, WRITER_STATES, createBenchUsers, signIn, signInBoth, signInWriters };
