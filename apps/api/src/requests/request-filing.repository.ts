import { Injectable } from '@nestjs/common';
import type { JournaledAuditEvent } from '../audit';
import { outboxInsertSql } from '../outbox';
import { Database, sqlParameters } from '@cbm/database';
import type { RequestWithRecipients } from './requests.repository';

/** What a filing writes besides the request: one outbox event per recipient State, and the answer kept for retries. */
export interface Filing {
  request: RequestWithRecipients;
  outbox: Array<{ stateCode: string; payload: Record<string, unknown> }>;
  /** The 201 answer, its reference left empty (the statement writes the one it draws into the kept copy). */
  response: object;
}

/**
 * What the filing statement did. `reference` is drawn when the key was new and every recipient takes
 * part — also for a filing that then lost its key to a concurrent duplicate (`filed` false).
 */
export interface FilingOutcome {
  filed: boolean;
  reference: string | null;
  participating: string[];
  earlier: IdempotencyAnswer | null;
}

/** A request's reference is `REQ-<year of filing, UTC>-<number, at least six digits>`. */
function referencePrefix(filedAt: Date): string {
  return `REQ-${filedAt.getUTCFullYear()}-`;
}

/** The answer kept for an idempotency key (written with its claim, in the filing's statement). */
export interface IdempotencyAnswer {
  requestHash: string;
  responseStatus: number | null;
  responseBody: unknown;
}

/** The filing of requests: the one-statement filing (the hot write of an incident) and the idempotency answers it keeps. */
@Injectable()
export class RequestFilingRepository {
  constructor(private readonly database: Database) {}

  /**
   * Files a request in one statement, atomic on its own and the only one of a filing: the answer kept
   * for its key if it was used before (a retry, answered from that record), which recipients take
   * part in the registry, and — when the key is new and all of them do — the reference drawn from its
   * sequence, the idempotency claim with the answer kept for retries, the request, its recipients,
   * the outbox events and the journaled audit event. The reference is written into the kept answer,
   * the events and the audit summary here, where it is drawn. `filed` is false when the key was used
   * before, a recipient does not take part, or another filing claimed the key first (a concurrent
   * duplicate waits here for the first to commit, and finds its record afterwards). A number drawn
   * for a filing that then loses the race is not reused: references are unique and increasing, not
   * gapless (no sequence is). Written for the hottest write of an incident: through Prisma's
   * interactive transaction it was thirteen round trips, each a turn of a busy event loop.
   */
  async fileRequest(filing: Filing, key: string, requestHash: string, auditEvent: JournaledAuditEvent): Promise<FilingOutcome> {
    const { request } = filing;
    // Bound in this order every time: the statement is named, so its text must never change.
    const { params, bind } = sqlParameters();
    const $ = {
      id: bind(request.id),
      referencePrefix: bind(referencePrefix(request.createdAt)),
      requesterState: bind(request.requesterState),
      type: bind(request.type),
      urgency: bind(request.urgency),
      title: bind(request.title),
      description: bind(request.description),
      incidentStart: bind(request.incidentStart),
      incidentEnd: bind(request.incidentEnd),
      sectors: bind(request.sectors),
      indicators: bind(JSON.stringify(request.indicators)),
      requestedActions: bind(request.requestedActions),
      tlp: bind(request.tlp),
      respondBy: bind(request.respondBy),
      acknowledgeBy: bind(request.acknowledgeBy),
      language: bind(request.language),
      createdByUserId: bind(request.createdByUserId),
      createdByApiKeyId: bind(request.createdByApiKeyId),
      createdAt: bind(request.createdAt),
      recipientIds: bind(request.recipients.map((recipient) => recipient.id)),
      recipientStates: bind(request.recipients.map((recipient) => recipient.stateCode)),
      eventStates: bind(filing.outbox.map((event) => event.stateCode)),
      eventPayloads: bind(filing.outbox.map((event) => JSON.stringify(event.payload))),
      key: bind(key),
      requestHash: bind(requestHash),
      response: bind(JSON.stringify(filing.response)),
    };
    const withReference = (json: string) => `jsonb_set(${json}, '{reference}', to_jsonb((SELECT "reference" FROM drawn)))`;
    const journal = auditEvent.insertSql(params.length + 1, 'EXISTS (SELECT 1 FROM created)', withReference);
    params.push(...journal.values);
    const notify = outboxInsertSql(
      { type: `'request.created'`, stateCode: 'event."stateCode"', payload: withReference('event."payload"'), createdAt: `${$.createdAt}::timestamptz` },
      `created, unnest(${$.eventStates}::text[], ${$.eventPayloads}::jsonb[]) AS event("stateCode", "payload")`,
    );
    const { rows } = await this.database.pool.query<FilingOutcome & { requestHash: string | null; responseStatus: number | null; responseBody: unknown }>({
      // Named: a statement this size costs PostgreSQL more to plan than to run.
      name: 'file-request',
      text: `WITH earlier AS (
         SELECT r."requestHash", r."responseStatus", r."responseBody" FROM "idempotency_record" r WHERE r."stateCode" = ${$.requesterState} AND r."key" = ${$.key}),
       participating AS (
         SELECT ARRAY(SELECT s."code"::text FROM "state" s WHERE s."code" = ANY(${$.recipientStates}::text[]) AND s."participating" ORDER BY s."code") AS "codes"),
       drawn AS (
         SELECT ${$.referencePrefix} || lpad(next.n::text, greatest(6, length(next.n::text)), '0') AS "reference"
           FROM (SELECT nextval('request_reference_seq') AS n
                  WHERE NOT EXISTS (SELECT 1 FROM earlier)
                    AND (SELECT cardinality("codes") FROM participating) = cardinality(${$.recipientStates}::text[])) AS next),
       claimed AS (
         INSERT INTO "idempotency_record" ("stateCode", "key", "requestHash", "responseStatus", "responseBody")
         SELECT ${$.requesterState}, ${$.key}, ${$.requestHash}, 201, ${withReference(`${$.response}::jsonb`)} FROM drawn
         ON CONFLICT DO NOTHING RETURNING 1),
       created AS (
         INSERT INTO "request" ("id", "reference", "requesterState", "type", "urgency", "title", "description", "incidentStart",
                                "incidentEnd", "sectors", "indicators", "requestedActions", "tlp", "respondBy", "acknowledgeBy",
                                "language", "createdByUserId", "createdByApiKeyId", "createdAt", "updatedAt")
         SELECT ${$.id}::uuid, drawn."reference", ${$.requesterState}, ${$.type}::"RequestType", ${$.urgency}::"Urgency", ${$.title}, ${$.description},
                ${$.incidentStart}::timestamptz, ${$.incidentEnd}::timestamptz, ${$.sectors}::text[]::"Sector"[], ${$.indicators}::jsonb, ${$.requestedActions},
                ${$.tlp}::"Tlp", ${$.respondBy}::timestamptz, ${$.acknowledgeBy}::timestamptz, ${$.language}, ${$.createdByUserId}::uuid,
                ${$.createdByApiKeyId}::uuid, ${$.createdAt}::timestamptz, ${$.createdAt}::timestamptz
           FROM drawn
          WHERE EXISTS (SELECT 1 FROM claimed)
         RETURNING "id"),
       addressed AS (
         INSERT INTO "request_recipient" ("id", "requestId", "stateCode", "status", "updatedAt")
         SELECT recipient."id", created."id", recipient."stateCode", 'SUBMITTED', ${$.createdAt}::timestamptz
           FROM created, unnest(${$.recipientIds}::uuid[], ${$.recipientStates}::text[]) AS recipient("id", "stateCode")),
       notified AS (${notify}),
       audited AS (${journal.sql})
       SELECT EXISTS (SELECT 1 FROM created) AS "filed", (SELECT "reference" FROM drawn) AS "reference",
              (SELECT "codes" FROM participating) AS "participating", e."requestHash", e."responseStatus", e."responseBody"
         FROM (SELECT 1) AS one LEFT JOIN earlier e ON TRUE`,
      values: params,
    });
    const { filed, reference, participating, ...earlier } = rows[0];
    return { filed, reference, participating, earlier: earlier.requestHash === null ? null : (earlier as IdempotencyAnswer) };
  }

  /**
   * For a filing refused before it is written: the answer kept for this key, if any (a retry is
   * answered from it whatever else has changed), and which of the recipients take part.
   */
  async filingContext(stateCode: string, key: string, recipients: string[]): Promise<{ earlier: IdempotencyAnswer | null; participating: string[] }> {
    const { rows } = await this.database.pool.query<IdempotencyAnswer & { participating: string[] }>({
      name: 'filing-context',
      text: `SELECT r."requestHash", r."responseStatus", r."responseBody",
              ARRAY(SELECT s."code"::text FROM "state" s WHERE s."code" = ANY($3::text[]) AND s."participating") AS "participating"
         FROM (SELECT 1) AS one LEFT JOIN "idempotency_record" r ON r."stateCode" = $1 AND r."key" = $2`,
      values: [stateCode, key, recipients],
    });
    const { participating, ...earlier } = rows[0];
    return { earlier: earlier.requestHash === null ? null : earlier, participating };
  }

  findIdempotencyRecord(stateCode: string, key: string) {
    return this.database.prisma.idempotencyRecord.findUnique({ where: { stateCode_key: { stateCode, key } } });
  }
}
