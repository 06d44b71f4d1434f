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
  /** Login, second factor, refresh or key: the credential was not accepted (never says which part). */
  InvalidCredentials = 'INVALID_CREDENTIALS',
  /** A user who must use a second factor has to enrol before doing anything else. */
  MfaEnrolmentRequired = 'MFA_ENROLMENT_REQUIRED',
  /** An invitation or similar single-use token that is unknown, used or expired. */
  InvalidToken = 'INVALID_TOKEN',
  Forbidden = 'FORBIDDEN',
  /** The route declares no access requirement: denied until it does. */
  AccessNotDeclared = 'ACCESS_NOT_DECLARED',
  NotFound = 'NOT_FOUND',
  RouteNotFound = 'ROUTE_NOT_FOUND',
  MethodNotAllowed = 'METHOD_NOT_ALLOWED',
  Conflict = 'CONFLICT',
  UniqueViolation = 'UNIQUE_VIOLATION',
  ReferenceViolation = 'REFERENCE_VIOLATION',
  RecordNotFound = 'RECORD_NOT_FOUND',
  /** If-Match names a version that is no longer current: re-read, then retry. */
  PreconditionFailed = 'PRECONDITION_FAILED',
  /** The write needs If-Match with the entry's current ETag. */
  PreconditionRequired = 'PRECONDITION_REQUIRED',
  TooManyRequests = 'TOO_MANY_REQUESTS',
  /** POST /requests needs an Idempotency-Key header. */
  IdempotencyKeyRequired = 'IDEMPOTENCY_KEY_REQUIRED',
  /** The Idempotency-Key was used before with a different body. */
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  /** The workflow does not allow this action from the current status. */
  TransitionNotAllowed = 'TRANSITION_NOT_ALLOWED',
  /** A communication check would target no contact (none active with an email address). */
  NothingToCheck = 'NOTHING_TO_CHECK',
  /** The acknowledgement link was used already: the confirmation is recorded. */
  AcknowledgementUsed = 'ACKNOWLEDGEMENT_USED',
  /** The communication check closed before the link was used. */
  AcknowledgementExpired = 'ACKNOWLEDGEMENT_EXPIRED',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  InternalError = 'INTERNAL_ERROR',
}
