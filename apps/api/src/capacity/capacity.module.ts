import { Module } from '@nestjs/common';

/**
 * Capacity-building (paragraphs 32–39): needs, offers, demand-driven matching, proposals and the
 * engagements they become, and the secretariat's neutral view of it all.
 */
@Module({
  controllers: [],
  providers: [],
})
export class CapacityModule {}
