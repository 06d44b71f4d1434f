import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { classifyDatabaseError } from './database-errors';
import type { Request, Response } from 'express';
import { DomainError, FieldError } from './domain.error';
import { ErrorCode } from './error-codes';
import { PROBLEM_JSON, ProblemDetails, problemTypeFor, titleFor } from './problem-details';

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
  extensions?: Record<string, unknown>;
}

/** Seconds a client should wait before retrying while the service or its database is unavailable. */
const DATABASE_RETRY_AFTER_SECONDS = '5';

const HTTP_STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: ErrorCode.ValidationFailed,
  [HttpStatus.UNAUTHORIZED]: ErrorCode.Unauthenticated,
  [HttpStatus.FORBIDDEN]: ErrorCode.Forbidden,
  [HttpStatus.NOT_FOUND]: ErrorCode.NotFound,
  [HttpStatus.METHOD_NOT_ALLOWED]: ErrorCode.MethodNotAllowed,
  [HttpStatus.CONFLICT]: ErrorCode.Conflict,
  [HttpStatus.PRECONDITION_FAILED]: ErrorCode.PreconditionFailed,
  [HttpStatus.PAYLOAD_TOO_LARGE]: ErrorCode.PayloadTooLarge,
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: ErrorCode.UnsupportedMediaType,
  [HttpStatus.TOO_MANY_REQUESTS]: ErrorCode.TooManyRequests,
  [HttpStatus.SERVICE_UNAVAILABLE]: ErrorCode.ServiceUnavailable,
};

/**
 * The one place where failures become responses: RFC 9457 `application/problem+json` with a stable
 * `code`, the fields at fault and the request id. Nothing internal (stack, SQL, constraint names
 * beyond the fields) reaches the client; only a real server fault is a 500, and it is logged.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: string }>();
    const response = http.getResponse<Response>();
    const problem = this.toProblem(exception, request);

    if (problem.status >= 500 && problem.code === ErrorCode.InternalError) {
      this.logger.error({ err: exception, requestId: request.id }, 'Unhandled error');
    }
    if (response.headersSent) {
      response.end();
      return;
    }
    const body: ProblemDetails = {
      ...problem.extensions,
      type: problemTypeFor(problem.code),
      title: titleFor(problem.status),
      status: problem.status,
      detail: problem.detail,
      code: problem.code,
      instance: request.originalUrl,
      requestId: request.id,
      ...(problem.errors?.length ? { errors: problem.errors } : {}),
    };
    for (const [name, value] of Object.entries(problem.headers ?? {})) response.setHeader(name, value);
    response.status(problem.status).type(PROBLEM_JSON).send(JSON.stringify(body));
  }

  private toProblem(exception: unknown, request: Request): Problem {
    if (exception instanceof DomainError) {
      return {
        status: exception.status,
        code: exception.code,
        detail: exception.detail,
        errors: exception.errors,
        headers: exception.headers,
        extensions: exception.extensions,
      };
    }
    if (exception instanceof HttpException) {
      return this.fromHttpException(exception, request);
    }

    const database = classifyDatabaseError(exception);
    switch (database?.kind) {
      case 'unavailable':
        return {
          status: HttpStatus.SERVICE_UNAVAILABLE,
          code: ErrorCode.ServiceUnavailable,
          detail: 'The database is temporarily unavailable. Retry later.',
          headers: { 'Retry-After': DATABASE_RETRY_AFTER_SECONDS },
        };
      case 'unique':
        return {
          status: HttpStatus.CONFLICT,
          code: ErrorCode.UniqueViolation,
          detail: 'A record with the same value already exists.',
          errors: database.fields.map((field) => ({ field, message: 'must be unique' })),
        };
      case 'reference':
        return {
          status: HttpStatus.CONFLICT,
          code: ErrorCode.ReferenceViolation,
          detail: 'The record refers to, or is referred to by, a record that does not allow this change.',
          errors: database.fields.map((field) => ({ field, message: 'refers to a record that does not exist or is still in use' })),
        };
      case 'not-found':
        return { status: HttpStatus.NOT_FOUND, code: ErrorCode.RecordNotFound, detail: 'The record was not found.' };
    }
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, code: ErrorCode.InternalError, detail: 'An unexpected error occurred.' };
  }

  private fromHttpException(exception: HttpException, request: Request): Problem {
    const status = exception.getStatus();
    const payload = exception.getResponse();
    const message =
      typeof payload === 'string'
        ? payload
        : Array.isArray((payload as { message?: unknown }).message)
          ? ((payload as { message: string[] }).message).join('; ')
          : String((payload as { message?: unknown }).message ?? exception.message);
    // Nest answers an unmatched route with a NotFoundException "Cannot GET /path".
    if (status === HttpStatus.NOT_FOUND && message.startsWith(`Cannot ${request.method} `)) {
      return { status, code: ErrorCode.RouteNotFound, detail: `No route matches ${request.method} ${request.path}.` };
    }
    return {
      status,
      code: HTTP_STATUS_CODES[status] ?? (status >= 500 ? ErrorCode.InternalError : ErrorCode.ValidationFailed),
      detail: message,
      headers: status === HttpStatus.SERVICE_UNAVAILABLE ? { 'Retry-After': DATABASE_RETRY_AFTER_SECONDS } : undefined,
    };
  }
}
