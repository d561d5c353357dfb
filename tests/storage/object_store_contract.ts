/** One contract every ObjectStore backend must pass; each backend's test file runs it. */
import assert from "node:assert/strict";
import { createManualClock, type ManualClock } from "@/core/clock.ts";
import { BadRequestError, ConflictError } from "@/core/errors.ts";
import { type ObjectStore, type PutOptions, RangeNotSatisfiableError } from "@/core/storage/mod.ts";

/** A backend under test. */
export interface StoreUnderTest {
  store: ObjectStore;
  /** Releases the store and whatever serves it. */
  teardown(): Promise<void>;
}

/** Builds a fresh, empty store whose "now" is `clock`. */
export type StoreFactory = (clock: ManualClock) => Promise<StoreUnderTest>;

/** Known ways a test backend departs from S3/R2 behaviour; the checks they break are ignored. */
export interface BackendLimitations {
  /** The server accepts presigned URLs without checking their signature (s3rver: V4 unimplemented). */
  unverifiedSignatures?: boolean;
  /** The server lists in folder-walk order, not byte order (s3rver: `a/x` before `a-b`). */
  folderOrderListing?: boolean;
}

const OCTETS: PutOptions = { contentType: "application/octet-stream" };

/** Reads a stream to the end. */
export async function readAll(body: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(body).arrayBuffer());
}

/** Deterministic pseudo-random bytes (every byte value appears). */
export function sampleBytes(length: number, seed = 1): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let index = 0; index < length; index++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[index] = index < 256 ? index : state >>> 24;
  }
  return bytes;
}

/** A stream of `bytes` in chunks of `chunkSize`. */
function streamOf(bytes: Uint8Array, chunkSize = 1000): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

async function getBytes(store: ObjectStore, key: string): Promise<Uint8Array | null> {
  const object = await store.get(key);
  return object ? await readAll(object.body) : null;
}

/** Registers the shared object-store contract tests for one backend. */
export function defineObjectStoreContractTests(
  backend: string,
  factory: StoreFactory,
  limitations: BackendLimitations = {},
): void {
  const contractTest = (
    name: string,
    body: (store: ObjectStore, clock: ManualClock) => Promise<void>,
    ignore = false,
  ) =>
    Deno.test({ name: `[storage] ${backend}: ${name}`, ignore }, async () => {
      const clock = createManualClock();
      const subject = await factory(clock);
      try {
        await body(subject.store, clock);
      } finally {
        await subject.teardown();
      }
    });

  contractTest("ping succeeds against a working backend", async (store) => {
    await store.ping();
  });

  contractTest(
    "put then get round-trips binary bytes, content type and metadata",
    async (store) => {
      const bytes = sampleBytes(200_000);
      const info = await store.put("members/m1/photos/p1.jpg", bytes, {
        contentType: "image/jpeg",
        metadata: { owner: "m1", rendition: "full" },
      });
      assert.equal(info.key, "members/m1/photos/p1.jpg");
      assert.equal(info.size, bytes.length);
      assert.match(info.etag, /^[0-9a-f]{32}$/);

      const object = await store.get("members/m1/photos/p1.jpg");
      assert.ok(object);
      assert.equal(object.contentType, "image/jpeg");
      assert.equal(object.size, bytes.length);
      assert.equal(object.etag, info.etag);
      assert.deepEqual(object.metadata, { owner: "m1", rendition: "full" });
      assert.equal(object.range, undefined);
      assert.deepEqual(await readAll(object.body), bytes);

      await store.put("members/m1/empty", new Uint8Array(), { contentType: "text/plain" });
      const empty = await store.get("members/m1/empty");
      assert.ok(empty);
      assert.equal(empty.size, 0);
      assert.equal((await readAll(empty.body)).length, 0);
    },
  );

  contractTest("the same bytes give the same etag, different bytes another", async (store) => {
    const first = await store.put("etag/a", sampleBytes(1000, 7), OCTETS);
    const same = await store.put("etag/b", sampleBytes(1000, 7), OCTETS);
    const other = await store.put("etag/c", sampleBytes(1000, 8), OCTETS);
    assert.equal(first.etag, same.etag);
    assert.notEqual(first.etag, other.etag);
  });

  contractTest("a stream body with its contentLength is stored", async (store) => {
    const bytes = sampleBytes(150_000, 3);
    await store.put("streams/ok.bin", streamOf(bytes, 16_384), {
      contentType: "application/octet-stream",
      contentLength: bytes.length,
    });
    assert.deepEqual(await getBytes(store, "streams/ok.bin"), bytes);
  });

  contractTest("a stream body needs an exact contentLength; a failed put stores nothing", async (
    store,
  ) => {
    const bytes = sampleBytes(5000, 4);
    await assert.rejects(
      store.put("streams/no-length", streamOf(bytes), OCTETS),
      (error: unknown) =>
        error instanceof BadRequestError && error.code === "content_length_required",
    );
    await assert.rejects(
      store.put("streams/short", streamOf(bytes), { ...OCTETS, contentLength: 6000 }),
      (error: unknown) =>
        error instanceof BadRequestError && error.code === "content_length_mismatch",
    );
    await assert.rejects(
      store.put("streams/long", streamOf(bytes), { ...OCTETS, contentLength: 4000 }),
      (error: unknown) =>
        error instanceof BadRequestError && error.code === "content_length_mismatch",
    );
    await assert.rejects(
      store.put("streams/bytes", bytes, { ...OCTETS, contentLength: 10 }),
      (error: unknown) =>
        error instanceof BadRequestError && error.code === "content_length_mismatch",
    );
    for (const key of ["streams/short", "streams/long", "streams/bytes"]) {
      assert.equal(await store.head(key), null, key);
    }
    assert.deepEqual((await store.list("streams/")).values, []);
  });

  contractTest("put options are validated", async (store) => {
    const bad: PutOptions[] = [
      { contentType: "not a type" },
      { contentType: "image/jpeg", metadata: { "Bad Key": "x" } },
      { contentType: "image/jpeg", metadata: { owner: "naïve" } },
      { contentType: "image/jpeg", metadata: { big: "x".repeat(3000) } },
      { contentType: "image/jpeg", contentLength: -1 },
    ];
    for (const options of bad) {
      await assert.rejects(
        store.put("options/x", new Uint8Array([1]), options),
        (error: unknown) =>
          error instanceof BadRequestError && error.code === "invalid_put_options",
        JSON.stringify(options),
      );
    }
    assert.equal(await store.head("options/x"), null);
  });

  contractTest("range reads return the asked bytes and clamp the end", async (store) => {
    const bytes = sampleBytes(10_000, 5);
    await store.put("ranges/r.bin", bytes, OCTETS);

    const middle = await store.get("ranges/r.bin", { range: { start: 100, end: 199 } });
    assert.ok(middle);
    assert.deepEqual(middle.range, { start: 100, end: 199 });
    assert.equal(middle.size, 10_000);
    assert.deepEqual(await readAll(middle.body), bytes.slice(100, 200));

    const tail = await store.get("ranges/r.bin", { range: { start: 9_990 } });
    assert.ok(tail);
    assert.deepEqual(tail.range, { start: 9_990, end: 9_999 });
    assert.deepEqual(await readAll(tail.body), bytes.slice(9_990));

    const clamped = await store.get("ranges/r.bin", { range: { start: 9_000, end: 50_000 } });
    assert.ok(clamped);
    assert.deepEqual(clamped.range, { start: 9_000, end: 9_999 });
    assert.deepEqual(await readAll(clamped.body), bytes.slice(9_000));

    const single = await store.get("ranges/r.bin", { range: { start: 0, end: 0 } });
    assert.ok(single);
    assert.deepEqual(await readAll(single.body), bytes.slice(0, 1));
  });

  contractTest("ranges past the end or malformed are refused", async (store) => {
    await store.put("ranges/small", sampleBytes(10), OCTETS);
    await assert.rejects(
      store.get("ranges/small", { range: { start: 10 } }),
      (error: unknown) => error instanceof RangeNotSatisfiableError && error.size === 10,
    );
    for (const range of [{ start: 5, end: 2 }, { start: -1 }, { start: 1.5 }]) {
      await assert.rejects(
        store.get("ranges/small", { range }),
        (error: unknown) => error instanceof BadRequestError && error.code === "invalid_range",
      );
    }
    assert.equal(await store.get("ranges/missing", { range: { start: 0 } }), null);
  });

  contractTest(
    "head describes an object; get and head of a missing key are null",
    async (store) => {
      const bytes = sampleBytes(321);
      const info = await store.put("heads/h.png", bytes, {
        contentType: "image/png",
        metadata: { width: "10" },
      });
      const head = await store.head("heads/h.png");
      assert.ok(head);
      assert.equal(head.key, "heads/h.png");
      assert.equal(head.size, 321);
      assert.equal(head.contentType, "image/png");
      assert.equal(head.etag, info.etag);
      assert.deepEqual(head.metadata, { width: "10" });
      assert.ok(head.lastModified > 0);
      assert.equal(await store.head("heads/missing"), null);
      assert.equal(await store.get("heads/missing"), null);
    },
  );

  contractTest("put replaces an existing object", async (store) => {
    await store.put("replace/x", sampleBytes(5000, 1), { contentType: "image/jpeg" });
    await store.put("replace/x", sampleBytes(10, 2), {
      contentType: "image/webp",
      metadata: { v: "2" },
    });
    const object = await store.get("replace/x");
    assert.ok(object);
    assert.equal(object.contentType, "image/webp");
    assert.equal(object.size, 10);
    assert.deepEqual(object.metadata, { v: "2" });
    assert.deepEqual(await readAll(object.body), sampleBytes(10, 2));
    assert.equal((await store.list("replace/")).values.length, 1);
  });

  contractTest("delete removes an object and is idempotent", async (store) => {
    await store.put("deletes/d", sampleBytes(10), OCTETS);
    await store.delete("deletes/d");
    assert.equal(await store.head("deletes/d"), null);
    assert.equal(await store.get("deletes/d"), null);
    await store.delete("deletes/d");
    await store.delete("deletes/never/existed");
  });

  contractTest("deleteMany removes present keys, ignores absent ones, validates first", async (
    store,
  ) => {
    for (const name of ["a", "b", "c", "keep"]) {
      await store.put(`many/${name}`, sampleBytes(10), OCTETS);
    }
    await assert.rejects(
      store.deleteMany(["many/a", "../escape"]),
      (error: unknown) => error instanceof BadRequestError && error.code === "invalid_object_key",
    );
    assert.ok(await store.head("many/a"), "nothing is deleted when a key is invalid");

    await store.deleteMany(["many/a", "many/b", "many/c", "many/missing", "many/a"]);
    await store.deleteMany([]);
    const left = (await store.list("many/")).values.map((info) => info.key);
    assert.deepEqual(left, ["many/keep"]);
  });

  contractTest("list filters by prefix and pages with a cursor in key order", async (store) => {
    const keys = [
      "list/a/01",
      "list/a/02",
      "list/a/03",
      "list/a/deep/04",
      "list/a/deep/05",
      "list/a_under",
      "list/ab/06",
      "list/b/07",
      "other/08",
    ];
    for (const key of [...keys].reverse()) await store.put(key, sampleBytes(3), OCTETS);

    const collect = async (prefix: string, limit: number) => {
      const pages: string[][] = [];
      let cursor = "";
      do {
        const page = await store.list(prefix, { cursor: cursor || undefined, limit });
        pages.push(page.values.map((info) => info.key));
        cursor = page.cursor;
      } while (cursor && pages.length < 20);
      return pages;
    };

    assert.deepEqual(await collect("list/a/", 2), [
      ["list/a/01", "list/a/02"],
      ["list/a/03", "list/a/deep/04"],
      ["list/a/deep/05"],
    ]);
    assert.deepEqual((await collect("list/a", 100)).flat(), [
      "list/a/01",
      "list/a/02",
      "list/a/03",
      "list/a/deep/04",
      "list/a/deep/05",
      "list/a_under",
      "list/ab/06",
    ]);
    assert.deepEqual((await collect("", 4)).flat(), [...keys].sort());
    assert.deepEqual(await store.list("nothing/here/"), { values: [], cursor: "" });

    const first = await store.list("list/", { limit: 1 });
    assert.equal(first.values[0].size, 3);
    assert.match(first.values[0].etag, /^[0-9a-f]{32}$/);
    assert.ok(first.values[0].lastModified > 0);

    await assert.rejects(
      store.list("list/", { cursor: "%%%not-a-cursor" }),
      (error: unknown) => error instanceof BadRequestError && error.code === "invalid_cursor",
    );
    await assert.rejects(
      store.list("list/", { limit: 0 }),
      (error: unknown) => error instanceof BadRequestError,
    );
    await assert.rejects(
      store.list("../", {}),
      (error: unknown) =>
        error instanceof BadRequestError && error.code === "invalid_object_prefix",
    );
  });

  contractTest(
    "list orders keys by bytes across folder boundaries",
    async (store) => {
      const keys = ["m/a/1", "m/a-b", "m/a.jpg", "m/a0", "m/a/2"];
      for (const key of keys) await store.put(key, sampleBytes(1), OCTETS);
      const pages: string[] = [];
      let cursor = "";
      do {
        const page = await store.list("m/", { cursor: cursor || undefined, limit: 2 });
        pages.push(...page.values.map((info) => info.key));
        cursor = page.cursor;
      } while (cursor);
      assert.deepEqual(pages, ["m/a-b", "m/a.jpg", "m/a/1", "m/a/2", "m/a0"]);
    },
    limitations.folderOrderListing,
  );

  contractTest('ifNoneMatch "*" creates but refuses to overwrite', async (store) => {
    await store.put("once/x", sampleBytes(10, 1), { ...OCTETS, ifNoneMatch: "*" });
    await assert.rejects(
      store.put("once/x", sampleBytes(10, 2), { ...OCTETS, ifNoneMatch: "*" }),
      (error: unknown) => error instanceof ConflictError && error.code === "object_exists",
    );
    assert.deepEqual(await getBytes(store, "once/x"), sampleBytes(10, 1));

    let cancelled = false;
    const refusedStream = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(sampleBytes(10)),
      cancel: () => {
        cancelled = true;
      },
    });
    await assert.rejects(
      store.put("once/x", refusedStream, { ...OCTETS, contentLength: 10, ifNoneMatch: "*" }),
      ConflictError,
    );
    assert.ok(cancelled, "a refused stream body is cancelled, not left locked");

    await store.delete("once/x");
    await store.put("once/x", sampleBytes(10, 3), { ...OCTETS, ifNoneMatch: "*" });
    assert.deepEqual(await getBytes(store, "once/x"), sampleBytes(10, 3));
  });

  contractTest("a signed GET URL works with plain fetch and expires", async (store, clock) => {
    const bytes = sampleBytes(4096, 9);
    await store.put("signed/photo.jpg", bytes, { contentType: "image/jpeg" });

    const url = await store.signedUrl("signed/photo.jpg", { expiresInSeconds: 60 });
    const response = await fetch(url);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "image/jpeg");
    assert.deepEqual(new Uint8Array(await response.arrayBuffer()), bytes);

    clock.advance(-2 * 3600_000);
    const stale = await store.signedUrl("signed/photo.jpg", { expiresInSeconds: 60 });
    const expired = await fetch(stale);
    await expired.body?.cancel();
    assert.equal(expired.status, 403);
  });

  contractTest(
    "a signed URL altered to another key is refused",
    async (store) => {
      await store.put("signed/photo.jpg", sampleBytes(10), { contentType: "image/jpeg" });
      await store.put("signed/other.jpg", sampleBytes(10), { contentType: "image/jpeg" });
      const url = await store.signedUrl("signed/photo.jpg", { expiresInSeconds: 60 });
      const refused = await fetch(url.replace("signed/photo.jpg", "signed/other.jpg"));
      await refused.body?.cancel();
      assert.equal(refused.status, 403);
    },
    limitations.unverifiedSignatures,
  );

  contractTest("a signed PUT URL uploads with plain fetch", async (store) => {
    const bytes = sampleBytes(2048, 11);
    const url = await store.signedUrl("signed/upload.png", {
      expiresInSeconds: 60,
      method: "PUT",
      contentType: "image/png",
    });
    const response = await fetch(url, {
      method: "PUT",
      body: bytes,
      headers: { "content-type": "image/png" },
    });
    await response.body?.cancel();
    assert.equal(response.status, 200);
    const object = await store.get("signed/upload.png");
    assert.ok(object);
    assert.equal(object.contentType, "image/png");
    assert.deepEqual(await readAll(object.body), bytes);

    await assert.rejects(
      store.signedUrl("signed/x", { expiresInSeconds: 0 }),
      (error: unknown) =>
        error instanceof BadRequestError && error.code === "invalid_signed_url_options",
    );
    await assert.rejects(
      store.signedUrl("signed/x", { expiresInSeconds: 8 * 24 * 3600 }),
      (error: unknown) => error instanceof BadRequestError,
    );
  });

  contractTest("invalid keys are rejected by every operation", async (store) => {
    const invalid = [
      "",
      "/leading",
      "trailing/",
      "a//b",
      "a/../b",
      "..",
      "./a",
      "has space",
      "tilde~name",
      "percent%2F",
      "back\\slash",
      "ünïcode",
      "s".repeat(201),
      `${"x".repeat(200)}/${"y".repeat(200)}/${"z".repeat(111)}`,
    ];
    const isInvalidKey = (error: unknown) =>
      error instanceof BadRequestError && error.code === "invalid_object_key";
    for (const key of invalid) {
      const label = JSON.stringify(key.slice(0, 20));
      await assert.rejects(store.put(key, new Uint8Array([1]), OCTETS), isInvalidKey, label);
      await assert.rejects(store.get(key), isInvalidKey, label);
      await assert.rejects(store.head(key), isInvalidKey, label);
      await assert.rejects(store.delete(key), isInvalidKey, label);
      await assert.rejects(store.signedUrl(key, { expiresInSeconds: 60 }), isInvalidKey, label);
    }
    const longest = `${"x".repeat(200)}/${"y".repeat(200)}/${"z".repeat(110)}`;
    assert.equal(longest.length, 512);
    await store.put(longest, new Uint8Array([1]), OCTETS);
    assert.ok(await store.head(longest));
    assert.deepEqual((await store.list("")).values.map((info) => info.key), [longest]);
  });
}
