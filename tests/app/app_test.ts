import assert from "node:assert/strict";
import { createApp } from "@/server/app.ts";
import { loadConfig } from "@/core/config.ts";
import { createMemoryLogger } from "@/server/observability/logger.ts";
import { BadRequestError } from "@/core/errors.ts";
import type { Plugin } from "$fresh/server.ts";
import { randomId } from "@/server/middleware/request_context.ts";

const testRoutes: Plugin = {
  name: "test-routes",
  routes: [
    {
      path: "/api/boom",
      handler: () => {
        throw new Error("database password is hunter2");
      },
    },
    {
      path: "/api/bad",
      handler: () => {
        throw new BadRequestError("bad_thing", "That thing is bad.");
      },
    },
    {
      path: "/api/echo",
      handler: { POST: async (req) => Response.json({ length: (await req.text()).length }) },
    },
    {
      path: "/page-bad",
      handler: () => {
        throw new BadRequestError("bad_page_input", "That input is not right.");
      },
    },
    {
      path: "/page-boom",
      handler: () => {
        throw new Error("page internals");
      },
    },
  ],
};

async function withApp(
  fn: (
    app: Awaited<ReturnType<typeof createApp>>,
    logs: Record<string, unknown>[],
  ) => Promise<void>,
  env: Record<string, string> = {},
) {
  const kv = await Deno.openKv(":memory:");
  const logger = createMemoryLogger();
  const dataDir = await Deno.makeTempDir({ prefix: "aurum-app-" });
  try {
    const app = await createApp(
      {
        kv,
        logger,
        config: loadConfig({
          AURUM_ENV: "test",
          DATA_DIR: dataDir,
          MAX_BODY_BYTES: "2048",
          ...env,
        }),
      },
      { plugins: [testRoutes] },
      {
        access: {
          "/api/boom": "public",
          "/api/bad": "public",
          "/api/echo": "public",
          "/page-boom": "public",
          "/page-bad": "public",
        },
      },
    );
    await fn(app, logger.entries);
  } finally {
    kv.close();
    await Deno.remove(dataDir, { recursive: true });
  }
}

function req(path: string, init?: RequestInit) {
  return new Request(`http://localhost:8000${path}`, init);
}

Deno.test("[app] landing page renders with security headers and a CSP nonce on its script", async () => {
  await withApp(async (app) => {
    const res = await app.fetch(req("/"));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
    const html = await res.text();
    assert.match(html, /^<!DOCTYPE html>/);
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    assert.equal(res.headers.get("x-frame-options"), "DENY");
    assert.match(res.headers.get("x-request-id")!, /^[A-Za-z0-9_-]{8,}$/);
    const csp = res.headers.get("content-security-policy")!;
    const nonce = csp.match(/'nonce-([^']+)'/)![1];
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    assert.ok(scripts.length > 0, "the landing page has an island, so it ships a script");
    for (const attrs of scripts) assert.match(attrs, new RegExp(`nonce="${nonce}"`));
    assert.doesNotMatch(html, / style="/, "no inline style attributes (blocked by the CSP)");
    assert.equal(csp.match(/default-src/g)?.length, 1, "one CSP, not one per middleware pass");
    assert.match(res.headers.get("link")!, /(^|, )<\/_fresh\/js\/[^>]+>; rel=modulepreload/);
  });
});

Deno.test("[app] JSON answers get the security headers and the request id too", async () => {
  await withApp(async (app) => {
    const res = await app.fetch(
      req("/api/health", { headers: { "x-request-id": "req-json-789" } }),
    );
    await res.body?.cancel();
    assert.equal(res.headers.get("x-request-id"), "req-json-789");
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    assert.equal(res.headers.get("x-frame-options"), "DENY");
    assert.match(res.headers.get("content-security-policy")!, /frame-ancestors 'none'/);
  });
});

Deno.test("[app] request ids and nonces: base64url of fresh CSPRNG bytes, never repeated", () => {
  const seen = new Set<string>();
  // 1,000 ids of 16 bytes run through the 4 KiB random pool almost four times.
  for (let i = 0; i < 1000; i++) {
    const id = randomId(16);
    assert.match(id, /^[A-Za-z0-9_-]{22}$/);
    const bytes = Uint8Array.from(
      atob(id.replace(/-/g, "+").replace(/_/g, "/") + "=="),
      (c) => c.charCodeAt(0),
    );
    assert.equal(bytes.length, 16);
    assert.equal(
      btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(
        /=+$/,
        "",
      ),
      id,
    );
    seen.add(id);
  }
  assert.equal(seen.size, 1000);
  assert.match(randomId(12), /^[A-Za-z0-9_-]{16}$/);
  assert.match(randomId(1), /^[A-Za-z0-9_-]{2}$/);
});

Deno.test("[app] unknown page → themed 404 HTML; unknown /api → JSON 404", async () => {
  await withApp(async (app) => {
    const page = await app.fetch(req("/no/such/page"));
    assert.equal(page.status, 404);
    assert.match(page.headers.get("content-type")!, /text\/html/);
    assert.match(await page.text(), /<html/);
    const api = await app.fetch(req("/api/no-such-endpoint"));
    assert.equal(api.status, 404);
    assert.equal(api.headers.get("content-type"), "application/json; charset=utf-8");
    const body = await api.json();
    assert.equal(body.error.code, "not_found");
    assert.equal(typeof body.error.message, "string");
    const wrongMethod = await app.fetch(req("/api/health", { method: "DELETE" }));
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get("allow"), "GET, HEAD");
    assert.equal((await wrongMethod.json()).error.code, "method_not_allowed");
  });
});

Deno.test("[app] a thrown error → 500 without internals, logged with its request id", async () => {
  await withApp(async (app, logs) => {
    const res = await app.fetch(req("/api/boom", { headers: { "x-request-id": "req-boom-123" } }));
    assert.equal(res.status, 500);
    const text = await res.text();
    assert.doesNotMatch(text, /hunter2|Error|at /);
    assert.deepEqual(JSON.parse(text), {
      error: {
        code: "internal_error",
        message: "Something went wrong on our side.",
        requestId: "req-boom-123",
      },
    });
    const logged = logs.find((l) => l.level === "error" && l.requestId === "req-boom-123");
    assert.ok(logged, "the error is logged with the request id");
    assert.match(JSON.stringify(logged), /hunter2/);

    const page = await app.fetch(
      req("/page-boom", { headers: { "x-request-id": "req-page-456" } }),
    );
    assert.equal(page.status, 500);
    const html = await page.text();
    assert.match(html, /<html/);
    assert.doesNotMatch(html, /page internals|at \//);
    assert.ok(logs.find((l) => l.level === "error" && l.requestId === "req-page-456"));
  });
});

Deno.test("[app] a page's 4xx domain error → a themed page with that status and message", async () => {
  await withApp(async (app) => {
    const res = await app.fetch(req("/page-bad"));
    assert.equal(res.status, 400);
    assert.match(res.headers.get("content-type")!, /text\/html/);
    const html = await res.text();
    assert.match(html, /data-testid="client-error"/);
    assert.match(html, /That input is not right\./);
  });
});

Deno.test("[app] domain errors map to their status with code and message", async () => {
  await withApp(async (app) => {
    const res = await app.fetch(req("/api/bad"));
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), {
      error: { code: "bad_thing", message: "That thing is bad." },
    });
  });
});

Deno.test("[app] body size limit: declared and streamed bodies over the limit → 413", async () => {
  await withApp(async (app) => {
    const ok = await app.fetch(req("/api/echo", { method: "POST", body: "x".repeat(100) }));
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { length: 100 });
    const declared = await app.fetch(req("/api/echo", { method: "POST", body: "x".repeat(5000) }));
    assert.equal(declared.status, 413);
    assert.equal((await declared.json()).error.code, "body_too_large");
    const chunks = [new Uint8Array(1500), new Uint8Array(1500)];
    const stream = new ReadableStream({
      pull(c) {
        const next = chunks.shift();
        if (next) c.enqueue(next);
        else c.close();
      },
    });
    const streamed = await app.fetch(
      req("/api/echo", { method: "POST", body: stream, duplex: "half" } as RequestInit),
    );
    assert.equal(streamed.status, 413);
    await streamed.body?.cancel();
  });
});

Deno.test("[app] CSRF: cross-site cookie mutation refused, same-origin allowed", async () => {
  await withApp(async (app) => {
    const cross = await app.fetch(req("/api/echo", {
      method: "POST",
      body: "hi",
      headers: { cookie: "session=abc", origin: "https://evil.example" },
    }));
    assert.equal(cross.status, 403);
    assert.equal((await cross.json()).error.code, "csrf_rejected");
    const noOrigin = await app.fetch(req("/api/echo", {
      method: "POST",
      body: "hi",
      headers: { cookie: "session=abc" },
    }));
    assert.equal(noOrigin.status, 403);
    await noOrigin.body?.cancel();
    const same = await app.fetch(req("/api/echo", {
      method: "POST",
      body: "hi",
      headers: { cookie: "session=abc", origin: "http://localhost:8000" },
    }));
    assert.equal(same.status, 200);
    await same.body?.cancel();
  });
});

Deno.test("[app] GET /api/health reports liveness and each backend's readiness", async () => {
  await withApp(async (app) => {
    const res = await app.fetch(req("/api/health"));
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.live, true);
    assert.equal(body.ready, true);
    assert.equal(body.backends.kv.ok, true);
  });
  const kv = await Deno.openKv(":memory:");
  const dataDir = await Deno.makeTempDir({ prefix: "aurum-app-" });
  const app = await createApp({
    kv,
    config: loadConfig({ AURUM_ENV: "test", DATA_DIR: dataDir }),
    logger: createMemoryLogger(),
    health: { redis: () => Promise.reject(new Error("connection refused")) },
  });
  const res = await app.fetch(req("/api/health"));
  assert.equal(res.status, 503);
  const body = await res.json();
  assert.equal(body.ready, false);
  assert.deepEqual(body.backends.redis.ok, false);
  assert.equal(body.backends.redis.error, "connection refused");
  kv.close();
  await Deno.remove(dataDir, { recursive: true });
});

Deno.test("[app] GET /metrics: Prometheus counts and latency histograms per route pattern", async () => {
  await withApp(async (app) => {
    await (await app.fetch(req("/api/health"))).body?.cancel();
    await (await app.fetch(req("/api/health"))).body?.cancel();
    await (await app.fetch(req("/nope-1"))).body?.cancel();
    await (await app.fetch(req("/nope-2"))).body?.cancel();
    const res = await app.fetch(req("/metrics"));
    assert.match(res.headers.get("content-type")!, /^text\/plain; version=0.0.4/);
    const text = await res.text();
    assert.match(text, /http_requests_total\{method="GET",route="\/api\/health",status="200"\} 2/);
    assert.match(text, /http_requests_total\{method="GET",route="\(not_found\)",status="404"\} 2/);
    assert.match(
      text,
      /http_request_duration_seconds_bucket\{method="GET",route="\/api\/health",le="\+Inf"\} 2/,
    );
    assert.doesNotMatch(text, /nope-1/, "raw paths never become labels");
  });
  await withApp(async (app) => {
    const denied = await app.fetch(req("/metrics"));
    assert.equal(denied.status, 401);
    await denied.body?.cancel();
    const allowed = await app.fetch(
      req("/metrics", { headers: { authorization: "Bearer 0123456789abcdef0123" } }),
    );
    assert.equal(allowed.status, 200);
    await allowed.body?.cancel();
  }, { METRICS_TOKEN: "0123456789abcdef0123" });
});

Deno.test("[app] static files are served with ETag and 304", async () => {
  await withApp(async (app) => {
    const res = await app.fetch(req("/styles.css"));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/css; charset=utf-8");
    await res.body?.cancel();
    const etag = res.headers.get("etag")!;
    const again = await app.fetch(req("/styles.css", { headers: { "if-none-match": etag } }));
    assert.equal(again.status, 304);
  });
});
