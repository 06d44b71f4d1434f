import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { NodeEnvironment, validateEnvironment } from '@cbm/common';
import { PrismaClient } from '@cbm/database/generated/prisma/client';
import { prepareDatabase } from '../../runtime/prepare-database';
import { demoDirectory, DEMO_STATES } from './demo-directory';

/**
 * `npm run seed:demo`: a living directory for a trial — demo States take part, and get CERTs and
 * contacts. Refuses to run in production, and adds nothing if demo entries already exist.
 */
async function seedDemo(): Promise<void> {
  const logger = new Logger('DemoSeed');
  const environment = validateEnvironment(process.env);
  if (environment.NODE_ENV === NodeEnvironment.Production) throw new Error('Refusing to load demo data with NODE_ENV=production');
  const { embedded } = await prepareDatabase(environment);
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: environment.DATABASE_URL }) });
  try {
    if ((await prisma.contact.count({ where: { notes: 'Demo data' } })) > 0) {
      logger.log('Demo data is already there: nothing added');
      return;
    }
    const { certs, contacts } = demoDirectory();
    await prisma.$transaction(async (tx) => {
      await tx.state.updateMany({ where: { code: { in: DEMO_STATES.map((state) => state.code) } }, data: { participating: true } });
      await tx.cert.createMany({ data: certs });
      await tx.contact.createMany({ data: contacts });
      const created = await tx.contact.findMany({ where: { notes: 'Demo data' }, select: { id: true } });
      await tx.contactRevision.createMany({ data: created.map(({ id }) => ({ contactId: id, version: 1, action: 'created', changes: { source: 'demo data' } })) });
      await tx.certRevision.createMany({ data: certs.map((cert) => ({ certId: cert.id!, version: 1, action: 'created', changes: { source: 'demo data' } })) });
    });
    logger.log(`Demo data: ${DEMO_STATES.length} participating States, ${certs.length} CERTs, ${contacts.length} contacts`);
  } finally {
    await prisma.$disconnect();
    await embedded?.stop();
  }
}

seedDemo().catch((error: unknown) => {
  console.error('Demo seed failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
