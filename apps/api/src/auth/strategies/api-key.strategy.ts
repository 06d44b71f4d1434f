import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import { ActorResolver, ResolvedActor } from '../actor-resolver';
import { bearerToken } from './bearer-token';

export const API_KEY_STRATEGY = 'api-key';
export const API_KEY_PREFIX = 'cbm_';

/** A State's machine client: `X-API-Key: cbm_…`, or `Authorization: Bearer cbm_…`. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, API_KEY_STRATEGY) {
  constructor(private readonly actors: ActorResolver) {
    super();
  }

  async validate(request: Request): Promise<ResolvedActor | false> {
    const header = request.headers['x-api-key'];
    const key = typeof header === 'string' ? header.trim() : bearerToken(request.headers);
    if (!key?.startsWith(API_KEY_PREFIX)) return false;
    return (await this.actors.fromApiKey(key)) ?? false;
  }
}
