import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import { ActorResolver, ResolvedActor } from '../actor-resolver';
import { TokenService } from '../token.service';
import { API_KEY_PREFIX } from './api-key.strategy';
import { bearerToken } from './bearer-token';

export const ACCESS_TOKEN_STRATEGY = 'access-token';

/**
 * A user's access token: an HS256 JWT (no other algorithm, TokenService) of `typ: access` whose
 * session is still alive. Checked by TokenService rather than passport-jwt so that a token verified
 * once is not verified again on each of its requests (its session still is).
 */
@Injectable()
export class AccessTokenStrategy extends PassportStrategy(Strategy, ACCESS_TOKEN_STRATEGY) {
  constructor(
    private readonly tokens: TokenService,
    private readonly actors: ActorResolver,
  ) {
    super();
  }

  /** `false` fails this strategy (the API-key strategy is tried next; the guard then answers 401). */
  async validate(request: Request): Promise<ResolvedActor | false> {
    const token = bearerToken(request.headers);
    if (!token || token.startsWith(API_KEY_PREFIX)) return false;
    const claims = this.tokens.verifyAccessToken(token);
    if (!claims) return false;
    return (await this.actors.fromAccessClaims(claims)) ?? false;
  }
}
