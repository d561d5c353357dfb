/**
 * Browser side of the profile pages: JSON calls to `/api/profiles…` with the session cookie and
 * the API's errors turned into per-field messages. Kept apart from the sign-in client so profile
 * islands do not download the session and MiniKit code.
 */

/** A failed call: HTTP status (0 offline), error code, message and per-field messages. */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Field path (`displayName`, `prompts.0.answer`…) → message, from `invalid_profile`. */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: { field: string; message: string }[] };
}

/** Builds the {@link RequestError} of an error response body (`{ error: { code, message } }`). */
export function errorOf(status: number, data: unknown): RequestError {
  const error = (data as ErrorBody | null)?.error ?? {};
  const message = error.message ?? `The circle answered ${status}. Please try again.`;
  const fields: Record<string, string> = {};
  for (const { field, message } of error.details ?? []) fields[field] ??= message;
  const split = /^([\w.]+): (.+)$/s.exec(message);
  if (split) fields[split[1]] ??= split[2];
  return new RequestError(status, error.code ?? "http", message, fields);
}

/** A sentence for the member about any failure. */
export function sentence(error: unknown): string {
  if (!(error instanceof RequestError)) return "Something went wrong. Please try again.";
  if (error.status === 0) return "The circle cannot be reached. Check your connection.";
  if (error.status === 429) return "Too many attempts. Wait a moment, then try again.";
  return error.message;
}

/** `method` `path` with an optional JSON body; resolves with the JSON (null for 204). */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new RequestError(0, "network", "offline");
  }
  if (response.status === 204) return null as T;
  const data = await response.json().catch(() => null);
  if (response.ok) return data as T;
  throw errorOf(response.status, data);
}
