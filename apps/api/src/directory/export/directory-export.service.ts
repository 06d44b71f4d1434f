import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { stringify } from 'csv-stringify/sync';
import { Environment } from '@cbm/common';
import { Cert, Contact, EntryStatus } from '@cbm/database';
import { CertsRepository, toCertResponse } from '../certs';
import { ContactsRepository, toContactResponse } from '../contacts';
import { EntryListFilter } from '../directory-entry.repository';
import { staleBefore } from '../staleness';
import { certVCardEntry, contactVCardEntry, toVCard } from '../vcard';

const PAGE = 500;

export const CSV_COLUMNS = [
  'entry', 'id', 'stateCode', 'kindOrType', 'name', 'organisation', 'emails', 'phones', 'available24x7', 'timeZone',
  'languages', 'pgpFingerprint', 'pgpExpiresAt', 'certId', 'lastVerifiedAt', 'stale', 'updatedAt',
] as const;

/** How a cell a spreadsheet would run as a formula starts (CSV injection); the import undoes the escape. */
export const FORMULA_CELL = /^[=+\-@\t\r]/;

/** A spreadsheet must not run a cell as a formula: such cells are quoted as text with a leading apostrophe. */
function cell(value: unknown): string {
  const text = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  return FORMULA_CELL.test(text) ? `'${text}` : text;
}

/**
 * The whole active directory the caller may see (every participating State's contacts and CERTs),
 * a page at a time from the database to the response: memory does not grow with the directory.
 */
@Injectable()
export class DirectoryExportService {
  constructor(
    private readonly contacts: ContactsRepository,
    private readonly certs: CertsRepository,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  /** `stateCode`: one State's entries only (what that State re-imports), else every State's. */
  contactPages(stateCode?: string): AsyncGenerator<Contact[]> {
    return this.pages(stateCode, (filter, limit) => this.contacts.findPage(filter, limit));
  }

  certPages(stateCode?: string): AsyncGenerator<Cert[]> {
    return this.pages(stateCode, (filter, limit) => this.certs.findPage(filter, limit));
  }

  /** Every active entry, a page at a time in the lists' (name, id) order. */
  private async *pages<Entry extends { name: string; id: string }>(
    stateCode: string | undefined,
    find: (filter: EntryListFilter, limit: number) => Promise<Entry[]>,
  ): AsyncGenerator<Entry[]> {
    let after: { name: string; id: string } | undefined;
    for (;;) {
      const page = await find({ status: EntryStatus.ACTIVE, staleBefore: new Date(0), stateCode, after }, PAGE);
      if (page.length > 0) yield page;
      if (page.length < PAGE) return;
      after = { name: page[page.length - 1].name, id: page[page.length - 1].id };
    }
  }

  async *csv(stateCode?: string): AsyncGenerator<string> {
    const threshold = this.threshold();
    yield stringify([[...CSV_COLUMNS]]);
    for await (const page of this.contactPages(stateCode)) {
      yield stringify(
        page.map((contact) => {
          const view = toContactResponse(contact, threshold);
          return [
            'contact', view.id, view.stateCode, view.kind, view.name, view.organisation, view.emails.join(';'),
            view.phones.map((phone) => `${phone.label}:${phone.number}`).join(';'), view.available24x7, view.timeZone,
            view.languages.join(';'), view.pgpKey?.fingerprint, view.pgpKey?.expiresAt, view.certId, view.lastVerifiedAt, view.stale, view.updatedAt,
          ].map(cell);
        }),
      );
    }
    for await (const page of this.certPages(stateCode)) {
      yield stringify(
        page.map((cert) => {
          const view = toCertResponse(cert, threshold);
          return [
            'cert', view.id, view.stateCode, view.type, view.name, view.shortName, view.emails.join(';'),
            view.emergencyPhone ? `emergency:${view.emergencyPhone}` : '', view.available24x7, view.timeZone,
            view.languages.join(';'), view.pgpKey?.fingerprint, view.pgpKey?.expiresAt, '', view.lastVerifiedAt, view.stale, view.updatedAt,
          ].map(cell);
        }),
      );
    }
  }

  async *json(stateCode?: string): AsyncGenerator<string> {
    const threshold = this.threshold();
    yield `{"exportedAt":${JSON.stringify(new Date().toISOString())},"contacts":[`;
    let first = true;
    for await (const page of this.contactPages(stateCode)) {
      for (const contact of page) {
        yield (first ? '' : ',') + JSON.stringify(toContactResponse(contact, threshold));
        first = false;
      }
    }
    yield '],"certs":[';
    first = true;
    for await (const page of this.certPages(stateCode)) {
      for (const cert of page) {
        yield (first ? '' : ',') + JSON.stringify(toCertResponse(cert, threshold));
        first = false;
      }
    }
    yield ']}';
  }

  /** One vCard 4.0 per contact, then one per CERT (KIND:org): a .vcf file a mail client imports whole. */
  async *vcf(stateCode?: string): AsyncGenerator<string> {
    const stateNames = await this.contacts.stateNames();
    for await (const page of this.contactPages(stateCode)) {
      yield page.map((contact) => toVCard(contactVCardEntry(contact, stateNames.get(contact.stateCode) ?? contact.stateCode))).join('');
    }
    for await (const page of this.certPages(stateCode)) {
      yield page.map((cert) => toVCard(certVCardEntry(cert, stateNames.get(cert.stateCode) ?? cert.stateCode))).join('');
    }
  }

  private threshold(): Date {
    return staleBefore(this.config.get('DIRECTORY_STALE_AFTER_DAYS', { infer: true }));
  }
}
