import { HttpStatus } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { DomainError } from './domain.error';
import { ErrorCode } from './error-codes';

/** body-parser (express) tags its failures with a `type`. */
interface BodyParserError {
  type?: string;
  limit?: number;
}

/**
 * Express error middleware mounted right after the body parser. Nest would turn a JSON syntax error
 * into a bare 400 and other parser failures into 500s; each becomes a DomainError with its own code.
 */
export function translateBodyParserErrors(error: unknown, _request: Request, _response: Response, next: NextFunction): void {
  next(toDomainError(error as BodyParserError) ?? error);
}

function toDomainError(error: BodyParserError): DomainError | undefined {
  switch (error?.type) {
    case 'entity.parse.failed':
      return new DomainError(HttpStatus.BAD_REQUEST, ErrorCode.MalformedJson, 'The request body is not valid JSON.');
    case 'entity.too.large':
      return new DomainError(
        HttpStatus.PAYLOAD_TOO_LARGE,
        ErrorCode.PayloadTooLarge,
        `The request body exceeds the limit of ${error.limit} bytes.`,
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new DomainError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ErrorCode.UnsupportedMediaType, 'The request body encoding or charset is not supported.');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
    case 'stream.not.readable':
    case 'parameters.too.many':
      return new DomainError(HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed, 'The request body could not be read.');
  }
  return undefined;
}
