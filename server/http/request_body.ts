/** Reads and validates JSON request bodies: clear 4xx errors, never a 500 for bad input. */
import type { z } from "zod";
import { BadRequestError, DomainError, UnsupportedMediaTypeError } from "@/core/errors.ts";

/** Parses the body as JSON (415 unless the content type is JSON, 400 when malformed). */
export async function readJson(req: Request): Promise<unknown> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new UnsupportedMediaTypeError(
      "expected_json",
      "Send the request body as JSON (Content-Type: application/json).",
    );
  }
  const text = await req.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequestError("invalid_json", "The request body is not valid JSON.");
  }
}

/** Parses the JSON body with `schema`; a mismatch is a 400 naming the first bad field. */
export async function readJsonAs<T extends z.ZodType>(
  req: Request,
  schema: T,
): Promise<z.infer<T>> {
  const parsed = schema.safeParse(await readJson(req));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.length ? issue.path.join(".") : "body";
  throw new BadRequestError("invalid_body", `${field}: ${issue.message}`);
}

/** Parses an HTML form post (415 for other content types, 400 when malformed). */
export async function readForm(req: Request): Promise<FormData> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) {
    throw new UnsupportedMediaTypeError("expected_form", "Send the form as a form post.");
  }
  try {
    return await req.formData();
  } catch (error) {
    if (error instanceof DomainError) throw error; // e.g. the body limit's 413
    throw new BadRequestError("invalid_form", "The form data could not be read.");
  }
}
