import { DynamicModule, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

@Module({})
export class MetricsModule {
  static register(options: { exposeEndpoint: boolean }): DynamicModule {
    return {
      module: MetricsModule,
      controllers: options.exposeEndpoint ? [MetricsController] : [],
      providers: [MetricsService],
      exports: [MetricsService],
    };
  }
}
