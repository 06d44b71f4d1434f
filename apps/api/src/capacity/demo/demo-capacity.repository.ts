import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@cbm/database/generated/prisma/client';
import { calendarDate } from '../shared/calendar-date';
import { DEMO_CAPACITY_MARK, DemoCapacity, demoTlp } from './demo-capacity';

/**
 * The demo seed's capacity-building rows, written in one transaction by the seed script (outside the
 * Nest app, on its own client). Opened needs and offers, proposals and an engagement, as the API
 * would have left them.
 */
export class DemoCapacityRepository {
  private readonly prisma: PrismaClient;

  constructor(connectionString: string | undefined) {
    this.prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
  }

  async hasDemoCapacity(): Promise<boolean> {
    return (await this.prisma.capacityNeed.count({ where: { title: { endsWith: DEMO_CAPACITY_MARK } } })) > 0;
  }

  async insert(demo: DemoCapacity, now = new Date()): Promise<{ needs: number; offers: number; proposals: number; engagements: number }> {
    return this.prisma.$transaction(async (tx) => {
      await tx.state.updateMany({ where: { code: { in: [...demo.needs, ...demo.offers].map((entry) => entry.stateCode) } }, data: { participating: true } });
      const needIds: string[] = [];
      for (const { stateCode, body } of demo.needs) {
        const { selfAssessment, neededFrom, neededBy, tlp, ...rest } = body;
        const need = await tx.capacityNeed.create({
          data: {
            ...rest,
            stateCode,
            status: 'OPEN',
            tlp: demoTlp(tlp as 'GREEN' | 'AMBER'),
            selectedStates: [],
            sectors: rest.sectors ?? [],
            neededFrom: neededFrom ? calendarDate(neededFrom) : null,
            neededBy: calendarDate(neededBy),
            selfAssessmentModel: selfAssessment?.model ?? null,
            selfAssessmentLevel: selfAssessment?.level ?? null,
            selfAssessmentNotes: selfAssessment?.notes ?? null,
            openedAt: now,
          },
        });
        needIds.push(need.id);
      }
      const offerIds: string[] = [];
      for (const { stateCode, body } of demo.offers) {
        const { availableFrom, availableUntil, tlp, ...rest } = body;
        const offer = await tx.capacityOffer.create({
          data: {
            ...rest,
            stateCode,
            status: 'OPEN',
            tlp: demoTlp(tlp as 'GREEN' | 'AMBER'),
            selectedStates: [],
            sectors: rest.sectors ?? [],
            regions: rest.regions ?? [],
            availableFrom: availableFrom ? calendarDate(availableFrom) : null,
            availableUntil: availableUntil ? calendarDate(availableUntil) : null,
            openedAt: now,
          },
        });
        offerIds.push(offer.id);
      }
      let engagements = 0;
      for (const proposal of demo.proposals) {
        const need = demo.needs[proposal.need];
        const offer = demo.offers[proposal.offer];
        const created = await tx.capacityProposal.create({
          data: {
            needId: needIds[proposal.need],
            needState: need.stateCode,
            providerState: offer.stateCode,
            offerId: offerIds[proposal.offer],
            message: proposal.message,
            status: proposal.accepted ? 'ACCEPTED' : 'PENDING',
            decidedAt: proposal.accepted ? now : null,
          },
        });
        if (!proposal.accepted) continue;
        await tx.capacityNeed.update({ where: { id: needIds[proposal.need] }, data: { status: 'IN_PROGRESS' } });
        const engagement = await tx.capacityEngagement.create({
          data: { proposalId: created.id, needId: needIds[proposal.need], needState: need.stateCode, providerState: offer.stateCode, offerId: offerIds[proposal.offer] },
        });
        if (proposal.update) await tx.capacityEngagementUpdate.create({ data: { engagementId: engagement.id, authorState: offer.stateCode, body: proposal.update } });
        engagements++;
      }
      return { needs: needIds.length, offers: offerIds.length, proposals: demo.proposals.length, engagements };
    });
  }

  close(): Promise<void> {
    return this.prisma.$disconnect();
  }
}
