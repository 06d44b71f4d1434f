import { Global, Module } from '@nestjs/common';
import { PrismaService } from './prisma.service';
import { Database, UnitOfWork } from './unit-of-work';

@Global()
@Module({
  providers: [PrismaService, Database, UnitOfWork],
  exports: [PrismaService, Database, UnitOfWork],
})
export class DatabaseModule {}
