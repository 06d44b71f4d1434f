import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import helmet from 'helmet';
import { securityHeaders } from './security-headers';

type Handler = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

async function headersOf(middleware: Handler): Promise<Record<string, string>> {
  const server: Server = createServer((request, response) => middleware(request, response, () => response.end('ok')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (!['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(name)) headers[name] = value;
    });
    return headers;
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/**
 * What a browser must receive, written out (helmet 8's documented defaults, without
 * upgrade-insecure-requests: Swagger UI is served over plain HTTP on a developer's machine). Not taken
 * from helmet at run time: a change of helmet's defaults, of the options or of the recording code
 * shows here as a failing test to review.
 */
const EXPECTED_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;" +
    "object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

describe('securityHeaders', () => {
  // The options configureApp passes.
  const options = { contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } };

  it('sets exactly the expected security headers, with the expected values', async () => {
    const headers = await headersOf(securityHeaders(options) as Handler);
    expect(headers).toEqual(EXPECTED_HEADERS);
  });

  it('sets exactly the headers helmet itself sets, with the same values (recorded once, not per request)', async () => {
    const fromHelmet = await headersOf(helmet(options) as Handler);
    const computedOnce = await headersOf(securityHeaders(options) as Handler);
    expect(Object.keys(fromHelmet).length).toBeGreaterThan(10);
    expect(computedOnce).toEqual(fromHelmet);
    expect(computedOnce['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });

  it('refuses a directive computed per request (a nonce) instead of freezing its first value', () => {
    expect(() => securityHeaders({ contentSecurityPolicy: { directives: { scriptSrc: ["'self'", () => "'nonce-abc'"] } } })).toThrow(/per-request/);
  });
});
