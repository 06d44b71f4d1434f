import { Client, Pool, PoolClient } from 'pg';
import { classifyDatabaseError } from '@cbm/common';
import { withPoolClient } from '@cbm/database';
import { workerDatabaseUrl } from './support/test-database';

/**
 * A client checked out of the pool (the filing of a request runs its transaction on one) whose
 * connection is lost between two queries: found by `npm run chaos`, where a PostgreSQL restart in
 * the middle of a filing ended the API process with an unhandled 'error' event.
 */
/**
 * Resolves with the client's next 'error' event, or with undefined after `timeoutMs`. It watches
 * `emit` instead of adding a listener: a listener of the test's own would handle the event, and an
 * unhandled one (the bug this file guards against) could then no longer reach 'uncaughtException'.
 */
function nextErrorEvent(client: PoolClient, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve) => {
    const emit = client.emit.bind(client);
    const timer = setTimeout(() => {
      client.emit = emit;
      resolve(undefined);
    }, timeoutMs);
    client.emit = (event: string | symbol, ...args: unknown[]) => {
      if (event === 'error') {
        clearTimeout(timer);
        client.emit = emit;
        resolve(args[0]);
      }
      return emit(event, ...args);
    };
  });
}

describe('A pool client whose connection is lost while checked out', () => {
  const pool = new Pool({ connectionString: workerDatabaseUrl(), max: 2 });
  const admin = new Client({ connectionString: workerDatabaseUrl() });

  beforeAll(() => admin.connect());
  afterAll(async () => {
    await admin.end();
    await pool.end();
  });

  it('fails that work as "database unavailable", and the pool goes on with a fresh connection', async () => {
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', record);
    try {
      let idleError: unknown;
      const work = withPoolClient(pool, async (client) => {
        await client.query('BEGIN');
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        const errorEvent = nextErrorEvent(client, 10_000);
        await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
        // The client hears of it while idle, between two queries: an 'error' event, not a rejection.
        idleError = await errorEvent;
        await client.query('SELECT 1');
      });
      const failure = await work.then(() => undefined, (error: unknown) => error);
      // The scenario happened: the connection was lost while the client sat idle, checked out.
      expect(idleError).toBeInstanceOf(Error);
      expect(failure).toBeDefined();
      expect(classifyDatabaseError(failure)).toEqual({ kind: 'unavailable' });
      expect(uncaught).toEqual([]);

      const { rows } = await withPoolClient(pool, (client) => client.query<{ one: number }>('SELECT 1 AS one'));
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      process.off('uncaughtException', record);
    }
  });
});
