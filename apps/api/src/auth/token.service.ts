import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { LRUCache } from 'lru-cache';
import { createHash, randomBytes } from 'node:crypto';

export const TOKEN_ISSUER = 'cbm-registry';
export const TOKEN_AUDIENCE = 'cbm-registry-api';
/** The only algorithm accepted: `none`, RS/HS confusion and others are refused by the verifier. */
export const TOKEN_ALGORITHM = 'HS256';
const MFA_CHALLENGE_TTL_SECONDS = 300;
/** Access tokens whose signature and claims were checked, kept by their exact text (see verifyAccessToken). */
const VERIFIED_TOKENS_KEPT = 10_000;

/** `typ` keeps a token of one purpose from being used for another (an MFA challenge is no access token). */
type TokenPurpose = 'access' | 'mfa-challenge';

/** What an access token carries: the user and the session. Role and State are read from the database. */
export interface AccessClaims {
  sub: string;
  sid: string;
}

/** A random secret for the client and the SHA-256 hash we store: a stolen table reveals no token. */
export interface OpaqueToken {
  token: string;
  hash: string;
}

export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newOpaqueToken(prefix: string, bytes = 32): OpaqueToken {
  const token = `${prefix}${randomBytes(bytes).toString('base64url')}`;
  return { token, hash: hashOpaqueToken(token) };
}

@Injectable()
export class TokenService {
  private readonly verifiedAccessTokens = new LRUCache<string, AccessClaims & { expiresAtMs: number }>({ max: VERIFIED_TOKENS_KEPT });

  constructor(private readonly jwt: JwtService) {}

  /**
   * The claims of a valid access token, else undefined. Whether the session is alive is the caller's
   * (database) check, on every request. Verifying the signature and claims again for a token already
   * verified would give the same answer: a token is immutable text, so a token verified once is kept
   * by its exact text and only its expiry is checked again; any other text — one character edited,
   * another signature — is verified in full. Only tokens that passed are kept.
   */
  verifyAccessToken(token: string): AccessClaims | undefined {
    const known = this.verifiedAccessTokens.get(token);
    if (known) {
      if (Date.now() < known.expiresAtMs) return { sub: known.sub, sid: known.sid };
      this.verifiedAccessTokens.delete(token);
      return undefined;
    }
    const payload = this.verify(token, 'access');
    if (typeof payload?.sub !== 'string' || typeof payload.sid !== 'string' || typeof payload.exp !== 'number') return undefined;
    this.verifiedAccessTokens.set(token, { sub: payload.sub, sid: payload.sid, expiresAtMs: payload.exp * 1000 });
    return { sub: payload.sub, sid: payload.sid };
  }

  signAccessToken(claims: AccessClaims, ttlSeconds: number): string {
    return this.sign({ sub: claims.sub, sid: claims.sid }, 'access', ttlSeconds);
  }

  signMfaChallenge(userId: string): { token: string; expiresIn: number } {
    return { token: this.sign({ sub: userId }, 'mfa-challenge', MFA_CHALLENGE_TTL_SECONDS), expiresIn: MFA_CHALLENGE_TTL_SECONDS };
  }

  verifyMfaChallenge(token: string): string | undefined {
    const payload = this.verify(token, 'mfa-challenge');
    return typeof payload?.sub === 'string' ? payload.sub : undefined;
  }

  private sign(payload: Record<string, unknown>, purpose: TokenPurpose, ttlSeconds: number): string {
    return this.jwt.sign(
      { ...payload, typ: purpose },
      { algorithm: TOKEN_ALGORITHM, expiresIn: ttlSeconds, issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE },
    );
  }

  private verify(token: string, purpose: TokenPurpose): Record<string, unknown> | undefined {
    try {
      const payload = this.jwt.verify<Record<string, unknown>>(token, {
        algorithms: [TOKEN_ALGORITHM],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
      });
      return payload.typ === purpose ? payload : undefined;
    } catch {
      return undefined;
    }
  }
}
