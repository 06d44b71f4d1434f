export { StatesModule } from './states.module';
