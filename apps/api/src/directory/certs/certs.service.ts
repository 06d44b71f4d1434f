import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Actor } from '@cbm/auth';
import { Environment, SerializedJson, Versioned } from '@cbm/common';
import { Cert, UnitOfWork } from '@cbm/database';
import { AuditService } from '../../audit';
import { DirectoryEntryService, EntryChanges, ImportAction, ResponseOccasion } from '../directory-entry.service';
import { toE164 } from '../validation/directory.validators';
import { CertsRepository } from './certs.repository';
import { CreateCertDto, UpdateCertDto } from './dto/cert.dto';
import { CertResponse, toCertResponse } from './dto/cert.response';
import { ListCertsQuery } from './dto/list-certs.query.dto';

/** A set value transformed, null kept (the field is cleared), undefined kept (the field is left alone). */
function optional<T>(value: T | null | undefined, map: (present: T) => unknown = (present) => present) {
  return value === null ? null : value === undefined ? undefined : map(value);
}

/** National CERTs/CSIRTs: the same rules as contacts (shared reads, own-State writes, If-Match, history). */
@Injectable()
export class CertsService extends DirectoryEntryService<Cert, CertResponse> {
  constructor(
    private readonly certs: CertsRepository,
    unitOfWork: UnitOfWork,
    audit: AuditService,
    config: ConfigService<Environment, true>,
  ) {
    super(
      certs,
      {
        notFoundName: 'CERT',
        auditEntity: 'cert',
        trackedFields: [
          'name', 'shortName', 'type', 'constituency', 'website', 'emails', 'emergencyPhone', 'available24x7', 'hours', 'timeZone',
          'languages', 'pgpFingerprint', 'rfc2350Url', 'firstMember', 'trustedIntroducer', 'sectors', 'notes', 'status', 'lastVerifiedAt',
        ],
        notNullable: ['name', 'type', 'emails', 'timeZone', 'languages', 'available24x7', 'firstMember', 'trustedIntroducer', 'sectors'],
      },
      unitOfWork,
      audit,
      config,
    );
  }

  /** A page as JSON written by PostgreSQL: the shape of CertListResponse, from certResponseSql. */
  list(query: ListCertsQuery): Promise<SerializedJson> {
    const now = new Date();
    return this.listPageJson(query, (filter, limit) => this.certs.findPageJson({ ...filter, type: query.type, sector: query.sector }, limit, now));
  }

  create(actor: Actor, input: CreateCertDto): Promise<Versioned<CertResponse>> {
    return this.createEntry(actor, () => this.toChanges(input));
  }

  update(actor: Actor, id: string, ifMatch: string | undefined, input: UpdateCertDto): Promise<Versioned<CertResponse>> {
    return this.updateEntry(actor, id, ifMatch, input, () => this.toChanges(input));
  }

  /** Every CERT of the State (any status), in the import's unit of work: what its rows are matched against. */
  ownEntries(stateCode: string): Promise<Cert[]> {
    return this.certs.findAllOwn(stateCode);
  }

  /** One CERT row of a bulk import (see DirectoryEntryService.importEntry). */
  async importRow(actor: Actor, existing: Cert | null, input: UpdateCertDto, apply: boolean): Promise<{ action: ImportAction; entry?: Cert }> {
    return this.importEntry(actor, existing, input, await this.toChanges(input), apply);
  }

  /** A single CERT shows its active technical contacts (a new one has none yet). */
  protected override async toResponse(cert: Cert, staleBefore: Date, occasion: ResponseOccasion): Promise<CertResponse> {
    return toCertResponse(cert, staleBefore, occasion === 'created' ? [] : await this.certs.technicalContacts(cert.id));
  }

  private async toChanges(input: UpdateCertDto): Promise<EntryChanges<Cert>> {
    return {
      name: input.name?.trim(),
      shortName: optional(input.shortName, (value) => value.trim()) as string | null | undefined,
      type: input.type,
      constituency: optional(input.constituency) as string | null | undefined,
      website: optional(input.website) as string | null | undefined,
      emails: input.emails?.map((email) => email.trim()),
      emergencyPhone: optional(input.emergencyPhone, (value) => toE164(value)) as string | null | undefined,
      available24x7: input.available24x7,
      hours: input.hours as Cert['hours'] | undefined,
      timeZone: input.timeZone,
      languages: input.languages,
      rfc2350Url: optional(input.rfc2350Url) as string | null | undefined,
      firstMember: input.firstMember,
      trustedIntroducer: input.trustedIntroducer,
      sectors: input.sectors,
      notes: optional(input.notes) as string | null | undefined,
      ...(await this.pgpKeyChanges(input.pgpKey)),
    };
  }
}
