import { isUUID } from 'class-validator';
import { DomainError } from '../errors/domain.error';

/** Instants PostgreSQL can store and people mean: years 1970 to 9999. */
export function isStorableDate(date: Date): boolean {
  const time = date.getTime();
  return !Number.isNaN(time) && time >= 0 && time <= Date.UTC(9999, 11, 31, 23, 59, 59);
}

/** One part of a sort key: free text (a name), an instant, or a row id. */
type KeyPart = 'text' | 'instant' | 'uuid';
type ValueOf<P extends KeyPart> = P extends 'instant' ? Date : string;
type KeyValues<P extends readonly KeyPart[]> = { [I in keyof P]: ValueOf<P[I]> };

/**
 * The cursor of every keyset list: the sort key of a page's last row, as base64url JSON, opaque to
 * clients. Decoding checks each part's kind, so a cursor that is not ours is a 400 on `cursor`, like
 * any other bad value, never a query with a malformed key.
 */
export class KeysetCursor<P extends readonly KeyPart[]> {
  constructor(private readonly parts: P) {}

  encode(...values: KeyValues<P>): string {
    const json = values.map((value: Date | string) => (value instanceof Date ? value.toISOString() : value));
    return Buffer.from(JSON.stringify(json)).toString('base64url');
  }

  decode(cursor: string): KeyValues<P> {
    try {
      const raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
      if (Array.isArray(raw) && raw.length === this.parts.length) {
        const values = this.parts.map((part, index) => readPart(part, raw[index]));
        if (values.every((value) => value !== undefined)) return values as unknown as KeyValues<P>;
      }
    } catch {
      // Not base64url JSON: reported below like any other cursor that is not ours.
    }
    throw DomainError.validation([{ field: 'cursor', message: 'must be a cursor returned by a previous page' }]);
  }
}

function readPart(part: KeyPart, value: unknown): Date | string | undefined {
  if (typeof value !== 'string') return undefined;
  if (part === 'uuid') return isUUID(value) ? value : undefined;
  if (part === 'instant') {
    const date = new Date(value);
    return isStorableDate(date) ? date : undefined;
  }
  return value;
}

export interface Page<Item> {
  items: Item[];
  nextCursor: string | null;
}

/**
 * A page from rows read with `limit + 1` (see `pageLimit`): the extra row only tells that another
 * page follows, and the cursor is the last row kept.
 */
export function toPage<Row, Item>(rows: Row[], limit: number, toItem: (row: Row) => Item, cursorOf: (last: Row) => string): Page<Item> {
  const kept = rows.length > limit ? rows.slice(0, limit) : rows;
  return { items: kept.map(toItem), nextCursor: rows.length > limit ? cursorOf(kept[kept.length - 1]) : null };
}

/** How many rows to read for a page of `limit`: one more, to know whether another page follows. */
export function pageLimit(limit: number): number {
  return limit + 1;
}
