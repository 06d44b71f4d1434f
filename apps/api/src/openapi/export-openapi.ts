import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { writeFileSync } from 'node:fs';
import { validateEnvironment } from '@cbm/common';
import { AppModule } from '../app.module';
import { buildOpenApiDocument, configureApp } from '../configure-app';

/**
 * Writes the OpenAPI document without a database: the app is built but never initialised, so no
 * connection is opened and no lifecycle hook runs. Used by CI to lint the document.
 */
async function exportOpenApi(outputPath: string): Promise<void> {
  const environment = validateEnvironment({ ...process.env, LOG_LEVEL: 'silent', SWAGGER_ENABLED: 'false' });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(environment), {
    bodyParser: false,
    logger: false,
  });
  configureApp(app, environment);
  writeFileSync(outputPath, JSON.stringify(buildOpenApiDocument(app), null, 2));
  await app.close();
}

exportOpenApi(process.argv[2] ?? 'openapi.json').catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
