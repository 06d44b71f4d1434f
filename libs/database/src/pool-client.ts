import type { Pool, PoolClient } from 'pg';

/**
 * Runs `use` on a client checked out of the pool, and gives it back. While checked out a client has
 * no listener of the pool's: a connection lost between two of its queries (a database restart, a
 * failover) is then an unhandled 'error' event, which ends the process — the chaos script caught
 * exactly that. Here the error is kept and the client discarded. A client whose work failed is
 * discarded too, whatever state it is in (mid-transaction, half-closed): closing its connection
 * rolls back anything open, and the pool opens a fresh one.
 */
export async function withPoolClient<T>(pool: Pool, use: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  try {
    return await use(client);
  } catch (error) {
    broken ??= error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken ?? false);
  }
}
