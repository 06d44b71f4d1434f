export { AppSecrets } from './app-secrets';
export { SecretsModule } from './secrets.module';
