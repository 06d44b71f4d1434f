import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import swaggerUi, { SwaggerUiOptions } from 'swagger-ui-express';
import { requestInterceptor, responseInterceptor } from './swagger-ui-sign-in';

export const SWAGGER_UI_PATH = '/docs';
export const OPENAPI_DOCUMENT_PATH = '/docs-json';

export const SWAGGER_UI_OPTIONS: SwaggerUiOptions = {
  customSiteTitle: 'CBM Registry API',
  // The UI loads the document from its own route, which builds it on first use; the query
  // string's `url` (another document, anyone's) is ignored.
  swaggerUrl: OPENAPI_DOCUMENT_PATH,
  swaggerOptions: {
    persistAuthorization: true,
    tryItOutEnabled: true,
    displayRequestDuration: true,
    showExtensions: true,
    requestInterceptor,
    responseInterceptor,
  },
};

/**
 * Swagger UI at /docs through swagger-ui-express: the page, its init script (with the sign-in
 * interceptors) and swagger-ui-dist's assets, all from this origin, so the strict
 * Content-Security-Policy (`script-src 'self'`) holds here as everywhere.
 */
export function serveSwaggerUi(app: INestApplication): void {
  const page = swaggerUi.setup(undefined, SWAGGER_UI_OPTIONS);
  const files = swaggerUi.serveFiles(undefined, SWAGGER_UI_OPTIONS);
  app.use(
    SWAGGER_UI_PATH,
    (request: Request, response: Response, next: NextFunction) => {
      if (request.path !== '/') return next();
      // The page names its assets relatively (./swagger-ui.css): from /docs they would resolve to /.
      if (!request.originalUrl.startsWith(`${SWAGGER_UI_PATH}/`)) return response.redirect(301, `${SWAGGER_UI_PATH}/`);
      page(request, response, next);
    },
    ...files,
  );
}
