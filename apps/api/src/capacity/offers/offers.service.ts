import { Injectable } from '@nestjs/common';
import { Actor } from '@cbm/auth';
import { DomainError, FieldError, KeysetCursor, pageLimit, toPage, Versioned } from '@cbm/common';
import { CapacityOfferStatus, UnitOfWork } from '@cbm/database';
import { AuditService } from '../../audit';
import { audienceProblems } from '../../sharing/audience-consistency';
import { SelectedStatesRepository } from '../../sharing/selected-states.repository';
import { isOwnerOf, Reader } from '../../sharing/reader';
import { calendarDate } from '../shared/calendar-date';
import { changeOwned } from '../shared/owned-change';
import { actingState, conflict, sharedWith } from '../shared/shared-record';
import { definedOnly, refuseCleared } from '../../sharing/partial-edit';
import { CreateOfferDto, UpdateOfferDto } from './dto/offer.dto';
import { toOfferResponse, versionedOffer } from './dto/offer.mapper';
import { OfferListResponse, OfferResponse } from './dto/offer.response';
import { ListOffersQuery } from './dto/list-offers.query.dto';
import { OfferChanges, OfferRow, OffersRepository } from './offers.repository';

type OfferContent = Pick<
  OfferRow,
  | 'title' | 'description' | 'areas' | 'sectors' | 'modalities' | 'languages' | 'regions' | 'places' | 'experts'
  | 'availableFrom' | 'availableUntil' | 'implementingOrganisation' | 'tlp' | 'audience' | 'selectedStates'
>;
const CONTENT_FIELDS: ReadonlyArray<keyof OfferContent> = [
  'title', 'description', 'areas', 'sectors', 'modalities', 'languages', 'regions', 'places', 'experts',
  'availableFrom', 'availableUntil', 'implementingOrganisation', 'tlp', 'audience', 'selectedStates',
];
const NOT_NULLABLE = ['title', 'description', 'areas', 'modalities', 'languages', 'tlp', 'audience'] as const;

const OFFER_CURSOR = new KeysetCursor(['instant', 'uuid'] as const);

/** What a State can provide: DRAFT → OPEN → WITHDRAWN, shared like a need. */
@Injectable()
export class OffersService {
  constructor(
    private readonly offers: OffersRepository,
    private readonly audit: AuditService,
    private readonly unitOfWork: UnitOfWork,
    private readonly selectedStates: SelectedStatesRepository,
  ) {}

  async list(reader: Reader, query: ListOffersQuery): Promise<OfferListResponse> {
    const before = query.cursor ? OFFER_CURSOR.decode(query.cursor) : undefined;
    const rows = await this.offers.findVisiblePage(
      reader,
      {
        stateCode: query.state,
        region: query.region,
        serves: query.serves,
        area: query.area,
        sector: query.sector,
        modality: query.modality,
        language: query.language,
        status: query.status,
        before: before ? { updatedAt: before[0], id: before[1] } : undefined,
      },
      pageLimit(query.limit),
    );
    return toPage(
      rows,
      query.limit,
      (offer) => toOfferResponse(offer, isOwnerOf(reader, offer)),
      (last) => OFFER_CURSOR.encode(last.updatedAt, last.id),
    );
  }

  async get(reader: Reader, id: string): Promise<Versioned<OfferResponse>> {
    const offer = await this.offers.findVisible(reader, id);
    if (!offer) throw DomainError.notFound('Offer');
    return versionedOffer(offer, isOwnerOf(reader, offer));
  }

  async create(actor: Actor, input: CreateOfferDto): Promise<Versioned<OfferResponse>> {
    const stateCode = actingState(actor);
    const content = contentOf(input) as OfferContent;
    await this.assertConsistent(content, stateCode);
    return this.unitOfWork.run(async () => {
      const id = await this.offers.create({
        ...toColumns(content),
        stateCode,
        createdByUserId: actor.userId ?? null,
        createdByApiKeyId: actor.apiKeyId ?? null,
      });
      const offer = await this.ownOffer(stateCode, id);
      await this.record(actor, offer, 'created');
      return versionedOffer(offer, true);
    });
  }

  update(actor: Actor, id: string, ifMatch: string | undefined, input: UpdateOfferDto): Promise<Versioned<OfferResponse>> {
    refuseCleared(input, NOT_NULLABLE);
    return this.change(actor, id, ifMatch, true, 'updated', async (before, stateCode) => {
      if (before.status === CapacityOfferStatus.WITHDRAWN) throw conflict('A withdrawn offer cannot be edited.');
      const merged = { ...pickContent(before), ...definedOnly(contentOf(input, true)) } as OfferContent;
      await this.assertConsistent(merged, stateCode);
      return toColumns(merged);
    });
  }

  open(actor: Actor, id: string, ifMatch: string | undefined): Promise<Versioned<OfferResponse>> {
    return this.change(actor, id, ifMatch, false, 'opened', async (before) => {
      if (before.status !== CapacityOfferStatus.DRAFT) throw conflict('Only a draft can be opened.');
      return { status: CapacityOfferStatus.OPEN, openedAt: new Date() };
    });
  }

  withdraw(actor: Actor, id: string, ifMatch: string | undefined): Promise<Versioned<OfferResponse>> {
    return this.change(actor, id, ifMatch, false, 'withdrawn', async (before) => {
      if (before.status === CapacityOfferStatus.WITHDRAWN) throw conflict('The offer is already withdrawn.');
      return { status: CapacityOfferStatus.WITHDRAWN, withdrawnAt: new Date() };
    });
  }

  private async change(
    actor: Actor,
    id: string,
    ifMatch: string | undefined,
    ifMatchRequired: boolean,
    action: string,
    changes: (before: OfferRow, stateCode: string) => Promise<OfferChanges>,
  ): Promise<Versioned<OfferResponse>> {
    const stateCode = actingState(actor);
    const after = await changeOwned(this.unitOfWork, this.offers, {
      stateCode,
      id,
      entity: 'Offer',
      ifMatch,
      ifMatchRequired,
      changes: (before) => changes(before, stateCode),
      afterwards: (written) => this.record(actor, written, action),
    });
    return versionedOffer(after, true);
  }

  private async ownOffer(stateCode: string, id: string): Promise<OfferRow> {
    const offer = await this.offers.findOwnForUpdate(stateCode, id);
    if (!offer) throw DomainError.notFound('Offer');
    return offer;
  }

  private async record(actor: Actor, offer: OfferRow, action: string): Promise<void> {
    await this.audit.record({
      action: `capacity_offer.${action}`,
      actor,
      entityType: 'capacity_offer',
      entityId: offer.id,
      summary: { version: offer.version, status: offer.status },
    });
  }

  private async assertConsistent(content: OfferContent, stateCode: string): Promise<void> {
    const known = await this.selectedStates.existing(content.selectedStates);
    const problems: FieldError[] = audienceProblems(content, stateCode, known);
    if (content.availableFrom && content.availableUntil && content.availableFrom > content.availableUntil) {
      problems.push({ field: 'availableFrom', message: 'must not be after availableUntil' });
    }
    if (problems.length > 0) throw DomainError.validation(problems, 'The period, TLP or audience do not agree.');
  }
}

function contentOf(input: UpdateOfferDto, partial = false): Partial<OfferContent> {
  const absent = partial ? undefined : null;
  const orAbsent = <T>(value: T | undefined) => (value === undefined ? absent : value);
  const listOrEmpty = <T>(value: T[] | null | undefined) => (value === undefined ? (partial ? undefined : []) : (value ?? []));
  return {
    title: input.title?.trim(),
    description: input.description,
    areas: input.areas,
    sectors: listOrEmpty(input.sectors),
    modalities: input.modalities,
    languages: input.languages,
    regions: listOrEmpty(input.regions),
    places: orAbsent(input.places),
    experts: orAbsent(input.experts),
    availableFrom: orAbsent(input.availableFrom),
    availableUntil: orAbsent(input.availableUntil),
    implementingOrganisation: input.implementingOrganisation === null ? null : orAbsent(input.implementingOrganisation?.trim()),
    ...(sharedWith(input) as Partial<OfferContent>),
    ...(partial || input.selectedStates !== undefined ? {} : { selectedStates: [] }),
  };
}

function pickContent(offer: OfferRow): OfferContent {
  return Object.fromEntries(CONTENT_FIELDS.map((field) => [field, offer[field]])) as unknown as OfferContent;
}

function toColumns(content: OfferContent) {
  return {
    ...content,
    selectedStates: [...content.selectedStates],
    availableFrom: content.availableFrom ? calendarDate(content.availableFrom) : null,
    availableUntil: content.availableUntil ? calendarDate(content.availableUntil) : null,
  };
}
