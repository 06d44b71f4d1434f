import { ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { ACCESS_KEY, AccessRequirement, ACTOR_REQUEST_KEY } from '@cbm/auth';
import { DomainError, ErrorCode } from '@cbm/common';
import { AuditService } from '../audit';
import { ResolvedActor } from './actor-resolver';
import { ACCESS_TOKEN_STRATEGY } from './strategies/access-token.strategy';
import { API_KEY_STRATEGY } from './strategies/api-key.strategy';
import { bearerToken } from './strategies/bearer-token';

const WWW_AUTHENTICATE = { 'WWW-Authenticate': 'Bearer realm="cbm-registry"' };

/**
 * The global guard: every route passes here. A route is open only if it says so (@Public); any
 * other route needs a credential that one of the passport strategies accepts (a user's access token
 * or a State's API key, both checked against the database on every request); a route with a
 * permission needs the caller to hold it; a route that declares nothing is denied.
 */
@Injectable()
export class AccessGuard extends AuthGuard([ACCESS_TOKEN_STRATEGY, API_KEY_STRATEGY]) {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    // The handler's own declaration only: a controller-wide rule would silently cover methods added later.
    const requirement = this.reflector.get<AccessRequirement | undefined>(ACCESS_KEY, context.getHandler());
    if (!requirement) {
      throw new DomainError(HttpStatus.FORBIDDEN, ErrorCode.AccessNotDeclared, 'This route declares no access rule and is closed.');
    }
    if (requirement.kind === 'public') return true;

    const request = context.switchToHttp().getRequest<Request & Record<string, unknown>>();
    assertOneWellFormedCredential(request);
    await super.canActivate(context);
    const actor = request.user as unknown as ResolvedActor;
    request[ACTOR_REQUEST_KEY] = actor;

    if (actor.mfaEnrolmentPending && !(requirement.kind === 'authenticated' && requirement.allowDuringMfaEnrolment)) {
      throw new DomainError(
        HttpStatus.FORBIDDEN,
        ErrorCode.MfaEnrolmentRequired,
        'Your account must use a second factor: enrol one (POST /api/v1/auth/mfa/enrolment) before anything else.',
      );
    }
    const needed = requirement.kind === 'permission' ? [requirement.permission] : requirement.kind === 'anyPermission' ? requirement.permissions : [];
    if (needed.length > 0 && !needed.some((permission) => actor.permissions.has(permission))) {
      await this.audit.record({
        action: 'access.denied',
        actor,
        summary: { permission: needed.join(' | '), method: request.method, route: request.route?.path ?? request.path },
      });
      throw new DomainError(HttpStatus.FORBIDDEN, ErrorCode.Forbidden, `This requires the permission ${needed.join(' or ')}.`);
    }
    return true;
  }

  /** Passport's verdict: no strategy accepted the credential → 401 with a stable code. */
  override handleRequest<TUser>(error: unknown, user: TUser | false): TUser {
    if (error) throw error;
    if (!user) {
      throw new DomainError(HttpStatus.UNAUTHORIZED, ErrorCode.InvalidCredentials, 'The credential is invalid, expired or revoked.', undefined, WWW_AUTHENTICATE);
    }
    return user;
  }
}

function assertOneWellFormedCredential(request: Request): void {
  const authorization = request.headers.authorization;
  const apiKey = request.headers['x-api-key'];
  if (authorization === undefined && apiKey === undefined) throw unauthenticated('This route requires a credential.');
  if (authorization !== undefined && bearerToken(request.headers) === undefined) {
    throw unauthenticated('The Authorization header must be "Bearer <token>".');
  }
  if (authorization !== undefined && apiKey !== undefined) throw unauthenticated('Send one credential, not two.');
}

function unauthenticated(detail: string): DomainError {
  return new DomainError(HttpStatus.UNAUTHORIZED, ErrorCode.Unauthenticated, detail, undefined, WWW_AUTHENTICATE);
}
