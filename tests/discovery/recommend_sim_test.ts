/**
 * Simulations of the recommender on `:memory:` KV with a manual clock and synthetic analysed
 * photos: exposure fairness over 1,000 members and 30 days, and recovery of a known preference.
 */
import assert from "node:assert/strict";
import { createManualClock } from "@/core/clock.ts";
import {
  FORBIDDEN_INPUTS,
  forgetPool,
  passProfile,
  rankCandidates,
  readPreferenceModel,
  recommendProfiles,
} from "@/core/discovery/mod.ts";
import { sendSignal } from "@/core/social/mod.ts";
import * as ml from "@/ml-wasm/mod.ts";
import { NOW } from "@/tests/profiles/_helpers.ts";
import { createPopulation, gini, normal, seeded, spearman } from "./_population.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
const mlCore = { defaultModel: ml.defaultModel, fitPreferences: ml.fitPreferences };

Deno.test("[discovery] fairness: 1,000 members over 30 days, each recommended to someone every week", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(NOW);
  try {
    const spec = (await ml.defaultModel()).features;
    const r = seeded(7);
    const members = await createPopulation(kv, clock, spec, 1000, r);
    const index = new Map(members.map((m, i) => [m.profile.id, i]));
    // Each member's private taste: a random direction over the photo features.
    const tastes = members.map(() => spec.map(() => normal(r)));
    const utility = (viewer: number, target: number) =>
      spec.reduce((s, f, k) => s + tastes[viewer][k] * members[target].z[f.name], 0) / 3;
    const deps = { kv, clock, ml: mlCore };
    const days = 30;
    const shown = members.map(() => new Array<number>(days).fill(0));
    for (let day = 0; day < days; day++) {
      const viewers = members.map((_, i) => i).filter(() => r() < 0.2);
      for (const v of viewers) {
        clock.advance(100);
        const page = await recommendProfiles(deps, { viewer: members[v].wallet, limit: 10 });
        for (const card of page.values) {
          const t = index.get(card.id)!;
          shown[t][day]++;
          const u = utility(v, t);
          if (u > 0.8) {
            await sendSignal(kv, clock, { from: members[v].wallet, to: members[t].wallet });
          } else if (u < -0.4) {
            await passProfile(deps, members[v].wallet, card.id);
          }
        }
      }
      clock.set(NOW + (day + 1) * DAY_MS);
    }
    const starved = members.flatMap((_, i) => {
      for (let start = 0; start + 7 <= days; start++) {
        if (shown[i].slice(start, start + 7).every((n) => n === 0)) return [i];
      }
      return [];
    });
    const totals = shown.map((perDay) => perDay.reduce((s, n) => s + n, 0));
    const g = gini(totals);
    console.log(
      `impressions over 30 days: total ${totals.reduce((s, n) => s + n, 0)}, ` +
        `min ${Math.min(...totals)}, max ${Math.max(...totals)}, Gini ${g.toFixed(3)}`,
    );
    assert.deepEqual(starved, [], `members unseen for a week: ${starved.length}`);
    assert.ok(g < 0.5, `Gini ${g}`);
  } finally {
    forgetPool(kv);
    kv.close();
  }
});

Deno.test("[discovery] a viewer's known preference is recovered from signals and passes (Spearman ≥ 0.9)", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(NOW);
  try {
    const spec = (await ml.defaultModel()).features;
    const r = seeded(11);
    const [viewer, ...others] = await createPopulation(kv, clock, spec, 601, r);
    const trueWeights: Record<string, number> = { sharpness: 1, composition: 0.8, noise: -0.6 };
    const utility = (z: Record<string, number>) =>
      Object.entries(trueWeights).reduce((s, [name, w]) => s + w * z[name], 0);
    const byId = new Map(others.map((m) => [m.profile.id, m]));
    const deps = { kv, clock, ml: mlCore };
    for (let round = 0; round < 14; round++) {
      const page = await recommendProfiles(deps, { viewer: viewer.wallet, limit: 20 });
      for (const card of page.values) {
        const target = byId.get(card.id)!;
        const p = 1 / (1 + Math.exp(-6 * utility(target.z)));
        if (r() < p) {
          await sendSignal(kv, clock, { from: viewer.wallet, to: target.wallet, dailyQuota: 1000 });
        } else {
          await passProfile(deps, viewer.wallet, card.id);
        }
      }
      clock.advance(DAY_MS);
    }
    const ranking = await rankCandidates(deps, { viewer: viewer.wallet, limit: 1000 });
    assert.equal(ranking.coldStart, false);
    assert.ok(ranking.values.length >= 100, `ranked ${ranking.values.length}`);
    // The learned preference alone (the ranking adds the exposure term on purpose, for fairness).
    const rho = spearman(
      ranking.values.map((v) => v.preference),
      ranking.values.map((v) => utility(byId.get(v.profile.id)!.z)),
    );
    console.log(`Spearman of the learned preference with the true one: ${rho.toFixed(3)}`);
    assert.ok(rho >= 0.9, `Spearman ${rho}`);
    // The model's inputs are photo features only.
    const stored = await readPreferenceModel(kv, viewer.wallet);
    assert.ok(stored);
    const inputs = stored.model.features.map((f) => f.name).sort();
    assert.deepEqual(inputs, spec.map((f) => f.name).sort());
    for (const name of inputs) {
      for (const word of FORBIDDEN_INPUTS) assert.ok(!name.includes(word), `${name} has ${word}`);
      assert.ok(!/gender|interest|city|region|ethnic|universit|wallet|nft|payment/i.test(name));
    }
  } finally {
    forgetPool(kv);
    kv.close();
  }
});
