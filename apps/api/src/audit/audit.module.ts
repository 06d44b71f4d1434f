import { Global, Module } from '@nestjs/common';
import { AuditChainer } from './audit-chainer';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

/** Global: every feature records its changes in the audit log. */
@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditService, AuditRepository, AuditChainer],
  exports: [AuditService],
})
export class AuditModule {}
