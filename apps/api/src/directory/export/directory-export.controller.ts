import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiProduces, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { Response } from 'express';
import { once } from 'node:events';
import { Authorize, Permission } from '@cbm/auth';
import { ApiProblemResponses } from '../../openapi/api-problem-responses.decorator';
import { DirectoryExportService } from './directory-export.service';

export class ExportQuery {
  @ApiProperty({ enum: ['csv', 'json'], required: false, default: 'json' })
  @IsOptional()
  @IsIn(['csv', 'json'])
  format: 'csv' | 'json' = 'json';
}

@ApiTags('Directory: export')
@Controller('directory')
export class DirectoryExportController {
  constructor(private readonly exporter: DirectoryExportService) {}

  /** Every active contact and CERT, streamed as CSV or JSON, with a file name to save it under. */
  @Get('export')
  @Authorize(Permission.DirectoryRead)
  @ApiProduces('application/json', 'text/csv')
  @ApiProblemResponses(400)
  async export(@Query() query: ExportQuery, @Res() response: Response): Promise<void> {
    const date = new Date().toISOString().slice(0, 10);
    response.status(200);
    response.setHeader('Content-Type', query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="cbm-directory-${date}.${query.format}"`);
    response.setHeader('Cache-Control', 'no-store');
    const chunks = query.format === 'csv' ? this.exporter.csv() : this.exporter.json();
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
