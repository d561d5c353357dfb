import assert from "node:assert/strict";
import * as ml from "@/ml-wasm/mod.ts";
import { createMlPool, defaultPoolSize } from "@/ml-wasm/pool.ts";
import { DEMO_DIR } from "./_images.ts";
import { zeroPng } from "@/tests/reliability/_upload_fixtures.ts";

const sample = () => Deno.readFile(new URL("sample1.jpg", DEMO_DIR));

Deno.test("[ml pool] same results as the in-process core; errors keep their codes; the caller's bytes stay usable", async () => {
  const pool = createMlPool({ size: 1 });
  try {
    const bytes = await sample();
    const [inPool, inProcess] = [await pool.analyzePhoto(bytes), await ml.analyzePhoto(bytes)];
    assert.deepEqual(inPool, inProcess);
    assert.equal(bytes.length > 0 && bytes[0], 0xff, "the input was copied, not detached");
    const renditions = await pool.preparePhoto(bytes, [640], { blur: true });
    assert.deepEqual(
      renditions.map((r) => [r.blurred, r.width, r.height]),
      (await ml.preparePhoto(bytes, [640], { blur: true })).map((
        r,
      ) => [r.blurred, r.width, r.height]),
    );
    assert.ok(renditions.every((r) => r.jpeg instanceof Uint8Array && r.jpeg[0] === 0xff));
    const model = await pool.defaultModel();
    assert.deepEqual(await pool.scorePhoto(inPool, model), await ml.scorePhoto(inProcess, model));
    const error = await pool.analyzePhoto(new TextEncoder().encode("not a photo")).catch((e) => e);
    assert.ok(error instanceof ml.MlError);
    assert.equal(error.code, "unsupported_format");
    assert.equal(pool.stats().workers, 1);
  } finally {
    await pool.close();
  }
});

Deno.test("[ml pool] the event loop stays free while a worker decodes a pixel bomb", async () => {
  const pool = createMlPool({ size: 1 });
  try {
    await pool.defaultModel(); // the worker is up
    const bomb = await zeroPng(3950, 3950);
    let ticks = 0;
    let worst = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      worst = Math.max(worst, now - last);
      last = now;
      ticks++;
    }, 5);
    const started = performance.now();
    const analysis = await pool.analyzePhoto(bomb).finally(() => clearInterval(timer));
    const took = performance.now() - started;
    assert.equal(analysis.faces.length, 0);
    assert.ok(took > 100, `the decode took ${took} ms`);
    assert.ok(worst < 100, `the event loop stalled for ${worst.toFixed(0)} ms (${ticks} ticks)`);
  } finally {
    await pool.close();
  }
});

Deno.test("[ml pool] bounded: at most `size` workers, a bounded queue, `busy` beyond it", async () => {
  const pool = createMlPool({ size: 2, maxQueue: 1 });
  try {
    const bytes = await sample();
    const accepted = [pool.analyzePhoto(bytes), pool.analyzePhoto(bytes), pool.analyzePhoto(bytes)];
    const refused = await pool.analyzePhoto(bytes).catch((e) => e);
    assert.ok(refused instanceof ml.MlError);
    assert.equal(refused.code, "busy");
    assert.deepEqual(
      { workers: pool.stats().workers, busy: pool.stats().busy, queued: pool.stats().queued },
      { workers: 2, busy: 2, queued: 1 },
    );
    for (const analysis of await Promise.all(accepted)) assert.equal(analysis.faces.length, 2);
    assert.equal(pool.stats().refused, 1);
    assert.ok(defaultPoolSize() >= 1 && defaultPoolSize() <= 2);
  } finally {
    await pool.close();
  }
});

Deno.test("[ml pool] a call over its time limit loses its worker; the next call gets a fresh one; close fails what is pending", async () => {
  const pool = createMlPool({ size: 1, jobTimeoutMs: 20 });
  const bomb = await zeroPng(3950, 3950);
  try {
    const timedOut = await pool.analyzePhoto(bomb).catch((e) => e);
    assert.ok(timedOut instanceof ml.MlError);
    assert.equal(timedOut.code, "trap");
    assert.equal(pool.stats().crashed, 1);
    assert.equal(pool.stats().workers, 0);
  } finally {
    await pool.close();
  }
  const closing = createMlPool({ size: 1 });
  const running = closing.analyzePhoto(bomb).catch((e) => e);
  const queued = closing.analyzePhoto(bomb).catch((e) => e);
  await closing.close();
  for (const error of [await running, await queued]) {
    assert.ok(error instanceof ml.MlError);
    assert.equal(error.code, "busy");
  }
  const after = await closing.defaultModel().catch((e) => e);
  assert.equal(after.code, "busy");
});
