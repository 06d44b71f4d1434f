import { Injectable } from '@nestjs/common';
import { Actor } from '@cbm/auth';
import { DomainError } from '@cbm/common';
import { requestReaderOf, stateReader } from '../request-reader';
import { RequestsRepository } from '../requests.repository';
import { buildMispEvent } from './misp-event';
import { buildStixBundle, STIX_MEDIA_TYPE, StixBundle } from './stix-bundle';

export const EXPORT_FORMATS = ['stix', 'misp'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportedFile {
  contentType: string;
  fileName: string;
  /** The serialised document: the same bytes for the same request, every time. */
  body: string;
}

/**
 * A request's indicators for the tools CERTs already use (STIX 2.1, MISP). Indicators are contents:
 * only the parties read them, through the same visibility rule as the request itself
 * (RequestsRepository.findVisible); the secretariat, which reads metadata only, and every other State
 * get 404, as for a request that does not exist.
 */
@Injectable()
export class RequestExportsService {
  constructor(private readonly requests: RequestsRepository) {}

  async export(actor: Actor, id: string, format: ExportFormat): Promise<ExportedFile> {
    const reader = requestReaderOf(actor);
    if (reader.kind !== 'state') throw DomainError.notFound('Request');
    const request = await this.requests.findVisible(reader, id);
    if (!request) throw DomainError.notFound('Request');
    return format === 'stix'
      ? { contentType: STIX_MEDIA_TYPE, fileName: `${request.reference}.stix.json`, body: JSON.stringify(buildStixBundle(request)) }
      : { contentType: 'application/json; charset=utf-8', fileName: `${request.reference}.misp.json`, body: JSON.stringify(buildMispEvent(request)) };
  }

  /**
   * The bundle as `stateCode` may see it, for a delivery to that State's systems: null when the State
   * is no party to the request (or it is gone), so nothing is attached.
   */
  async stixBundleFor(stateCode: string, requestId: string): Promise<StixBundle | null> {
    const request = await this.requests.findVisible(stateReader(stateCode), requestId);
    return request ? buildStixBundle(request) : null;
  }
}
