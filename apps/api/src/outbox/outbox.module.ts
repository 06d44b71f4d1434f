import { Global, Module } from '@nestjs/common';
import { OutboxRepository } from './outbox.repository';

/** Global like the database: every feature that announces a change writes through this one writer. */
@Global()
@Module({
  providers: [OutboxRepository],
  exports: [OutboxRepository],
})
export class OutboxModule {}
