export { demoCapacity } from './demo-capacity';
export { DemoCapacityRepository } from './demo-capacity.repository';
