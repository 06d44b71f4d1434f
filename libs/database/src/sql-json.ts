/**
 * A timestamp column as JSON.stringify writes a Date (UTC, milliseconds, "Z"), or SQL NULL: for JSON
 * that PostgreSQL writes and a client reads beside JSON that Node wrote.
 */
export function isoTimestampSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}
