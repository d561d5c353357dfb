import assert from "node:assert/strict";
import { ORIGIN, post, sessionCookie, signInAs, testApp, withCookie } from "./helpers.ts";

Deno.test("[auth-http] dev sign-in → session → logout", async () => {
  const t = await testApp();
  try {
    const personas = await (await t.fetch("/api/auth/dev")).json();
    assert.deepEqual(
      personas.personas.map((p: { id: string }) => p.id),
      ["newcomer", "seeker", "keyholder", "invitee"],
    );
    const res = await t.fetch("/api/auth/dev", post({ persona: "keyholder" }));
    assert.equal(res.status, 200);
    const setCookie = res.headers.get("set-cookie")!;
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Lax/);
    assert.doesNotMatch(setCookie, /Secure/, "Secure is relaxed for localhost only");
    const body = await res.json();
    assert.deepEqual(body.membership, { admitted: true, via: "gate_nft" });
    const cookie = sessionCookie(res)!;

    const session = await t.fetch("/api/auth/session", withCookie(cookie));
    assert.equal(session.status, 200);
    const view = await session.json();
    assert.equal(view.user.id, body.user.id);
    assert.equal(view.verification.worldId.level, "device");

    const out = await t.fetch("/api/auth/logout", withCookie(cookie, { method: "POST" }));
    assert.equal(out.status, 204);
    assert.match(out.headers.get("set-cookie")!, /aurum_session=;.*Max-Age=0/);
    const after = await t.fetch("/api/auth/session", withCookie(cookie));
    assert.equal(after.status, 401);
    await after.body?.cancel();
  } finally {
    await t.close();
  }
});

Deno.test("[auth-http] members' pages render the session on the server; its sign-out form works without JS", async () => {
  const t = await testApp();
  try {
    const cookie = await signInAs(t, "keyholder");
    // keyholder has no profile yet (the vault sends it to onboarding); the events page is members-only.
    const page = await (await t.fetch("/events", withCookie(cookie))).text();
    assert.match(page, /data-testid="session-indicator" data-state="signed-in"/);
    assert.match(page, /<form method="post" action="\/api\/auth\/logout"/);
    assert.doesNotMatch(page, /SessionIndicator/, "no island for it on a members' page");
    const out = await t.fetch(
      "/api/auth/logout",
      withCookie(cookie, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "",
      }),
    );
    assert.equal(out.status, 303);
    assert.equal(out.headers.get("location"), "/");
    assert.match(out.headers.get("set-cookie")!, /aurum_session=;.*Max-Age=0/);
    const after = await t.fetch("/api/auth/session", withCookie(cookie));
    assert.equal(after.status, 401);
    await after.body?.cancel();
  } finally {
    await t.close();
  }
});

Deno.test("[auth-http] signing in again rotates the id and kills the old session", async () => {
  const t = await testApp();
  try {
    const first = await signInAs(t, "seeker");
    const again = await t.fetch("/api/auth/dev", post({ persona: "invitee" }, first));
    const second = sessionCookie(again)!;
    await again.body?.cancel();
    assert.notEqual(first, second);
    const old = await t.fetch("/api/auth/session", withCookie(first));
    assert.equal(old.status, 401);
    await old.body?.cancel();
    const current = await t.fetch("/api/auth/session", withCookie(second));
    assert.equal((await current.json()).membership.via, "invite");
  } finally {
    await t.close();
  }
});

Deno.test("[auth-http] the Secure flag is set for non-local hosts", async () => {
  const t = await testApp({ PUBLIC_ORIGIN: "https://aurum.example" });
  try {
    const res = await t.app.fetch(
      new Request("https://aurum.example/api/auth/dev", {
        ...post({ persona: "seeker" }),
        headers: { "content-type": "application/json", origin: "https://aurum.example" },
      }),
    );
    assert.match(res.headers.get("set-cookie")!, /; Secure/);
    await res.body?.cancel();
  } finally {
    await t.close();
  }
});

Deno.test("[auth-http] dev sign-in does not exist when disabled, and bad input is a 4xx", async () => {
  const t = await testApp({ DEV_SIGN_IN: "false" });
  try {
    const res = await t.fetch("/api/auth/dev", post({ persona: "seeker" }));
    assert.equal(res.status, 404);
    assert.equal(sessionCookie(res), null);
    await res.body?.cancel();
  } finally {
    await t.close();
  }
  const u = await testApp();
  try {
    const unknown = await u.fetch("/api/auth/dev", post({ persona: "emperor" }));
    assert.equal(unknown.status, 404);
    assert.equal((await unknown.json()).error.code, "dev_persona_unknown");
    const missing = await u.fetch("/api/auth/dev", post({}));
    assert.equal(missing.status, 400);
    assert.match((await missing.json()).error.message, /persona/);
    const notJson = await u.fetch("/api/auth/dev", {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "text/plain" },
      body: "persona=seeker",
    });
    assert.equal(notJson.status, 415);
    await notJson.body?.cancel();
    const broken = await u.fetch("/api/auth/dev", {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/json" },
      body: "{not json",
    });
    assert.equal(broken.status, 400);
    assert.equal((await broken.json()).error.code, "invalid_json");
  } finally {
    await u.close();
  }
});

Deno.test("[auth-http] the server refuses to start with dev sign-in in production", async () => {
  const { loadConfig, ConfigError } = await import("@/core/config.ts");
  assert.throws(
    () =>
      loadConfig({
        AURUM_ENV: "production",
        DEV_SIGN_IN: "true",
        WORLD_APP_ID: "app_x",
        PUBLIC_ORIGIN: "https://a.b",
      }),
    (e: unknown) => e instanceof ConfigError && /DEV_SIGN_IN/.test(e.message),
  );
  const cmd = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../../main.ts", import.meta.url).pathname],
    env: {
      AURUM_ENV: "production",
      DEV_SIGN_IN: "true",
      WORLD_APP_ID: "app_x",
      PUBLIC_ORIGIN: "https://a.b",
      KV_PATH: ":memory:",
      NO_COLOR: "1",
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(cmd.code, 1);
  assert.match(new TextDecoder().decode(cmd.stderr), /DEV_SIGN_IN/);
});

Deno.test("[auth-http] rate limits answer 429 with Retry-After", async () => {
  const t = await testApp();
  try {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 35; i++) {
      const res = await t.fetch("/api/auth/nonce");
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers.get("retry-after");
        assert.equal((await res.json()).error.code, "rate_limited");
      } else {
        const { nonce } = await res.json();
        assert.match(nonce, /^[A-Za-z0-9]{16,}$/);
      }
    }
    assert.equal(statuses.filter((s) => s === 200).length, 30);
    assert.equal(statuses.filter((s) => s === 429).length, 5);
    assert.ok(Number(retryAfter) >= 1 && Number(retryAfter) <= 60);
  } finally {
    await t.close();
  }
});
