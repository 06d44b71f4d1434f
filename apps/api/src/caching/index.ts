export type { AudienceKey, ReadScope } from './registry-read-cache';
export { CachedRead, EVERY_STATE, RegistryReadCache, sameForEveryone } from './registry-read-cache';
export { CachingModule } from './caching.module';
