/**
 * The app with `REDIS_URL` on a real redis-server: rate limits are shared by every instance on the
 * same Redis; killing Redis keeps requests succeeding on the in-process fallback, logged once, with
 * `/api/health` reporting the cache degraded while the app stays ready.
 */
import assert from "node:assert/strict";
import { startRedis } from "@/tests/helpers/redis.ts";
import { post, sessionCookie, sessionOf, signInAs, type TestApp, testApp } from "./helpers.ts";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs redis-cli against the test server and returns its trimmed output. */
async function redisCli(port: number, ...args: string[]): Promise<string> {
  const output = await new Deno.Command("redis-cli", {
    args: ["-h", "127.0.0.1", "-p", String(port), "--raw", ...args],
    stdout: "piped",
    stderr: "null",
  }).output();
  return new TextDecoder().decode(output.stdout).trim();
}

/**
 * Waits until `count` app clients have connected and passed ioredis's ready check (their last
 * command is past INFO), so no request of the test runs while the connection is still coming up.
 */
async function waitForClients(port: number, count: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const clients = (await redisCli(port, "CLIENT", "LIST")).split("\n")
      .filter((line) => line.includes("cmd=") && !/cmd=(client|NULL)/.test(line));
    if (clients.length >= count) {
      await sleep(100); // the INFO reply reaching the client
      return;
    }
    await sleep(20);
  }
  throw new Error(`fewer than ${count} Redis clients connected`);
}

/** The cache's log entries of the app (the fallback wrapper logs through the app logger). */
const cacheLogs = (t: TestApp, event: string) =>
  t.logs.filter((entry) => entry.component === "cache" && entry.msg === event);

/** `GET /api/health` → status and report. */
async function health(t: TestApp) {
  const res = await t.fetch("/api/health");
  return { status: res.status, report: await res.json() };
}

Deno.test("[auth-http] redis: rate limits are shared by two app instances on one Redis", async () => {
  const server = await startRedis();
  const apps: TestApp[] = [];
  try {
    apps.push(await testApp({ REDIS_URL: server.url }), await testApp({ REDIS_URL: server.url }));
    const [a, b] = apps;
    await waitForClients(server.port, 2);

    // The nonce limit is 30 a minute per IP: 20 on one instance and 10 on the other use it up…
    for (let i = 0; i < 20; i++) {
      const res = await a.fetch("/api/auth/nonce");
      assert.equal(res.status, 200, `request ${i + 1} on instance A`);
      await res.body?.cancel();
    }
    for (let i = 0; i < 10; i++) {
      const res = await b.fetch("/api/auth/nonce");
      assert.equal(res.status, 200, `request ${i + 1} on instance B`);
      await res.body?.cancel();
    }
    // …so both refuse the next one (each alone has seen fewer than 30).
    for (const [name, t] of [["B", b], ["A", a]] as const) {
      const res = await t.fetch("/api/auth/nonce");
      assert.equal(res.status, 429, `instance ${name} counts the other's requests`);
      assert.ok(Number(res.headers.get("retry-after")) >= 1);
      assert.equal((await res.json()).error.code, "rate_limited");
    }
    const keys = (await redisCli(server.port, "KEYS", "aurum:rl:auth_nonce_ip:*")).split("\n");
    assert.equal(keys.length, 1, "one shared counter in Redis");
    assert.equal(await redisCli(server.port, "GET", keys[0]), "32");

    for (const t of apps) {
      assert.deepEqual(cacheLogs(t, "cache_primary_unavailable"), [], "Redis was never bypassed");
      const { status, report } = await health(t);
      assert.equal(status, 200);
      assert.equal(report.backends.cache.ok, true);
    }
  } finally {
    for (const t of apps) await t.close();
    await server.stop();
  }
});

Deno.test("[auth-http] redis: killed mid-test, requests keep succeeding on the fallback, logged once", async () => {
  const server = await startRedis();
  let t: TestApp | undefined;
  try {
    t = await testApp({ REDIS_URL: server.url });
    await waitForClients(server.port, 1);

    const before = await t.fetch("/api/auth/nonce");
    assert.equal(before.status, 200);
    await before.body?.cancel();
    const keeper = await signInAs(t, "seeker");
    assert.equal(await redisCli(server.port, "GET", "aurum:rl:auth_nonce_ip:127.0.0.1"), "1");

    await server.stop({ abruptly: true });

    for (let i = 0; i < 3; i++) {
      const res = await t.fetch("/api/auth/nonce");
      assert.equal(res.status, 200, `nonce ${i + 1} after Redis died`);
      assert.match((await res.json()).nonce, /^[A-Za-z0-9]{16,}$/);
    }
    const signIn = await t.fetch("/api/auth/dev", post({ persona: "keyholder" }));
    assert.equal(signIn.status, 200);
    await signIn.body?.cancel();
    const fresh = sessionCookie(signIn)!;
    assert.equal((await sessionOf(t, fresh)).status, 200);
    assert.equal((await sessionOf(t, keeper)).status, 200, "sessions from before the outage work");

    const warnings = cacheLogs(t, "cache_primary_unavailable");
    assert.equal(warnings.length, 1, "the outage is logged once, not per request");
    assert.equal(warnings[0].level, "warn");
    assert.ok(!t.logs.some((entry) => entry.status === 500), "no request failed");

    const { status, report } = await health(t);
    assert.equal(status, 200, "still ready");
    assert.equal(report.ready, true);
    assert.equal(report.backends.kv.ok, true);
    assert.deepEqual(
      { ok: report.backends.cache.ok, optional: report.backends.cache.optional },
      { ok: false, optional: true },
      "the cache is reported degraded",
    );
    assert.match(report.backends.cache.error, /fallback/);

    // Redis comes back: the health check asks Redis itself, so the app returns to it without
    // any other traffic.
    await server.restart();
    const deadline = Date.now() + 8_000;
    while (!(await health(t)).report.backends.cache.ok) {
      if (Date.now() > deadline) throw new Error("the health check never saw Redis again");
      await sleep(100);
    }
    assert.equal(cacheLogs(t, "cache_primary_recovered").length, 1, "the recovery is logged once");
    assert.equal(cacheLogs(t, "cache_primary_unavailable").length, 1, "no further warnings");
    const after = await t.fetch("/api/auth/nonce");
    assert.equal(after.status, 200);
    await after.body?.cancel();
    assert.equal(
      await redisCli(server.port, "GET", "aurum:rl:auth_nonce_ip:127.0.0.1"),
      "1",
      "traffic is counted in Redis again",
    );
  } finally {
    await t?.close();
    await server.stop();
  }
});

Deno.test("[auth-http] redis: a starting instance waits for Redis, so its first request is shared", async () => {
  const server = await startRedis();
  let t: TestApp | undefined;
  try {
    // No waiting for the client here: createApp does it.
    t = await testApp({ REDIS_URL: server.url });
    const first = await t.fetch("/api/auth/nonce");
    assert.equal(first.status, 200);
    await first.body?.cancel();
    assert.equal(await redisCli(server.port, "GET", "aurum:rl:auth_nonce_ip:127.0.0.1"), "1");
    assert.equal(cacheLogs(t, "cache_primary_unavailable").length, 0, "never on the fallback");
    assert.equal(cacheLogs(t, "cache_primary_not_ready").length, 0);
  } finally {
    await t?.close();
    await server.stop();
  }
});

Deno.test("[auth-http] redis: unreachable at start → the app starts on the fallback within ~2 s and says so", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close(); // nothing listens there now
  const started = Date.now();
  const t = await testApp({ REDIS_URL: `redis://127.0.0.1:${port}` });
  try {
    const waited = Date.now() - started;
    assert.ok(waited >= 1_900 && waited < 6_000, `waited ${waited} ms`);
    const warning = cacheLogs(t, "cache_primary_not_ready");
    assert.equal(warning.length, 1);
    assert.equal(warning[0].level, "warn");
    const res = await t.fetch("/api/auth/nonce");
    assert.equal(res.status, 200, "requests are served from the fallback");
    await res.body?.cancel();
  } finally {
    await t.close();
  }
});
