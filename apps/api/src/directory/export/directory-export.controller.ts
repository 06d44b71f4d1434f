import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiProduces, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsStateCode } from '@cbm/common';
import type { Response } from 'express';
import { once } from 'node:events';
import { Authorize, Permission } from '@cbm/auth';
import { ApiProblemResponses } from '../../openapi/api-problem-responses.decorator';
import { VCARD_MEDIA_TYPE } from '../vcard';
import { DirectoryExportService } from './directory-export.service';

const FORMATS = {
  json: { contentType: 'application/json; charset=utf-8', extension: 'json' },
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
  vcf: { contentType: VCARD_MEDIA_TYPE, extension: 'vcf' },
} as const;
type ExportFormat = keyof typeof FORMATS;

export class ExportQuery {
  /** vcf: one vCard 4.0 per contact, then one per CERT. */
  @ApiProperty({ enum: Object.keys(FORMATS), required: false, default: 'json' })
  @IsOptional()
  @IsIn(Object.keys(FORMATS))
  format: ExportFormat = 'json';

  /** One State's entries only (ISO 3166-1 alpha-3), e.g. your own to edit and import back. */
  @IsOptional()
  @IsStateCode()
  state?: string;
}

@ApiTags('Directory: export')
@Controller('directory')
export class DirectoryExportController {
  constructor(private readonly exporter: DirectoryExportService) {}

  /** Every active contact and CERT (or one State's), streamed as CSV, JSON or vCards, with a file name to save it under. */
  @Get('export')
  @Authorize(Permission.DirectoryRead)
  @ApiProduces('application/json', 'text/csv', 'text/vcard')
  @ApiProblemResponses(400)
  async export(@Query() query: ExportQuery, @Res() response: Response): Promise<void> {
    const date = new Date().toISOString().slice(0, 10);
    response.status(200);
    const format = FORMATS[query.format];
    response.setHeader('Content-Type', format.contentType);
    response.setHeader('Content-Disposition', `attachment; filename="cbm-directory-${query.state ? `${query.state}-` : ''}${date}.${format.extension}"`);
    response.setHeader('Cache-Control', 'no-store');
    const chunks = query.format === 'csv' ? this.exporter.csv(query.state) : query.format === 'vcf' ? this.exporter.vcf(query.state) : this.exporter.json(query.state);
    try {
      for await (const chunk of chunks) {
        // Respect backpressure: a slow client must not make the whole directory pile up in memory.
        // A client that goes away while we wait never drains: stop reading pages (ends the generator).
        if (!response.write(chunk)) await drainedOrClosed(response);
        if (response.destroyed) return;
      }
      response.end();
    } catch (error) {
      // Headers are gone: the only honest signal left is a broken stream, never a truncated "success".
      response.destroy(error instanceof Error ? error : undefined);
    }
  }
}

/**
 * Waits until the response drains or the client goes away, then removes both listeners: a race of
 * two bare `once` calls left the loser's listeners behind at every wait (a long export tripped
 * Node's MaxListenersExceededWarning).
 */
async function drainedOrClosed(response: Response): Promise<void> {
  const settled = new AbortController();
  try {
    await Promise.race([once(response, 'drain', { signal: settled.signal }), once(response, 'close', { signal: settled.signal })]);
  } finally {
    settled.abort();
  }
}
