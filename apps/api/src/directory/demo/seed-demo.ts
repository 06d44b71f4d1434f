import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NodeEnvironment, validateEnvironment } from '@cbm/common';
import { demoCapacity, DemoCapacityRepository } from '../../capacity';
import { prepareDatabase } from '../../runtime/prepare-database';
import { demoDirectory, DEMO_STATES } from './demo-directory';
import { DemoDirectoryRepository } from './demo-directory.repository';

/**
 * `npm run seed:demo`: a living directory for a trial — demo States take part, and get CERTs and
 * contacts, capacity-building needs and offers, a proposal and an engagement. Refuses to run in
 * production, and adds nothing that is already there.
 */
async function seedDemo(): Promise<void> {
  const logger = new Logger('DemoSeed');
  const environment = validateEnvironment(process.env);
  if (environment.NODE_ENV === NodeEnvironment.Production) throw new Error('Refusing to load demo data with NODE_ENV=production');
  const { embedded } = await prepareDatabase(environment);
  const directory = new DemoDirectoryRepository(environment.DATABASE_URL);
  const capacity = new DemoCapacityRepository(environment.DATABASE_URL);
  try {
    if (await directory.hasDemoEntries()) {
      logger.log('Demo directory is already there: nothing added');
    } else {
      const { certs, contacts } = demoDirectory();
      await directory.insert(DEMO_STATES.map((state) => state.code), certs, contacts);
      logger.log(`Demo data: ${DEMO_STATES.length} participating States, ${certs.length} CERTs, ${contacts.length} contacts`);
    }
    if (await capacity.hasDemoCapacity()) {
      logger.log('Demo capacity-building data is already there: nothing added');
    } else {
      const added = await capacity.insert(demoCapacity());
      logger.log(`Demo capacity-building: ${added.needs} needs, ${added.offers} offers, ${added.proposals} proposals, ${added.engagements} engagement`);
    }
  } finally {
    await directory.close();
    await capacity.close();
    await embedded?.stop();
  }
}

seedDemo().catch((error: unknown) => {
  console.error('Demo seed failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
