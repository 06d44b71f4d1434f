import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { PrismaService, Role } from '@cbm/database';
import { hashPassword } from '../../apps/api/src/auth/password-hasher';
import { currentTotpCode, newTotpSecret } from '../../apps/api/src/auth/totp';

/*
 * Users, contacts and CERTs made directly in the database. Requests, disclosures, communication
 * checks, webhooks and API keys have a fixture each in test/fixtures/ (a valid body, and making one
 * over HTTP), shared with the reliability scripts.
 */

export const DEFAULT_PASSWORD = 'a long and unusual passphrase 42';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  role: Role;
  stateCode: string | null;
  /** Base32 TOTP secret when the user has a second factor enrolled. */
  totpSecret?: string;
}

export interface SignedIn {
  accessToken: string;
  refreshToken: string;
  auth: { Authorization: string };
}

/** Makes States take part (users of other States cannot sign in). */
export async function participate(app: NestExpressApplication, ...codes: string[]): Promise<void> {
  await app.get(PrismaService).state.updateMany({ where: { code: { in: codes } }, data: { participating: true } });
}

/** A user created directly in the database, with a known password (and second factor if asked). */
export async function createUser(
  app: NestExpressApplication,
  role: Role,
  stateCode: string | null,
  options: { mfa?: boolean; password?: string } = {},
): Promise<TestUser> {
  const password = options.password ?? DEFAULT_PASSWORD;
  const email = `${role.toLowerCase()}.${randomUUID().slice(0, 8)}@${(stateCode ?? 'un').toLowerCase()}.example`;
  const totpSecret = options.mfa ? newTotpSecret() : undefined;
  const user = await app.get(PrismaService).user.create({
    data: {
      email,
      displayName: `${role} of ${stateCode ?? 'the secretariat'}`,
      role,
      stateCode,
      passwordHash: await hashPassword(password),
      mfaSecret: totpSecret,
      mfaEnabledAt: totpSecret ? new Date() : null,
    },
  });
  return { id: user.id, email, password, role, stateCode, totpSecret };
}

/**
 * Signs in over HTTP as a person would, with the second factor when the user has one. `codeOffset`
 * moves the TOTP code to a later 30-second step, for a second sign-in within the same step.
 */
export async function signIn(app: NestExpressApplication, user: TestUser, codeOffset = 0): Promise<SignedIn> {
  const login = await request(app.getHttpServer()).post('/api/v1/auth/login').send({ email: user.email, password: user.password }).expect(200);
  let tokens = login.body;
  if (login.body.mfaRequired) {
    const code = currentTotpCode(user.totpSecret!, Date.now() + codeOffset * 30_000);
    const verified = await request(app.getHttpServer())
      .post('/api/v1/auth/mfa/verify')
      .send({ mfaToken: login.body.mfaToken, code })
      .expect(200);
    tokens = verified.body;
  }
  return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, auth: { Authorization: `Bearer ${tokens.accessToken}` } };
}

/** A user of `role` in `stateCode`, signed in; platform administrators get a second factor (required by default). */
export async function signedInUser(app: NestExpressApplication, role: Role, stateCode: string | null): Promise<TestUser & SignedIn> {
  const user = await createUser(app, role, stateCode, { mfa: role === Role.PLATFORM_ADMIN });
  return { ...user, ...(await signIn(app, user)) };
}

/** A directory contact made directly in the database (the directory's own tests go through HTTP). */
export async function createContact(
  app: NestExpressApplication,
  stateCode: string,
  options: { kind?: 'DIPLOMATIC' | 'POLICY' | 'TECHNICAL'; emails?: string[]; languages?: string[]; name?: string; timeZone?: string; status?: 'ACTIVE' | 'INACTIVE' } = {},
) {
  const suffix = randomUUID().slice(0, 8);
  return app.get(PrismaService).contact.create({
    data: {
      stateCode,
      kind: options.kind ?? 'TECHNICAL',
      name: options.name ?? `Contact ${suffix}`,
      emails: options.emails ?? [`contact.${suffix}@${stateCode.toLowerCase()}.example`],
      phones: [],
      timeZone: options.timeZone ?? 'UTC',
      languages: options.languages ?? ['en'],
      status: options.status ?? 'ACTIVE',
    },
  });
}

export async function createCert(app: NestExpressApplication, stateCode: string, options: { emails?: string[]; languages?: string[] } = {}) {
  const suffix = randomUUID().slice(0, 8);
  return app.get(PrismaService).cert.create({
    data: {
      stateCode,
      name: `CERT ${suffix}`,
      type: 'NATIONAL',
      emails: options.emails ?? [`cert.${suffix}@${stateCode.toLowerCase()}.example`],
      timeZone: 'UTC',
      languages: options.languages ?? ['en'],
    },
  });
}
