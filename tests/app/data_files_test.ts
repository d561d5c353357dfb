import assert from "node:assert/strict";
import { join } from "node:path";
import { loadConfig } from "@/core/config.ts";
import { createFsObjectStore } from "@/core/storage/fs.ts";
import { openDeps } from "@/server/open_deps.ts";
import { withLocalSecret } from "@/server/local_secret.ts";

const posix = Deno.build.os !== "windows";

/** The permission bits of `path`. */
async function modeOf(path: string): Promise<number> {
  return (await Deno.stat(path)).mode! & 0o777;
}

Deno.test({
  name: "[files] the data folder, the KV file and the local secret are private to the server",
  ignore: !posix,
  async fn() {
    const base = await Deno.makeTempDir({ prefix: "aurum-files-" });
    try {
      const dataDir = join(base, "data");
      const deps = await openDeps(loadConfig({ AURUM_ENV: "test", DATA_DIR: dataDir }));
      try {
        await deps.kv.set(["probe"], 1);
        assert.equal((await modeOf(dataDir)).toString(8), "700");
        assert.equal((await modeOf(join(dataDir, "aurum.kv"))).toString(8), "600");
        for await (const entry of Deno.readDir(dataDir)) {
          const mode = (await modeOf(join(dataDir, entry.name))).toString(8);
          assert.equal(mode, "600", `${entry.name} (the KV journal files too)`);
        }
      } finally {
        deps.kv.close();
        await deps.cache.close();
      }

      const secretDir = join(base, "secret");
      const env = withLocalSecret({ DATA_DIR: secretDir });
      assert.ok(env.APP_SECRET && env.APP_SECRET.length >= 32);
      assert.equal((await modeOf(secretDir)).toString(8), "700");
      assert.equal((await modeOf(join(secretDir, "app_secret"))).toString(8), "600");
    } finally {
      await Deno.remove(base, { recursive: true });
    }
  },
});

Deno.test({
  name: "[files] the filesystem object store creates its folders 0700",
  ignore: !posix,
  async fn() {
    const base = await Deno.makeTempDir({ prefix: "aurum-files-" });
    const root = join(base, "objects");
    const store = createFsObjectStore({
      root,
      signingKey: "test-signing-key-0123456789abcdef0123456789",
      publicBaseUrl: "http://127.0.0.1:1",
    });
    try {
      await store.ping();
      await store.put("profiles/p1/photo.jpg", new Uint8Array([1, 2, 3]), {
        contentType: "image/jpeg",
      });
      assert.equal((await modeOf(root)).toString(8), "700");
      assert.equal((await modeOf(join(root, "profiles"))).toString(8), "700");
      assert.equal((await modeOf(join(root, "profiles", "p1"))).toString(8), "700");
    } finally {
      await store.close();
      await Deno.remove(base, { recursive: true });
    }
  },
});

Deno.test("[files] production and Deno Deploy read and write no local secret or chain file", async () => {
  const { withLocalChain } = await import("@/server/local_chain.ts");
  const dir = await Deno.makeTempDir({ prefix: "aurum-files-" });
  try {
    const dataDir = join(dir, "data");
    for (const env of [{ AURUM_ENV: "production" }, { DENO_DEPLOYMENT_ID: "abc123" }]) {
      const input = { ...env, DATA_DIR: dataDir };
      assert.deepEqual(withLocalSecret(input), input);
      assert.deepEqual(withLocalChain(input), input);
    }
    await assert.rejects(() => Deno.stat(dataDir), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
