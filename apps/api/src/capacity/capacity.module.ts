import { Module } from '@nestjs/common';
import { CapacityTitlesRepository } from './capacity-titles.repository';
import { CapacityEngagementsController } from './engagements/capacity-engagements.controller';
import { CapacityEngagementsRepository } from './engagements/capacity-engagements.repository';
import { CapacityEngagementsService } from './engagements/capacity-engagements.service';
import { CapacityProposalsController } from './proposals/capacity-proposals.controller';
import { CapacityProposalsRepository } from './proposals/capacity-proposals.repository';
import { CapacityProposalsService } from './proposals/capacity-proposals.service';

/**
 * Capacity-building (paragraphs 32–39): needs, offers, demand-driven matching, proposals and the
 * engagements they become, and the secretariat's neutral view of it all.
 */
@Module({
  controllers: [CapacityProposalsController, CapacityEngagementsController],
  providers: [
    CapacityTitlesRepository,
    CapacityProposalsService,
    CapacityProposalsRepository,
    CapacityEngagementsService,
    CapacityEngagementsRepository,
  ],
})
export class CapacityModule {}
