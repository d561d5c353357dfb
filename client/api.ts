/**
 * JSON calls to our `/api`, with the session cookie (fetch sends same-origin cookies by default).
 * A failed call rejects with an {@link ApiError} built from the API's error body,
 * `{"error":{"code","message","details"?}}`.
 */

/** One bad field of an invalid profile, as the error body's `details` lists it. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** A failed call: the HTTP status (0 when the network failed), the error code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Every bad field, for `invalid_profile`. */
    readonly details?: FieldIssue[],
  ) {
    super(message);
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: FieldIssue[] };
}

/** The {@link ApiError} of an error response: its status and parsed body (null when not JSON). */
export function apiErrorOf(status: number, body: unknown): ApiError {
  const error = (body as ErrorBody | null)?.error ?? {};
  return new ApiError(
    status,
    error.code ?? "http",
    error.message ?? `The circle answered ${status}. Please try again.`,
    error.details,
  );
}

/** A sentence for the member: ours for offline and rate limits, else the server's message. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return "Something went wrong. Please try again.";
  if (error.status === 0) return "The circle cannot be reached. Check your connection.";
  if (error.status === 429) return "Too many attempts. Wait a moment, then try again.";
  return error.message;
}

/**
 * Calls `path` with an optional JSON body, `method` (GET without a body, POST with one, unless
 * told) and extra headers. Resolves with the parsed JSON (null when there is none, as for 204);
 * rejects with an {@link ApiError}.
 */
export async function callApi<T>(
  path: string,
  body?: unknown,
  method: string = body === undefined ? "GET" : "POST",
  headers?: Record<string, string>,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(0, "network", (error as Error).message);
  }
  const data = await response.json().catch(() => null);
  if (response.ok) return data as T;
  throw apiErrorOf(response.status, data);
}
