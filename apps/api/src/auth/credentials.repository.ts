import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { Database, Role } from '@cbm/database';

/** Read with every credential, in the same statement: the key of the read cache (see RegistryReadCache). */
interface WithRegistryVersion {
  registryVersion: string;
}

export interface SessionWithUser extends WithRegistryVersion {
  userId: string;
  revokedAt: Date | null;
  expiresAt: Date;
  mfaSatisfied: boolean;
  user: {
    id: string;
    role: Role;
    stateCode: string | null;
    disabledAt: Date | null;
    mfaEnabledAt: Date | null;
    state: { participating: boolean; mfaRequired: boolean } | null;
  };
}

export interface ApiKeyCredential extends WithRegistryVersion {
  id: string;
  stateCode: string;
  permissions: string[];
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  state: { participating: boolean };
}

/**
 * The reads the access guard makes on every request: one statement per credential, on the pool
 * itself. Through Prisma the same nested select was three statements (session, user, State) and
 * a query plan compiled each time: the largest cost of a small authenticated read.
 */
@Injectable()
export class CredentialsRepository {
  constructor(private readonly database: Database) {}

  async findSessionWithUser(sessionId: string): Promise<SessionWithUser | null> {
    // Only a token we signed gets here, but a session id that is not a UUID must be "no session", not a cast error.
    if (!isUUID(sessionId)) return null;
    const { rows } = await this.database.pool.query<{
      userId: string;
      revokedAt: Date | null;
      expiresAt: Date;
      mfaSatisfied: boolean;
      role: Role;
      stateCode: string | null;
      disabledAt: Date | null;
      mfaEnabledAt: Date | null;
      participating: boolean | null;
      mfaRequired: boolean | null;
      registryVersion: string;
    }>({
      // Named: prepared once per connection, planned once, on every authenticated request.
      name: 'credential-session',
      text: `SELECT s."userId", s."revokedAt", s."expiresAt", s."mfaSatisfied",
              u."role"::text AS "role", u."stateCode", u."disabledAt", u."mfaEnabledAt",
              st."participating", st."mfaRequired", (SELECT "version"::text FROM "registry_version") AS "registryVersion"
         FROM "session" s
         JOIN "user" u ON u."id" = s."userId"
         LEFT JOIN "state" st ON st."code" = u."stateCode"
        WHERE s."id" = $1::uuid`,
      values: [sessionId],
    });
    const row = rows[0];
    if (!row) return null;
    return {
      userId: row.userId,
      revokedAt: row.revokedAt,
      expiresAt: row.expiresAt,
      mfaSatisfied: row.mfaSatisfied,
      registryVersion: row.registryVersion,
      user: {
        id: row.userId,
        role: row.role,
        stateCode: row.stateCode,
        disabledAt: row.disabledAt,
        mfaEnabledAt: row.mfaEnabledAt,
        state: row.participating === null ? null : { participating: row.participating, mfaRequired: row.mfaRequired ?? false },
      },
    };
  }

  async findApiKeyByHash(keyHash: string): Promise<ApiKeyCredential | null> {
    const { rows } = await this.database.pool.query<Omit<ApiKeyCredential, 'state'> & { participating: boolean }>({
      name: 'credential-api-key',
      text: `SELECT k."id", k."stateCode", k."permissions", k."expiresAt", k."revokedAt", k."lastUsedAt", st."participating",
              (SELECT "version"::text FROM "registry_version") AS "registryVersion"
         FROM "api_key" k JOIN "state" st ON st."code" = k."stateCode"
        WHERE k."keyHash" = $1`,
      values: [keyHash],
    });
    const row = rows[0];
    if (!row) return null;
    const { participating, ...key } = row;
    return { ...key, state: { participating } };
  }

  /** Best effort; the condition keeps concurrent requests of one key from writing more than once. */
  async touchApiKey(id: string, now: Date): Promise<void> {
    await this.database.prisma.apiKey.updateMany({
      where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - 60_000) } }] },
      data: { lastUsedAt: now },
    });
  }
}
