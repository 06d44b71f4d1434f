import { applyDecorators, CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata, UseInterceptors } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { LRUCache } from 'lru-cache';
import { createHash } from 'node:crypto';
import { map, Observable, of } from 'rxjs';
import { ACTOR_REQUEST_KEY, Actor } from '@cbm/auth';

/**
 * Whose answer it is, given by the route's feature: the same text for every caller the route answers
 * alike (`sameForEveryone`, the directory's lists), or what the route filters by (disclosures: their
 * reader, from the same function the route filters with). The cache knows no feature's rules.
 */
export type AudienceKey = (actor: Actor) => string;

export const sameForEveryone: AudienceKey = () => '*';

/** The actor as the credential's statement read it, with the registry's data version. */
type VersionedActor = Actor & { registryVersion: string };

const CACHED_READ = 'cbm:cachedRead';
/** The answers kept, by size: a page of 50 contacts is ~30 kB, so a few hundred pages. */
const MAX_BYTES = 16 * 1024 * 1024;
/**
 * Written changes reach the cache through the registry version at once; time alone changes one thing
 * the lists show, whether an entry is stale (unverified for months), and an answer is kept at most
 * this long, so that flag is at most this late.
 */
const MAX_AGE_MS = 30_000;

interface CachedAnswer {
  body: string;
  etag: string;
}

/**
 * Answers of list routes, kept per process and keyed by the registry's data version (read with the
 * credential, see CredentialsRepository): any committed change to States, contacts, CERTs or
 * disclosures bumps the version, and the first request that reads the new version empties the cache.
 * A request that read an older version than the cache holds (it authenticated before a change
 * another request already saw) neither reads nor fills it. The answer cached under a version is
 * always read after that version was committed, so it is never older than its key.
 */
@Injectable()
export class RegistryReadCache {
  private version: bigint = -1n;
  private readonly answers = new LRUCache<string, CachedAnswer>({
    maxSize: MAX_BYTES,
    sizeCalculation: (answer, key) => answer.body.length + key.length,
    ttl: MAX_AGE_MS,
  });

  /** The cache for requests that read `version`: undefined when that version is already superseded here. */
  private at(version: string): LRUCache<string, CachedAnswer> | undefined {
    const read = BigInt(version);
    if (read > this.version) {
      this.answers.clear();
      this.version = read;
    }
    return read === this.version ? this.answers : undefined;
  }

  get(version: string, key: string): CachedAnswer | undefined {
    return this.at(version)?.get(key);
  }

  set(version: string, key: string, body: string): CachedAnswer {
    const answer = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    this.at(version)?.set(key, answer);
    return answer;
  }

  get size(): number {
    return this.answers.size;
  }
}

@Injectable()
export class CachedReadInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly cache: RegistryReadCache,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const audienceKey = this.reflector.get<AudienceKey>(CACHED_READ, context.getHandler());
    const http = context.switchToHttp();
    const request = http.getRequest<Request & Record<string, unknown>>();
    const response = http.getResponse<Response>();
    const actor = request[ACTOR_REQUEST_KEY] as VersionedActor | undefined;
    if (!actor || request.method !== 'GET') return next.handle();
    const key = `${audienceKey(actor)} ${request.originalUrl}`;
    const cached = this.cache.get(actor.registryVersion, key);
    if (cached) return of(this.send(response, cached));
    return next.handle().pipe(map((body: unknown) => this.send(response, this.cache.set(actor.registryVersion, key, JSON.stringify(body)))));
  }

  /**
   * The serialised answer, as the route's body: Express sends a string as it is (no second
   * JSON.stringify), and with the ETag set it answers a matching If-None-Match with 304 itself.
   */
  private send(response: Response, answer: CachedAnswer): string {
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    response.setHeader('ETag', answer.etag);
    // Only the caller may keep it (it was read with their credential), and must revalidate.
    response.setHeader('Cache-Control', 'private, no-cache');
    return answer.body;
  }
}

/** The route's answers are kept by RegistryReadCache: for GET list routes whose rows are States, contacts, CERTs or disclosures only. */
export const CachedRead = (audienceKey: AudienceKey) =>
  applyDecorators(
    SetMetadata(CACHED_READ, audienceKey),
    UseInterceptors(CachedReadInterceptor),
    ApiHeader({ name: 'If-None-Match', required: false, description: 'The ETag of an earlier answer: 304 while it is still current.' }),
    ApiResponse({ status: 304, description: 'Not modified: the answer whose ETag you sent is still current.' }),
  );
