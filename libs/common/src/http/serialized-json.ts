/**
 * An answer already written as JSON text (by PostgreSQL, for the hottest lists): the read cache
 * keeps and sends its text as it is instead of serialising an object (see CachedReadInterceptor).
 */
export class SerializedJson {
  constructor(readonly text: string) {}
}

/** A keyset page from its items' JSON texts (one more than `limit` when another page follows). */
export function serializedPage<Row extends { item: string }>(rows: Row[], limit: number, cursorOf: (last: Row) => string): SerializedJson {
  const kept = rows.length > limit ? rows.slice(0, limit) : rows;
  const nextCursor = rows.length > limit ? cursorOf(kept[kept.length - 1]) : null;
  return new SerializedJson(`{"items":[${kept.map((row) => row.item).join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`);
}
