export { RequestsModule } from './requests.module';
export { DEADLINES, hasMissedSql, isOpen, isOverdue, isOverdueSql, owesSql } from './request-rules';
export type { Deadline, RuleSqlContext } from './request-rules';
