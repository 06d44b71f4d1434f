import { createParamDecorator, ExecutionContext, HttpStatus } from '@nestjs/common';
import { DomainError, ErrorCode } from '@cbm/common';
import type { Role } from '@cbm/database';
import type { Permission } from './permissions';

/** Who is acting: set by the global access guard from the credential, and only there. */
export interface Actor {
  kind: 'user' | 'apiKey';
  /** The user's id, or the API key's id. */
  id: string;
  userId: string | null;
  apiKeyId: string | null;
  /** Null for a platform administrator (the secretariat), who belongs to no State. */
  stateCode: string | null;
  role: Role | null;
  permissions: ReadonlySet<Permission>;
  /** The session behind a user's access token; null for API keys. */
  sessionId: string | null;
}

export const ACTOR_REQUEST_KEY = 'cbmActor';

/**
 * The acting user or key. Throws when the guard did not authenticate the request (a @Public route
 * asking for an actor is a programming error): there is no anonymous fallback.
 */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest()[ACTOR_REQUEST_KEY] as Actor | undefined;
  if (!actor) throw new Error('CurrentActor used on a route the access guard did not authenticate');
  return actor;
});

/**
 * The State the actor acts for. The secretariat belongs to no State: for what only a State may do,
 * it gets 403 with `why`.
 */
export function actingStateOf(actor: Pick<Actor, 'stateCode'>, why: string): string {
  if (!actor.stateCode) throw new DomainError(HttpStatus.FORBIDDEN, ErrorCode.Forbidden, why);
  return actor.stateCode;
}
