export { RequestsModule } from './requests.module';
export { RequestExportsModule } from './request-exports.module';
export { RequestExportsService } from './interop/request-exports.service';
export type { StixBundle } from './interop/stix-bundle';
export { DEADLINES, hasMissedSql, owesSql } from './request-rules';
export type { Deadline } from './request-rules';
