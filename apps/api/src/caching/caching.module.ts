import { Global, Module } from '@nestjs/common';
import { RegistryChangesRepository } from './registry-changes.repository';
import { CachedReadInterceptor, RegistryReadCache } from './registry-read-cache';

/** Global: one read cache per process, used by the list routes of several modules. */
@Global()
@Module({
  providers: [RegistryReadCache, CachedReadInterceptor, RegistryChangesRepository],
  exports: [RegistryReadCache, CachedReadInterceptor],
})
export class CachingModule {}
