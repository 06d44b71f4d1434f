import { parse } from 'csv-parse/sync';
import { DomainError, FieldError } from '@cbm/common';
import { CSV_COLUMNS, FORMULA_CELL } from '../export';

/**
 * A bulk import's file as rows: CSV in the export's own columns, or JSON shaped like the JSON export.
 * Pure: what each row asks for, before any validator or the database sees it.
 */

/** Rows per file: one transaction holds the audit chain's lock from the first row to the commit. */
export const IMPORT_MAX_ROWS = 10_000;

export type ImportKind = 'contact' | 'cert';

export interface ImportRow {
  /** CSV: the row as a spreadsheet numbers it (the header is row 1). JSON: contacts from 1, then the certs after them. */
  row: number;
  kind: ImportKind;
  /** The entry to update, when the row names it. */
  id?: string;
  /** The State the row says it belongs to; only the caller's own is accepted. */
  stateCode?: string;
  /** The DTO fields, checked by the API's own validators next. */
  input: Record<string, unknown>;
  /** What was wrong before validation (a cell that is not what its column holds). */
  errors: FieldError[];
}

/** The columns a file must have to say anything: the rest may be left out (and are then left alone). */
const REQUIRED_COLUMNS = ['entry', 'kindOrType', 'name', 'emails', 'timeZone', 'languages'] as const;

/**
 * The export writes a cell a spreadsheet would run as a formula (starting with = + - @, tab or CR)
 * with a leading apostrophe (FORMULA_CELL): exactly that apostrophe is removed, and nothing else.
 * A formula cell without it is taken as the text it is; nothing is ever evaluated.
 */
export function unescapeCell(cell: string): string {
  return cell.startsWith("'") && FORMULA_CELL.test(cell.slice(1)) ? cell.slice(1) : cell;
}

function list(cell: string): string[] {
  return cell
    .split(';')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** "true"/"false" as a boolean; an empty cell leaves the field out; anything else goes to the validator to refuse. */
function booleanCell(cell: string): boolean | string | undefined {
  const value = cell.trim().toLowerCase();
  return value === '' ? undefined : value === 'true' ? true : value === 'false' ? false : cell;
}

/** An empty cell of an optional field clears it (null), as the export writes a field that is not set. */
function optionalCell(cell: string): string | null {
  return cell.trim() === '' ? null : cell;
}

/** "label:number;label:number", as the export writes phones. */
function phonesCell(cell: string): Array<{ label: string; number: string }> {
  return list(cell).map((phone) => {
    const colon = phone.indexOf(':');
    return colon < 0 ? { label: '', number: phone } : { label: phone.slice(0, colon).trim(), number: phone.slice(colon + 1).trim() };
  });
}

function tooManyRows(): DomainError {
  return DomainError.validation([{ field: 'rows', message: `must be at most ${IMPORT_MAX_ROWS}` }], `A file may hold at most ${IMPORT_MAX_ROWS} rows: split it.`);
}

/** A CSV file as rows; a file whose header is not the export's, or that cannot be read as CSV, is refused whole (400). */
export function csvRows(text: string): ImportRow[] {
  let records: string[][];
  try {
    // One record more than allowed is enough to refuse: a huge file is not read to its end.
    records = parse(text, { bom: true, skip_empty_lines: true, to: IMPORT_MAX_ROWS + 2 });
  } catch (error) {
    throw DomainError.validation([{ field: 'body', message: `is not readable as CSV: ${(error as Error).message}` }], 'The file is not valid CSV.');
  }
  const [header, ...data] = records;
  if (!header) throw DomainError.validation([{ field: 'body', message: 'is empty: the first row must be the header' }], 'The file is empty.');
  if (data.length > IMPORT_MAX_ROWS) throw tooManyRows();
  const columns = header.map((column) => column.trim());
  const known = new Set<string>(CSV_COLUMNS);
  const problems: FieldError[] = [
    ...columns.filter((column) => !known.has(column)).map((column) => ({ field: 'header', message: `has an unknown column "${column}": use the columns of GET /directory/export?format=csv` })),
    ...columns.filter((column, index) => columns.indexOf(column) !== index).map((column) => ({ field: 'header', message: `has the column "${column}" twice` })),
    ...REQUIRED_COLUMNS.filter((column) => !columns.includes(column)).map((column) => ({ field: 'header', message: `lacks the column "${column}"` })),
  ];
  if (problems.length > 0) throw DomainError.validation(problems, 'The header is not that of the directory export.');
  return data.map((record, index) => {
    const cells = new Map(columns.map((column, position) => [column, unescapeCell(record[position] ?? '')]));
    return csvRow(index + 2, cells);
  });
}

function csvRow(row: number, cells: Map<string, string>): ImportRow {
  const cell = (column: string) => cells.get(column);
  const entry = (cell('entry') ?? '').trim();
  const has = (column: string) => cells.has(column);
  const common: Record<string, unknown> = {
    name: cell('name'),
    emails: list(cell('emails') ?? ''),
    timeZone: cell('timeZone'),
    languages: list(cell('languages') ?? ''),
    ...(has('available24x7') ? { available24x7: booleanCell(cell('available24x7')!) } : {}),
  };
  const identity = {
    ...(cell('id')?.trim() ? { id: cell('id')!.trim() } : {}),
    ...(cell('stateCode')?.trim() ? { stateCode: cell('stateCode')!.trim().toUpperCase() } : {}),
  };
  if (entry === 'contact') {
    const input: Record<string, unknown> = {
      kind: cell('kindOrType'),
      ...common,
      ...(has('organisation') ? { organisation: optionalCell(cell('organisation')!) } : {}),
      ...(has('phones') ? { phones: phonesCell(cell('phones')!) } : {}),
      ...(has('certId') ? { certId: optionalCell(cell('certId')!) } : {}),
    };
    return { row, kind: 'contact', ...identity, input, errors: [] };
  }
  if (entry === 'cert') {
    const errors: FieldError[] = [];
    const input: Record<string, unknown> = { type: cell('kindOrType'), ...common, ...(has('organisation') ? { shortName: optionalCell(cell('organisation')!) } : {}) };
    if (has('phones')) {
      // A CERT has one number, its emergency line, written "emergency:+…".
      const phones = phonesCell(cell('phones')!);
      if (phones.length > 1 || phones.some((phone) => phone.label !== 'emergency' && phone.label !== '')) {
        errors.push({ field: 'phones', message: 'a CERT has one phone, written emergency:+…' });
      }
      input.emergencyPhone = phones[0]?.number ?? null;
    }
    if (has('certId') && cell('certId')!.trim() !== '') errors.push({ field: 'certId', message: 'is for contacts: leave it empty for a CERT' });
    return { row, kind: 'cert', ...identity, input, errors };
  }
  return { row, kind: 'contact', ...identity, input: {}, errors: [{ field: 'entry', message: 'must be contact or cert' }] };
}

/** What the JSON export adds to an entry and an import ignores: the registry's own bookkeeping. */
const EXPORT_ONLY_FIELDS = ['status', 'lastVerifiedAt', 'stale', 'deliveryFailedAt', 'version', 'createdAt', 'updatedAt', 'technicalContacts'];

/**
 * A JSON body as rows: `{ contacts: [...], certs: [...] }`, each item the body of POST /contacts or
 * POST /certs with, optionally, its `id` and `stateCode`. The JSON export itself is accepted as it
 * is: its bookkeeping fields are ignored and its `pgpKey` object stands for its armored key.
 */
export function jsonRows(body: unknown): ImportRow[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw DomainError.validation([{ field: 'body', message: 'must be an object { contacts: [...], certs: [...] }' }]);
  }
  const { contacts = [], certs = [], exportedAt: _exportedAt, ...unknown } = body as Record<string, unknown>;
  const problems: FieldError[] = Object.keys(unknown).map((field) => ({ field, message: 'is not a known field' }));
  if (!Array.isArray(contacts)) problems.push({ field: 'contacts', message: 'must be an array' });
  if (!Array.isArray(certs)) problems.push({ field: 'certs', message: 'must be an array' });
  if (problems.length > 0) throw DomainError.validation(problems);
  const items = [...(contacts as unknown[]).map((item) => ['contact', item] as const), ...(certs as unknown[]).map((item) => ['cert', item] as const)];
  if (items.length > IMPORT_MAX_ROWS) throw tooManyRows();
  return items.map(([kind, item], index) => jsonRow(index + 1, kind, item));
}

function jsonRow(row: number, kind: ImportKind, item: unknown): ImportRow {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return { row, kind, input: {}, errors: [{ field: '', message: 'must be an object' }] };
  const { id, stateCode, ...fields } = item as Record<string, unknown>;
  const errors: FieldError[] = [];
  if (id !== undefined && id !== null && typeof id !== 'string') errors.push({ field: 'id', message: 'must be a UUID' });
  if (stateCode !== undefined && stateCode !== null && typeof stateCode !== 'string') errors.push({ field: 'stateCode', message: 'must be an ISO 3166-1 alpha-3 code' });
  for (const field of EXPORT_ONLY_FIELDS) delete fields[field];
  const pgpKey = fields.pgpKey;
  if (typeof pgpKey === 'object' && pgpKey !== null && !Array.isArray(pgpKey) && 'armored' in pgpKey) fields.pgpKey = (pgpKey as { armored: unknown }).armored;
  return {
    row,
    kind,
    ...(typeof id === 'string' && id.trim() ? { id: id.trim() } : {}),
    ...(typeof stateCode === 'string' && stateCode.trim() ? { stateCode: stateCode.trim().toUpperCase() } : {}),
    input: fields,
    errors,
  };
}
