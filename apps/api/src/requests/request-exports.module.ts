import { Module } from '@nestjs/common';
import { RequestExportsService } from './interop/request-exports.service';
import { RequestsRepository } from './requests.repository';

/**
 * The STIX and MISP exports of requests on their own, for the request routes and for the
 * notification worker (which attaches the bundle to webhook deliveries, also in a worker-only process).
 */
@Module({
  providers: [RequestsRepository, RequestExportsService],
  exports: [RequestExportsService],
})
export class RequestExportsModule {}
