import { Module } from '@nestjs/common';
import { SelectedStatesRepository } from '../sharing/selected-states.repository';
import { BrokerageController } from './brokerage/brokerage.controller';
import { BrokerageRepository } from './brokerage/brokerage.repository';
import { BrokerageService } from './brokerage/brokerage.service';
import { PublicCapacityController } from './brokerage/public-capacity.controller';
import { MatchingController } from './matching/matching.controller';
import { MatchingRepository } from './matching/matching.repository';
import { MatchingService } from './matching/matching.service';
import { NeedFromRequestService } from './needs/need-from-request.service';
import { NeedsController } from './needs/needs.controller';
import { NeedsRepository } from './needs/needs.repository';
import { NeedsService } from './needs/needs.service';
import { RequestAnswersRepository } from './needs/request-answers.repository';
import { OffersController } from './offers/offers.controller';
import { OffersRepository } from './offers/offers.repository';
import { OffersService } from './offers/offers.service';
import { CapacityTitlesRepository } from './shared/capacity-titles.repository';
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
  controllers: [
    NeedsController,
    OffersController,
    MatchingController,
    BrokerageController,
    PublicCapacityController,
    CapacityProposalsController,
    CapacityEngagementsController,
  ],
  providers: [
    SelectedStatesRepository,
    NeedsService,
    NeedsRepository,
    NeedFromRequestService,
    RequestAnswersRepository,
    OffersService,
    OffersRepository,
    MatchingService,
    MatchingRepository,
    BrokerageService,
    BrokerageRepository,
    CapacityTitlesRepository,
    CapacityProposalsService,
    CapacityProposalsRepository,
    CapacityEngagementsService,
    CapacityEngagementsRepository,
  ],
})
export class CapacityModule {}
