import { verify } from '@node-rs/argon2';
import { PrismaService, Role } from '@cbm/database';
import { createTestApp } from './support/test-app';

describe('First platform administrator from the environment', () => {
  const credentials = { BOOTSTRAP_ADMIN_EMAIL: 'Secretariat@UN.example', BOOTSTRAP_ADMIN_PASSWORD: 'correct horse battery staple' };

  /** "No administrator exists" is the precondition; other files in this worker may have made one. */
  async function removePlatformAdmins(prisma: PrismaService): Promise<void> {
    await prisma.user.deleteMany({ where: { role: Role.PLATFORM_ADMIN } });
  }

  it('creates one administrator with an argon2id hash when none exists, and never a second', async () => {
    const first = await createTestApp();
    await removePlatformAdmins(first.app.get(PrismaService));
    await first.app.close();

    for (let start = 0; start < 2; start++) {
      const { app } = await createTestApp(credentials);
      await app.close();
    }

    const { app } = await createTestApp();
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
    const { app } = await createTestApp({ ...credentials, BOOTSTRAP_ADMIN_PASSWORD: 'a different password entirely' });
    try {
      const admins = await app.get(PrismaService).user.findMany({ where: { role: Role.PLATFORM_ADMIN } });
      expect(admins).toHaveLength(1);
      await expect(verify(admins[0].passwordHash!, credentials.BOOTSTRAP_ADMIN_PASSWORD)).resolves.toBe(true);
    } finally {
      await app.close();
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
