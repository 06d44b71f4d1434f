import { ApiProperty } from '@nestjs/swagger';
import { AuditEvent } from '@cbm/database';

export class AuditEventResponse {
  /** Position in the chain (a decimal string: it may exceed 2^53). */
  seq: string;
  occurredAt: Date;
  actorUserId: string | null;
  actorApiKeyId: string | null;
  actorStateCode: string | null;
  /** The State whose data or users the event concerns. */
  stateCode: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'What changed (before/after values or a description); null when nothing is recorded.' })
  summary: unknown;
  requestId: string | null;
  ip: string | null;
  prevHash: string;
  hash: string;
}

export class AuditEventListResponse {
  items: AuditEventResponse[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export class ChainBreakResponse {
  seq: string;
  /** `sequence-gap` (a row deleted), `previous-hash-mismatch` (a row deleted or inserted), `hash-mismatch` (a row edited or reordered). */
  reason: string;
  detail: string;
}

export class AuditVerificationResponse {
  valid: boolean;
  /** Events verified before the first break (all of them when valid). */
  checked: number;
  firstBreak: ChainBreakResponse | null;
}

export function toAuditEventResponse(event: AuditEvent): AuditEventResponse {
  return {
    seq: event.seq.toString(),
    occurredAt: event.occurredAt,
    actorUserId: event.actorUserId,
    actorApiKeyId: event.actorApiKeyId,
    actorStateCode: event.actorStateCode,
    stateCode: event.stateCode,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    summary: event.summary,
    requestId: event.requestId,
    ip: event.ip,
    prevHash: event.prevHash,
    hash: event.hash,
  };
}
