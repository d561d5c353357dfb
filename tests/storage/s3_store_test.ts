import assert from "node:assert/strict";
import { ServiceUnavailableError } from "@/core/errors.ts";
import { createS3ObjectStore } from "@/core/storage/s3.ts";
import type { ObjectStore } from "@/core/storage/types.ts";
import { startS3rver } from "@/tests/helpers/s3rver.ts";
import { defineObjectStoreContractTests, sampleBytes } from "./object_store_contract.ts";

defineObjectStoreContractTests("s3 (s3rver)", async (clock) => {
  const server = await startS3rver();
  const store = createS3ObjectStore({
    endpoint: server.endpoint,
    region: "auto",
    bucket: server.bucket,
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
    forcePathStyle: true,
  }, { clock });
  return {
    store,
    async teardown() {
      await store.close();
      await server.stop();
    },
  };
}, { unverifiedSignatures: true, folderOrderListing: true });

/** Asserts that `operation` rejects with ServiceUnavailableError("storage_unavailable") within `ms`. */
async function assertFailsFast(label: string, operation: () => Promise<unknown>, ms: number) {
  const started = performance.now();
  await assert.rejects(
    operation(),
    (error: unknown) =>
      error instanceof ServiceUnavailableError && error.code === "storage_unavailable",
    label,
  );
  const elapsed = performance.now() - started;
  assert.ok(elapsed < ms, `${label} took ${Math.round(elapsed)} ms`);
}

/** Every store operation that talks to the backend, on small inputs. */
function backendOperations(store: ObjectStore): [string, () => Promise<unknown>][] {
  return [
    ["ping", () => store.ping()],
    ["put", () => store.put("down/x", sampleBytes(100), { contentType: "image/jpeg" })],
    ["put stream", () =>
      store.put("down/y", new Blob([sampleBytes(100)]).stream(), {
        contentType: "image/jpeg",
        contentLength: 100,
      })],
    ["get", () => store.get("down/x")],
    ["head", () => store.head("down/x")],
    ["delete", () => store.delete("down/x")],
    ["deleteMany", () => store.deleteMany(["down/x", "down/y"])],
    ["list", () => store.list("down/")],
  ];
}

Deno.test("[storage] s3: with the server stopped, every operation fails fast with 503", async () => {
  const server = await startS3rver();
  const store = createS3ObjectStore({
    endpoint: server.endpoint,
    bucket: server.bucket,
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
    forcePathStyle: true,
  });
  try {
    await store.put("down/x", sampleBytes(100), { contentType: "image/jpeg" });
    await server.stop();
    for (const [label, operation] of backendOperations(store)) {
      await assertFailsFast(label, operation, 3_000);
    }
    // Signing needs no server: a URL is still produced (and fails when used).
    assert.match(
      await store.signedUrl("down/x", { expiresInSeconds: 60 }),
      /^http:\/\/127\.0\.0\.1/,
    );
  } finally {
    await store.close();
    await server.stop();
  }
});

Deno.test("[storage] s3: a server that accepts but never answers fails at the deadline", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn);
  })();
  const store = createS3ObjectStore({
    endpoint: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    bucket: "silent",
    accessKeyId: "key",
    secretAccessKey: "secret",
    forcePathStyle: true,
    timeoutMs: 1_000,
  });
  try {
    for (const [label, operation] of backendOperations(store).slice(0, 3)) {
      await assertFailsFast(label, operation, 1_800);
    }
  } finally {
    await store.close();
    listener.close();
    await accepting;
    for (const conn of held) conn.close();
  }
});

Deno.test("[storage] s3: a missing bucket is a 503 on ping and get", async () => {
  const server = await startS3rver();
  const store = createS3ObjectStore({
    endpoint: server.endpoint,
    bucket: "no-such-bucket",
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
    forcePathStyle: true,
  });
  try {
    for (const operation of [() => store.ping(), () => store.get("a")]) {
      await assert.rejects(
        operation(),
        (error: unknown) =>
          error instanceof ServiceUnavailableError && error.code === "storage_unavailable",
      );
    }
  } finally {
    await store.close();
    await server.stop();
  }
});

Deno.test("[storage] s3: settings are validated", () => {
  const valid = {
    endpoint: "https://account.r2.cloudflarestorage.com",
    bucket: "aurum-photos",
    accessKeyId: "id",
    secretAccessKey: "secret",
  };
  createS3ObjectStore(valid).close();
  assert.throws(() => createS3ObjectStore({ ...valid, endpoint: "not a url" }), /endpoint/);
  assert.throws(() => createS3ObjectStore({ ...valid, bucket: "Bad_Bucket" }), /bucket/);
  assert.throws(() => createS3ObjectStore({ ...valid, accessKeyId: "" }), /accessKeyId/);
});
