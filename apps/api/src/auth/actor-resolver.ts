import { Injectable } from '@nestjs/common';
import { Actor, API_KEY_GRANTABLE_PERMISSIONS, isPermission, ROLE_PERMISSIONS } from '@cbm/auth';
import { CredentialsRepository } from './credentials.repository';
import { MfaPolicy } from './mfa-policy';
import { AccessClaims, hashOpaqueToken } from './token.service';

export type ResolvedActor = Actor & {
  mfaEnrolmentPending: boolean;
  /** The registry's data version read with the credential (keys RegistryReadCache; no extra round trip). */
  registryVersion: string;
};

/**
 * Turns a verified credential into the acting user or key, from the database on every request: a
 * disabled user, a revoked or expired session or key, or a State that no longer takes part stops
 * working at once. Role and State are read here, never trusted from the token.
 */
@Injectable()
export class ActorResolver {
  constructor(
    private readonly credentials: CredentialsRepository,
    private readonly mfaPolicy: MfaPolicy,
  ) {}

  async fromAccessClaims(claims: AccessClaims): Promise<ResolvedActor | undefined> {
    const session = await this.credentials.findSessionWithUser(claims.sid);
    if (!session || session.userId !== claims.sub || session.revokedAt || session.expiresAt <= new Date()) return undefined;
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
      registryVersion: session.registryVersion,
    };
  }

  async fromApiKey(key: string): Promise<ResolvedActor | undefined> {
    const apiKey = await this.credentials.findApiKeyByHash(hashOpaqueToken(key));
    const now = new Date();
    if (!apiKey || apiKey.revokedAt || apiKey.expiresAt <= now || !apiKey.state.participating) return undefined;
    // At most one write a minute per key: a busy machine client must not write on every call.
    if (!apiKey.lastUsedAt || now.getTime() - apiKey.lastUsedAt.getTime() > 60_000) {
      void this.credentials.touchApiKey(apiKey.id, now).catch(() => undefined);
    }
    return {
      kind: 'apiKey',
      id: apiKey.id,
      userId: null,
      apiKeyId: apiKey.id,
      stateCode: apiKey.stateCode,
      role: null,
      // Stored permissions are re-checked against what a key may ever hold.
      permissions: new Set(apiKey.permissions.filter(isPermission).filter((permission) => API_KEY_GRANTABLE_PERMISSIONS.has(permission))),
      sessionId: null,
      mfaEnrolmentPending: false,
      registryVersion: apiKey.registryVersion,
    };
  }
}
