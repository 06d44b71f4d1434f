import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications';
import { CommunicationChecksController } from './communication-checks.controller';
import { CommunicationChecksRepository } from './communication-checks.repository';
import { CommunicationChecksService } from './communication-checks.service';
import { PublicAcknowledgementsController } from './public-acknowledgements.controller';

@Module({
  imports: [NotificationsModule],
  controllers: [CommunicationChecksController, PublicAcknowledgementsController],
  providers: [CommunicationChecksService, CommunicationChecksRepository],
})
export class CommunicationChecksModule {}
