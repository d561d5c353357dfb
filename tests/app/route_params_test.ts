import assert from "node:assert/strict";
import manifest from "@/fresh.gen.ts";
import { buildRouteTable } from "@/fresh/routes.ts";
import type { Handlers } from "$fresh/server.ts";
import { signInAs, testApp, withCookie } from "@/tests/auth_http/helpers.ts";

const OVERSIZED = "a".repeat(4000);

/** Every parameterised route of the manifest, each parameter filled with `value`. */
function parameterisedRoutes(value: string) {
  return buildRouteTable(manifest).routes
    .filter((route) => route.paramNames.length > 0)
    .map((route) => {
      const path = route.pattern.replace(/:(\w+)[*?]?/g, () => value);
      const handler = route.handler;
      const methods = typeof handler === "function" || !handler
        ? ["GET"]
        : Object.keys(handler as Handlers).filter((m) => m !== "HEAD");
      return { pattern: route.pattern, path, methods };
    });
}

Deno.test("[routes] every id parameter of the manifest answers 404 to an oversized id", async () => {
  const t = await testApp();
  try {
    const cookie = await signInAs(t, "invitee");
    const routes = parameterisedRoutes(OVERSIZED);
    assert.ok(routes.length >= 10, "the manifest has parameterised routes to probe");
    const answers: string[] = [];
    for (const route of routes) {
      for (const method of route.methods) {
        const res = await t.fetch(
          route.path,
          withCookie(cookie, {
            method,
            headers: { "content-type": "application/json" },
            body: method === "GET" ? undefined : "{}",
          }),
        );
        const type = res.headers.get("content-type") ?? "";
        const api = route.pattern.startsWith("/api/");
        const code = api && type.includes("json") ? (await res.json()).error?.code : "";
        if (!api) await res.body?.cancel();
        const expected = api ? /^application\/json/ : /^text\/html/;
        if (res.status !== 404 || !expected.test(type) || (api && code !== "not_found")) {
          answers.push(`${method} ${route.pattern}: ${res.status} ${type} ${code}`);
        }
      }
    }
    assert.deepEqual(answers, [], "every parameterised route answers a clear 404");
  } finally {
    await t.close();
  }
});

Deno.test("[routes] well-formed ids still reach their routes", async () => {
  const t = await testApp();
  try {
    const cookie = await signInAs(t, "invitee");
    const ulid = "01JABCDEFGHJKMNPQRSTVWXYZ0";
    const reached: [string, string, string][] = [
      ["GET", `/api/profiles/${ulid}`, "profile_not_found"],
      ["GET", `/api/profiles/${ulid}/photos/${ulid}`, "photo_not_found"],
      ["GET", `/api/events/${ulid}`, "event_not_found"],
      ["GET", `/api/tickets/${ulid}`, "ticket_not_found"],
      ["DELETE", `/api/signals/mutual/${"0f".repeat(32)}`, "match_not_found"],
      ["DELETE", "/api/invites/abcd-efgh-jk", "invite_not_found"],
      ["GET", "/api/tickets/metadata/12.json", "token_not_found"],
    ];
    for (const [method, path, code] of reached) {
      const res = await t.fetch(path, withCookie(cookie, { method }));
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.equal((await res.json()).error.code, code, `${method} ${path}`);
    }
    const invite = await t.fetch("/invite/abcd-efgh-jk", withCookie(cookie));
    assert.equal(invite.status, 200);
    assert.match(await invite.text(), /ABCD-EFGH-JK/);
  } finally {
    await t.close();
  }
});
