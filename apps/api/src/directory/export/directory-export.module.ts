import { Module } from '@nestjs/common';
import { CertsRepository } from '../certs';
import { ContactsRepository } from '../contacts';
import { DirectoryExportController } from './directory-export.controller';
import { DirectoryExportService } from './directory-export.service';

@Module({
  controllers: [DirectoryExportController],
  providers: [DirectoryExportService, ContactsRepository, CertsRepository],
})
export class DirectoryExportModule {}
