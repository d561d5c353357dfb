/** Turns a rate-limit hit into a typed error the HTTP layer maps to 429 with Retry-After. */
import { TooManyRequestsError } from "@/core/errors.ts";
import { waitInWords } from "@/core/wait_words.ts";
import type { Cache, RateLimitResult } from "./types.ts";

/** One named limit: at most `limit` hits per `windowSeconds` for each subject (IP, wallet…). */
export interface RateLimitRule {
  /** Short name of what is limited, e.g. `auth_nonce_ip`. */
  name: string;
  limit: number;
  windowSeconds: number;
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
