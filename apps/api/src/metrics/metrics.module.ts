import { DynamicModule, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsRepository } from './metrics.repository';
import { MetricsService } from './metrics.service';

@Module({})
export class MetricsModule {
  static register(options: { exposeEndpoint: boolean }): DynamicModule {
    return {
      module: MetricsModule,
      controllers: options.exposeEndpoint ? [MetricsController] : [],
      providers: [MetricsRepository, MetricsService],
      exports: [MetricsService],
    };
  }
}
