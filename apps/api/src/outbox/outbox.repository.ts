import { Injectable } from '@nestjs/common';
import { Database, Prisma } from '@cbm/database';
import { OutboxMessage } from './outbox-events';

/**
 * The one writer of the outbox. `emit` joins the unit of work under way, so an event exists if and
 * only if the change it announces does. Statements that write their events themselves (a filing,
 * the deadline scheduler) place `insertFrom` in their SQL: the columns and defaults stay here.
 */
@Injectable()
export class OutboxRepository {
  constructor(private readonly database: Database) {}

  async emit(messages: OutboxMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.database.prisma.outboxEvent.createMany({
      data: messages.map((message) => ({ type: message.type, stateCode: message.stateCode, payload: message.payload as Prisma.InputJsonObject })),
    });
  }
}

/**
 * The INSERT of outbox events selected by a caller's statement: `select` gives the SQL expressions of
 * the event's type, State, payload and (optionally) time, and `from` the rows they are read from.
 */
export function outboxInsertSql(select: { type: string; stateCode: string; payload: string; createdAt?: string }, from: string): string {
  return `INSERT INTO "outbox_event" ("id", "type", "stateCode", "payload", "createdAt")
    SELECT gen_random_uuid(), ${select.type}, ${select.stateCode}, ${select.payload}, ${select.createdAt ?? 'now()'} FROM ${from}`;
}
