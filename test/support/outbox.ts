import type { PrismaService } from '@cbm/database';

/**
 * A worker's database is shared by the test files it runs one after another: the requests filed by
 * an earlier file (the authorization matrix files dozens) would otherwise be fanned out and mailed
 * by the first drain of a notification suite, which then counts and times someone else's mail.
 */
export async function setAsideEarlierNotifications(prisma: PrismaService): Promise<void> {
  await prisma.$executeRaw`
    UPDATE outbox_event SET "dispatchedAt" = now(), "recipientCount" = 0,
      "dispatchError" = 'set aside by a test: written by an earlier test file'
    WHERE "dispatchedAt" IS NULL`;
  await prisma.$executeRaw`
    UPDATE notification SET status = 'FAILED', "failedAt" = now(),
      "lastError" = 'set aside by a test: written by an earlier test file'
    WHERE status = 'PENDING'`;
}
