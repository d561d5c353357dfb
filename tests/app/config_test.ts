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

const S3 = {
  S3_ENDPOINT: "https://account.r2.cloudflarestorage.com",
  S3_BUCKET: "aurum-photos",
  S3_ACCESS_KEY_ID: "key",
  S3_SECRET_ACCESS_KEY: "secret",
};

Deno.test("[config] production requires METRICS_TOKEN, so /metrics is never public there", () => {
  const production = {
    AURUM_ENV: "production",
    WORLD_APP_ID: "app_x",
    PUBLIC_ORIGIN: "https://a.b",
    APP_SECRET: "0123456789abcdef0123456789abcdef",
    ...S3,
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

const PRODUCTION = {
  WORLD_APP_ID: "app_x",
  PUBLIC_ORIGIN: "https://a.b",
  APP_SECRET: "0123456789abcdef0123456789abcdef",
  METRICS_TOKEN: "0123456789abcdef0123",
};

Deno.test("[config] production stores objects on S3/R2 only: the error names the S3_* variables", () => {
  assert.throws(
    () => loadConfig({ ...PRODUCTION, AURUM_ENV: "production" }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY/);
      return true;
    },
  );
  const config = loadConfig({ ...PRODUCTION, ...S3, AURUM_ENV: "production" });
  assert.equal(config.storage.kind, "s3");
  assert.equal(config.deploy, false);
  assert.equal(loadConfig({}).storage.kind, "fs");
});

Deno.test("[config] on Deno Deploy: production, managed KV unless :memory: or a KV Connect URL", () => {
  const deploy = { ...PRODUCTION, ...S3, DENO_DEPLOYMENT_ID: "abc123" };
  const config = loadConfig(deploy);
  assert.equal(config.deploy, true);
  assert.equal(config.env, "production");
  assert.equal(config.kvPath, undefined);
  assert.equal(config.devSignIn, false);
  assert.equal(loadConfig({ ...deploy, KV_PATH: ":memory:" }).kvPath, ":memory:");
  const url = "https://api.deno.com/databases/0f0f/connect";
  assert.equal(loadConfig({ ...deploy, KV_PATH: url }).kvPath, url);
  assert.throws(() => loadConfig({ ...deploy, KV_PATH: "./data/aurum.kv" }), /KV_PATH/);
  assert.throws(() => loadConfig({ ...deploy, AURUM_ENV: "development" }), /AURUM_ENV/);
  // Deploy without the production variables is refused like any production start.
  assert.throws(
    () => loadConfig({ ...S3, DENO_DEPLOYMENT_ID: "abc123" }),
    /required in production/,
  );
  assert.throws(() => loadConfig({ ...PRODUCTION, DENO_DEPLOYMENT_ID: "abc123" }), /S3_\*/);
});
