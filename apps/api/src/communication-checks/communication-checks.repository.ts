import { Injectable } from '@nestjs/common';
import { ContactKind, Database, EntryStatus, Prisma, UnRegionalGroup } from '@cbm/database';

export interface TotalsRow {
  key: string;
  targeted: number;
  acknowledged: number;
  pending: number;
  unresponsive: number;
  median: number | null;
}

export interface TotalsScope {
  stateCode?: string;
  region?: UnRegionalGroup;
}

export const TARGETS_PER_STATEMENT = 5000;

const GROUP_COLUMNS = { check: Prisma.sql`t."checkId"::text`, state: Prisma.sql`t."stateCode"::text`, region: Prisma.sql`t.region::text` } as const;

/**
 * Communication checks and their targets. Every read of results takes the reader's scope: a State's
 * users get their own State's rows only, filtered in SQL.
 */
@Injectable()
export class CommunicationChecksRepository {
  constructor(private readonly database: Database) {}

  private get prisma() {
    return this.database.prisma;
  }

  participatingStates(codes: string[] | undefined) {
    return this.prisma.state.findMany({ where: { participating: true, ...(codes?.length ? { code: { in: codes } } : {}) }, select: { code: true, region: true } });
  }

  contactsToCheck(stateCodes: string[], kinds: ContactKind[]) {
    return this.prisma.contact.findMany({
      where: { stateCode: { in: stateCodes }, kind: { in: kinds }, status: EntryStatus.ACTIVE, NOT: { emails: { isEmpty: true } } },
      select: { id: true, stateCode: true, kind: true },
      orderBy: { id: 'asc' },
    });
  }

  createCheck(data: Prisma.CommunicationCheckUncheckedCreateInput) {
    return this.prisma.communicationCheck.create({ data });
  }

  /** At most TARGETS_PER_STATEMENT targets (the bind parameters of one INSERT are limited). */
  async createTargets(targets: Prisma.CommunicationCheckTargetCreateManyInput[]): Promise<void> {
    await this.prisma.communicationCheckTarget.createMany({ data: targets });
  }

  /** A check the scope may see: the secretariat any, a State one that targeted it. */
  findVisible(scope: string | null, id: string) {
    return this.prisma.communicationCheck.findFirst({ where: { id, ...(scope ? { targets: { some: { stateCode: scope } } } : {}) } });
  }

  findPage(scope: string | null, before: { startedAt: Date; id: string } | undefined, take: number) {
    return this.prisma.communicationCheck.findMany({
      where: {
        ...(scope ? { targets: { some: { stateCode: scope } } } : {}),
        ...(before ? { OR: [{ startedAt: { lt: before.startedAt } }, { startedAt: before.startedAt, id: { lt: before.id } }] } : {}),
      },
      orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
      take,
    });
  }

  totals(checkIds: string[], groupBy: keyof typeof GROUP_COLUMNS, scope: TotalsScope): Promise<TotalsRow[]> {
    if (checkIds.length === 0) return Promise.resolve([]);
    const key = GROUP_COLUMNS[groupBy];
    return this.prisma.$queryRaw<TotalsRow[]>`
      SELECT ${key} AS key,
             count(*)::int AS targeted,
             (count(*) FILTER (WHERE t.status = 'ACKNOWLEDGED'))::int AS acknowledged,
             (count(*) FILTER (WHERE t.status = 'PENDING'))::int AS pending,
             (count(*) FILTER (WHERE t.status = 'UNRESPONSIVE'))::int AS unresponsive,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t."acknowledgedAt" - c."startedAt")) AS median
        FROM communication_check_target t
        JOIN communication_check c ON c.id = t."checkId"
       WHERE t."checkId" = ANY(${checkIds}::uuid[])
         AND (${scope.stateCode ?? null}::char(3) IS NULL OR t."stateCode" = ${scope.stateCode ?? null}::char(3))
         AND (${scope.region ?? null}::text IS NULL OR t.region::text = ${scope.region ?? null}::text)
       GROUP BY 1
       ORDER BY 1`;
  }

  contactResults(checkId: string, stateCode: string | undefined, afterId: string | undefined, take: number) {
    return this.prisma.communicationCheckTarget.findMany({
      where: { checkId, ...(stateCode ? { stateCode } : {}), ...(afterId ? { id: { gt: afterId } } : {}) },
      include: { contact: { select: { name: true } }, check: { select: { startedAt: true } } },
      orderBy: { id: 'asc' },
      take,
    });
  }

  latestChecks(scope: TotalsScope, take: number) {
    return this.prisma.communicationCheck.findMany({
      where: scope.stateCode || scope.region ? { targets: { some: { stateCode: scope.stateCode, region: scope.region } } } : {},
      orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
      take,
    });
  }

  // Acknowledgement -------------------------------------------------------------------------------

  /** Exactly once: only a PENDING target of an OPEN check within its window changes. */
  acknowledge(tokenHash: string) {
    return this.prisma.$queryRaw<Array<{ id: string; contactId: string; stateCode: string; checkId: string; acknowledgedAt: Date }>>`
      UPDATE communication_check_target t SET status = 'ACKNOWLEDGED', "acknowledgedAt" = now()
        FROM communication_check c
       WHERE t."tokenHash" = ${tokenHash} AND t.status = 'PENDING'
         AND c.id = t."checkId" AND c.status = 'OPEN' AND c."windowEndsAt" > now()
      RETURNING t.id, t."contactId", t."stateCode", t."checkId", t."acknowledgedAt"`;
  }

  findTargetByToken(tokenHash: string) {
    return this.prisma.communicationCheckTarget.findUnique({
      where: { tokenHash },
      include: { contact: { select: { name: true, stateCode: true, languages: true, timeZone: true } }, check: { select: { status: true, windowEndsAt: true } } },
    });
  }

  /** Confirming a check is verifying the entry: a new version, with its revision. */
  async markContactVerified(contactId: string, at: Date): Promise<string> {
    const before = await this.prisma.contact.findUniqueOrThrow({ where: { id: contactId }, select: { lastVerifiedAt: true } });
    const contact = await this.prisma.contact.update({
      where: { id: contactId },
      data: { lastVerifiedAt: at, deliveryFailedAt: null, version: { increment: 1 } },
      select: { version: true, name: true },
    });
    await this.prisma.contactRevision.create({
      data: {
        contactId,
        version: contact.version,
        action: 'acknowledged-check',
        changes: { lastVerifiedAt: { before: before.lastVerifiedAt, after: at } } as Prisma.InputJsonValue,
      },
    });
    return contact.name;
  }

  checkStatus(id: string) {
    return this.prisma.communicationCheck.findUnique({ where: { id }, select: { status: true } });
  }
}
