import { HttpStatus, Injectable } from '@nestjs/common';
import { Actor, actingStateOf } from '@cbm/auth';
import { checkIfMatch, DomainError, ErrorCode, etagOf, FieldError, KeysetCursor, pageLimit, staleWrite, toPage, Versioned } from '@cbm/common';
import { Disclosure, DisclosureKind, DisclosureStatus, UnitOfWork } from '@cbm/database';
import { AuditService } from '../audit';
import { audienceProblems } from '../sharing/audience-consistency';
import { definedOnly, refuseCleared } from '../sharing/partial-edit';
import { SelectedStatesRepository } from '../sharing/selected-states.repository';
import { isOwnerOf, Reader } from '../sharing/reader';
import { tlpFromLabel } from '../sharing/tlp';
import { DisclosureChanges, DisclosuresRepository } from './disclosures.repository';
import { CreateDisclosureDto, UpdateDisclosureDto } from './dto/disclosure.dto';
import {
  DisclosureListResponse,
  DisclosureResponse,
  DisclosureVersionListResponse,
  toDisclosureResponse,
  toDisclosureVersionResponse,
} from './dto/disclosure.response';
import { ListDisclosuresQuery } from './dto/list-disclosures.query.dto';

type Content = Pick<
  Disclosure,
  'kind' | 'title' | 'summary' | 'body' | 'sectors' | 'areas' | 'references' | 'language' | 'dateAdopted' | 'officialReference' | 'tlp' | 'audience' | 'selectedStates'
>;
const CONTENT_FIELDS: ReadonlyArray<keyof Content> = [
  'kind', 'title', 'summary', 'body', 'sectors', 'areas', 'references', 'language', 'dateAdopted', 'officialReference', 'tlp', 'audience', 'selectedStates',
];
const NOT_NULLABLE = ['kind', 'title', 'summary', 'body', 'sectors', 'language', 'tlp', 'audience'] as const;

/** The audience rule shared by every kind of shared record, then what each disclosure kind requires. */
export function consistencyProblems(content: Content, ownState: string, knownStates: string[]): FieldError[] {
  const problems = audienceProblems(content, ownState, knownStates);
  if (content.kind === DisclosureKind.CI_DESIGNATION && content.sectors.length === 0) {
    problems.push({ field: 'sectors', message: 'must name at least one sector for CI_DESIGNATION' });
  }
  if (content.kind === DisclosureKind.BEST_PRACTICE && content.areas.length === 0) {
    problems.push({ field: 'areas', message: 'must name at least one capacity-building area for BEST_PRACTICE' });
  }
  if (content.kind !== DisclosureKind.BEST_PRACTICE && content.areas.length > 0) {
    problems.push({ field: 'areas', message: 'apply only to BEST_PRACTICE' });
  }
  if (content.kind !== DisclosureKind.LAW_OR_POLICY && (content.dateAdopted || content.officialReference)) {
    problems.push({ field: content.dateAdopted ? 'dateAdopted' : 'officialReference', message: 'applies only to LAW_OR_POLICY' });
  }
  return problems;
}

@Injectable()
export class DisclosuresService {
  constructor(
    private readonly disclosures: DisclosuresRepository,
    private readonly audit: AuditService,
    private readonly unitOfWork: UnitOfWork,
    private readonly selectedStates: SelectedStatesRepository,
  ) {}

  async list(reader: Reader, query: ListDisclosuresQuery): Promise<DisclosureListResponse> {
    const rows = await this.disclosures.findVisiblePage(
      reader,
      {
        stateCode: query.state,
        region: query.region,
        kind: query.kind,
        sector: query.sector,
        area: query.area,
        tlp: query.tlp ? tlpFromLabel(query.tlp) : undefined,
        updatedSince: query.updatedSince,
        q: query.q,
        before: query.cursor ? decodeDisclosureCursor(query.cursor) : undefined,
      },
      pageLimit(query.limit),
    );
    return toPage(
      rows,
      query.limit,
      (disclosure) => toDisclosureResponse(disclosure, isOwnerOf(reader, disclosure)),
      (last) => DISCLOSURE_CURSOR.encode(last.updatedAt, last.id),
    );
  }

  /** Another State's disclosure the reader may not see is a 404, like one that does not exist. */
  async get(reader: Reader, id: string): Promise<Versioned<DisclosureResponse>> {
    const disclosure = await this.disclosures.findVisible(reader, id);
    if (!disclosure) throw DomainError.notFound('Disclosure');
    return { body: toDisclosureResponse(disclosure, isOwnerOf(reader, disclosure)), etag: etagOf(disclosure) };
  }

  /** The owner's: to anyone else the disclosure's versions do not exist. */
  async versions(actor: Actor, id: string): Promise<DisclosureVersionListResponse> {
    if (!actor.stateCode) throw DomainError.notFound('Disclosure');
    const stateCode = actor.stateCode;
    const own = await this.disclosures.findOwn(stateCode, id);
    if (!own) throw DomainError.notFound('Disclosure');
    return { items: (await this.disclosures.versions(id)).map(toDisclosureVersionResponse) };
  }

  async create(actor: Actor, input: CreateDisclosureDto): Promise<Versioned<DisclosureResponse>> {
    const stateCode = actingState(actor);
    // Every required field is present: the DTO validated them.
    const content = toContent(input) as Content;
    await this.assertConsistent(content, stateCode);
    return this.unitOfWork.run(async () => {
      const disclosure = await this.disclosures.create({ ...content, stateCode, status: DisclosureStatus.DRAFT });
      await this.record(actor, disclosure, 'created');
      return { body: toDisclosureResponse(disclosure, true), etag: etagOf(disclosure) };
    });
  }

  /** Every edit is a new version; readers of a published disclosure see the latest one. */
  async update(actor: Actor, id: string, ifMatch: string | undefined, input: UpdateDisclosureDto): Promise<Versioned<DisclosureResponse>> {
    refuseCleared(input, NOT_NULLABLE);
    return this.change(actor, id, ifMatch, true, 'updated', async (before, stateCode) => {
      if (before.status === DisclosureStatus.WITHDRAWN) {
        throw new DomainError(HttpStatus.CONFLICT, ErrorCode.Conflict, 'A withdrawn disclosure cannot be edited.');
      }
      const merged = { ...pickContent(before), ...definedOnly(toContent(input, true)) } as Content;
      await this.assertConsistent(merged, stateCode);
      return merged;
    });
  }

  publish(actor: Actor, id: string, ifMatch: string | undefined): Promise<Versioned<DisclosureResponse>> {
    return this.change(actor, id, ifMatch, false, 'published', async (before) => {
      if (before.status !== DisclosureStatus.DRAFT) throw wrongStatus('Only a draft can be published.');
      return { status: DisclosureStatus.PUBLISHED, publishedAt: new Date() };
    });
  }

  /** Gone for everyone but the owner. */
  withdraw(actor: Actor, id: string, ifMatch: string | undefined): Promise<Versioned<DisclosureResponse>> {
    return this.change(actor, id, ifMatch, false, 'withdrawn', async (before) => {
      if (before.status !== DisclosureStatus.PUBLISHED) throw wrongStatus('Only a published disclosure can be withdrawn.');
      return { status: DisclosureStatus.WITHDRAWN, withdrawnAt: new Date() };
    });
  }

  private async change(
    actor: Actor,
    id: string,
    ifMatch: string | undefined,
    ifMatchRequired: boolean,
    action: string,
    changes: (before: Disclosure, stateCode: string) => Promise<DisclosureChanges>,
  ): Promise<Versioned<DisclosureResponse>> {
    const stateCode = actingState(actor);
    if (ifMatch === undefined && ifMatchRequired) checkIfMatch(ifMatch, { version: 0 }, true);
    return this.unitOfWork.run(async () => {
      const before = await this.disclosures.findOwn(stateCode, id);
      if (!before) throw DomainError.notFound('Disclosure');
      checkIfMatch(ifMatch, before, ifMatchRequired);
      const after = await this.disclosures.updateAtVersion(stateCode, id, before.version, await changes(before, stateCode));
      if (!after) throw staleWrite();
      await this.record(actor, after, action);
      return { body: toDisclosureResponse(after, true), etag: etagOf(after) };
    });
  }

  private async record(actor: Actor, disclosure: Disclosure, action: string): Promise<void> {
    await this.disclosures.addVersion({
      disclosureId: disclosure.id,
      version: disclosure.version,
      content: JSON.parse(JSON.stringify({ ...pickContent(disclosure), status: disclosure.status })) as object,
      actorUserId: actor.userId,
      actorApiKeyId: actor.apiKeyId,
    });
    // The audit log, which the secretariat reads, names the disclosure but neither its contents nor
    // its classification (a SELECTED_STATES disclosure is none of the secretariat's business).
    await this.audit.record({
      action: `disclosure.${action}`,
      actor,
      entityType: 'disclosure',
      entityId: disclosure.id,
      summary: { version: disclosure.version, status: disclosure.status },
    });
  }

  private async assertConsistent(content: Content, stateCode: string): Promise<void> {
    const known = await this.selectedStates.existing(content.selectedStates);
    const problems = consistencyProblems(content, stateCode, known);
    if (problems.length > 0) throw DomainError.validation(problems, 'The TLP, audience or content fields do not agree.');
  }
}

function toContent(input: UpdateDisclosureDto, partial = false): Partial<Content> {
  const optional = <T>(value: T | null | undefined, fallback: T | null | undefined) => (value === undefined ? fallback : value);
  return {
    kind: input.kind,
    title: input.title?.trim(),
    summary: input.summary?.trim(),
    body: input.body,
    sectors: input.sectors ?? (partial ? undefined : []),
    areas: input.areas ?? (partial ? undefined : []),
    references: optional(input.references, partial ? undefined : []) ?? (partial ? undefined : []),
    language: input.language,
    dateAdopted: input.dateAdopted === null ? null : input.dateAdopted ? new Date(`${input.dateAdopted}T00:00:00Z`) : partial ? undefined : null,
    officialReference: optional(input.officialReference, partial ? undefined : null),
    tlp: input.tlp ? tlpFromLabel(input.tlp) : undefined,
    audience: input.audience,
    selectedStates: optional(input.selectedStates, partial ? undefined : []) ?? (partial ? undefined : []),
  } as Partial<Content>;
}

function pickContent(disclosure: Disclosure): Content {
  return Object.fromEntries(CONTENT_FIELDS.map((field) => [field, disclosure[field]])) as unknown as Content;
}

function wrongStatus(detail: string): DomainError {
  return new DomainError(HttpStatus.CONFLICT, ErrorCode.Conflict, detail);
}

/** Disclosure lists are sorted by (updatedAt, id), newest first. */
const DISCLOSURE_CURSOR = new KeysetCursor(['instant', 'uuid'] as const);

function decodeDisclosureCursor(cursor: string): { updatedAt: Date; id: string } {
  const [updatedAt, id] = DISCLOSURE_CURSOR.decode(cursor);
  return { updatedAt, id };
}

function actingState(actor: Actor): string {
  return actingStateOf(actor, "Only a State's users maintain its entries.");
}
