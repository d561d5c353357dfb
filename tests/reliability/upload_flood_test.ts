/**
 * Photo uploads must not stall the server: decoding runs off the event loop, oversized images are
 * refused from their header, each member has one upload at a time and an hourly budget that failed
 * uploads use up. The app is served over real HTTP on a loopback port.
 */
import assert from "node:assert/strict";
import { PHOTO_UPLOAD_BUDGET } from "@/core/profiles/mod.ts";
import type { MlCore } from "@/server/deps.ts";
import * as ml from "@/ml-wasm/mod.ts";
import { plainJpeg, uprightPhoto } from "@/tests/profiles/_photos.ts";
import {
  createProfileOver,
  newMember,
  profilesApp,
  type TestApp,
  type TestMember,
} from "@/tests/profiles_http/_helpers.ts";
import { percentile, zeroPng } from "./_upload_fixtures.ts";

/** Serves the app on a free loopback port. */
function serve(t: TestApp) {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => t.app.fetch(req),
  );
  const origin = `http://127.0.0.1:${server.addr.port}`;
  return { server, origin };
}

/** POSTs `bytes` as the member's raw-body photo upload. */
async function upload(
  origin: string,
  member: TestMember,
  profileId: string,
  bytes: Uint8Array,
  type = "image/jpeg",
): Promise<{ status: number; code?: string; retryAfter: string | null; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${origin}/api/profiles/${profileId}/photos`, {
    method: "POST",
    headers: { "content-type": type, cookie: `aurum_session=${member.cookie}`, origin },
    body: bytes as Uint8Array<ArrayBuffer>,
  });
  const body = await res.json().catch(() => ({}));
  return {
    status: res.status,
    code: body?.error?.code ?? body?.code,
    retryAfter: res.headers.get("retry-after"),
    ms: performance.now() - started,
  };
}

/** Polls `/api/health` back to back until `stop` resolves; returns each latency. */
async function sampleHealth(origin: string, stop: Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  let done = false;
  stop.finally(() => done = true);
  while (!done) {
    const started = performance.now();
    const res = await fetch(`${origin}/api/health`);
    await res.body?.cancel();
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return latencies;
}

async function member(t: TestApp): Promise<{ m: TestMember; profileId: string }> {
  const m = await newMember(t);
  const profile = await createProfileOver(t, m);
  return { m, profileId: profile.id };
}

let realJpeg: Uint8Array | null = null;
async function photo(): Promise<Uint8Array> {
  realJpeg ??= await plainJpeg(await uprightPhoto());
  return realJpeg;
}

Deno.test("[upload flood] 12 zero-pixel bombs and real uploads in parallel: health stays fast, bombs are refused", async () => {
  const t = await profilesApp();
  const { server, origin } = serve(t);
  try {
    const real = await photo();
    // 36 MP: refused from the header. 15.6 MP: under the PNG cap, so it is decoded (in a worker).
    const [huge, large] = [await zeroPng(6000, 6000), await zeroPng(3950, 3950)];
    const attackers = [];
    for (let i = 0; i < 6; i++) attackers.push(await member(t));
    const [ada, bo] = [await member(t), await member(t)];
    // Warm the path (workers start on first use) before measuring.
    assert.equal((await upload(origin, ada.m, ada.profileId, real)).status, 201);

    // Six attackers in parallel, each sending its two bombs back to back (a member's second
    // upload while one is in progress would only get 429).
    const flood = Promise.all([
      ...attackers.map(async (a) => [
        await upload(origin, a.m, a.profileId, huge, "image/png"),
        await upload(origin, a.m, a.profileId, large, "image/png"),
      ]),
      upload(origin, ada.m, ada.profileId, real).then((r) => [r]),
      upload(origin, bo.m, bo.profileId, real).then((r) => [r]),
    ]);
    const health = await sampleHealth(origin, flood);
    const results = (await flood).flat();
    const bombs = results.slice(0, 12);
    const [adaResult, boResult] = results.slice(12);

    const p99 = percentile(health, 99);
    const seen = `health p99 ${p99.toFixed(1)} ms over ${health.length} samples during the flood`;
    assert.ok(p99 < 250, seen);
    assert.ok(health.length >= 5, seen);
    assert.equal(adaResult.status, 201, JSON.stringify(adaResult));
    assert.equal(boResult.status, 201, JSON.stringify(boResult));
    for (const bomb of bombs) {
      assert.ok([422, 429].includes(bomb.status), JSON.stringify(bomb));
    }
    assert.ok(
      bombs.filter((_, i) => i % 2 === 0).every((b) => b.code === "photo_too_many_pixels"),
      "the 36 MP bombs are refused from their header",
    );
  } finally {
    await server.shutdown();
    await t.close();
  }
});

Deno.test("[upload flood] failed uploads count against the hourly budget; then every upload is refused", async () => {
  const t = await profilesApp();
  const { server, origin } = serve(t);
  try {
    const bomb = await zeroPng(6000, 6000);
    const eve = await member(t);
    for (let i = 0; i < PHOTO_UPLOAD_BUDGET.limit; i++) {
      const result = await upload(origin, eve.m, eve.profileId, bomb, "image/png");
      assert.equal(result.status, 422, JSON.stringify(result));
    }
    const over = await upload(origin, eve.m, eve.profileId, bomb, "image/png");
    assert.equal(over.status, 429, JSON.stringify(over));
    assert.equal(over.code, "photo_upload_budget");
    assert.ok(Number(over.retryAfter) > 0);
    const honest = await upload(origin, eve.m, eve.profileId, await photo());
    assert.equal(honest.status, 429);
    // Another member's budget is their own.
    const ada = await member(t);
    assert.equal((await upload(origin, ada.m, ada.profileId, await photo())).status, 201);
  } finally {
    await server.shutdown();
    await t.close();
  }
});

Deno.test("[upload flood] a member's second upload while the first is processed gets 429", async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => release = resolve);
  let entered!: () => void;
  const inside = new Promise<void>((resolve) => entered = resolve);
  const gated: MlCore = {
    ...ml,
    async analyzePhoto(bytes) {
      entered();
      await gate;
      return await ml.analyzePhoto(bytes);
    },
  };
  const t = await profilesApp({}, { ml: gated });
  const { server, origin } = serve(t);
  try {
    const real = await photo();
    const ada = await member(t);
    const bo = await member(t);
    const first = upload(origin, ada.m, ada.profileId, real);
    await inside;
    // Were the second upload let through, it would wait on the gate: open it after a while.
    const opener = setTimeout(release, 3_000);
    const second = await upload(origin, ada.m, ada.profileId, real).finally(() =>
      clearTimeout(opener)
    );
    assert.equal(second.status, 429, JSON.stringify(second));
    assert.equal(second.code, "photo_upload_in_progress");
    assert.ok(Number(second.retryAfter) > 0);
    // Other members are not held up by Ada's slot.
    const others = upload(origin, bo.m, bo.profileId, real);
    release();
    assert.equal((await first).status, 201);
    assert.equal((await others).status, 201);
    // The slot is free again once the upload ended.
    assert.equal((await upload(origin, ada.m, ada.profileId, real)).status, 201);
  } finally {
    await server.shutdown();
    await t.close();
  }
});

Deno.test("[upload flood] over-cap images are refused before the ML core sees them", async () => {
  const calls: string[] = [];
  const spy: MlCore = {
    ...ml,
    analyzePhoto(bytes) {
      calls.push("analyze");
      return ml.analyzePhoto(bytes);
    },
    preparePhoto(bytes, sizes, options) {
      calls.push("prepare");
      return ml.preparePhoto(bytes, sizes, options);
    },
  };
  const t = await profilesApp({}, { ml: spy });
  const { server, origin } = serve(t);
  try {
    const eve = await member(t);
    const started = performance.now();
    const result = await upload(
      origin,
      eve.m,
      eve.profileId,
      await zeroPng(6000, 6000),
      "image/png",
    );
    assert.equal(result.status, 422);
    assert.equal(result.code, "photo_too_many_pixels");
    assert.deepEqual(calls, []);
    assert.ok(performance.now() - started < 250, `took ${performance.now() - started} ms`);
  } finally {
    await server.shutdown();
    await t.close();
  }
});
