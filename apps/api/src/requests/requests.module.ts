import { Module } from '@nestjs/common';
import { RequestActionsService } from './request-actions.service';
import { RequestExportsModule } from './request-exports.module';
import { RequestFilingRepository } from './request-filing.repository';
import { RequestFilingService } from './request-filing.service';
import { RequestMessagesService } from './request-messages.service';
import { RequestReadingService } from './request-reading.service';
import { RequestsController } from './requests.controller';
import { RequestsRepository } from './requests.repository';

@Module({
  imports: [RequestExportsModule],
  controllers: [RequestsController],
  providers: [RequestFilingService, RequestReadingService, RequestActionsService, RequestMessagesService, RequestsRepository, RequestFilingRepository],
})
export class RequestsModule {}
