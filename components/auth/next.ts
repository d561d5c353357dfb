/**
 * Where to go after signing in, from a `?next=` parameter: only a path of this site. Shared by the
 * server (the sign-in page) and the sign-in islands.
 */

/**
 * `next` when it is a same-site path (`/invite/ABCD`), else null: no scheme, no `//host`, no
 * backslash (browsers read `/\host` as `//host`), no control characters.
 */
export function safeNext(next: string | null | undefined): string | null {
  // deno-lint-ignore no-control-regex
  return next && /^\/(?![/\\])[^\\\x00-\x1f]*$/.test(next) ? next : null;
}
