/**
 * HTTP to the World developer portal, shared by the World ID and payment clients: a request with a
 * timeout whose answer is read as JSON, and the portal's outages mapped to ServiceUnavailableError
 * codes under a caller-given prefix (`<prefix>_timeout`, `<prefix>_unavailable`,
 * `<prefix>_bad_response`).
 */
import type { z } from "zod";
import { ServiceUnavailableError } from "./errors.ts";

/** Configuration of {@link createPortalHttp}. */
export interface PortalHttpOptions {
  /** Prefix of the error codes, e.g. `worldid_portal`. */
  codePrefix: string;
  /** How error messages name the service, e.g. `The World ID portal`. */
  service: string;
  /** Give up after this long (→ `<prefix>_timeout`). */
  timeoutMs: number;
  fetch: typeof fetch;
}

/** The portal's answer: HTTP status and the body as JSON (null when it is not JSON). */
export interface PortalAnswer {
  status: number;
  json: unknown;
}

/** Requests to one portal service. */
export interface PortalHttp {
  /**
   * Sends the request and reads the whole body within the timeout. Rejects with
   * ServiceUnavailableError `<prefix>_timeout` past it, `<prefix>_unavailable` when the portal cannot
   * be reached or answers 5xx or 429; resolves with any other status.
   */
  request(url: URL, init: Omit<RequestInit, "signal">): Promise<PortalAnswer>;
  /** ServiceUnavailableError `<prefix>_unavailable` for an answer the caller cannot use. */
  unavailable(status: number): ServiceUnavailableError;
  /**
   * Validates `value` with `schema`; rejects with ServiceUnavailableError `<prefix>_bad_response`
   * (default message: the answer was not understood).
   */
  parse<S extends z.ZodType>(schema: S, value: unknown, message?: string): z.output<S>;
}

/** Creates the HTTP helper for one portal service. */
export function createPortalHttp(options: PortalHttpOptions): PortalHttp {
  const { codePrefix, service, timeoutMs } = options;

  function unavailable(status: number): ServiceUnavailableError {
    return new ServiceUnavailableError(
      `${codePrefix}_unavailable`,
      `${service} answered ${status}.`,
    );
  }

  async function send(url: URL, init: Omit<RequestInit, "signal">): Promise<PortalAnswer> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await options.fetch(url, { ...init, signal: controller.signal });
      const text = await response.text();
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
      return { status: response.status, json };
    } catch (error) {
      if (controller.signal.aborted) {
        throw new ServiceUnavailableError(
          `${codePrefix}_timeout`,
          `${service} did not answer within ${timeoutMs} ms.`,
        );
      }
      throw new ServiceUnavailableError(
        `${codePrefix}_unavailable`,
        `${service} could not be reached: ${error instanceof Error ? error.message : error}`,
      );
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async request(url, init) {
      const answer = await send(url, init);
      if (answer.status >= 500 || answer.status === 429) throw unavailable(answer.status);
      return answer;
    },
    unavailable,
    parse(schema, value, message) {
      const parsed = schema.safeParse(value);
      if (!parsed.success) {
        throw new ServiceUnavailableError(
          `${codePrefix}_bad_response`,
          message ?? `${service}'s answer was not understood.`,
        );
      }
      return parsed.data;
    },
  };
}
