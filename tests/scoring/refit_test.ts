/**
 * The community refit on a simulated circle (`:memory:` KV, manual clock, seeded PRNG, synthetic
 * analysed photos): members see pages of others and signal or pass by a known linear taste over
 * the photo features plus logistic noise. The refit must recover the taste's direction on photos
 * no one compared, store a new version only when it beats the current model, and the rescoring
 * must move every scored photo to it with the histogram still counting each photo once.
 */
import assert from "node:assert/strict";
import { createManualClock } from "@/core/clock.ts";
import { forgetPool, passProfile, recordImpressions } from "@/core/discovery/mod.ts";
import { sendSignal } from "@/core/social/mod.ts";
import {
  commitPhotoScore,
  readBest,
  readHistogram,
  readLatestScores,
  refitCommunityModel,
  rescoreStalePhotos,
  scheduleRefitRun,
  scoringModelKey,
  untilNextRefitRun,
} from "@/core/scoring/mod.ts";
import { handleRefitJob } from "@/server/background/jobs.ts";
import { createMemoryLogger } from "@/server/observability/logger.ts";
import * as ml from "@/ml-wasm/mod.ts";
import { NOW } from "@/tests/profiles/_helpers.ts";
import {
  createPopulation,
  normal,
  seeded,
  type SimMember,
  spearman,
} from "../discovery/_population.ts";
import { runAdminTask, tempCircle } from "../admin/_helpers.ts";
import { keysUnder, kvSnapshot } from "./_helpers.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
const mlCore = {
  defaultModel: ml.defaultModel,
  fitPreferences: ml.fitPreferences,
  scorePhoto: ml.scorePhoto,
};

/** A circle of `active` members who see and judge each other, plus `unseen` ones no one sees. */
async function simulateCircle(kv: Deno.Kv, seed: number, active: number, unseen: number) {
  const clock = createManualClock(NOW);
  const spec = (await ml.defaultModel()).features;
  const r = seeded(seed);
  const members = await createPopulation(kv, clock, spec, active + unseen, r);
  const taste = Object.fromEntries(spec.map((f) => [f.name, normal(r) / 2]));
  const utility = (m: SimMember) =>
    Object.entries(taste).reduce((s, [name, w]) => s + w * m.z[name], 0);
  const deps = { kv, clock };
  const judges = members.slice(0, active);
  for (let day = 0; day < 3; day++) {
    for (const viewer of judges) {
      const others = judges.filter((m) => m !== viewer)
        .map((m) => ({ m, k: r() }))
        .sort((a, b) => a.k - b.k)
        .slice(day * 10, day * 10 + 10)
        .map(({ m }) => m);
      await recordImpressions(deps, viewer.wallet, others.map((m) => m.profile.id));
      for (const target of others) {
        const u = Math.min(0.999999, Math.max(1e-6, r()));
        const decision = utility(target) + Math.log(u / (1 - u)); // logistic noise
        if (decision > 0.75) {
          await sendSignal(kv, clock, { from: viewer.wallet, to: target.wallet, dailyQuota: 1000 });
        } else if (decision < -0.75) {
          await passProfile(deps, viewer.wallet, target.profile.id);
        }
      }
      clock.advance(1000);
    }
    clock.advance(DAY_MS);
  }
  return { clock, members, judges, unseen: members.slice(active), utility, taste };
}

Deno.test("[scoring] the community refit recovers a known taste, stores a new version and the rescore moves every score to it", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const { clock, members, unseen, utility } = await simulateCircle(kv, 23, 120, 40);
    const deps = { kv, clock, ml: mlCore };

    // Every photo scored once by the prior, through the real scoring commit.
    const prior = await ml.defaultModel();
    for (const m of members) {
      const photo = m.profile.photos[0];
      const [analysis] = await Promise.all([kv.get(["photo_analysis", photo.id])]);
      const breakdown = await ml.scorePhoto(
        analysis.value as Parameters<typeof ml.scorePhoto>[0],
        prior,
      );
      await commitPhotoScore(deps, { photoId: photo.id, profileId: m.profile.id, breakdown });
    }

    const before = await kvSnapshot(kv);
    const dry = await refitCommunityModel(deps, { dryRun: true });
    assert.equal(dry.outcome, "stored", dry.reason);
    assert.deepEqual(await kvSnapshot(kv), before, "a dry run writes nothing");

    const report = await refitCommunityModel(deps);
    console.log(
      `pairs ${report.pairs} (same page ${report.samePagePairs}), held out ${report.heldOutPairs}, ` +
        `accuracy ${report.accuracyBefore?.toFixed(3)} → ${report.accuracyAfter?.toFixed(3)}`,
    );
    assert.equal(report.outcome, "stored", report.reason);
    assert.ok(report.pairs >= 500, `pairs ${report.pairs}`);
    assert.equal(report.samePagePairs, report.pairs, "every judge has same-page pairs");
    assert.ok(report.accuracyAfter! > report.accuracyBefore!);
    assert.match(report.version, /^community-20300618-1$/);
    const stored = (await kv.get<ml.ModelWeights>(scoringModelKey)).value!;
    assert.equal(stored.version, report.version);
    assert.deepEqual(
      stored.features.map((f) => f.name).sort(),
      prior.features.map((f) => f.name).sort(),
      "only the photo features are inputs",
    );

    // Direction recovered on photos no one ever compared (no offsets there).
    const raw = await Promise.all(unseen.map(async (m) => {
      const analysis = await kv.get(["photo_analysis", m.profile.photos[0].id]);
      return (await ml.scorePhoto(analysis.value as Parameters<typeof ml.scorePhoto>[0], stored))
        .raw;
    }));
    const rho = spearman(raw, unseen.map(utility));
    console.log(`Spearman on ${unseen.length} unseen photos: ${rho.toFixed(3)}`);
    assert.ok(rho >= 0.9, `Spearman ${rho}`);

    // Offsets: compared photos only, each with its comparisons.
    const offsets = await keysUnder(kv, ["photo_offset"]);
    assert.equal(offsets.length, report.offsetsWritten);
    const unseenIds = new Set(unseen.map((m) => m.profile.photos[0].id));
    assert.ok(offsets.every((key) => !unseenIds.has(String(key[1]))));

    // The same data again: the stored model does not beat itself, so it is kept.
    const again = await refitCommunityModel(deps);
    assert.equal(again.outcome, "kept", again.reason);
    assert.equal(again.version, report.version);
    assert.equal(again.candidateVersion, "community-20300618-2");

    // Rescore: every photo gets a history entry with the new version; the histogram stays whole.
    const dryRescore = await rescoreStalePhotos(deps, { dryRun: true });
    assert.equal(dryRescore.stale, members.length);
    assert.equal(dryRescore.rescored, 0);
    const rescore = await rescoreStalePhotos(deps);
    assert.deepEqual(
      { scored: rescore.scored, stale: rescore.stale, rescored: rescore.rescored },
      { scored: members.length, stale: members.length, rescored: members.length },
    );
    const histogram = await readHistogram(kv);
    assert.equal(histogram.reduce((s, n) => s + n, 0), members.length);
    for (const m of members.slice(0, 10)) {
      const photoId = m.profile.photos[0].id;
      const history = await Array.fromAsync(kv.list({ prefix: ["score_history", photoId] }));
      assert.deepEqual(
        history.map((e) => (e.value as { modelVersion: string }).modelVersion),
        [prior.version, report.version],
      );
      const [latest] = await readLatestScores(kv, [photoId]);
      assert.equal(latest.score!.modelVersion, report.version);
      const { best } = await readBest(kv, m.profile.id);
      assert.deepEqual(best, { photoId, score: latest.score!.score });
    }
    assert.equal((await rescoreStalePhotos(deps)).stale, 0, "nothing left to rescore");
  } finally {
    forgetPool(kv);
    kv.close();
  }
});

Deno.test("[scoring] too few pairs keep the current model", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const { clock } = await simulateCircle(kv, 5, 6, 0);
    const report = await refitCommunityModel({ kv, clock, ml: mlCore }, { minPairs: 10_000 });
    assert.equal(report.outcome, "kept");
    assert.match(report.reason, /too few pairs/);
    assert.equal(report.version, "prior-1");
    assert.equal((await kv.get(scoringModelKey)).versionstamp, null);
  } finally {
    kv.close();
  }
});

Deno.test("[scoring] ml:refit and ml:rescore: bad input exits 2, a dry run on an empty circle exits 0", async () => {
  const circle = await tempCircle();
  try {
    const kv = await Deno.openKv(circle.kvPath);
    kv.close();
    for (
      const [task, args] of [
        ["ml:refit", ["--bogus"]],
        ["ml:refit", ["--holdout", "2"]],
        ["ml:refit", ["--min-pairs", "x"]],
        ["ml:refit", ["extra"]],
        ["ml:rescore", ["extra"]],
        ["ml:rescore", ["--force"]],
      ] as const
    ) {
      const run = await runAdminTask(task, [...args], circle.env);
      assert.equal(run.code, 2, `${task} ${args.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, new RegExp(`^${task}: `, "m"));
    }
    const refit = await runAdminTask("ml:refit", ["--dry-run"], circle.env);
    assert.equal(refit.code, 0, refit.stderr);
    assert.match(refit.stdout, /^pairs: 0 /m);
    assert.match(refit.stdout, /would keep prior-1: too few pairs/);
    const rescore = await runAdminTask("ml:rescore", ["--dry-run"], circle.env);
    assert.equal(rescore.code, 0, rescore.stderr);
    assert.match(rescore.stdout, /model prior-1: 0 scored photos/);
  } finally {
    await circle.remove();
  }
});

Deno.test("[scoring] the daily refit job: one run per day; without the cron it schedules the next day's", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const clock = createManualClock(NOW);
    const logger = createMemoryLogger();
    const deps = { kv, clock, logger, ml };
    const { day } = untilNextRefitRun(clock.now());
    assert.equal(await scheduleRefitRun(deps, day, 60_000), true);
    assert.equal(await scheduleRefitRun(deps, day, 60_000), false, "once per day");

    assert.equal(await handleRefitJob(deps, { type: "other" }, { chain: true }), false);
    assert.equal(
      await handleRefitJob(deps, { type: "scoring_refit", day }, { chain: false }),
      true,
    );
    assert.ok(logger.entries.some((e) => e.msg === "scoring_refit"));
    assert.ok(logger.entries.some((e) => e.msg === "scoring_rescore"));
    const next = untilNextRefitRun(clock.now() + DAY_MS).day;
    assert.equal((await kv.get(["jobs", "scoring_refit", next])).versionstamp, null);
    clock.advance(DAY_MS);
    assert.equal(await handleRefitJob(deps, { type: "scoring_refit", day }, { chain: true }), true);
    assert.notEqual((await kv.get(["jobs", "scoring_refit", next])).versionstamp, null);
  } finally {
    kv.close();
  }
});
