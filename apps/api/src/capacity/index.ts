export { CapacityModule } from './capacity.module';
