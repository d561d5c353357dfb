import assert from "node:assert/strict";
import { createManualClock } from "@/core/clock.ts";
import { ORPHAN_GRACE_MS } from "@/core/profiles/photo_sweep.ts";
import { createFsObjectStore } from "@/core/storage/fs.ts";
import { createMemoryLogger } from "@/server/observability/logger.ts";
import {
  DAILY_CLEANUP_SCHEDULE,
  dispatchJob,
  handlePhotoSweep,
  PHOTO_SWEEP_INTERVAL_MS,
  runDailyCleanup,
  schedulePhotoSweep,
  startJobs,
} from "@/server/background/jobs.ts";

async function world() {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(Date.UTC(2030, 0, 1));
  const root = await Deno.makeTempDir({ prefix: "aurum-jobs-" });
  const objects = createFsObjectStore({ root, signingKey: "k".repeat(40) }, { clock });
  const logger = createMemoryLogger();
  return {
    kv,
    clock,
    objects,
    logger,
    tickets: null,
    async close() {
      kv.close();
      await objects.close();
      await Deno.remove(root, { recursive: true });
    },
  };
}

Deno.test("[jobs] one sweep chain however often it is scheduled; a run deletes old orphans and renews", async () => {
  const w = await world();
  try {
    assert.equal(await schedulePhotoSweep(w, 60_000), true);
    assert.equal(await schedulePhotoSweep(w, 60_000), false, "a live chain is not doubled");
    const state = (await w.kv.get<{ runId: string }>(["jobs", "photo_sweep"])).value!;

    const orphan = "profiles/01ARZ3NDEKTSV4RRFFQ69G5FAV/photos/01ARZ3NDEKTSV4RRFFQ69G5FAW/full.jpg";
    await w.objects.put(orphan, new Uint8Array([1]), { contentType: "image/jpeg" });
    w.clock.advance(ORPHAN_GRACE_MS + 1);

    assert.equal(await handlePhotoSweep(w, { type: "other" }), false);
    assert.equal(await handlePhotoSweep(w, { type: "photo_sweep", runId: "stale" }), true);
    assert.ok(await w.objects.head(orphan), "a stale chain's message does nothing");
    assert.equal(await handlePhotoSweep(w, { type: "photo_sweep", runId: state.runId }), true);
    assert.equal(await w.objects.head(orphan), null);
    const next = (await w.kv.get<{ runId: string; dueAt: number }>(["jobs", "photo_sweep"])).value!;
    assert.notEqual(next.runId, state.runId);
    assert.equal(next.dueAt, w.clock.now() + PHOTO_SWEEP_INTERVAL_MS);
  } finally {
    await w.close();
  }
});

Deno.test("[jobs] startJobs runs the first sweep from the KV queue", async () => {
  const w = await world();
  try {
    const running = startJobs(w, 0);
    const deadline = Date.now() + 10_000;
    while (!w.logger.entries.some((e) => e.msg === "photo_sweep") && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(w.logger.entries.some((e) => e.msg === "photo_sweep"), "the sweep ran");
    w.kv.close();
    await running;
  } finally {
    await w.close().catch(() => {});
  }
});

Deno.test("[jobs] the daily clean-up deletes old orphans; with the cron, a chain message ends the chain", async () => {
  const w = await world();
  try {
    assert.equal(DAILY_CLEANUP_SCHEDULE, "17 3 * * *");
    const orphan = "profiles/01ARZ3NDEKTSV4RRFFQ69G5FAV/photos/01ARZ3NDEKTSV4RRFFQ69G5FAW/full.jpg";
    const young = "profiles/01ARZ3NDEKTSV4RRFFQ69G5FAV/photos/01ARZ3NDEKTSV4RRFFQ69G5FAX/full.jpg";
    await w.objects.put(orphan, new Uint8Array([1]), { contentType: "image/jpeg" });
    w.clock.advance(ORPHAN_GRACE_MS + 1);
    await w.objects.put(young, new Uint8Array([1]), { contentType: "image/jpeg" });
    await runDailyCleanup(w);
    assert.equal(await w.objects.head(orphan), null);
    assert.ok(await w.objects.head(young), "an object inside the grace period stays");
    assert.ok(w.logger.entries.some((e) => e.msg === "photo_sweep"));

    assert.equal(await schedulePhotoSweep(w, 60_000), true);
    const state = (await w.kv.get<{ runId: string }>(["jobs", "photo_sweep"])).value!;
    await dispatchJob(w, { type: "photo_sweep", runId: state.runId }, { renewSweep: false });
    const after = (await w.kv.get<{ runId: string }>(["jobs", "photo_sweep"])).value!;
    assert.equal(after.runId, state.runId, "not renewed");
  } finally {
    await w.close();
  }
});
