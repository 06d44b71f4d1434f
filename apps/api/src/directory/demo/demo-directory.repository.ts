import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, UN_STATES } from '@cbm/database';
import { PrismaClient } from '@cbm/database/generated/prisma/client';
import { DEMO_NOTE } from './demo-directory';

/** A demo CERT and a demo contact, as inserted (a CERT's id is chosen up front: its contacts point to it). */
export type DemoCert = Prisma.CertUncheckedCreateInput & { id: string };
export type DemoContact = Prisma.ContactUncheckedCreateInput;

/**
 * The demo seed's database work. The seed is a script of its own, outside the Nest app: it opens
 * its own client on `connectionString` and closes it with `close()`.
 */
export class DemoDirectoryRepository {
  private readonly prisma: PrismaClient;

  /** `connectionString`: DATABASE_URL, as prepareDatabase left it. */
  constructor(connectionString: string | undefined) {
    this.prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
  }

  async hasDemoEntries(): Promise<boolean> {
    return (await this.prisma.contact.count({ where: { notes: DEMO_NOTE } })) > 0;
  }

  /** In one transaction: the States take part, and get their entries, each with its first revision. */
  async insert(stateCodes: string[], certs: DemoCert[], contacts: DemoContact[]): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      // The reference States are written when the service first starts; a seed run before that
      // (on a database only migrated) writes the demo's own, as the service would.
      const demoStates = UN_STATES.filter((state) => stateCodes.includes(state.code));
      await tx.state.createMany({ data: demoStates.map(({ code, name, region, membership }) => ({ code, name, region, membership })), skipDuplicates: true });
      await tx.state.updateMany({ where: { code: { in: stateCodes } }, data: { participating: true } });
      await tx.cert.createMany({ data: certs });
      await tx.contact.createMany({ data: contacts });
      const created = await tx.contact.findMany({ where: { notes: DEMO_NOTE }, select: { id: true } });
      await tx.contactRevision.createMany({ data: created.map(({ id }) => ({ contactId: id, version: 1, action: 'created', changes: { source: 'demo data' } })) });
      await tx.certRevision.createMany({ data: certs.map((cert) => ({ certId: cert.id, version: 1, action: 'created', changes: { source: 'demo data' } })) });
    });
  }

  close(): Promise<void> {
    return this.prisma.$disconnect();
  }
}
