import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { Environment } from '@cbm/common';
import { DatabaseModule } from '@cbm/database';
import { ApiKeysModule } from './api-keys';
import { CachingModule } from './caching';
import { AuditModule } from './audit';
import { AuthModule } from './auth';
import { CertsModule } from './directory/certs';
import { DisclosuresModule } from './disclosures';
import { ContactsModule } from './directory/contacts';
import { DirectoryExportModule } from './directory/export';
import { DirectoryImportModule } from './directory/import';
import { HealthModule } from './health';
import { RequestsModule } from './requests';
import { MetricsModule } from './metrics';
import { StatesModule } from './states';
import { UsersModule } from './users';
import { SecretsModule } from './secrets';
import { NotificationsModule } from './notifications';
import { CommunicationChecksModule } from './communication-checks';
import { CapacityModule } from './capacity';
import { OutboxModule } from './outbox';
import { createHttpLogger, HTTP_LOGGER } from './logging/http-logger';

@Module({})
export class AppModule {
  /** Built from the validated environment, so optional parts (metrics) follow the configuration. */
  static forRoot(environment: Environment): DynamicModule {
    const httpLogger = createHttpLogger(environment);
    return {
      module: AppModule,
      providers: [{ provide: HTTP_LOGGER, useValue: httpLogger }],
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ ...environment })] }),
        // The access-log middleware is mounted first by configureApp; the module only binds its logger.
        // Its own per-request middleware is not mounted (forRoutes: none): it would only open a second
        // async context per request holding no logger of its own (useExisting), a cost on every call;
        // lines logged while serving a request carry its id through the root logger's mixin.
        LoggerModule.forRoot({ pinoHttp: { logger: httpLogger.logger }, useExisting: true, forRoutes: [] }),
        DatabaseModule,
        OutboxModule,
        SecretsModule,
        AuditModule,
        CachingModule,
        AuthModule.register(environment),
        HealthModule,
        MetricsModule.register({ exposeEndpoint: environment.METRICS_ENABLED }),
        StatesModule,
        UsersModule,
        ApiKeysModule,
        ContactsModule,
        CertsModule,
        DirectoryExportModule,
        DirectoryImportModule,
        DisclosuresModule,
        RequestsModule,
        NotificationsModule,
        CommunicationChecksModule,
        CapacityModule,
      ],
    };
  }
}
