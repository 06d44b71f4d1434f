import { HttpStatus } from '@nestjs/common';
import { DomainError } from '../errors/domain.error';
import { ErrorCode } from '../errors/error-codes';

/**
 * Records edited with optimistic concurrency (directory entries, disclosures): the version is the
 * ETag, and an edit names the version it read with If-Match.
 */
export interface Versioned<T> {
  body: T;
  etag: string;
}

export function etagOf(entry: { version: number }): string {
  return `"${entry.version}"`;
}

/** If-Match is required for edits (412 when stale, 428 when missing), optional for deactivate/verify. */
export function checkIfMatch(ifMatch: string | undefined, current: { version: number }, required: boolean): void {
  if (ifMatch === undefined) {
    if (required) {
      throw new DomainError(HttpStatus.PRECONDITION_REQUIRED, ErrorCode.PreconditionRequired, 'Send If-Match with the ETag of the entry you are changing.');
    }
    return;
  }
  if (ifMatch !== etagOf(current) && ifMatch !== `W/${etagOf(current)}`) throw staleWrite();
}

/**
 * checkIfMatch's rule for a statement that checks the version itself: the version If-Match names
 * (null when none was sent; -1, which no entry has, for a value that is not one of our ETags).
 */
export function ifMatchVersion(ifMatch: string | undefined): number | null {
  if (ifMatch === undefined) return null;
  const named = /^(?:W\/)?"(0|[1-9]\d{0,8})"$/.exec(ifMatch);
  return named ? Number(named[1]) : -1;
}

export function staleWrite(): DomainError {
  return new DomainError(
    HttpStatus.PRECONDITION_FAILED,
    ErrorCode.PreconditionFailed,
    'The entry changed since you read it: read it again, then retry with its new ETag.',
  );
}

/** Sends the record's ETag with it (controllers use `@Res({ passthrough: true })`). */
export function withEtag<T>(response: { setHeader(name: string, value: string): unknown }, versioned: Versioned<T>): T {
  response.setHeader('ETag', versioned.etag);
  return versioned.body;
}
