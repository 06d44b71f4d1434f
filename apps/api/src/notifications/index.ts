export { DeadlineScheduler } from './deadline-scheduler';
export { NotificationsModule } from './notifications.module';
