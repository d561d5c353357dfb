/** Classifies failures of the AWS SDK into what the object store reports. */
import { ServiceUnavailableError } from "@/core/errors.ts";

/** What went wrong with an S3 call, as far as the store cares. */
export type S3FailureKind = "not_found" | "precondition_failed" | "invalid_range" | "unavailable";

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** Sorts an SDK error into one of the {@link S3FailureKind}s. */
export function classifyS3Error(error: unknown): S3FailureKind {
  const shape = (typeof error === "object" && error !== null ? error : {}) as SdkErrorShape;
  const status = shape.$metadata?.httpStatusCode;
  if (shape.name === "NoSuchKey" || shape.name === "NotFound" || status === 404) {
    return shape.name === "NoSuchBucket" ? "unavailable" : "not_found";
  }
  if (shape.name === "PreconditionFailed" || status === 412) return "precondition_failed";
  if (shape.name === "InvalidRange" || status === 416) return "invalid_range";
  return "unavailable";
}

/** A `ServiceUnavailableError("storage_unavailable")` describing an SDK failure of `operation`. */
export function s3Unavailable(operation: string, error: unknown): ServiceUnavailableError {
  const shape = (typeof error === "object" && error !== null ? error : {}) as SdkErrorShape;
  const status = shape.$metadata?.httpStatusCode;
  const detail = shape.name === "AbortError" || shape.name === "TimeoutError"
    ? "timed out"
    : [shape.name, shape.code, status ? `HTTP ${status}` : "", shape.message]
      .filter(Boolean).join(" ");
  return new ServiceUnavailableError(
    "storage_unavailable",
    `Object storage ${operation} failed: ${detail || String(error)}`,
  );
}
