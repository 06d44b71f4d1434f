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

describe('securityHeaders', () => {
  const options = { contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } };

  it('sets exactly the headers helmet sets, with the same values', async () => {
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
