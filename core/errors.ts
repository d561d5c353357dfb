/**
 * Typed domain errors. Core code throws these; the HTTP layer maps each class to a status in one place.
 * Every error carries a stable machine-readable `code` (snake_case) and a human-readable message.
 */

/** Base class of every expected, typed failure raised by domain code. */
export class DomainError extends Error {
  /** Stable machine-readable error code, e.g. `siwe_wrong_domain`. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The input is malformed or fails validation. */
export class BadRequestError extends DomainError {}

/** The caller is not authenticated, or the credentials presented were rejected. */
export class UnauthorizedError extends DomainError {}

/** The caller is authenticated but not allowed to do this. */
export class ForbiddenError extends DomainError {}

/** The thing asked for does not exist (or is not visible to the caller). */
export class NotFoundError extends DomainError {}

/** The request conflicts with the current state (uniqueness, concurrent change). */
export class ConflictError extends DomainError {}

/** The thing existed but is gone for good (expired, deleted). */
export class GoneError extends DomainError {}

/** The payload is larger than allowed. */
export class PayloadTooLargeError extends DomainError {}

/** The payload's media type is not accepted. */
export class UnsupportedMediaTypeError extends DomainError {}

/** The input is well-formed but semantically unacceptable. */
export class UnprocessableError extends DomainError {}

/** The caller exceeded a rate limit; retry after `retryAfterSeconds`. */
export class TooManyRequestsError extends DomainError {
  /** Whole seconds the caller should wait before retrying. */
  readonly retryAfterSeconds: number;

  constructor(code: string, message: string, retryAfterSeconds = 1) {
    super(code, message);
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

/** A dependency (chain RPC, World ID portal, …) is unavailable or timed out. */
export class ServiceUnavailableError extends DomainError {}
