import { actingStateOf } from '@cbm/auth';
import { KeysetCursor } from '@cbm/common';

/**
 * What contacts and CERTs share as directory entries: revision diffs, the list cursor and who may write.
 */
export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

/** The fields that differ, as { field: { before, after } }; `before` is null for a new entry. */
export function diffFields<T extends object>(before: T | null, after: T, fields: ReadonlyArray<keyof T & string>): FieldChanges {
  const changes: FieldChanges = {};
  for (const field of fields) {
    const previous = before ? before[field] : null;
    if (JSON.stringify(previous) !== JSON.stringify(after[field])) changes[field] = { before: previous ?? null, after: after[field] ?? null };
  }
  return changes;
}

/** Directory lists are sorted by (name, id). */
const ENTRY_CURSOR = new KeysetCursor(['text', 'uuid'] as const);

export function encodeEntryCursor(entry: { name: string; id: string }): string {
  return ENTRY_CURSOR.encode(entry.name, entry.id);
}

export function decodeEntryCursor(cursor: string): { name: string; id: string } {
  const [name, id] = ENTRY_CURSOR.decode(cursor);
  return { name, id };
}

export function actingState(actor: { stateCode: string | null }): string {
  return actingStateOf(actor, "Only a State's users maintain its entries.");
}
