import { HttpStatus, INestApplication, RequestMethod, ValidationPipe } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { OpenAPIObject, OperationObject, ResponseObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { DomainError, Environment, ErrorCode, PROBLEM_JSON, ProblemDetailsFilter, requestContextMiddleware, titleFor, translateBodyParserErrors, validationExceptionFactory, WellFormedUnicodePipe } from '@cbm/common';
import { DIRECTORY_IMPORT_ROUTE, directoryImportBodyParsers } from './directory/import';
import { securityHeaders } from './http/security-headers';
import { HTTP_LOGGER, HttpLogger } from './logging/http-logger';
import { MetricsService } from './metrics';
import { PERMISSION_EXTENSION, PUBLIC_OPERATION_EXTENSION } from '@cbm/auth';
import { OPENAPI_DOCUMENT_PATH, serveSwaggerUi } from './openapi/swagger-ui';
import { BEARER_SECURITY_SCHEME } from './openapi/swagger-ui-sign-in';

export const API_PREFIX = 'api/v1';

/** Everything about the HTTP surface, shared by main.ts and the e2e tests so both run the same app. */
export function configureApp(app: NestExpressApplication, environment: Environment): void {
  app.useLogger(app.get(Logger));
  app.set('trust proxy', environment.TRUST_PROXY_HOPS);
  app.disable('x-powered-by');

  app.use(app.get<HttpLogger>(HTTP_LOGGER));
  app.use(requestContextMiddleware);
  app.use(app.get(MetricsService).middleware);
  // Swagger UI is served over plain HTTP on a developer's machine: upgrading its assets to HTTPS
  // would break it. Behind TLS, HSTS still pins HTTPS.
  app.use(securityHeaders({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  if (environment.CORS_ORIGINS.trim()) {
    app.enableCors({
      origin: environment.CORS_ORIGINS.split(',').map((origin) => origin.trim()).filter(Boolean),
      exposedHeaders: ['X-Request-Id', 'ETag', 'Retry-After', 'Location'],
      maxAge: 600,
    });
  }
  app.use(`/${API_PREFIX}/${DIRECTORY_IMPORT_ROUTE}`, ...directoryImportBodyParsers());
  app.use(requireJsonBodies);
  app.useBodyParser('json', { limit: environment.BODY_LIMIT_BYTES, type: ['application/json', 'application/*+json'] });
  // Only the forms of the pages behind mailed links get this far with such a body (requireJsonBodies).
  app.useBodyParser('urlencoded', { extended: false, limit: environment.BODY_LIMIT_BYTES, parameterLimit: 10 });
  app.use(translateBodyParserErrors);

  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(
    new WellFormedUnicodePipe(),
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
      exceptionFactory: validationExceptionFactory,
    }),
  );
  app.useGlobalFilters(new ProblemDetailsFilter());

  if (environment.SWAGGER_ENABLED) setUpSwagger(app);
}

/**
 * The pages behind mailed links (set a password) post an HTML form: a browser without script sends
 * application/x-www-form-urlencoded. Nowhere else is that accepted.
 */
const FORM_POSTS = /^\/api\/v1\/public\/(invitations|password-resets)\/[^/]+\/?$/;

/**
 * Only JSON bodies are accepted, with two exceptions: the forms of the pages above, and CSV for the
 * directory import, read by that route's own parser (the only one that gives text). Without this,
 * express skips a body of another type and the route sees `{}`, which turns a wrong Content-Type
 * into misleading validation errors.
 */
function requireJsonBodies(request: Request, _response: Response, next: NextFunction): void {
  const hasBody = request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
  const isPageForm = request.method === 'POST' && FORM_POSTS.test(request.path) && Boolean(request.is('application/x-www-form-urlencoded'));
  if (hasBody && !isPageForm && !request.is(['application/json', 'application/*+json']) && typeof request.body !== 'string') {
    next(
      new DomainError(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        ErrorCode.UnsupportedMediaType,
        `Request bodies must be application/json, not ${request.headers['content-type'] ?? 'unspecified'}.`,
      ),
    );
    return;
  }
  next();
}

/**
 * The groups of operations, in the order an administrator works: the directory first, then
 * requests, disclosures and capacity building, administration, and signing in last. Swagger UI
 * shows tags in this order; an operation's tag missing here would fall to the end
 * (test/openapi.e2e-spec.ts fails on that).
 */
export const OPENAPI_TAGS: ReadonlyArray<{ name: string; description: string }> = [
  { name: 'Directory: contacts', description: "Each State's points of contact: diplomatic, policy and technical." },
  { name: 'Directory: CERTs', description: "Each State's computer emergency response teams." },
  { name: 'Directory: export', description: 'The directory as CSV, JSON or vCard, for the secretariat and the States.' },
  { name: 'Directory: import', description: "A State's own contacts and CERTs in bulk, from the export's CSV or JSON, with a dry run." },
  { name: 'Requests', description: 'Requests between States: assistance, information, and their answers.' },
  { name: 'Disclosures', description: 'Voluntary disclosures, shared with chosen States or published.' },
  { name: 'Public disclosures', description: 'Published disclosures, readable without signing in.' },
  { name: 'Capacity-building', description: 'Needs, offers, matches, proposals and engagements.' },
  { name: 'Capacity building: brokerage', description: "The secretariat's view of capacity building." },
  { name: 'Public capacity building', description: 'What is published about capacity building, without signing in.' },
  { name: 'States', description: 'The 195 States and their participation.' },
  { name: 'Users', description: 'Accounts of State officers, administrators and the secretariat.' },
  { name: 'API keys', description: "A State's keys for machine clients." },
  { name: 'Audit', description: 'Who changed what, in a tamper-evident chain.' },
  { name: 'Notifications', description: 'Mail to contacts and users, and its delivery.' },
  { name: 'Webhooks', description: "A State's subscriptions to events." },
  { name: 'Communication checks', description: 'Ping tests of the points of contact.' },
  { name: 'Public', description: 'The pages behind the links in mails: communication checks, invitations, password resets.' },
  { name: 'Authentication', description: 'Sign in here first: executing `login` (then `mfa/verify` if asked) authorizes this page.' },
];

export function buildOpenApiDocument(app: INestApplication) {
  const builder = new DocumentBuilder()
    .setTitle('CBM Registry API')
    .setDescription(
      'Points of contact, voluntary disclosures and requests between States, implementing the cyber ' +
        'confidence-building measures of the UN Open-ended Working Group. Errors are ' +
        '`application/problem+json` (RFC 9457) with a stable `code`.',
    )
    .setVersion('1')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description:
          'An access token from POST /api/v1/auth/login, or an API key. In Swagger UI, executing ' +
          '`login`, `mfa/verify` or `refresh` fills it in by itself.',
      },
      BEARER_SECURITY_SCHEME,
    )
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key of a State (machine clients)' }, 'apiKey')
    .addServer('/', 'This server');
  for (const tag of OPENAPI_TAGS) builder.addTag(tag.name, tag.description);
  const document = SwaggerModule.createDocument(app, builder.build());
  documentAnswersOfEveryRoute(document);
  // The access declaration of each route, made visible: public routes need no credential, the others
  // say which permission they require (also shown in Swagger UI's description).
  for (const pathItem of Object.values(document.paths)) {
    for (const operation of Object.values(pathItem) as Array<Record<string, unknown>>) {
      if (!operation || typeof operation !== 'object') continue;
      if (operation[PUBLIC_OPERATION_EXTENSION]) {
        delete operation[PUBLIC_OPERATION_EXTENSION];
        operation.security = [];
        operation.description = joinLines('**Access:** public, no credential.', operation.description);
      } else if (operation[PERMISSION_EXTENSION]) {
        const permission = String(operation[PERMISSION_EXTENSION]);
        operation.description = joinLines(
          permission === 'authenticated'
            ? '**Access:** any signed-in user or API key.'
            : `**Access:** requires ${permission.split(' | ').map((one) => `\`${one}\``).join(' or ')}.`,
          operation.description,
        );
      }
    }
  }
  return document;
}

/**
 * The body parser and the pipes run before any route: whatever the method, a body that is not JSON
 * (400 MALFORMED_JSON), too large (413), of another media type (415), or a parameter that fails its
 * check (400) is answered the same way on every operation, so every operation documents it.
 */
function documentAnswersOfEveryRoute(document: OpenAPIObject): void {
  const problem = { [PROBLEM_JSON]: { schema: { $ref: '#/components/schemas/ProblemDetails' } } };
  for (const pathItem of Object.values(document.paths)) {
    for (const operation of Object.values(pathItem) as OperationObject[]) {
      if (!operation || typeof operation !== 'object' || !operation.responses) continue;
      for (const status of [400, 413, 415]) {
        const response = (operation.responses[status] ??= { description: titleFor(status) }) as ResponseObject;
        response.content = { ...problem, ...response.content };
      }
    }
  }
}

function joinLines(first: string, rest: unknown): string {
  return typeof rest === 'string' && rest ? `${first}\n\n${rest}` : first;
}

/** The document at /docs-json (built on first request), and Swagger UI at /docs reading it. */
function setUpSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { ui: false, raw: ['json'], jsonDocumentUrl: OPENAPI_DOCUMENT_PATH });
  serveSwaggerUi(app);
}
