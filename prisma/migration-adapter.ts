/**
 * Driver adapter for the Prisma CLI (migrate deploy/dev/diff) running its WASM schema engine on
 * @prisma/adapter-pg 6.19.3, so that migrations need nothing but npm packages (no engine download).
 * The adapter has bugs under the JS schema engine (four in shared/reference/PRISMA-OFFLINE.md, a fifth
 * found here); each fix below names the one it works around.
 * Only the CLI loads this file (through prisma.config.ts): the API uses the adapter unpatched.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';

const PG_CHAR_OID = 18;
const PG_NAME_OID = 19;
const PG_TEXT_OID = 25;
/** ColumnTypeEnum.Character of @prisma/driver-adapter-utils 6.19: a single character. */
const PRISMA_CHARACTER_COLUMN = 6;

interface CatalogField {
  dataTypeID: number;
  /** Set when the column was pg's one-byte `"char"`, which the engine must read as a character. */
  wasCatalogChar?: boolean;
}
interface QueryResultLike {
  fields?: CatalogField[];
}

function relabelCatalogColumnsAsText<T>(result: T): T {
  const results = (Array.isArray(result) ? result : [result]) as QueryResultLike[];
  for (const single of results) {
    for (const field of single?.fields ?? []) {
      if (field.dataTypeID === PG_CHAR_OID) field.wasCatalogChar = true;
      if (field.dataTypeID === PG_CHAR_OID || field.dataTypeID === PG_NAME_OID) {
        field.dataTypeID = PG_TEXT_OID;
      }
    }
  }
  return result;
}

/**
 * Fix 1: the adapter has no mapping for pg_catalog's `"char"` (OID 18) and `name` (OID 19) columns,
 * so the schema engine's introspection fails with "Column type 'char'/'name' could not be
 * deserialized". Both are plain text on the wire: relabel them as `text` (OID 25). (The engine
 * still reads `"char"` columns as characters: see `reportCatalogCharColumns`.)
 * `pg.Pool#query` calls `client.query(config, values, callback)`, so both the callback and the
 * promise style are handled.
 */
class CatalogTextClient extends pg.Client {
  // pg's overloads cannot be restated in a subclass without losing them; the shape is checked at runtime.
  override query(...args: any[]): any {
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      const callback = last as (error: Error | null, result?: unknown) => void;
      args[args.length - 1] = (error: Error | null, result?: unknown) =>
        callback(error, error ? result : relabelCatalogColumnsAsText(result));
      return (super.query as (...a: any[]) => any)(...args);
    }
    const outcome = (super.query as (...a: any[]) => any)(...args);
    return outcome && typeof outcome.then === 'function'
      ? outcome.then(relabelCatalogColumnsAsText)
      : outcome;
  }
}

type ShadowAdapter = Awaited<ReturnType<PrismaPg['connectToShadowDb']>>;

class MigrationPrismaPg extends PrismaPg {
  constructor(private readonly poolConfig: pg.PoolConfig) {
    super(poolConfig);
  }

  /**
   * Fix 5 (found here, not in the reference page): the adapter's `executeScript` splits a migration
   * on every `;`, so a semicolon inside a comment, a string or a function body breaks the migration
   * ("syntax error at or near …"). The script is sent whole instead: PostgreSQL's simple-query
   * protocol runs several statements in one call, as one implicit transaction.
   */
  override async connect(): Promise<ShadowAdapter> {
    const adapter = await super.connect();
    reportCatalogCharColumns(adapter);
    const pool = adapter.underlyingDriver() as pg.Pool;
    adapter.executeScript = async (script: string) => {
      try {
        await pool.query(script);
      } catch (error) {
        // The adapter's own conversion to the error shape the schema engine reports.
        (adapter as unknown as { onError(error: unknown): never }).onError(error);
      }
    };
    return adapter;
  }

  /**
   * Fix 3: the adapter drops the shadow database before closing the pool connected to it, which
   * PostgreSQL refuses ("database … is being accessed by other users"). Close the pool first.
   */
  override async connectToShadowDb(): Promise<ShadowAdapter> {
    const main = await this.connect();
    const database = `prisma_migrate_shadow_db_${globalThis.crypto.randomUUID()}`;
    await main.executeScript(`CREATE DATABASE "${database}"`);
    const shadow = await new MigrationPrismaPg({ ...this.poolConfig, database }).connect();
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await main.executeScript(`DROP DATABASE IF EXISTS "${database}"`);
      await main.dispose();
    };
    return shadow;
  }
}

interface QueryableInternals {
  queryRaw(query: unknown): Promise<{ columnTypes: number[] }>;
  performIO(query: unknown): Promise<QueryResultLike>;
}

/**
 * Fix 1, second half (found here): the schema engine reads `pg_constraint.contype` (a `"char"`) as a
 * character; given text it aborts with "RuntimeError: unreachable" as soon as the database has a
 * CHECK constraint (drift check, migrate dev). The adapter maps no type to its Character column
 * type, so the columns marked by the relabelling are reported as Character after the fact.
 */
function reportCatalogCharColumns(adapter: object): void {
  const internals = adapter as QueryableInternals;
  const queryRaw = internals.queryRaw;
  const performIO = internals.performIO;
  internals.queryRaw = async function (this: QueryableInternals, query: unknown) {
    let fields: CatalogField[] = [];
    // The adapter's own queryRaw, with a performIO that keeps the fields it saw.
    const observing = Object.create(this) as QueryableInternals;
    observing.performIO = async (io: unknown) => {
      const result = await performIO.call(this, io);
      fields = result.fields ?? [];
      return result;
    };
    const result = await queryRaw.call(observing, query);
    fields.forEach((field, index) => {
      if (field.wasCatalogChar) result.columnTypes[index] = PRISMA_CHARACTER_COLUMN;
    });
    return result;
  };
}

/**
 * Fix 2: the shadow database pool is built from `{ ...config, database }`; a `connectionString`
 * would override `database`, making the "shadow" the real database ("type … already exists").
 * Host, port, user, password and database are therefore passed as separate fields.
 */
export function migrationPoolConfig(databaseUrl: string): pg.PoolConfig {
  const url = new URL(databaseUrl);
  const sslMode = url.searchParams.get('sslmode');
  return {
    host: decodeURIComponent(url.hostname) || url.searchParams.get('host') || 'localhost',
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username) || undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined,
    ssl: sslMode && sslMode !== 'disable' ? { rejectUnauthorized: sslMode === 'verify-full' } : undefined,
    max: 2,
    // An idle pooled connection would otherwise keep the CLI alive for pg-pool's 10 s idle timeout.
    allowExitOnIdle: true,
    Client: CatalogTextClient,
  };
}

export function createMigrationAdapter(databaseUrl: string): PrismaPg {
  return new MigrationPrismaPg(migrationPoolConfig(databaseUrl));
}

/**
 * Fix 4: the WASM schema engine leaves 10 s and 60 s timers armed after its work is done, so
 * `migrate deploy` lingers ~10 s and `migrate dev` ~60 s before the CLI exits. In the CLI process
 * only, timers of 10 s or more are unref'd: they still fire while anything else keeps the process
 * alive, but no longer keep it alive on their own.
 */
export function unrefLongTimers(thresholdMs = 10_000): void {
  const originalSetTimeout = globalThis.setTimeout;
  const patched = ((handler: (...a: unknown[]) => void, delay?: number, ...rest: unknown[]) => {
    const timer = originalSetTimeout(handler, delay, ...rest);
    if ((delay ?? 0) >= thresholdMs && typeof timer?.unref === 'function') {
      timer.unref();
    }
    return timer;
  }) as typeof setTimeout;
  globalThis.setTimeout = Object.assign(patched, originalSetTimeout);
}
