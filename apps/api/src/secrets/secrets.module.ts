import { Global, Module } from '@nestjs/common';
import { AppSecrets } from './app-secrets';

@Global()
@Module({ providers: [AppSecrets], exports: [AppSecrets] })
export class SecretsModule {}
