import { applyDecorators, CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata, UseInterceptors } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { LRUCache } from 'lru-cache';
import { createHash } from 'node:crypto';
import { lastValueFrom, Observable, of } from 'rxjs';
import { ConfigService } from '@nestjs/config';
import { ACTOR_REQUEST_KEY, Actor } from '@cbm/auth';
import { Environment, SerializedJson } from '@cbm/common';
import { RegistryChange, RegistryChangesRepository, RegistryTable } from './registry-changes.repository';

/**
 * Whose answer it is, given by the route's feature: the same text for every caller the route answers
 * alike (`sameForEveryone`, the directory's lists), or what the route filters by (disclosures: their
 * reader, from the same function the route filters with). The cache knows no feature's rules.
 */
export type AudienceKey = (actor: Actor) => string;

export const sameForEveryone: AudienceKey = () => '*';

/** The actor as the credential's statement read it, with the registry's data version. */
type VersionedActor = Actor & { registryVersion: string };

/** Every State's rows of a table. */
export const EVERY_STATE = '*';

/**
 * Which rows an answer is made of: per listed table, the States whose rows it reads (or every
 * State's); a table left out is not read. A change outside the scope leaves the answer cached.
 */
export type ReadScope = Partial<Record<RegistryTable, readonly string[] | typeof EVERY_STATE>>;

/** A route's scope, from its query as sent (before validation): what its filters narrow it to. */
export type ScopeOf = (query: Request['query']) => ReadScope;

const EVERYTHING: ReadScope = { state: EVERY_STATE, contact: EVERY_STATE, cert: EVERY_STATE, disclosure: EVERY_STATE };

const CACHED_READ = 'cbm:cachedRead';
/**
 * Written changes reach the cache through the registry version at once; time alone changes one thing
 * the lists show, whether an entry is stale (unverified for months), and an answer is kept at most
 * this long, so that flag is at most this late.
 */
const MAX_AGE_MS = 30_000;

interface CachedAnswer {
  body: string;
  etag: string;
  scope: ReadScope;
}

/** The route's answer as JSON text: already written (SerializedJson) or serialised here. */
function serialized(body: unknown): string {
  return body instanceof SerializedJson ? body.text : JSON.stringify(body);
}

function alters(change: RegistryChange, scope: ReadScope): boolean {
  const states = scope[change.table];
  return states !== undefined && (states === EVERY_STATE || change.stateCode === EVERY_STATE || states.includes(change.stateCode));
}

/** Whether `changes` holds every version after `since` up to `current` (each version records at least one change). */
function coversEveryVersion(changes: RegistryChange[], since: bigint, current: bigint): boolean {
  return BigInt(new Set(changes.map((change) => change.version)).size) === current - since;
}

/**
 * Answers of list routes, kept per process. Every committed change to States, contacts, CERTs or
 * disclosures bumps the registry version (read with the credential, see CredentialsRepository) and
 * records which table and which State's rows it changed (registry_change). A request that read a
 * version newer than the cache's first brings the cache up to date: one statement reads what changed
 * since (shared by the requests that wait for it), and the answers whose scope a change touches are
 * dropped; the rest stay. An answer is kept only when the version its request read is still the
 * cache's: had a change been applied meanwhile, the answer might predate it. So a kept answer is
 * never older than the cache's version for the rows in its scope, and any request may be served it.
 */
@Injectable()
export class RegistryReadCache {
  /** Changes are applied up to this version. */
  private version = -1n;
  private catchingUp: Promise<void> | undefined;
  /**
   * Answers being computed, by key, with the version the cache was at when each began: a request
   * that misses while the same answer is being computed for that version waits for it rather than
   * asking PostgreSQL again (after a change, the many requests for a dropped page would all miss).
   */
  private readonly computing = new Map<string, { version: bigint; answer: Promise<CachedAnswer> }>();
  /** The answers kept, by size (READ_CACHE_MB; a page of 50 contacts is ~30 kB); none when it is 0. */
  private readonly answers: LRUCache<string, CachedAnswer> | undefined;

  constructor(
    config: ConfigService<Environment, true>,
    private readonly registryChanges: RegistryChangesRepository,
  ) {
    const maxSize = config.get('READ_CACHE_MB', { infer: true }) * 1024 * 1024;
    this.answers = maxSize > 0 ? new LRUCache({ maxSize, sizeCalculation: (answer, key) => answer.body.length + key.length, ttl: MAX_AGE_MS }) : undefined;
  }

  /** Applies what changed up to at least `read`, a version a request read with its credential. */
  async catchUp(read: string): Promise<void> {
    const target = BigInt(read);
    while (this.answers && this.version < target) {
      this.catchingUp ??= this.applyChanges(target).finally(() => (this.catchingUp = undefined));
      await this.catchingUp;
    }
  }

  private async applyChanges(target: bigint): Promise<void> {
    const answers = this.answers as LRUCache<string, CachedAnswer>;
    const since = this.version;
    let read: Awaited<ReturnType<RegistryChangesRepository['changesSince']>>;
    try {
      read = await this.registryChanges.changesSince(since);
    } catch {
      // Not knowing what changed, keep nothing; the requests go on to the database, which answers or fails them.
      this.advanceTo(target, () => answers.clear());
      return;
    }
    const { current, changes } = read;
    this.advanceTo(current, () => {
      if (!changes || !coversEveryVersion(changes, since, current)) return answers.clear();
      const altered = [...answers.entries()].filter(([, answer]) => changes.some((change) => alters(change, answer.scope))).map(([key]) => key);
      for (const key of altered) answers.delete(key);
    });
  }

  /** Drops what `drop` drops and moves to `version`; answers still being computed belong to an older one. */
  private advanceTo(version: bigint, drop: () => void): void {
    drop();
    this.computing.clear();
    this.version = version;
  }

  /**
   * The answer for `key`: the kept one, the one being computed for the cache's version, or the one
   * `compute` gives (kept if no change was applied meanwhile). A failed computation is not shared:
   * a request that waited for it computes its own.
   */
  async answer(read: string, key: string, scope: ReadScope, compute: () => Promise<string>): Promise<CachedAnswer> {
    const kept = this.get(key);
    if (kept) return kept;
    const underway = this.computing.get(key);
    if (underway && underway.version === this.version) {
      const shared = await underway.answer.catch(() => undefined);
      if (shared) return shared;
    }
    const version = this.version;
    const answer = compute().then((body) => this.set(read, key, body, scope));
    if (this.answers && BigInt(read) === version) this.computing.set(key, { version, answer });
    try {
      return await answer;
    } finally {
      if (this.computing.get(key)?.answer === answer) this.computing.delete(key);
    }
  }

  /** A kept answer (current for the cache's version, which is at least the caller's: see catchUp). */
  get(key: string): CachedAnswer | undefined {
    return this.answers?.get(key);
  }

  /** Keeps the answer a request that read `version` computed, if no change was applied since; returns it either way. */
  set(version: string, key: string, body: string, scope: ReadScope): CachedAnswer {
    const answer = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`, scope };
    if (this.answers && BigInt(version) === this.version) this.answers.set(key, answer);
    return answer;
  }

  get size(): number {
    return this.answers?.size ?? 0;
  }
}

interface CachedReadOptions {
  audienceKey: AudienceKey;
  scopeOf: ScopeOf;
}

@Injectable()
export class CachedReadInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly cache: RegistryReadCache,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const { audienceKey, scopeOf } = this.reflector.get<CachedReadOptions>(CACHED_READ, context.getHandler());
    const http = context.switchToHttp();
    const request = http.getRequest<Request & Record<string, unknown>>();
    const response = http.getResponse<Response>();
    const actor = request[ACTOR_REQUEST_KEY] as VersionedActor | undefined;
    if (!actor || request.method !== 'GET') return next.handle();
    const key = `${audienceKey(actor)} ${request.originalUrl}`;
    await this.cache.catchUp(actor.registryVersion);
    const answer = await this.cache.answer(actor.registryVersion, key, scopeOf(request.query), async () => serialized(await lastValueFrom(next.handle())));
    return of(this.send(response, answer));
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

/**
 * The route's answers are kept by RegistryReadCache: for GET list routes whose rows are States,
 * contacts, CERTs or disclosures only. `scopeOf`: which of those rows an answer reads (every row of
 * every listed table unless the route says less).
 */
export const CachedRead = (audienceKey: AudienceKey, scopeOf: ScopeOf = () => EVERYTHING) =>
  applyDecorators(
    SetMetadata(CACHED_READ, { audienceKey, scopeOf } satisfies CachedReadOptions),
    UseInterceptors(CachedReadInterceptor),
    ApiHeader({ name: 'If-None-Match', required: false, description: 'The ETag of an earlier answer: 304 while it is still current.' }),
    ApiResponse({ status: 304, description: 'Not modified: the answer whose ETag you sent is still current.' }),
  );
