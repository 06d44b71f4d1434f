import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Actor } from '@cbm/auth';
import { checkIfMatch, DomainError, Environment, etagOf, staleWrite, Versioned } from '@cbm/common';
import { Cert, EntryStatus, Prisma } from '@cbm/database';
import { AuditService } from '../../audit';
import { EntryHistoryResponse } from '../contacts';
import { diffFields, FieldChanges, staleBefore } from '../directory-entry';
import { actingState, decodeEntryCursor, encodeEntryCursor } from '../directory-entry';
import { toE164 } from '../validation/directory.validators';
import { readPublicKey } from '../validation/pgp-key';
import { CertsRepository } from './certs.repository';
import { CreateCertDto, UpdateCertDto } from './dto/cert.dto';
import { CertListResponse, CertResponse, toCertResponse, toCertRevisionResponse } from './dto/cert.response';
import { ListCertsQuery } from './dto/list-certs.query.dto';

const TRACKED_FIELDS = [
  'name', 'shortName', 'type', 'constituency', 'website', 'emails', 'emergencyPhone', 'available24x7', 'hours', 'timeZone',
  'languages', 'pgpFingerprint', 'rfc2350Url', 'firstMember', 'trustedIntroducer', 'sectors', 'notes', 'status', 'lastVerifiedAt',
] as const;
const NOT_NULLABLE = ['name', 'type', 'emails', 'timeZone', 'languages', 'available24x7', 'firstMember', 'trustedIntroducer', 'sectors'] as const;

type CertData = Omit<Prisma.CertUncheckedCreateInput, 'stateCode'>;

/** National CERTs/CSIRTs: the same rules as contacts (shared reads, own-State writes, If-Match, history). */
@Injectable()
export class CertsService {
  constructor(
    private readonly certs: CertsRepository,
    private readonly audit: AuditService,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  async list(query: ListCertsQuery): Promise<CertListResponse> {
    const threshold = this.staleBefore();
    const rows = await this.certs.findPage(
      {
        stateCode: query.state,
        region: query.region,
        type: query.type,
        sector: query.sector,
        language: query.language,
        available24x7: query.available24x7,
        stale: query.stale,
        staleBefore: threshold,
        status: query.status ?? EntryStatus.ACTIVE,
        q: query.q,
        after: query.cursor ? decodeEntryCursor(query.cursor) : undefined,
      },
      query.limit + 1,
    );
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return { items: page.map((cert) => toCertResponse(cert, threshold)), nextCursor: rows.length > query.limit ? encodeEntryCursor(last) : null };
  }

  async get(id: string): Promise<Versioned<CertResponse>> {
    const cert = await this.certs.findById(id);
    if (!cert) throw DomainError.notFound('CERT');
    return { body: toCertResponse(cert, this.staleBefore(), await this.certs.technicalContacts(id)), etag: etagOf(cert) };
  }

  async history(id: string): Promise<EntryHistoryResponse> {
    if (!(await this.certs.findById(id))) throw DomainError.notFound('CERT');
    return { items: (await this.certs.revisions(id)).map(toCertRevisionResponse) };
  }

  async create(actor: Actor, input: CreateCertDto): Promise<Versioned<CertResponse>> {
    const stateCode = actingState(actor);
    const data = await this.toData(input);
    return this.certs.client.$transaction(async (tx) => {
      const cert = await this.certs.create(tx, { ...(data as CertData), stateCode });
      await this.record(tx, actor, cert, 'created', diffFields(null, cert, TRACKED_FIELDS));
      return { body: toCertResponse(cert, this.staleBefore(), []), etag: etagOf(cert) };
    });
  }

  async update(actor: Actor, id: string, ifMatch: string | undefined, input: UpdateCertDto): Promise<Versioned<CertResponse>> {
    const cleared = NOT_NULLABLE.filter((field) => (input as Record<string, unknown>)[field] === null);
    if (cleared.length > 0) throw DomainError.validation(cleared.map((field) => ({ field, message: 'cannot be cleared' })));
    return this.changeOwn(actor, id, ifMatch, true, 'updated', () => this.toData(input));
  }

  deactivate(actor: Actor, id: string, ifMatch: string | undefined): Promise<Versioned<CertResponse>> {
    return this.changeOwn(actor, id, ifMatch, false, 'deactivated', () => ({ status: EntryStatus.INACTIVE }));
  }

  verify(actor: Actor, id: string, ifMatch: string | undefined): Promise<Versioned<CertResponse>> {
    return this.changeOwn(actor, id, ifMatch, false, 'verified', () => ({ lastVerifiedAt: new Date() }));
  }

  private async changeOwn(
    actor: Actor,
    id: string,
    ifMatch: string | undefined,
    ifMatchRequired: boolean,
    action: string,
    changes: () => Prisma.CertUncheckedUpdateInput | Promise<Prisma.CertUncheckedUpdateInput>,
  ): Promise<Versioned<CertResponse>> {
    const stateCode = actingState(actor);
    if (ifMatch === undefined && ifMatchRequired) checkIfMatch(ifMatch, { version: 0 }, true);
    const data = await changes();
    const cert = await this.certs.client.$transaction(async (tx) => {
      const before = await this.certs.findOwn(tx, stateCode, id);
      if (!before) throw DomainError.notFound('CERT');
      checkIfMatch(ifMatch, before, ifMatchRequired);
      const after = await this.certs.updateAtVersion(tx, stateCode, id, before.version, data);
      if (!after) throw staleWrite();
      await this.record(tx, actor, after, action, diffFields(before, after, TRACKED_FIELDS));
      return after;
    });
    return { body: toCertResponse(cert, this.staleBefore(), await this.certs.technicalContacts(id)), etag: etagOf(cert) };
  }

  private async record(tx: Prisma.TransactionClient, actor: Actor, cert: Cert, action: string, changes: FieldChanges) {
    await this.certs.addRevision(tx, {
      certId: cert.id,
      version: cert.version,
      action,
      actorUserId: actor.userId,
      actorApiKeyId: actor.apiKeyId,
      changes: changes as Prisma.InputJsonValue,
    });
    await this.audit.record({ action: `cert.${action}`, actor, entityType: 'cert', entityId: cert.id, summary: changes });
  }

  private async toData(input: UpdateCertDto): Promise<Prisma.CertUncheckedUpdateInput> {
    const optional = <T>(value: T | null | undefined, map: (present: T) => unknown = (present) => present) =>
      value === null ? null : value === undefined ? undefined : map(value);
    const data: Prisma.CertUncheckedUpdateInput = {
      name: input.name?.trim(),
      shortName: optional(input.shortName, (value) => value.trim()) as string | null | undefined,
      type: input.type,
      constituency: optional(input.constituency) as string | null | undefined,
      website: optional(input.website) as string | null | undefined,
      emails: input.emails?.map((email) => email.trim()),
      emergencyPhone: optional(input.emergencyPhone, (value) => toE164(value)) as string | null | undefined,
      available24x7: input.available24x7,
      hours: input.hours === null ? Prisma.DbNull : (input.hours as Prisma.InputJsonValue | undefined),
      timeZone: input.timeZone,
      languages: input.languages,
      rfc2350Url: optional(input.rfc2350Url) as string | null | undefined,
      firstMember: input.firstMember,
      trustedIntroducer: input.trustedIntroducer,
      sectors: input.sectors,
      notes: optional(input.notes) as string | null | undefined,
    };
    if (input.pgpKey === null) {
      Object.assign(data, { pgpKey: null, pgpFingerprint: null, pgpAlgorithm: null, pgpExpiresAt: null });
    } else if (input.pgpKey !== undefined) {
      const facts = await readPublicKey(input.pgpKey);
      Object.assign(data, { pgpKey: input.pgpKey.trim(), pgpFingerprint: facts.fingerprint, pgpAlgorithm: facts.algorithm, pgpExpiresAt: facts.expiresAt });
    }
    return data;
  }

  private staleBefore(): Date {
    return staleBefore(this.config.get('DIRECTORY_STALE_AFTER_DAYS', { infer: true }));
  }
}
