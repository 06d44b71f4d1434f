/**
 * Stable, machine-readable error codes. Clients branch on these, never on `title` or `detail`:
 * a code, once published, keeps its meaning.
 */
export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  MalformedJson = 'MALFORMED_JSON',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  RouteNotFound = 'ROUTE_NOT_FOUND',
  MethodNotAllowed = 'METHOD_NOT_ALLOWED',
  Conflict = 'CONFLICT',
  UniqueViolation = 'UNIQUE_VIOLATION',
  ReferenceViolation = 'REFERENCE_VIOLATION',
  RecordNotFound = 'RECORD_NOT_FOUND',
  PreconditionFailed = 'PRECONDITION_FAILED',
  TooManyRequests = 'TOO_MANY_REQUESTS',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  InternalError = 'INTERNAL_ERROR',
}
