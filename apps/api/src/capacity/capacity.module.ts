import { Module } from '@nestjs/common';
import { BrokerageController } from './brokerage/brokerage.controller';
import { BrokerageRepository } from './brokerage/brokerage.repository';
import { BrokerageService } from './brokerage/brokerage.service';
import { PublicCapacityController } from './brokerage/public-capacity.controller';

/**
 * Capacity-building (paragraphs 32–39): needs, offers, demand-driven matching, proposals and the
 * engagements they become, and the secretariat's neutral view of it all.
 */
@Module({
  controllers: [
    BrokerageController,
    PublicCapacityController,
  ],
  providers: [
    BrokerageService,
    BrokerageRepository,
  ],
})
export class CapacityModule {}
