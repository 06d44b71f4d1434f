import { HttpStatus, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Actor } from '@cbm/auth';
import { DomainError, ErrorCode, pageLimit, toPage } from '@cbm/common';
import { CheckTargetStatus, CommunicationCheckStatus, ContactKind, UnitOfWork } from '@cbm/database';
import { AuditService } from '../audit';
import { DeadlineScheduler } from '../notifications';
import { OutboxRepository } from '../outbox';
import { AppSecrets } from '../secrets';
import { CheckResultsQuery, CheckTrendsQuery, ListCommunicationChecksQuery, ResultsGrouping, StartCommunicationCheckDto } from './dto/communication-check.dto';
import {
  AcknowledgementResponse,
  CheckResultsResponse,
  CheckTotals,
  CheckTrendsResponse,
  CommunicationCheckListResponse,
  CommunicationCheckResponse,
  toCheckResponse,
} from './dto/communication-check.response';
import { CommunicationChecksRepository, TARGETS_PER_STATEMENT, TotalsRow } from './communication-checks.repository';

const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;
/** A check of every contact writes thousands of rows in one unit of work. */
const START_TIMEOUT_MS = 120_000;

/** A State's users learn which States a check concerned only as far as their own is concerned. */
function scoped(response: CommunicationCheckResponse, scope: string | null): CommunicationCheckResponse {
  return scope ? { ...response, stateCodes: [scope] } : response;
}

function toTotals(row: TotalsRow | undefined): CheckTotals {
  if (!row) return { targeted: 0, acknowledged: 0, pending: 0, unresponsive: 0, responseRate: 0, medianSecondsToAcknowledge: null };
  return {
    targeted: row.targeted,
    acknowledged: row.acknowledged,
    pending: row.pending,
    unresponsive: row.unresponsive,
    responseRate: row.targeted ? Math.round((row.acknowledged / row.targeted) * 10_000) / 10_000 : 0,
    medianSecondsToAcknowledge: row.median === null ? null : Math.round(Number(row.median)),
  };
}

/** Who reads an acknowledgement page: the contact's languages and time zone choose its language and times. */
export type AcknowledgementReader = { languages: string[]; timeZone: string };
export type AcknowledgementView = AcknowledgementReader & { contactName: string; stateCode: string; windowEndsAt: Date };

/**
 * "Ping tests" (UN POC directory, OSCE): the secretariat checks that contacts answer. A State sees
 * the checks that concerned it, and only its own contacts' results.
 */
@Injectable()
export class CommunicationChecksService {
  constructor(
    private readonly checks: CommunicationChecksRepository,
    private readonly scheduler: DeadlineScheduler,
    private readonly secrets: AppSecrets,
    private readonly audit: AuditService,
    private readonly outbox: OutboxRepository,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async start(actor: Actor, input: StartCommunicationCheckDto): Promise<CommunicationCheckResponse> {
    const kinds = input.kinds?.length ? input.kinds : Object.values(ContactKind);
    const reminderHours = input.reminderHoursBefore ?? Math.floor(input.windowHours / 4);
    if (reminderHours >= input.windowHours) {
      throw DomainError.validation([{ field: 'reminderHoursBefore', message: 'must be less than windowHours' }]);
    }
    const startedAt = new Date();
    const windowEndsAt = new Date(startedAt.getTime() + input.windowHours * 3_600_000);
    const check = await this.unitOfWork.run(
      async () => {
        const states = await this.checks.participatingStates(input.stateCodes);
        const regions = new Map(states.map((state) => [state.code, state.region]));
        const missing = (input.stateCodes ?? []).filter((code) => !regions.has(code));
        if (missing.length > 0) {
          throw DomainError.validation([{ field: 'stateCodes', message: `not participating States: ${missing.join(', ')}` }]);
        }
        const contacts = await this.checks.contactsToCheck([...regions.keys()], kinds);
        if (contacts.length === 0) {
          throw new DomainError(HttpStatus.UNPROCESSABLE_ENTITY, ErrorCode.NothingToCheck, 'No active contact with an email address matches the check.');
        }
        const created = await this.checks.createCheck({
          stateCodes: input.stateCodes ?? [],
          kinds,
          note: input.note?.trim(),
          startedAt,
          windowEndsAt,
          remindAt: reminderHours > 0 ? new Date(windowEndsAt.getTime() - reminderHours * 3_600_000) : null,
          createdById: actor.userId,
        });
        const targets = contacts.map((contact) => {
          const id = randomUUID();
          return {
            id,
            checkId: created.id,
            contactId: contact.id,
            stateCode: contact.stateCode,
            region: regions.get(contact.stateCode)!,
            kind: contact.kind,
            tokenHash: AppSecrets.hashToken(this.secrets.linkToken('acknowledgement', id)),
          };
        });
        for (let start = 0; start < targets.length; start += TARGETS_PER_STATEMENT) {
          const slice = targets.slice(start, start + TARGETS_PER_STATEMENT);
          await this.checks.createTargets(slice);
          await this.outbox.emit(
            slice.map((target) => ({
              type: 'communication_check.requested',
              stateCode: target.stateCode,
              payload: { targetId: target.id, checkId: target.checkId, windowEndsAt: windowEndsAt.toISOString() },
            })),
          );
        }
        await this.audit.record({
          action: 'communication-check.started',
          actor,
          entityType: 'communication-check',
          entityId: created.id,
          summary: { stateCodes: created.stateCodes, kinds, windowHours: input.windowHours, targeted: contacts.length },
        });
        return created;
      },
      { timeoutMs: START_TIMEOUT_MS },
    );
    return this.get(actor, check.id);
  }

  async list(actor: Actor, query: ListCommunicationChecksQuery): Promise<CommunicationCheckListResponse> {
    const scope = actor.stateCode;
    let before: { startedAt: Date; id: string } | undefined;
    if (query.cursor) {
      const cursor = await this.checks.findVisible(scope, query.cursor);
      if (!cursor) throw DomainError.validation([{ field: 'cursor', message: 'is not a cursor of this list' }]);
      before = { startedAt: cursor.startedAt, id: cursor.id };
    }
    const rows = await this.checks.findPage(scope, before, pageLimit(query.limit));
    const page = rows.slice(0, query.limit);
    const totals = new Map(
      (await this.checks.totals(page.map((check) => check.id), 'check', { stateCode: scope ?? undefined })).map((row) => [row.key, row]),
    );
    // Cursors of checks and of contact results are the last row's id, as they always were.
    return toPage(rows, query.limit, (check) => scoped(toCheckResponse(check, toTotals(totals.get(check.id))), scope), (last) => last.id);
  }

  async get(actor: Actor, id: string): Promise<CommunicationCheckResponse> {
    const check = await this.checks.findVisible(actor.stateCode, id);
    if (!check) throw DomainError.notFound('Communication check');
    const [totals] = await this.checks.totals([check.id], 'check', { stateCode: actor.stateCode ?? undefined });
    return scoped(toCheckResponse(check, toTotals(totals)), actor.stateCode);
  }

  async results(actor: Actor, id: string, query: CheckResultsQuery): Promise<CheckResultsResponse> {
    const check = await this.checks.findVisible(actor.stateCode, id);
    if (!check) throw DomainError.notFound('Communication check');
    const stateCode = actor.stateCode ?? query.stateCode;
    if (query.groupBy === ResultsGrouping.Contact) {
      const rows = await this.checks.contactResults(check.id, stateCode, query.cursor, pageLimit(query.limit));
      const page = toPage(
        rows,
        query.limit,
        (target) => ({
          targetId: target.id,
          contactId: target.contactId,
          contactName: target.contact.name,
          stateCode: target.stateCode,
          kind: target.kind,
          status: target.status,
          acknowledgedAt: target.acknowledgedAt,
          secondsToAcknowledge: target.acknowledgedAt ? Math.round((target.acknowledgedAt.getTime() - target.check.startedAt.getTime()) / 1000) : null,
          remindedAt: target.remindedAt,
        }),
        (last) => last.id,
      );
      return { groupBy: query.groupBy, contacts: page.items, nextCursor: page.nextCursor };
    }
    const rows = await this.checks.totals([check.id], query.groupBy === ResultsGrouping.State ? 'state' : 'region', { stateCode });
    return { groupBy: query.groupBy, groups: rows.map((row) => ({ key: row.key, ...toTotals(row) })), nextCursor: null };
  }

  /** Successive checks for a State, a region or everyone: is the directory getting more reachable? */
  async trends(actor: Actor, query: CheckTrendsQuery): Promise<CheckTrendsResponse> {
    const scope = actor.stateCode ? { stateCode: actor.stateCode } : { stateCode: query.stateCode, region: query.region };
    const checks = (await this.checks.latestChecks(scope, query.limit)).reverse();
    const totals = new Map((await this.checks.totals(checks.map((check) => check.id), 'check', scope)).map((row) => [row.key, row]));
    let previous: number | null = null;
    return {
      points: checks.map((check) => {
        const point = toTotals(totals.get(check.id));
        const change: number | null = previous === null ? null : Math.round((point.responseRate - previous) * 10_000) / 10_000;
        previous = point.responseRate;
        return { checkId: check.id, startedAt: check.startedAt, status: check.status, ...point, responseRateChange: change };
      }),
    };
  }

  /** Ends the window now: contacts that have not confirmed become UNRESPONSIVE. */
  async close(actor: Actor, id: string): Promise<CommunicationCheckResponse> {
    const check = await this.checks.findVisible(null, id);
    if (!check) throw DomainError.notFound('Communication check');
    if (check.status !== CommunicationCheckStatus.OPEN) {
      throw new DomainError(HttpStatus.CONFLICT, ErrorCode.Conflict, 'The communication check is already closed.');
    }
    await this.scheduler.closeEndedChecks(id);
    await this.audit.record({ action: 'communication-check.closed', actor, entityType: 'communication-check', entityId: id });
    return this.get(actor, id);
  }

  /** What the confirmation page shows; throws like `acknowledge` for a token that cannot be used. */
  async describeToken(token: string): Promise<AcknowledgementView> {
    const target = TOKEN_FORMAT.test(token) ? await this.checks.findTargetByToken(AppSecrets.hashToken(token)) : null;
    if (!target) throw unknownToken();
    if (target.status === CheckTargetStatus.ACKNOWLEDGED) throw usedToken();
    if (target.status !== CheckTargetStatus.PENDING || target.check.status !== CommunicationCheckStatus.OPEN || target.check.windowEndsAt <= new Date()) {
      throw expiredToken();
    }
    return {
      contactName: target.contact.name,
      stateCode: target.contact.stateCode,
      windowEndsAt: target.check.windowEndsAt,
      languages: target.contact.languages,
      timeZone: target.contact.timeZone,
    };
  }

  /** The contact a link was made for, used or not, so that even "already used" speaks their language; null if unknown. */
  async readerOfToken(token: string): Promise<AcknowledgementReader | null> {
    const target = TOKEN_FORMAT.test(token) ? await this.checks.findTargetByToken(AppSecrets.hashToken(token)) : null;
    return target ? { languages: target.contact.languages, timeZone: target.contact.timeZone } : null;
  }

  /** Single use: of two concurrent confirmations exactly one succeeds; the other gets 410. */
  async acknowledge(token: string): Promise<AcknowledgementResponse> {
    if (!TOKEN_FORMAT.test(token)) throw unknownToken();
    const tokenHash = AppSecrets.hashToken(token);
    const acknowledged = await this.unitOfWork.run(async () => {
      const [target] = await this.checks.acknowledge(tokenHash);
      if (!target) return undefined;
      const contactName = await this.checks.markContactVerified(target.contactId, target.acknowledgedAt);
      await this.audit.record({
        action: 'communication-check.acknowledged',
        stateCode: target.stateCode,
        entityType: 'contact',
        entityId: target.contactId,
        summary: { checkId: target.checkId },
      });
      return { acknowledged: true as const, contactName, stateCode: target.stateCode, acknowledgedAt: target.acknowledgedAt };
    });
    if (acknowledged) return acknowledged;
    await this.describeToken(token);
    throw expiredToken();
  }
}

function unknownToken(): DomainError {
  return new DomainError(HttpStatus.NOT_FOUND, ErrorCode.NotFound, 'This acknowledgement link is not known.');
}

function usedToken(): DomainError {
  return new DomainError(HttpStatus.GONE, ErrorCode.AcknowledgementUsed, 'This acknowledgement link has already been used: your confirmation was recorded.');
}

function expiredToken(): DomainError {
  return new DomainError(HttpStatus.GONE, ErrorCode.AcknowledgementExpired, 'This communication check has closed: the link no longer works.');
}
