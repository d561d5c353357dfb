/** Turns a rate-limit hit into a typed error the HTTP layer maps to 429 with Retry-After. */
import { TooManyRequestsError } from "@/core/errors.ts";
import type { Cache, RateLimitResult } from "./types.ts";

/** One named limit: at most `limit` hits per `windowSeconds` for each subject (IP, wallet…). */
export interface RateLimitRule {
  /** Short name of what is limited, e.g. `auth_nonce_ip`. */
  name: string;
  limit: number;
  windowSeconds: number;
}

/** "12 seconds", "1 minute", "5 minutes", "2 hours". */
function waitInWords(seconds: number): string {
  const [n, unit] = seconds < 90
    ? [Math.max(1, seconds), "second"]
    : seconds < 5400
    ? [Math.round(seconds / 60), "minute"]
    : [Math.round(seconds / 3600), "hour"];
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

/** Counts a hit for `subject` under `rule`; throws TooManyRequestsError(`rate_limited`) past the limit. */
export async function enforceRateLimit(
  cache: Cache,
  rule: RateLimitRule,
  subject: string,
): Promise<RateLimitResult> {
  const result = await cache.hit(`${rule.name}:${subject}`, rule.limit, rule.windowSeconds);
  if (!result.allowed) {
    throw new TooManyRequestsError(
      "rate_limited",
      // Members read this: no rule name (the code and Retry-After are for programs).
      `Too many tries in a short time. Please wait ${
        waitInWords(result.retryAfterSeconds)
      } and try again.`,
      result.retryAfterSeconds,
    );
  }
  return result;
}
