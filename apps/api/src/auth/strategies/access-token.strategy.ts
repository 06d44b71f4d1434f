import { Inject, Injectable } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { ActorResolver, ResolvedActor } from '../actor-resolver';
import { JWT_SIGNING_KEY, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../token.service';

export const ACCESS_TOKEN_STRATEGY = 'access-token';

/** A user's access token: an HS256 JWT (no other algorithm) whose session is still alive. */
@Injectable()
export class AccessTokenStrategy extends PassportStrategy(Strategy, ACCESS_TOKEN_STRATEGY) {
  constructor(
    @Inject(JWT_SIGNING_KEY) signingKey: KeyObject,
    private readonly actors: ActorResolver,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // passport-jwt hands it to jsonwebtoken, which takes a KeyObject; its typings predate that.
      secretOrKey: signingKey as unknown as Buffer,
      algorithms: [TOKEN_ALGORITHM],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      ignoreExpiration: false,
    });
  }

  /** `false` fails this strategy (the guard then answers 401). */
  async validate(payload: Record<string, unknown>): Promise<ResolvedActor | false> {
    // An MFA challenge is signed with the same key: only `typ: access` grants access.
    if (payload.typ !== 'access' || typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return false;
    return (await this.actors.fromAccessClaims({ sub: payload.sub, sid: payload.sid })) ?? false;
  }
}
