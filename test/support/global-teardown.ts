import type { RunningEmbeddedPostgres } from '../../libs/database/src/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const embedded = (globalThis as { __cbmEmbeddedPostgres__?: RunningEmbeddedPostgres }).__cbmEmbeddedPostgres__;
  await embedded?.stop();
}
