import { Injectable } from '@nestjs/common';
import { Database } from '@cbm/database';

/** The tables whose committed changes bump the registry version (the triggers of migration 20261127063000). */
export type RegistryTable = 'state' | 'contact' | 'cert' | 'disclosure';

/** One changed table and whose rows in it changed; `stateCode` '*' is every State's (TRUNCATE). */
export interface RegistryChange {
  version: bigint;
  table: RegistryTable;
  stateCode: string;
}

/** Beyond this many versions behind, a cache drops everything rather than read what changed. */
export const MAX_VERSIONS_READ = 1000;

@Injectable()
export class RegistryChangesRepository {
  constructor(private readonly database: Database) {}

  /**
   * The current version and what changed after `since` up to it, in one snapshot. `changes` is
   * undefined when more than MAX_VERSIONS_READ versions passed: the caller then drops everything.
   */
  async changesSince(since: bigint): Promise<{ current: bigint; changes: RegistryChange[] | undefined }> {
    const { rows } = await this.database.pool.query<{ current: string; version: string | null; table: RegistryTable | null; stateCode: string | null }>({
      name: 'registry-changes-since',
      text: `SELECT v."version"::text AS "current", c."version"::text AS "version", c."table", c."stateCode"
               FROM "registry_version" v
               LEFT JOIN "registry_change" c ON c."version" > $1::bigint AND c."version" <= v."version" AND v."version" - $1::bigint <= $2
              WHERE v."id"`,
      values: [since.toString(), MAX_VERSIONS_READ],
    });
    const current = BigInt(rows[0].current);
    if (current - since > BigInt(MAX_VERSIONS_READ)) return { current, changes: undefined };
    const changes = rows
      .filter((row) => row.version !== null)
      .map((row) => ({ version: BigInt(row.version as string), table: row.table as RegistryTable, stateCode: row.stateCode as string }));
    return { current, changes };
  }
}
