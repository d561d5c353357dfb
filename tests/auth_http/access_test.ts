import assert from "node:assert/strict";
import { h } from "preact";
import manifest from "@/fresh.gen.ts";
import { accessFor } from "@/server/http/access.ts";
import { buildRouteTable } from "@/fresh/routes.ts";
import type { Handlers } from "$fresh/server.ts";
import { signInAs, testApp, withCookie } from "./helpers.ts";

/** Every route of the manifest with a concrete path and the methods it answers. */
function routesToProbe() {
  const table = buildRouteTable(manifest);
  return table.routes.map((route) => {
    const path = route.pattern.replace(/:(\w+)[*?]?/g, (_m, name) => `probe-${name}`);
    const handler = route.handler;
    const methods = typeof handler === "function" || !handler
      ? ["GET"]
      : Object.keys(handler as Handlers).filter((m) => m !== "HEAD");
    return { pattern: route.pattern, path, methods, access: accessFor(route.pattern) };
  });
}

Deno.test("[access] every non-public route in the manifest answers 401 without a session", async () => {
  const t = await testApp();
  try {
    const probes = routesToProbe();
    assert.ok(probes.some((p) => p.access !== "public"), "there are protected routes to check");
    for (const probe of probes.filter((p) => p.access !== "public")) {
      for (const method of probe.methods) {
        const res = await t.fetch(probe.path, {
          method,
          headers: { origin: "http://localhost:8000", "content-type": "application/json" },
          body: method === "GET" ? undefined : "{}",
        });
        assert.equal(res.status, 401, `${method} ${probe.pattern}`);
        const type = res.headers.get("content-type") ?? "";
        if (probe.pattern.startsWith("/api/")) {
          assert.match(type, /application\/json/);
          assert.equal((await res.json()).error.code, "not_signed_in");
        } else {
          assert.match(type, /text\/html/);
          const html = await res.text();
          assert.match(html, /data-testid="members-only"/);
          assert.match(html, /\/signin\?next=/);
        }
      }
    }
  } finally {
    await t.close();
  }
});

Deno.test("[access] members-only routes answer 403 to a signed-in member who is not admitted", async () => {
  // A members-only route of our own, besides whatever the manifest has, so the check is never empty.
  const t = await testApp({}, {}, {
    plugins: [{
      name: "vault-probe",
      routes: [
        { path: "/api/vault-probe", handler: () => Response.json({ secret: true }) },
        { path: "/vault-probe", component: () => h("p", null, "inside") },
      ],
    }],
  });
  try {
    const seeker = await signInAs(t, "seeker");
    const probes = [
      ...routesToProbe().filter((p) => p.access === "member"),
      { pattern: "/api/vault-probe", path: "/api/vault-probe", methods: ["GET"], access: "member" },
      { pattern: "/vault-probe", path: "/vault-probe", methods: ["GET"], access: "member" },
    ];
    for (const probe of probes) {
      for (const method of probe.methods) {
        const res = await t.fetch(probe.path, withCookie(seeker, { method }));
        assert.equal(res.status, 403, `${method} ${probe.pattern}`);
        await res.body?.cancel();
      }
    }
    const keyholder = await signInAs(t, "keyholder");
    const inside = await t.fetch("/api/vault-probe", withCookie(keyholder));
    assert.equal(inside.status, 200, "an admitted member gets in");
    assert.deepEqual(await inside.json(), { secret: true });
    const page = await t.fetch("/vault-probe", withCookie(keyholder));
    assert.match(await page.text(), /inside/);
    const session = await t.fetch("/api/auth/session", withCookie(seeker));
    assert.equal(session.status, 200, "signed_in routes admit a non-admitted member");
    await session.body?.cancel();
  } finally {
    await t.close();
  }
});

Deno.test("[access] routes are members-only unless listed otherwise", () => {
  assert.equal(accessFor("/some/new/route"), "member");
  assert.equal(accessFor("/api/anything-new"), "member");
  assert.equal(accessFor("/"), "public");
});

Deno.test("[access] a signed URL stands in for a session on the storage route only", () => {
  const signed = new URL("http://localhost/api/storage/tickets/1.json?exp=1&sig=x");
  assert.equal(accessFor("/api/storage/:key*"), "member");
  assert.equal(
    accessFor("/api/storage/:key*", new URL("http://localhost/api/storage/a")),
    "member",
  );
  assert.equal(accessFor("/api/storage/:key*", signed), "public");
  assert.equal(accessFor("/api/profiles/:id", signed), "member");
});
