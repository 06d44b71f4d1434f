import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import {
  ACCESS_KEY,
  AccessRequirement,
  Actor,
  ACTOR_REQUEST_KEY,
  API_KEY_GRANTABLE_PERMISSIONS,
  isPermission,
  Permission,
  ROLE_PERMISSIONS,
} from '@cbm/auth';
import { DomainError, ErrorCode } from '@cbm/common';
import { AuditService } from '../audit/audit.service';
import { CredentialsRepository } from './credentials.repository';
import { MfaPolicy } from './mfa-policy';
import { hashOpaqueToken, TokenService } from './token.service';

export const API_KEY_PREFIX = 'cbm_';
const WWW_AUTHENTICATE = { 'WWW-Authenticate': 'Bearer realm="cbm-registry"' };

type ResolvedActor = Actor & { mfaEnrolmentPending: boolean };

/**
 * The global guard: every route passes here. A route is open only if it says so (@Public); any
 * other route needs a valid credential, checked against the database on every request so that a
 * disabled user, a revoked session or a revoked key stops working at once; a route with a
 * permission needs the caller to hold it; a route that declares nothing is denied.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly credentials: CredentialsRepository,
    private readonly mfaPolicy: MfaPolicy,
    private readonly audit: AuditService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const requirement = this.reflector.getAllAndOverride<AccessRequirement | undefined>(ACCESS_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!requirement) {
      throw new DomainError(HttpStatus.FORBIDDEN, ErrorCode.AccessNotDeclared, 'This route declares no access rule and is closed.');
    }
    if (requirement.kind === 'public') return true;

    const request = context.switchToHttp().getRequest<Request & Record<string, unknown>>();
    const actor = await this.authenticate(request);
    request[ACTOR_REQUEST_KEY] = actor;

    if (actor.mfaEnrolmentPending && !(requirement.kind === 'authenticated' && requirement.allowDuringMfaEnrolment)) {
      throw new DomainError(
        HttpStatus.FORBIDDEN,
        ErrorCode.MfaEnrolmentRequired,
        'Your account must use a second factor: enrol one (POST /api/v1/auth/mfa/enrolment) before anything else.',
      );
    }
    if (requirement.kind === 'permission' && !actor.permissions.has(requirement.permission)) {
      await this.audit.recordAlone({
        action: 'access.denied',
        actor,
        summary: { permission: requirement.permission, method: request.method, route: request.route?.path ?? request.path },
      });
      throw new DomainError(HttpStatus.FORBIDDEN, ErrorCode.Forbidden, `This requires the permission ${requirement.permission}.`);
    }
    return true;
  }

  private async authenticate(request: Request): Promise<ResolvedActor> {
    const authorization = request.headers.authorization;
    const apiKeyHeader = request.headers['x-api-key'];
    let bearer: string | undefined;
    if (typeof authorization === 'string') {
      const match = /^Bearer ([^\s]+)$/i.exec(authorization.trim());
      if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>".');
      bearer = match[1];
    }
    if (bearer && typeof apiKeyHeader === 'string') throw unauthenticated('Send one credential, not two.');
    const credential = bearer ?? (typeof apiKeyHeader === 'string' ? apiKeyHeader.trim() : undefined);
    if (!credential) throw unauthenticated('This route requires a credential.');

    const actor = credential.startsWith(API_KEY_PREFIX) ? await this.fromApiKey(credential) : await this.fromAccessToken(credential);
    if (!actor) throw new DomainError(HttpStatus.UNAUTHORIZED, ErrorCode.InvalidCredentials, 'The credential is invalid, expired or revoked.', undefined, WWW_AUTHENTICATE);
    return actor;
  }

  private async fromAccessToken(token: string): Promise<ResolvedActor | undefined> {
    const claims = this.tokens.verifyAccessToken(token);
    if (!claims) return undefined;
    const session = await this.credentials.findSessionWithUser(claims.sid);
    const now = new Date();
    if (!session || session.userId !== claims.sub || session.revokedAt || session.expiresAt <= now) return undefined;
    const { user } = session;
    if (user.disabledAt) return undefined;
    // Only users of participating States may act (the secretariat belongs to no State).
    if (user.stateCode !== null && !user.state?.participating) return undefined;
    return {
      kind: 'user',
      id: user.id,
      userId: user.id,
      apiKeyId: null,
      stateCode: user.stateCode,
      role: user.role,
      permissions: ROLE_PERMISSIONS[user.role],
      sessionId: claims.sid,
      mfaEnrolmentPending: this.mfaPolicy.isRequired(user.role, user.state) && !session.mfaSatisfied,
    };
  }

  private async fromApiKey(key: string): Promise<ResolvedActor | undefined> {
    const apiKey = await this.credentials.findApiKeyByHash(hashOpaqueToken(key));
    const now = new Date();
    if (!apiKey || apiKey.revokedAt || apiKey.expiresAt <= now || !apiKey.state.participating) return undefined;
    void this.credentials.touchApiKey(apiKey.id, now).catch(() => undefined);
    return {
      kind: 'apiKey',
      id: apiKey.id,
      userId: null,
      apiKeyId: apiKey.id,
      stateCode: apiKey.stateCode,
      role: null,
      // Stored permissions are re-checked against what a key may ever hold.
      permissions: new Set(apiKey.permissions.filter(isPermission).filter((permission: Permission) => API_KEY_GRANTABLE_PERMISSIONS.has(permission))),
      sessionId: null,
      mfaEnrolmentPending: false,
    };
  }
}

function unauthenticated(detail: string): DomainError {
  return new DomainError(HttpStatus.UNAUTHORIZED, ErrorCode.Unauthenticated, detail, undefined, WWW_AUTHENTICATE);
}
