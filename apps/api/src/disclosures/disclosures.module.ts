import { Module } from '@nestjs/common';
import { DisclosuresController } from './disclosures.controller';
import { DisclosuresRepository } from './disclosures.repository';
import { DisclosuresService } from './disclosures.service';
import { PublicDisclosuresController } from './public-disclosures.controller';
import { SelectedStatesRepository } from '../sharing/selected-states.repository';

@Module({
  controllers: [DisclosuresController, PublicDisclosuresController],
  providers: [DisclosuresService, DisclosuresRepository, SelectedStatesRepository],
})
export class DisclosuresModule {}
