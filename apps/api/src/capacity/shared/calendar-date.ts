/** Today's date in UTC, YYYY-MM-DD: time frames are calendar dates, compared as UTC days everywhere. */
export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** A YYYY-MM-DD date as the instant Prisma writes to a `date` column. */
export function calendarDate(value: string): Date {
  return new Date(`${value}T00:00:00Z`);
}
