import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ProblemFieldError } from '@cbm/common';

export class ImportRowResult {
  /** CSV: the row as a spreadsheet numbers it (the header is row 1). JSON: contacts from 1, then the certs after them. */
  row: number;
  @ApiProperty({ enum: ['contact', 'cert'] })
  kind: 'contact' | 'cert';
  /** How the row was matched: its id, else KIND:first-email (a contact) or the name in lower case (a CERT). */
  key: string;
  /** What the row did, or in a dry run would do; `error`: nothing, and (without dryRun) nothing of the whole file. */
  @ApiProperty({ enum: ['created', 'updated', 'unchanged', 'error'] })
  action: 'created' | 'updated' | 'unchanged' | 'error';
  /** The entry: matched, or created (not in a dry run, where it does not exist). */
  id?: string;
  @ApiPropertyOptional({ type: [ProblemFieldError] })
  errors?: ProblemFieldError[];
}

export class ImportTotals {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  error: number;
}

export class ImportReport {
  /** true: nothing was written. */
  dryRun: boolean;
  totals: ImportTotals;
  rows: ImportRowResult[];
}
