import type { Request } from 'express';
import { EVERY_STATE, ReadScope } from '../caching';

/**
 * What a directory list reads, for the read cache: the entries of the State its `state` filter names
 * (upper-cased as the filter's validation does), and that State's row (the `region` filter reads it);
 * every State's without the filter. A verified contact elsewhere leaves the answer cached.
 */
export function directoryListScope(table: 'contact' | 'cert') {
  return (query: Request['query']): ReadScope => {
    const states = typeof query.state === 'string' && /^[A-Za-z]{3}$/.test(query.state) ? [query.state.toUpperCase()] : EVERY_STATE;
    return { [table]: states, state: states };
  };
}
