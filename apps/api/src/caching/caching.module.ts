import { Global, Module } from '@nestjs/common';
import { CachedReadInterceptor, RegistryReadCache } from './registry-read-cache';

/** Global: one read cache per process, used by the list routes of several modules. */
@Global()
@Module({
  providers: [RegistryReadCache, CachedReadInterceptor],
  exports: [RegistryReadCache, CachedReadInterceptor],
})
export class CachingModule {}
