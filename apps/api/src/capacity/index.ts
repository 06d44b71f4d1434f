export { CapacityModule } from './capacity.module';
export { demoCapacity, DemoCapacityRepository } from './demo';
