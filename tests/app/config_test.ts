import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "@/core/config.ts";

Deno.test("[config] embedded defaults: port 8000, data folder, KV file inside it", () => {
  const config = loadConfig({});
  assert.equal(config.port, 8000);
  assert.equal(config.env, "development");
  assert.equal(config.dataDir, "./data");
  assert.equal(config.kvPath, "./data/aurum.kv");
});

Deno.test("[config] values from the environment are coerced and validated", () => {
  const config = loadConfig({ PORT: "9123", DATA_DIR: "/tmp/x/", PUBLIC_ORIGIN: "https://a.b/" });
  assert.equal(config.port, 9123);
  assert.equal(config.kvPath, "/tmp/x/aurum.kv");
  assert.equal(config.publicOrigin, "https://a.b");
});

Deno.test("[config] a wrong value → a clear error naming the variable", () => {
  assert.throws(() => loadConfig({ PORT: "eighty" }), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /PORT/);
    assert.match(e.message, /"eighty"/);
    return true;
  });
  assert.throws(() => loadConfig({ AURUM_ENV: "staging" }), /AURUM_ENV/);
  assert.throws(() => loadConfig({ PUBLIC_ORIGIN: "not a url" }), /PUBLIC_ORIGIN/);
});

Deno.test("[config] production requires METRICS_TOKEN, so /metrics is never public there", () => {
  const production = {
    AURUM_ENV: "production",
    WORLD_APP_ID: "app_x",
    PUBLIC_ORIGIN: "https://a.b",
    APP_SECRET: "0123456789abcdef0123456789abcdef",
  };
  assert.throws(() => loadConfig(production), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /METRICS_TOKEN/);
    return true;
  });
  const config = loadConfig({ ...production, METRICS_TOKEN: "0123456789abcdef0123" });
  assert.equal(config.metricsToken, "0123456789abcdef0123");
  assert.equal(loadConfig({ AURUM_ENV: "test" }).metricsToken, undefined);
});
