import type { IncomingHttpHeaders } from 'node:http';

/**
 * The token of `Authorization: Bearer <token>`, else undefined: one reading for the access guard
 * (which refuses a malformed header) and both strategies (a user's JWT, a State's API key).
 */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  return /^Bearer (\S+)$/i.exec(headers.authorization?.trim() ?? '')?.[1];
}
