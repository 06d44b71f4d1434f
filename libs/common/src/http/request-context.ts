import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';

/** What the audit log needs to know about the request being served, wherever it is recorded. */
export interface RequestContext {
  requestId?: string;
  ip?: string;
  userAgent?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function currentRequestContext(): RequestContext {
  return storage.getStore() ?? {};
}

/** Express middleware, mounted after the access log (which assigns the request id). */
export function requestContextMiddleware(request: Request & { id?: unknown }, _response: Response, next: NextFunction): void {
  const userAgent = request.headers['user-agent'];
  storage.run(
    {
      requestId: typeof request.id === 'string' ? request.id : undefined,
      ip: request.ip,
      userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 256) : undefined,
    },
    next,
  );
}
