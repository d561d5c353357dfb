import assert from "node:assert/strict";
import { allObjectKeys, as, bytesOf, newMember, ORIGIN, withApp } from "./_helpers.ts";
import { MEMBER_STORAGE_QUOTA, memberStorageUsage } from "@/core/storage/member_objects.ts";

const put = (body: Uint8Array | string, type: string) => ({
  method: "PUT",
  headers: { "content-type": type },
  body: typeof body === "string" ? body : body as Uint8Array<ArrayBuffer>,
});

Deno.test("[storage http] members read and write only their own namespace", async () => {
  await withApp(async (t) => {
    const ada = await newMember(t);
    const bo = await newMember(t);
    const res = await t.fetch(
      "/api/storage/notes/a.txt",
      as(ada, put("hello, vault", "text/plain")),
    );
    assert.equal(res.status, 200);
    const info = await res.json();
    assert.match(info.key, /^members\/[0-9a-f]{16}\/notes\/a\.txt$/);
    assert.ok(!info.key.includes(ada.wallet.slice(2, 18)), "the prefix is not the wallet");
    assert.equal(info.size, 12);
    assert.equal(info.contentType, "text/plain");

    // The owner reads it by relative or full key, whole or a range.
    for (const key of ["notes/a.txt", info.key]) {
      const got = await t.fetch(`/api/storage/${key}`, as(ada));
      assert.equal(got.status, 200);
      assert.equal(got.headers.get("content-type"), "text/plain");
      assert.equal(await got.text(), "hello, vault");
    }
    const part = await t.fetch(
      `/api/storage/${info.key}`,
      as(ada, { headers: { range: "bytes=7-" } }),
    );
    assert.equal(part.status, 206);
    assert.equal(part.headers.get("content-range"), "bytes 7-11/12");
    assert.equal(await part.text(), "vault");

    // Another member: the same key is absent, whatever the method.
    for (const key of ["notes/a.txt", info.key]) {
      const read = await t.fetch(`/api/storage/${key}`, as(bo));
      assert.equal(read.status, 404, key);
      assert.equal((await read.json()).error.code, "object_not_found");
    }
    const overwrite = await t.fetch(`/api/storage/${info.key}`, as(bo, put("pwned", "text/plain")));
    assert.equal(overwrite.status, 404);
    await overwrite.body?.cancel();
    const remove = await t.fetch(`/api/storage/${info.key}`, as(bo, { method: "DELETE" }));
    assert.equal(remove.status, 404);
    await remove.body?.cancel();
    assert.equal(await (await t.fetch(`/api/storage/${info.key}`, as(ada))).text(), "hello, vault");

    const adaList = await (await t.fetch("/api/storage", as(ada))).json();
    assert.deepEqual(adaList.values.map((v: { key: string }) => v.key), [info.key]);
    const boList = await (await t.fetch("/api/storage", as(bo))).json();
    assert.deepEqual(boList.values, []);
    assert.notEqual(boList.prefix, adaList.prefix);

    const del = await t.fetch("/api/storage/notes/a.txt", as(ada, { method: "DELETE" }));
    assert.equal(del.status, 204);
    const after = await t.fetch("/api/storage/notes/a.txt", as(ada));
    assert.equal(after.status, 404);
    await after.body?.cancel();
    assert.deepEqual(await allObjectKeys(t.app.deps.objects), []);
  });
});

Deno.test("[storage http] content type allow-list, size limit and key validation", async () => {
  await withApp(async (t) => {
    const ada = await newMember(t);
    const cases: [string, RequestInit, number, string][] = [
      ["a.exe", put("MZ", "application/x-msdownload"), 415, "object_type_unsupported"],
      ["untyped", put("x", ""), 415, "object_type_unsupported"],
      [
        "big.pdf",
        put(new Uint8Array(10 * 1024 * 1024 + 1), "application/pdf"),
        413,
        "body_too_large",
      ],
      ["bad%20key", put("x", "text/plain"), 400, "invalid_object_key"],
      ["a/..%2Fb", put("x", "text/plain"), 400, "invalid_object_key"],
    ];
    for (const [key, init, status, code] of cases) {
      const res = await t.fetch(`/api/storage/${key}`, as(ada, init));
      assert.equal(res.status, status, key);
      assert.equal((await res.json()).error.code, code, key);
    }
    const limit = await t.fetch("/api/storage?limit=0", as(ada));
    assert.equal(limit.status, 400);
    assert.match((await limit.json()).error.message, /^limit:/);
    assert.deepEqual(await allObjectKeys(t.app.deps.objects), []);
    const anonymous = await t.fetch("/api/storage/notes/a.txt", { headers: { origin: ORIGIN } });
    assert.equal(anonymous.status, 401);
    await anonymous.body?.cancel();
  });
});

Deno.test("[storage http] signed object URLs are served publicly, and only with a valid signature", async () => {
  await withApp(async (t) => {
    const { objects } = t.app.deps;
    const bytes = new TextEncoder().encode("ticket metadata");
    await objects.put("tickets/1.json", bytes, { contentType: "application/json" });
    const url = await objects.signedUrl("tickets/1.json", { expiresInSeconds: 60 });
    assert.ok(url.startsWith("/api/storage/tickets/1.json?"), url);
    const res = await t.fetch(url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/json");
    assert.deepEqual(await bytesOf(res), bytes);

    const tampered = await t.fetch(url.replace("tickets/1.json", "tickets/2.json"));
    assert.equal(tampered.status, 403);
    assert.equal((await tampered.json()).error.code, "signed_url_invalid");

    const upload = await objects.signedUrl("uploads/x.png", {
      expiresInSeconds: 60,
      method: "PUT",
      contentType: "image/png",
    });
    const wrongType = await t.fetch(upload, put("x", "text/plain"));
    assert.equal(wrongType.status, 403);
    await wrongType.body?.cancel();
    const ok = await t.fetch(upload, put(new Uint8Array([1, 2, 3]), "image/png"));
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
    assert.equal((await objects.head("uploads/x.png"))?.contentType, "image/png");
    const getWithPut = await t.fetch(upload);
    assert.equal(getWithPut.status, 403, "a PUT grant does not read");
    await getWithPut.body?.cancel();
  });
});

Deno.test("[storage http] a signed URL stands in for a session on the storage route, and grants no delete", async () => {
  await withApp(async (t) => {
    const { objects } = t.app.deps;
    const ada = await newMember(t);
    await objects.put("tickets/1.json", new TextEncoder().encode("{}"), {
      contentType: "application/json",
    });
    const url = await objects.signedUrl("tickets/1.json", { expiresInSeconds: 60 });
    // With a session too, a signed URL names the store's key, not one in the member's namespace.
    const signedIn = await t.fetch(url, as(ada));
    assert.equal(signedIn.status, 200);
    assert.equal(await signedIn.text(), "{}");
    const remove = await t.fetch(url, { method: "DELETE", headers: { origin: ORIGIN } });
    assert.equal(remove.status, 403);
    assert.equal((await remove.json()).error.code, "signed_url_invalid");
    assert.ok(await objects.head("tickets/1.json"), "the object stays");
    const unsigned = await t.fetch("/api/storage/tickets/1.json", { headers: { origin: ORIGIN } });
    assert.equal(unsigned.status, 401, "without a signature the route is members-only");
    await unsigned.body?.cancel();
  });
});

Deno.test("[storage http] old /api/objects/ URLs redirect permanently to /api/storage/, signature kept", async () => {
  await withApp(async (t) => {
    const { objects } = t.app.deps;
    const bytes = new TextEncoder().encode("ticket metadata");
    await objects.put("tickets/1.json", bytes, { contentType: "application/json" });
    // A URL handed out before the move: same key, expiry and signature under the old path.
    const signed = await objects.signedUrl("tickets/1.json", { expiresInSeconds: 60 });
    const old = signed.replace("/api/storage/", "/api/objects/");
    const res = await t.fetch(old);
    assert.equal(res.status, 308);
    assert.equal(res.headers.get("location"), signed, "the key and the whole query are kept");
    await res.body?.cancel();
    const served = await t.fetch(res.headers.get("location")!);
    assert.equal(served.status, 200);
    assert.deepEqual(await bytesOf(served), bytes);

    // Uploads too: 308 keeps the method (and the client re-sends the body).
    const upload = await objects.signedUrl("uploads/x.png", {
      expiresInSeconds: 60,
      method: "PUT",
      contentType: "image/png",
    });
    const oldUpload = upload.replace("/api/storage/", "/api/objects/");
    const moved = await t.fetch(oldUpload, put(new Uint8Array([1, 2, 3]), "image/png"));
    assert.equal(moved.status, 308);
    assert.equal(moved.headers.get("location"), upload);
    await moved.body?.cancel();
    const stored = await t.fetch(upload, put(new Uint8Array([1, 2, 3]), "image/png"));
    assert.equal(stored.status, 200);
    await stored.body?.cancel();
    assert.equal((await objects.head("uploads/x.png"))?.contentType, "image/png");

    // A tampered key still fails at the canonical route.
    const tampered = await t.fetch(old.replace("tickets/1.json", "tickets/2.json"));
    assert.equal(tampered.status, 308);
    await tampered.body?.cancel();
    const refused = await t.fetch(tampered.headers.get("location")!);
    assert.equal(refused.status, 403);
    assert.equal((await refused.json()).error.code, "signed_url_invalid");
  });
});

Deno.test("[storage http] each member has a quota of bytes and objects; deletes free it", async () => {
  await withApp(async (t) => {
    const ada = await newMember(t);
    const five = new Uint8Array(5 * 1024 * 1024);
    const fits = MEMBER_STORAGE_QUOTA.bytes / five.byteLength;
    for (let i = 0; i < fits; i++) {
      const res = await t.fetch(`/api/storage/big/${i}.bin`, as(ada, put(five, "text/plain")));
      assert.equal(res.status, 200);
      await res.body?.cancel();
    }
    const over = await t.fetch("/api/storage/big/over.bin", as(ada, put("x", "text/plain")));
    assert.equal(over.status, 413);
    const { error } = await over.json();
    assert.equal(error.code, "storage_quota_exceeded");
    assert.match(error.message, /Delete objects you no longer need/);

    // Replacing an object counts only the difference.
    const smaller = await t.fetch("/api/storage/big/0.bin", as(ada, put("tiny", "text/plain")));
    assert.equal(smaller.status, 200);
    await smaller.body?.cancel();
    const del = await t.fetch("/api/storage/big/1.bin", as(ada, { method: "DELETE" }));
    assert.equal(del.status, 204);
    const again = await t.fetch("/api/storage/big/over.bin", as(ada, put(five, "text/plain")));
    assert.equal(again.status, 200);
    await again.body?.cancel();

    // Another member's quota is their own.
    const bo = await newMember(t);
    const boPut = await t.fetch("/api/storage/big/0.bin", as(bo, put(five, "text/plain")));
    assert.equal(boPut.status, 200);
    await boPut.body?.cancel();
  });
});

Deno.test("[storage http] the object count is capped too", async () => {
  await withApp(async (t) => {
    const ada = await newMember(t);
    for (let i = 0; i < MEMBER_STORAGE_QUOTA.objects; i++) {
      const res = await t.fetch(`/api/storage/n/${i}.txt`, as(ada, put("x", "text/plain")));
      assert.equal(res.status, 200);
      await res.body?.cancel();
    }
    const over = await t.fetch("/api/storage/n/over.txt", as(ada, put("x", "text/plain")));
    assert.equal(over.status, 413);
    assert.equal((await over.json()).error.code, "storage_quota_exceeded");
    const replace = await t.fetch("/api/storage/n/0.txt", as(ada, put("y", "text/plain")));
    assert.equal(replace.status, 200, "replacing an object adds none");
    await replace.body?.cancel();
  });
});

Deno.test("[storage http] parallel puts cannot pass the quota", async () => {
  await withApp(async (t) => {
    const ada = await newMember(t);
    const five = new Uint8Array(5 * 1024 * 1024);
    const fits = MEMBER_STORAGE_QUOTA.bytes / five.byteLength;
    const statuses = await Promise.all(
      Array.from({ length: fits * 2 }, async (_, i) => {
        const res = await t.fetch(`/api/storage/race/${i}.bin`, as(ada, put(five, "text/plain")));
        await res.body?.cancel();
        return res.status;
      }),
    );
    assert.equal(statuses.filter((s) => s === 200).length, fits);
    assert.equal(statuses.filter((s) => s === 413).length, fits);
    const stored = await (await t.fetch("/api/storage?limit=1000", as(ada))).json();
    assert.equal(stored.values.length, fits);
    assert.deepEqual(await memberStorageUsage(t.app.deps, ada.wallet), {
      bytes: MEMBER_STORAGE_QUOTA.bytes,
      objects: fits,
    });
  });
});
