export { CommunicationChecksModule } from './communication-checks.module';
