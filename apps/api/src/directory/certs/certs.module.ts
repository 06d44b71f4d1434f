import { Module } from '@nestjs/common';
import { CertsController } from './certs.controller';
import { CertsRepository } from './certs.repository';
import { CertsService } from './certs.service';

@Module({
  controllers: [CertsController],
  providers: [CertsService, CertsRepository],
  exports: [CertsService],
})
export class CertsModule {}
