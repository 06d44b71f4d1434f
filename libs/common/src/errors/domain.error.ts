import { HttpStatus } from '@nestjs/common';
import { ErrorCode } from './error-codes';

export interface FieldError {
  /** Dotted path of the field at fault, e.g. `phones.0.number`; `query.region` for query strings. */
  field: string;
  message: string;
}

/**
 * An error the service raises on purpose: it carries the HTTP status and the stable code that the
 * problem+json filter puts on the wire. Services throw these instead of Nest's HttpExceptions so
 * that every client-facing failure has a code.
 */
export class DomainError extends Error {
  constructor(
    readonly status: HttpStatus,
    readonly code: ErrorCode | string,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
    /** RFC 9457 extension members beside the standard ones (a bulk import's per-row report). */
    readonly extensions?: Record<string, unknown>,
  ) {
    super(detail);
    this.name = 'DomainError';
  }

  static notFound(entity: string): DomainError {
    return new DomainError(HttpStatus.NOT_FOUND, ErrorCode.NotFound, `${entity} not found.`);
  }

  static validation(errors: FieldError[], detail = 'The request has invalid fields.'): DomainError {
    return new DomainError(HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed, detail, errors);
  }
}
