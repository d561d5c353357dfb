/**
 * The reader's time zone, which the browser tells the server once in the `tz` cookie
 * (`client/scripts/local_times.ts` sets it). The server renders event times in it; without it,
 * in UTC.
 */
import { z } from "zod";

/** Name of the cookie that carries the browser's IANA time zone. */
export const TIME_ZONE_COOKIE = "tz";

const zoneSchema = z.string().max(64).regex(/^[A-Za-z0-9_+\-/]+$/).refine((zone) => {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
});

/** The time zone named by the request's `tz` cookie, or "UTC" when absent or not a known zone. */
export function readTimeZone(req: Request): string {
  const header = req.headers.get("cookie") ?? "";
  for (const part of header.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name !== TIME_ZONE_COOKIE) continue;
    let value = rest.join("=");
    try {
      value = decodeURIComponent(value);
    } catch {
      return "UTC";
    }
    const parsed = zoneSchema.safeParse(value);
    return parsed.success ? parsed.data : "UTC";
  }
  return "UTC";
}
