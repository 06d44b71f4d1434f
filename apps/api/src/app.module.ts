import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { Environment } from '@cbm/common';
import { DatabaseModule } from '@cbm/database';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { CachingModule } from './caching/caching.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CertsModule } from './directory/certs/certs.module';
import { DisclosuresModule } from './disclosures/disclosures.module';
import { ContactsModule } from './directory/contacts/contacts.module';
import { DirectoryExportModule } from './directory/export/directory-export.module';
import { HealthModule } from './health/health.module';
import { RequestsModule } from './requests/requests.module';
import { MetricsModule } from './metrics/metrics.module';
import { StatesModule } from './states/states.module';
import { UsersModule } from './users/users.module';
import { SecretsModule } from './secrets/secrets.module';
import { NotificationsModule } from './notifications/notifications.module';
import { CommunicationChecksModule } from './communication-checks/communication-checks.module';
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
        DisclosuresModule,
        RequestsModule,
        NotificationsModule,
        CommunicationChecksModule,
      ],
    };
  }
}
