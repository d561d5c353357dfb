/**
 * The one place that maps domain errors to HTTP. API responses are
 * `{"error":{"code","message"}}`; anything unexpected becomes a 500 without internals.
 */
import {
  BadRequestError,
  ConflictError,
  DomainError,
  ForbiddenError,
  GoneError,
  NotFoundError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  TooManyRequestsError,
  UnauthorizedError,
  UnprocessableError,
  UnsupportedMediaTypeError,
} from "@/core/errors.ts";
import { InvalidProfileError } from "@/core/profiles/mod.ts";
import { RangeNotSatisfiableError } from "@/core/storage/types.ts";

// Subclasses before their base class: the first match wins.
const STATUS: [new (...args: never[]) => DomainError, number][] = [
  [RangeNotSatisfiableError, 416],
  [BadRequestError, 400],
  [UnauthorizedError, 401],
  [ForbiddenError, 403],
  [NotFoundError, 404],
  [ConflictError, 409],
  [GoneError, 410],
  [PayloadTooLargeError, 413],
  [UnsupportedMediaTypeError, 415],
  [UnprocessableError, 422],
  [TooManyRequestsError, 429],
  [ServiceUnavailableError, 503],
];

/** The HTTP status for an error: its domain class's status, else 500. */
export function statusFor(error: unknown): number {
  for (const [type, status] of STATUS) if (error instanceof type) return status;
  return 500;
}

/**
 * The JSON error body and headers for an API response: `{"error":{"code","message"}}`, plus
 * `details` (every bad field) for an invalid profile and `Content-Range` for an unsatisfiable range.
 */
export function apiErrorResponse(error: unknown, requestId?: string): Response {
  const status = statusFor(error);
  const body: Record<string, unknown> = error instanceof DomainError
    ? { code: error.code, message: error.message }
    : { code: "internal_error", message: "Something went wrong on our side." };
  if (error instanceof InvalidProfileError) body.details = error.details;
  const headers = new Headers({ "content-type": "application/json; charset=utf-8" });
  if (requestId) headers.set("x-request-id", requestId);
  if (error instanceof TooManyRequestsError) {
    headers.set("retry-after", String(error.retryAfterSeconds));
  }
  if (error instanceof RangeNotSatisfiableError) {
    headers.set("content-range", `bytes */${error.size}`);
  }
  return new Response(
    JSON.stringify({ error: status === 500 && requestId ? { ...body, requestId } : body }),
    { status, headers },
  );
}

/** A JSON success response. */
export function json(data: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(data), { ...init, headers });
}
