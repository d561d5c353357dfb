import assert from "node:assert/strict";
import { createManualClock } from "@/core/clock.ts";
import { BadRequestError, ForbiddenError, ServiceUnavailableError } from "@/core/errors.ts";
import { createFsObjectStore, type FsObjectStore } from "@/core/storage/fs.ts";
import { defineObjectStoreContractTests, readAll, sampleBytes } from "./object_store_contract.ts";

const SIGNING_KEY = "test-signing-key-0123456789abcdef0123456789";

/**
 * Serves `/api/storage/…` the way the HTTP layer is expected to: verify the signed URL, then
 * stream the object (GET) or store the upload (PUT, content type as signed).
 */
function serveSignedObjects(store: () => FsObjectStore): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    try {
      const claims = await store().verifySignedUrl(request.url, Date.now(), request.method);
      if (claims.method === "PUT") {
        const contentType = request.headers.get("content-type") ?? "";
        if (claims.contentType && contentType !== claims.contentType) {
          return new Response("wrong content type", { status: 403 });
        }
        await store().put(claims.key, request.body ?? new Uint8Array(), {
          contentType,
          contentLength: Number(request.headers.get("content-length") ?? 0),
        });
        return new Response(null, { status: 200 });
      }
      const object = await store().get(claims.key);
      if (!object) return new Response("not found", { status: 404 });
      return new Response(object.body, {
        headers: { "content-type": object.contentType, "content-length": String(object.size) },
      });
    } catch (error) {
      if (error instanceof ForbiddenError) return new Response(error.code, { status: 403 });
      return new Response(String(error), { status: 500 });
    }
  });
}

defineObjectStoreContractTests("fs", async (clock) => {
  const root = await Deno.makeTempDir({ prefix: "aurum-objects-" });
  const box: { store?: FsObjectStore } = {};
  const server = serveSignedObjects(() => box.store!);
  const store = box.store = createFsObjectStore({
    root,
    signingKey: SIGNING_KEY,
    publicBaseUrl: `http://127.0.0.1:${server.addr.port}`,
  }, { clock });
  return {
    store,
    async teardown() {
      await server.shutdown();
      await store.close();
      await Deno.remove(root, { recursive: true });
    },
  };
});

/** Runs `body` with a store on a fresh temporary root. */
async function withStore(body: (store: FsObjectStore, root: string) => Promise<void>) {
  const root = await Deno.makeTempDir({ prefix: "aurum-objects-" });
  const clock = createManualClock(Date.UTC(2030, 0, 1));
  const store = createFsObjectStore({ root, signingKey: SIGNING_KEY }, { clock });
  try {
    await body(store, root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

/** Every file name under `directory`, relative, sorted. */
async function filesUnder(directory: string, prefix = ""): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(directory)) {
    if (entry.isDirectory) {
      names.push(...await filesUnder(`${directory}/${entry.name}`, `${prefix}${entry.name}/`));
    } else names.push(prefix + entry.name);
  }
  return names.sort();
}

Deno.test("[storage] fs: signed URLs are relative app URLs verified by method, key and expiry", async () => {
  await withStore(async (store) => {
    const now = Date.UTC(2030, 0, 1);
    const url = await store.signedUrl("members/m1/p.jpg", { expiresInSeconds: 120 });
    assert.match(url, /^\/api\/storage\/members\/m1\/p\.jpg\?exp=\d+&sig=[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(await store.verifySignedUrl(url, now), {
      key: "members/m1/p.jpg",
      method: "GET",
      expiresAt: now + 120_000,
    });
    assert.equal((await store.verifySignedUrl(url, now, "HEAD")).key, "members/m1/p.jpg");

    const isInvalid = (error: unknown) =>
      error instanceof ForbiddenError && error.code === "signed_url_invalid";
    await assert.rejects(store.verifySignedUrl(url, now, "PUT"), isInvalid);
    await assert.rejects(store.verifySignedUrl(url.replace("m1", "m2"), now), isInvalid);
    await assert.rejects(
      store.verifySignedUrl(url.replace(/exp=\d+/, "exp=9999999999"), now),
      isInvalid,
    );
    await assert.rejects(
      store.verifySignedUrl(url.replace(/sig=.{5}/, "sig=AAAAA"), now),
      isInvalid,
    );
    await assert.rejects(store.verifySignedUrl(url.replace(/&sig=.*/, ""), now), isInvalid);
    await assert.rejects(store.verifySignedUrl("/elsewhere/members/m1/p.jpg", now), isInvalid);
    // The old path redirects to the canonical one; only there does the URL verify.
    await assert.rejects(
      store.verifySignedUrl(url.replace("/api/storage/", "/api/objects/"), now),
      isInvalid,
    );
    await assert.rejects(
      store.verifySignedUrl(url, now + 120_000),
      (error: unknown) => error instanceof ForbiddenError && error.code === "signed_url_expired",
    );

    const other = createFsObjectStore({ root: "/nonexistent", signingKey: "x".repeat(40) });
    await assert.rejects(other.verifySignedUrl(url, now), isInvalid);

    const upload = await store.signedUrl("members/m1/q.png", {
      expiresInSeconds: 60,
      method: "PUT",
      contentType: "image/png",
    });
    assert.deepEqual(await store.verifySignedUrl(upload, now, "PUT"), {
      key: "members/m1/q.png",
      method: "PUT",
      contentType: "image/png",
      expiresAt: now + 60_000,
    });
    await assert.rejects(
      store.verifySignedUrl(upload.replace("image%2Fpng", "image%2Fgif"), now, "PUT"),
      isInvalid,
    );
    await assert.rejects(
      store.signedUrl("members/m1/q.png", { expiresInSeconds: 60, contentType: "image/png" }),
      (error: unknown) => error instanceof BadRequestError,
    );
  });
});

Deno.test("[storage] fs: objects are a data file plus a sidecar; failed puts leave no files", async () => {
  await withStore(async (store, root) => {
    await store.put("members/m1/p.jpg", sampleBytes(10), { contentType: "image/jpeg" });
    const files = await filesUnder(root);
    assert.equal(files.length, 2);
    assert.equal(files[0], "members/m1/p.jpg~meta.json");
    assert.match(files[1], /^members\/m1\/p\.jpg~v-[0-9a-f-]{36}$/);

    await store.put("members/m1/p.jpg", sampleBytes(20), { contentType: "image/jpeg" });
    assert.equal((await filesUnder(root)).length, 2, "the replaced version is removed");

    let pulls = 0;
    const failing = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (++pulls > 3) controller.error(new Error("client went away"));
        else controller.enqueue(sampleBytes(1000));
      },
    });
    await assert.rejects(
      store.put("members/m1/p.jpg", failing, { contentType: "image/jpeg", contentLength: 10_000 }),
      (error: unknown) => error instanceof BadRequestError && error.code === "body_stream_failed",
    );
    assert.equal((await filesUnder(root)).length, 2);
    assert.deepEqual(await readAll((await store.get("members/m1/p.jpg"))!.body), sampleBytes(20));

    await store.delete("members/m1/p.jpg");
    assert.deepEqual(await filesUnder(root), []);
  });
});

Deno.test("[storage] fs: the sweep removes stale leftovers of interrupted writes, nothing else", async () => {
  await withStore(async (store, root) => {
    await store.put("members/m1/p.jpg", sampleBytes(10), { contentType: "image/jpeg" });
    const [, kept] = await filesUnder(root);
    const uuid = () => crypto.randomUUID();
    const stale = [
      `members/m1/p.jpg~tmp-${uuid()}`,
      `members/m1/p.jpg~v-${uuid()}`,
      `members/m1/gone.png~v-${uuid()}`,
      `~ping-${uuid()}`,
    ];
    const young = `members/m1/q.jpg~tmp-${uuid()}`;
    const hour = new Date(Date.now() - 60 * 60 * 1000);
    for (const name of [...stale, young]) await Deno.writeTextFile(`${root}/${name}`, "x");
    for (const name of [...stale, kept]) await Deno.utime(`${root}/${name}`, hour, hour);

    assert.equal(await store.sweepInterrupted(), stale.length);
    assert.deepEqual(await filesUnder(root), [kept, "members/m1/p.jpg~meta.json", young].sort());
    assert.deepEqual(await readAll((await store.get("members/m1/p.jpg"))!.body), sampleBytes(10));
    assert.equal(await store.sweepInterrupted(0), 1, "a younger leftover goes with a shorter age");
  });
});

Deno.test("[storage] fs: a corrupt sidecar is a 503, not a crash or a wrong answer", async () => {
  await withStore(async (store, root) => {
    await store.put("a/b", sampleBytes(10), { contentType: "text/plain" });
    await Deno.writeTextFile(`${root}/a/b~meta.json`, JSON.stringify({ v: 1, key: "a/b" }));
    await assert.rejects(store.head("a/b"), ServiceUnavailableError);
    await Deno.writeTextFile(`${root}/a/b~meta.json`, "{not json");
    await assert.rejects(store.get("a/b"), ServiceUnavailableError);
  });
});

Deno.test("[storage] fs: an unusable root fails ping with storage_unavailable", async () => {
  const file = await Deno.makeTempFile();
  try {
    const store = createFsObjectStore({ root: `${file}/objects`, signingKey: SIGNING_KEY });
    await assert.rejects(
      store.ping(),
      (error: unknown) =>
        error instanceof ServiceUnavailableError && error.code === "storage_unavailable",
    );
    await assert.rejects(
      store.put("a", sampleBytes(1), { contentType: "text/plain" }),
      ServiceUnavailableError,
    );
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("[storage] fs: concurrent puts of one key leave one complete object", async () => {
  await withStore(async (store) => {
    const versions = [1, 2, 3, 4, 5, 6].map((seed) => sampleBytes(50_000, seed));
    await Promise.all(
      versions.map((bytes) => store.put("race/x", bytes, { contentType: "image/jpeg" })),
    );
    const stored = await readAll((await store.get("race/x"))!.body);
    assert.ok(versions.some((bytes) => bytes.every((b, i) => stored[i] === b)));
    assert.equal(stored.length, 50_000);

    const creates = await Promise.allSettled(
      versions.map((bytes) =>
        store.put("race/once", bytes, { contentType: "image/jpeg", ifNoneMatch: "*" })
      ),
    );
    assert.equal(creates.filter((result) => result.status === "fulfilled").length, 1);
  });
});
