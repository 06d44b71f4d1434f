import { Injectable, Logger } from '@nestjs/common';
import type { Actor } from '@cbm/auth';
import { UnitOfWork } from '@cbm/database';
import { currentRequestContext, pageLimit, toPage } from '@cbm/common';
import { ChainBreak, ChainVerifier } from './audit-hash-chain';
import { AuditChainer } from './audit-chainer';
import { AuditRepository, JournaledAuditEvent, NewAuditEvent } from './audit.repository';
import { AuditEventListResponse, toAuditEventResponse } from './dto/audit-event.response';
import { ListAuditEventsQuery } from './dto/list-audit-events.query.dto';

/** Who did it, when nobody is signed in yet (a failed login names the account tried, if any). */
export interface AuditSubject {
  userId: string | null;
  apiKeyId?: string | null;
  stateCode: string | null;
}

export interface AuditEntry {
  action: string;
  /** The acting user or key; a subject for events before authentication (login). */
  actor?: Actor | AuditSubject | null;
  /** The State whose data or users the event concerns; defaults to the actor's State. */
  stateCode?: string | null;
  entityType?: string;
  entityId?: string;
  /** What changed, as before/after values or a short description. Never secrets. */
  summary?: object;
}

export interface VerificationResult {
  valid: boolean;
  checked: number;
  firstBreak: ChainBreak | null;
}

const VERIFY_BATCH_SIZE = 2000;

@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(
    private readonly audit: AuditRepository,
    private readonly chainer: AuditChainer,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /**
   * The one way to write the audit log. Inside a unit of work the event is journaled in its
   * transaction, so it exists if and only if the change does, and it is moved into the chain once the
   * unit of work commits, before that returns; outside one (a failed sign-in, a denied permission) it
   * is journaled and chained at once. No transaction holds the chain's lock while it does its work:
   * writers do not queue behind each other's transactions (under load they did, holding pool
   * connections while they waited), and one pass of the chainer serves the changes that wait for it.
   */
  async record(entry: AuditEntry): Promise<void> {
    await this.audit.journal(this.toEvent(entry));
    await this.unitOfWork.afterCommit(this.chainAfterCommit);
  }

  /** One function for every event of a unit of work, so that it is chained once however many it records. */
  private readonly chainAfterCommit = () => this.chainJournaled();

  /**
   * The same event for the hottest writes, which are one SQL statement: the repository places
   * `event.insertSql(...)` in its statement, and after COMMIT the caller awaits `chainJournaled()`,
   * which moves it into the chain. No chain lock is held inside the change's transaction.
   */
  journaled(entry: AuditEntry): JournaledAuditEvent {
    return new JournaledAuditEvent(this.toEvent(entry));
  }

  /** Chains what was journaled and committed before this call; a failure leaves it for the sweep. */
  async chainJournaled(): Promise<void> {
    try {
      await this.chainer.chainCommitted();
    } catch (error) {
      this.logger.warn(`Journaled audit events wait for the next sweep: ${String(error)}`);
    }
  }

  private toEvent(entry: AuditEntry): NewAuditEvent {
    const { requestId, ip } = currentRequestContext();
    const actor = entry.actor ?? null;
    const actorStateCode = actor?.stateCode ?? null;
    return {
      occurredAt: new Date(),
      actorUserId: actor?.userId ?? null,
      actorApiKeyId: actor?.apiKeyId ?? null,
      actorStateCode,
      stateCode: entry.stateCode === undefined ? actorStateCode : entry.stateCode,
      action: entry.action,
      entityType: entry.entityType ?? null,
      entityId: entry.entityId ?? null,
      summary: entry.summary ?? null,
      requestId: requestId ?? null,
      ip: ip ?? null,
    };
  }

  /** A State's administrators see the events by or about their State, whatever they ask for. */
  async list(actor: Actor, query: ListAuditEventsQuery): Promise<AuditEventListResponse> {
    // A reader sees every committed change's event, also one still in the journal.
    await this.chainer.chainPending();
    const events = await this.audit.findMany(
      {
        visibleToState: actor.stateCode ?? query.stateCode,
        action: query.action,
        entityType: query.entityType,
        entityId: query.entityId,
        actorUserId: query.actorUserId,
        from: query.from,
        to: query.to,
        beforeSeq: query.cursor ? BigInt(query.cursor) : undefined,
      },
      pageLimit(query.limit),
    );
    // The audit log's cursor is the last event's position in the chain (checked by the query DTO).
    return toPage(events, query.limit, toAuditEventResponse, (last) => last.seq.toString());
  }

  async verify(): Promise<VerificationResult> {
    await this.chainer.chainPending();
    const verifier = new ChainVerifier(this.chainer.chainKey);
    let afterSeq = 0n;
    for (;;) {
      const batch = await this.audit.findBatchAfter(afterSeq, VERIFY_BATCH_SIZE);
      for (const event of batch) {
        const broken = verifier.check(event);
        if (broken) return { valid: false, checked: verifier.checked, firstBreak: broken };
      }
      if (batch.length < VERIFY_BATCH_SIZE) return { valid: true, checked: verifier.checked, firstBreak: null };
      afterSeq = batch[batch.length - 1].seq;
    }
  }
}
