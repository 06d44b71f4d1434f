import { Injectable } from '@nestjs/common';
import { Database, Prisma, RecipientStatus, RequestType, Sector } from '@cbm/database';

/** What a recipient State's need may take from a request it answered: never the request's contents. */
export interface RequestAnswer {
  requestId: string;
  reference: string;
  type: RequestType;
  sectors: Sector[];
  language: string;
  requesterState: string;
  status: RecipientStatus;
  /** The recipient's own words: the assistance it said would let it act. */
  answer: string | null;
  /** A need this State already opened from the request. */
  existingNeedId: string | null;
}

@Injectable()
export class RequestAnswersRepository {
  constructor(private readonly database: Database) {}

  /** The request as `stateCode`, one of its recipients, answered it; undefined to anyone else (not a party). */
  async answerOf(requestId: string, stateCode: string): Promise<RequestAnswer | undefined> {
    const [row] = await this.database.prisma.$queryRaw<RequestAnswer[]>(Prisma.sql`
      SELECT r."id" AS "requestId", r."reference", r."type"::text AS "type", COALESCE(r."sectors"::text[], '{}') AS "sectors",
             r."language", r."requesterState", rr."status"::text AS "status", rr."answer",
             (SELECT n."id" FROM "capacity_need" n WHERE n."sourceRequestId" = r."id" AND n."stateCode" = rr."stateCode") AS "existingNeedId"
        FROM "request" r JOIN "request_recipient" rr ON rr."requestId" = r."id" AND rr."stateCode" = ${stateCode}
       WHERE r."id" = ${requestId}::uuid`);
    return row;
  }
}
