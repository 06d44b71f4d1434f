export type { AuditEntry, AuditSubject } from './audit.service';
export type { JournaledAuditEvent } from './audit.repository';
export { AuditModule } from './audit.module';
export { AuditService } from './audit.service';
