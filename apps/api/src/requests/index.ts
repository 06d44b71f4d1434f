export { RequestsModule } from './requests.module';
export { DEADLINES, hasMissedSql, owesSql } from './request-rules';
export type { Deadline } from './request-rules';
