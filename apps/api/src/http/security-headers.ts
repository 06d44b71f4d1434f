import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { HelmetOptions } from 'helmet';

/**
 * Helmet's headers, worked out once. Helmet recomputes nothing per request but walks a chain of a
 * dozen middleware functions to set them; with no nonce and no per-request option, their values are
 * constants, so they are recorded from one pass of helmet itself (its defaults and updates stay
 * helmet's) and set in a single loop. An option that would make a value depend on the request is
 * refused at start-up rather than frozen.
 */
export function securityHeaders(options: HelmetOptions): (request: IncomingMessage, response: ServerResponse, next: () => void) => void {
  const directives = typeof options.contentSecurityPolicy === 'object' ? options.contentSecurityPolicy.directives : undefined;
  if (directives && Object.values(directives).some((value) => typeof value === 'function' || (Array.isArray(value) && value.some((item) => typeof item === 'function')))) {
    throw new Error('securityHeaders: a per-request Content-Security-Policy directive cannot be computed once');
  }
  const headers: Array<[string, string]> = [];
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.push([name, String(value)]);
    },
    // Helmet removes X-Powered-By; configureApp disables it at the source (express's setting).
    removeHeader() {},
  };
  let completed = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
    completed = true;
  });
  if (!completed) throw new Error('securityHeaders: helmet did not complete synchronously');
  return (_request, response, next) => {
    for (const [name, value] of headers) response.setHeader(name, value);
    next();
  };
}
