import { Module } from '@nestjs/common';
import { CertsModule } from '../certs';
import { ContactsModule } from '../contacts';
import { DirectoryImportController } from './directory-import.controller';
import { DirectoryImportService } from './directory-import.service';

@Module({
  imports: [ContactsModule, CertsModule],
  controllers: [DirectoryImportController],
  providers: [DirectoryImportService],
})
export class DirectoryImportModule {}
