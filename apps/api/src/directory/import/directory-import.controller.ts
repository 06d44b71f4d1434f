import { Body, Controller, HttpCode, HttpStatus, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Actor, Authorize, CurrentActor, Permission } from '@cbm/auth';
import { ApiProblemResponses } from '../../openapi/api-problem-responses.decorator';
import { DirectoryImportService } from './directory-import.service';
import { ImportReport } from './dto/import-report.response';
import { ImportQuery } from './dto/import.query.dto';
import { csvRows, jsonRows } from './import-rows';

@ApiTags('Directory: import')
@Controller('directory')
export class DirectoryImportController {
  constructor(private readonly importer: DirectoryImportService) {}

  /**
   * Imports the caller's State's contacts and CERTs: CSV in the columns of the CSV export, or JSON
   * `{ contacts: [...], certs: [...] }` (the JSON export is accepted as it is). Rows are matched by
   * `id`, else a contact by kind and first email, a CERT by name; all apply in one transaction, or
   * none when any row is wrong (400 with the per-row report). `dryRun=true` answers the report and
   * writes nothing.
   */
  @Post('import')
  @Authorize(Permission.DirectoryWrite)
  @HttpCode(HttpStatus.OK)
  @ApiConsumes('text/csv', 'application/json')
  @ApiBody({ description: 'CSV with the export\'s header, or JSON { contacts: [...], certs: [...] }', schema: { type: 'object' } })
  @ApiProblemResponses(400, 413, 415)
  import(@CurrentActor() actor: Actor, @Query() query: ImportQuery, @Body() body: unknown, @Req() request: Request): Promise<ImportReport> {
    const rows = request.is('text/csv') ? csvRows(typeof body === 'string' ? body : '') : jsonRows(body);
    return this.importer.import(actor, rows, query.dryRun ?? false);
  }
}
