import { Module } from '@nestjs/common';
import { RateLimitRepository } from './rate-limit.repository';

/** Provides the rate limit's repository to ThrottlerModule's factory, which resolves in its own context. */
@Module({
  providers: [RateLimitRepository],
  exports: [RateLimitRepository],
})
export class RateLimitModule {}
