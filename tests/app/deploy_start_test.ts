/**
 * The production build as it runs on Deno Deploy: `main.ts` under `deno run --deny-write
 * --deny-run` with `DENO_DEPLOYMENT_ID` set, `AURUM_ENV=production`, s3rver (on loopback) standing
 * in for the R2 bucket and `KV_PATH=:memory:` standing in for the managed KV. It must start, answer
 * `/` and `/api/health` with 200, report the object store healthy against the bucket, and stop on
 * SIGTERM. CI runs this file as its own step (`.ci/run`).
 */
import assert from "node:assert/strict";
import { startS3rver } from "@/tests/helpers/s3rver.ts";
import { findFreeLoopbackPort } from "@/tasks/lib/free_port.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const START_TIMEOUT_MS = 60_000;

/** The environment of a Deploy-like production start (nothing inherited but PATH/HOME/DENO_DIR). */
function deployEnv(
  port: number,
  s3: { endpoint: string; bucket: string; key: string; secret: string },
) {
  const inherited = Object.fromEntries(
    ["PATH", "HOME", "DENO_DIR"].flatMap((name) => {
      const value = Deno.env.get(name);
      return value === undefined ? [] : [[name, value]];
    }),
  );
  return {
    ...inherited,
    NO_COLOR: "1",
    DENO_NO_UPDATE_CHECK: "1",
    DENO_DEPLOYMENT_ID: "ci-deploy-start",
    AURUM_ENV: "production",
    HOSTNAME: "127.0.0.1",
    PORT: String(port),
    KV_PATH: ":memory:",
    APP_SECRET: "ci-deploy-start-secret-0123456789abcdef",
    PUBLIC_ORIGIN: `http://127.0.0.1:${port}`,
    WORLD_APP_ID: "app_ci_deploy_start",
    METRICS_TOKEN: "ci-deploy-start-metrics",
    // A closed loopback port: the (optional) chain probe fails fast instead of reaching the Internet.
    CHAIN_RPC_URL: "http://127.0.0.1:9/",
    ML_WORKERS: "1",
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: s3.bucket,
    S3_ACCESS_KEY_ID: s3.key,
    S3_SECRET_ACCESS_KEY: s3.secret,
    S3_FORCE_PATH_STYLE: "true",
  };
}

/** Reads a stream to the end into text (collected while the server runs). */
async function drain(stream: ReadableStream<Uint8Array>): Promise<string> {
  return await new Response(stream).text();
}

Deno.test("[deploy] main.ts starts as on Deno Deploy: no writes, no subprocess, S3 and KV healthy", async () => {
  const s3 = await startS3rver("aurum-deploy");
  try {
    const port = findFreeLoopbackPort();
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--deny-write",
        "--deny-run",
        "--allow-net",
        "--allow-env",
        "--allow-read",
        "--allow-sys",
        "main.ts",
      ],
      cwd: ROOT,
      clearEnv: true,
      env: deployEnv(port, {
        endpoint: s3.endpoint,
        bucket: s3.bucket,
        key: s3.accessKeyId,
        secret: s3.secretAccessKey,
      }),
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stdout = drain(child.stdout);
    const stderr = drain(child.stderr);
    let exited = false;
    const status = child.status.finally(() => exited = true);
    try {
      const origin = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + START_TIMEOUT_MS;
      let home: Response | null = null;
      while (!home) {
        if (exited) break;
        try {
          home = await fetch(`${origin}/`);
        } catch {
          if (Date.now() > deadline) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      if (!home) {
        child.kill("SIGTERM");
        await status;
        assert.fail(`the server did not start:\n${await stderr}\n${await stdout}`);
      }
      assert.equal(home.status, 200);
      assert.match(await home.text(), /<html/i);

      const health = await fetch(`${origin}/api/health`);
      assert.equal(health.status, 200);
      const report = await health.json();
      assert.equal(report.ready, true);
      assert.equal(report.backends.kv.ok, true);
      assert.equal(report.backends.objects.ok, true, JSON.stringify(report.backends.objects));
    } finally {
      if (!exited) child.kill("SIGTERM");
      await status;
    }
    const logs = `${await stdout}\n${await stderr}`;
    assert.doesNotMatch(logs, /NotCapable|PermissionDenied|Requires (write|run) access/);
  } finally {
    await s3.stop();
  }
});
