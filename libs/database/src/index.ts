export * from './database.module';
export * from './prisma.service';
export * from './embedded-postgres';
export * from './migrations';
export * from './database-errors';
export * from './reference-data/un-states';
export { Prisma } from './generated/prisma/client';
export * from './generated/prisma/enums';
export type { ApiKey, AuditEvent, CbmRequest, Cert, CertRevision, Contact, ContactRevision, Disclosure, DisclosureVersion, RequestMessage, RequestRecipient, RequestTransition, RecoveryCode, RefreshToken, Session, State, User, UserToken } from './generated/prisma/client';
