export * from './outbox-events';
export { OutboxModule } from './outbox.module';
export { OutboxRepository, outboxInsertSql } from './outbox.repository';
