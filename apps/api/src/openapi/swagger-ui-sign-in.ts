/*
 * Browser code for Swagger UI: executing `login`, `mfa/verify` or `refresh` authorizes the UI with the
 * answer's access token, so nobody copies tokens into the Authorize dialog.
 *
 * swagger-ui-express writes these two functions, by their source text, into /docs/swagger-ui-init.js,
 * a script served from this origin (the Content-Security-Policy refuses inline scripts and needs no
 * exception for it). Only their text travels: each must refer to nothing outside itself but the
 * browser's `window` (swagger-ui-sign-in.spec.ts runs the serialized text alone to hold them to it).
 */

/** What the functions use of the browser; `ui` is Swagger UI's system, set once the page has loaded. */
interface SwaggerUiWindow {
  ui?: {
    preauthorizeApiKey(securityScheme: string, value: string): unknown;
    authActions: { persistAuthorizationIfNeeded(): unknown; logoutWithPersistOption(securitySchemes: string[]): unknown };
  };
  location: { href: string };
  sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void; removeItem(key: string): void };
}

declare const window: SwaggerUiWindow;

/** Swagger UI's request as an interceptor sees it: `body` is the JSON text typed in the editor. */
export interface InterceptedRequest {
  url: string;
  method?: string;
  body?: unknown;
}

/** Swagger UI's response as an interceptor sees it: `body` is the parsed JSON answer. */
export interface InterceptedResponse {
  url: string;
  status: number;
  body?: unknown;
}

/** The OpenAPI security scheme that the tokens authorize (DocumentBuilder.addBearerAuth's name). */
export const BEARER_SECURITY_SCHEME = 'bearer';

/**
 * Fills in what the UI kept from the previous step when the editor still holds Swagger UI's
 * placeholder: the refresh token for `refresh`, the `mfaToken` of the login step for `mfa/verify`.
 * A value typed by the person (as long as a real token) is left alone.
 */
export function requestInterceptor(request: InterceptedRequest): InterceptedRequest {
  const fills: Record<string, { field: string; key: string }> = {
    '/api/v1/auth/refresh': { field: 'refreshToken', key: 'cbm-registry.refreshToken' },
    '/api/v1/auth/mfa/verify': { field: 'mfaToken', key: 'cbm-registry.mfaToken' },
  };
  const fill = fills[new URL(request.url, window.location.href).pathname];
  if (!fill || typeof request.body !== 'string') return request;
  const kept = window.sessionStorage.getItem(fill.key);
  if (!kept) return request;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(request.body);
  } catch {
    return request;
  }
  if (!body || typeof body !== 'object') return request;
  const typed = body[fill.field];
  // Swagger UI's placeholder is "string" repeated up to the schema's minLength ("stringstringstringst").
  const placeholder = typeof typed !== 'string' || 'string'.repeat(Math.ceil(typed.length / 6)).startsWith(typed);
  if (!placeholder) return request;
  body[fill.field] = kept;
  request.body = JSON.stringify(body);
  return request;
}

/**
 * Reads the answers of the sign-in operations: tokens authorize the bearer scheme for every later
 * call (kept across reloads by `persistAuthorization`), the refresh token is kept for `refresh`,
 * and `logout` forgets both. The refresh token stays in sessionStorage: it dies with the tab.
 */
export function responseInterceptor(response: InterceptedResponse): InterceptedResponse {
  const path = new URL(response.url, window.location.href).pathname;
  const signIn = ['/api/v1/auth/login', '/api/v1/auth/mfa/verify', '/api/v1/auth/refresh'];
  const storage = window.sessionStorage;
  const ui = window.ui;
  if (path === '/api/v1/auth/logout' && response.status >= 200 && response.status < 300) {
    storage.removeItem('cbm-registry.refreshToken');
    ui?.authActions.logoutWithPersistOption(['bearer']);
    return response;
  }
  if (!signIn.includes(path) || response.status !== 200 || !response.body || typeof response.body !== 'object') return response;
  const answer = response.body as { accessToken?: unknown; refreshToken?: unknown; mfaToken?: unknown };
  if (typeof answer.mfaToken === 'string') storage.setItem('cbm-registry.mfaToken', answer.mfaToken);
  if (typeof answer.accessToken === 'string') {
    ui?.preauthorizeApiKey('bearer', answer.accessToken);
    // What the Authorize dialog does after authorizing: with persistAuthorization, a reload keeps it.
    ui?.authActions.persistAuthorizationIfNeeded();
    storage.removeItem('cbm-registry.mfaToken');
  }
  if (typeof answer.refreshToken === 'string') storage.setItem('cbm-registry.refreshToken', answer.refreshToken);
  return response;
}
