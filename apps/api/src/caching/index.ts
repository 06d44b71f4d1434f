export type { AudienceKey } from './registry-read-cache';
export { CachedRead, RegistryReadCache, sameForEveryone } from './registry-read-cache';
export { CachingModule } from './caching.module';
