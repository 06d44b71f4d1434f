/**
 * What other features use of the directory's shared code: the stale rule (the State summary counts
 * stale entries with it).
 */
export { isStale, staleBefore, staleEntrySql } from './staleness';
