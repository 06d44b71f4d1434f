import { verify } from '@node-rs/argon2';
import { PrismaService, Role } from '@cbm/database';
import { createTestApp } from './support/test-app';
import { createScratchDatabase, dropScratchDatabase } from './support/test-database';

describe('First platform administrator from the environment', () => {
  const credentials = { BOOTSTRAP_ADMIN_EMAIL: 'Secretariat@UN.example', BOOTSTRAP_ADMIN_PASSWORD: 'correct horse battery staple' };

  /*
   * "No administrator exists" is the precondition, and other files in this worker make platform
   * administrators: this file runs on a database of its own, freshly migrated, and drops it after.
   */
  let databaseUrl: string;
  const createApp = (overrides: Record<string, string> = {}) => createTestApp({ DATABASE_URL: databaseUrl, ...overrides });
  beforeAll(async () => {
    databaseUrl = await createScratchDatabase('bootstrap');
  });
  afterAll(() => dropScratchDatabase(databaseUrl));

  it('creates one administrator with an argon2id hash when none exists, and never a second', async () => {
    // Started again, even naming someone else: no second administrator.
    for (const overrides of [credentials, { ...credentials, BOOTSTRAP_ADMIN_EMAIL: 'another.admin@un.example' }]) {
      const { app } = await createApp(overrides);
      await app.close();
    }

    const { app } = await createApp();
    try {
      const admins = await app.get(PrismaService).user.findMany({ where: { role: Role.PLATFORM_ADMIN } });
      expect(admins).toHaveLength(1);
      expect(admins[0]).toMatchObject({ email: 'secretariat@un.example', stateCode: null });
      expect(admins[0].passwordHash).toMatch(/^\$argon2id\$/);
      await expect(verify(admins[0].passwordHash!, credentials.BOOTSTRAP_ADMIN_PASSWORD)).resolves.toBe(true);
    } finally {
      await app.close();
    }
  });

  it('leaves an existing administrator alone: the variables never reset a password', async () => {
    const { app } = await createApp(credentials);
    await app.close();
    const again = await createApp({ ...credentials, BOOTSTRAP_ADMIN_PASSWORD: 'a different password entirely' });
    try {
      const admins = await again.app.get(PrismaService).user.findMany({ where: { role: Role.PLATFORM_ADMIN } });
      expect(admins).toHaveLength(1);
      await expect(verify(admins[0].passwordHash!, credentials.BOOTSTRAP_ADMIN_PASSWORD)).resolves.toBe(true);
    } finally {
      await again.app.close();
    }
  });

  it('refuses a platform administrator tied to a State, at the database level', async () => {
    const { app } = await createTestApp();
    try {
      await expect(
        app.get(PrismaService).user.create({
          data: { email: 'wrong@example.org', displayName: 'Wrong', role: Role.PLATFORM_ADMIN, stateCode: 'PAK' },
        }),
      ).rejects.toThrow(/user_state_matches_role|check constraint/i);
    } finally {
      await app.close();
    }
  });
});
