/** Query strings through zod: a mismatch is a 400 `invalid_query` naming the parameter. */
import type { z } from "zod";
import { BadRequestError } from "@/core/errors.ts";

/**
 * Parses `url`'s query with `schema`. Parameters named in `lists` arrive as arrays (repeated
 * and comma-separated values both count); the rest as their first value.
 */
export function parseQuery<T extends z.ZodType>(
  url: URL,
  schema: T,
  lists: { repeated?: string[]; commaSeparated?: string[] } = {},
): z.output<T> {
  const raw: Record<string, unknown> = {};
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name);
    if (lists.commaSeparated?.includes(name)) {
      raw[name] = values.flatMap((value) => value.split(",")).map((v) => v.trim()).filter(Boolean);
    } else if (lists.repeated?.includes(name)) {
      raw[name] = values.filter((value) => value.trim() !== "");
    } else {
      raw[name] = values[0];
    }
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.length ? issue.path.map(String).join(".") : "query";
  throw new BadRequestError("invalid_query", `${field}: ${issue.message}`);
}
