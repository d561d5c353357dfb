/**
 * The account domain's face: a member's own data — the export of everything held about them, and
 * deletion of their account as a resumable job. Used by `/api/me`, the profile page's "Your data"
 * forms and the `member:export` / `member:delete` admin tasks. No HTTP inside.
 */
export * from "./deletion.ts";
export * from "./export.ts";
export * from "./holders.ts";
