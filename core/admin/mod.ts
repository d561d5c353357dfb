/**
 * The admin domain's face: what the circle's admins do (seed a demo circle, look up, suspend and
 * warn members, act on reports, back up and restore). Used by the `deno task` admin tasks; no HTTP
 * inside, so the server can offer the same operations. Code outside `core/admin/` imports from here.
 */
export * from "./backup.ts";
export * from "./members.ts";
export * from "./moderation.ts";
export * from "./seed.ts";
