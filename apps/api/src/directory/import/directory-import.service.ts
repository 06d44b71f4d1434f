import { HttpStatus, Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { isUUID, validate } from 'class-validator';
import { Actor } from '@cbm/auth';
import { DomainError, ErrorCode, FieldError, flattenValidationErrors } from '@cbm/common';
import { Cert, Contact, EntryStatus, UnitOfWork } from '@cbm/database';
import { CertsService, CreateCertDto, UpdateCertDto } from '../certs';
import { ContactsService, CreateContactDto, UpdateContactDto } from '../contacts';
import { actingState } from '../directory-entry';
import { ImportAction } from '../directory-entry.service';
import { ImportReport, ImportRowResult } from './dto/import-report.response';
import { ImportKind, ImportRow } from './import-rows';

/** One transaction for up to IMPORT_MAX_ROWS rows, each a few statements: far beyond Prisma's 5-second default. */
const IMPORT_TIMEOUT_MS = 120_000;

/** Thrown inside the unit of work to roll it back (a dry run, or a row in error): carries the report out. */
class RolledBack extends Error {
  constructor(readonly report: ImportReport) {
    super('import rolled back');
  }
}

/** The State's entries as rows are matched against them: by id, else by a stable key. */
class OwnEntries<Entry extends { id: string }> {
  private readonly byId: Map<string, Entry>;
  private readonly byKey = new Map<string, Entry[]>();

  constructor(entries: Entry[], key: (entry: Entry) => string | undefined) {
    this.byId = new Map(entries.map((entry) => [entry.id, entry]));
    for (const entry of entries) {
      const value = key(entry);
      if (value !== undefined) this.byKey.set(value, [...(this.byKey.get(value) ?? []), entry]);
    }
  }

  withId(id: string): Entry | undefined {
    return this.byId.get(id);
  }

  withKey(key: string): Entry[] {
    return this.byKey.get(key) ?? [];
  }
}

/** A contact is known by its kind and first address; only active entries are matched by key. */
function contactKey(contact: { kind?: unknown; emails?: unknown }): string | undefined {
  const [email] = Array.isArray(contact.emails) ? contact.emails : [];
  return typeof email === 'string' && typeof contact.kind === 'string' ? `${contact.kind}:${email.trim().toLowerCase()}` : undefined;
}

/** A CERT is known by its name within its State (case and surrounding spaces aside). */
function certKey(cert: { name?: unknown }): string | undefined {
  return typeof cert.name === 'string' ? cert.name.trim().toLowerCase() : undefined;
}

/** The API's own check of a body: the DTO class with the global pipe's options (whitelist, forbid unknown fields). */
async function validateAs<Dto extends object>(type: new () => Dto, input: Record<string, unknown>): Promise<{ dto: Dto; errors: FieldError[] }> {
  const dto = plainToInstance(type, input);
  return { dto, errors: flattenValidationErrors(await validate(dto, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: false })) };
}

function errorsOf(error: unknown): FieldError[] {
  if (!(error instanceof DomainError) || error.status >= 500) throw error;
  return error.errors?.length ? error.errors : [{ field: '', message: error.detail }];
}

/**
 * A State's directory imported in one go: every row checked by the validators and rules of POST and
 * PATCH, then written by the contacts' and CERTs' own services (revision and audit event for each
 * change) in one transaction, or, when any row is wrong, nothing at all. A dry run answers the same
 * report and writes nothing.
 */
@Injectable()
export class DirectoryImportService {
  constructor(
    private readonly contacts: ContactsService,
    private readonly certs: CertsService,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async import(actor: Actor, rows: ImportRow[], dryRun: boolean): Promise<ImportReport> {
    const stateCode = actingState(actor);
    let report: ImportReport;
    try {
      report = await this.unitOfWork.run(
        async () => {
          const result = await this.importRows(actor, stateCode, rows, !dryRun);
          if (dryRun || result.totals.error > 0) throw new RolledBack(result);
          return result;
        },
        { timeoutMs: IMPORT_TIMEOUT_MS },
      );
      return report;
    } catch (error) {
      if (!(error instanceof RolledBack)) throw error;
      // Nothing was kept: a created row has no entry to name.
      report = { ...error.report, rows: error.report.rows.map(({ id, ...row }) => (row.action === 'created' || !id ? row : { ...row, id })) };
    }
    if (report.totals.error > 0 && !dryRun) {
      throw new DomainError(
        HttpStatus.BAD_REQUEST,
        ErrorCode.ValidationFailed,
        `${report.totals.error} of ${report.totals.rows} rows are not valid: nothing was imported.`,
        report.rows.flatMap((row) => (row.errors ?? []).map((error) => ({ field: `rows.${row.row}${error.field ? `.${error.field}` : ''}`, message: error.message }))),
        undefined,
        { report },
      );
    }
    return report;
  }

  private async importRows(actor: Actor, stateCode: string, rows: ImportRow[], apply: boolean): Promise<ImportReport> {
    const contacts = new OwnEntries(await this.contacts.ownEntries(stateCode), (contact) => (contact.status === EntryStatus.ACTIVE ? contactKey(contact) : undefined));
    const certs = new OwnEntries(await this.certs.ownEntries(stateCode), (cert) => (cert.status === EntryStatus.ACTIVE ? certKey(cert) : undefined));
    /** Which row already claimed an entry (by id) or a key: a second row for it is an error, not a silent overwrite. */
    const claimed = new Map<string, number>();
    const results: ImportRowResult[] = [];
    for (const row of rows) {
      const result =
        row.kind === 'contact'
          ? await this.importRow(row, stateCode, claimed, contacts, contactKey, CreateContactDto, UpdateContactDto, (existing, dto) => this.contacts.importRow(actor, existing, dto, apply))
          : await this.importRow(row, stateCode, claimed, certs, certKey, CreateCertDto, UpdateCertDto, (existing, dto) => this.certs.importRow(actor, existing, dto, apply));
      results.push(result);
    }
    const count = (action: ImportRowResult['action']) => results.filter((result) => result.action === action).length;
    return {
      dryRun: !apply,
      totals: { rows: results.length, created: count('created'), updated: count('updated'), unchanged: count('unchanged'), error: count('error') },
      rows: results,
    };
  }

  private async importRow<Entry extends Contact | Cert, Dto extends object>(
    row: ImportRow,
    stateCode: string,
    claimed: Map<string, number>,
    own: OwnEntries<Entry>,
    keyOf: (fields: Record<string, unknown>) => string | undefined,
    createType: new () => Dto,
    updateType: new () => Dto,
    write: (existing: Entry | null, dto: Dto) => Promise<{ action: ImportAction; entry?: Entry }>,
  ): Promise<ImportRowResult> {
    const key = row.id ?? keyOf(row.input) ?? '';
    const base = { row: row.row, kind: row.kind as ImportKind, key };
    const refuse = (errors: FieldError[]): ImportRowResult => ({ ...base, action: 'error', errors });
    if (row.errors.length > 0) return refuse(row.errors);
    // Another State's row is refused whole: a State maintains only its own entries.
    if (row.stateCode !== undefined && row.stateCode !== stateCode) {
      return refuse([{ field: 'stateCode', message: `is not your State (${stateCode}): a State imports only its own entries` }]);
    }
    let existing: Entry | undefined;
    if (row.id !== undefined) {
      // Another State's entry and a missing one are answered alike.
      existing = isUUID(row.id) ? own.withId(row.id) : undefined;
      if (!existing) return refuse([{ field: 'id', message: `is not ${row.kind === 'contact' ? 'a contact' : 'a CERT'} of your State` }]);
    } else {
      const matches = own.withKey(keyOf(row.input) ?? '');
      if (matches.length > 1) {
        return refuse([{ field: row.kind === 'contact' ? 'emails' : 'name', message: `matches ${matches.length} entries of your State: give the id of the one to update` }]);
      }
      existing = matches[0];
    }
    const claim = existing ? `id:${existing.id}` : `key:${row.kind}:${key}`;
    const earlier = claimed.get(claim);
    if (earlier !== undefined) return refuse([{ field: row.id !== undefined ? 'id' : row.kind === 'contact' ? 'emails' : 'name', message: `is the same entry as row ${earlier}` }]);
    claimed.set(claim, row.row);

    const { dto, errors } = await validateAs(existing ? updateType : createType, row.input);
    if (errors.length > 0) return refuse(errors);
    try {
      const { action, entry } = await write(existing ?? null, dto);
      return { ...base, action, ...(entry ? { id: entry.id } : {}) };
    } catch (error) {
      return refuse(errorsOf(error));
    }
  }
}
