import assert from "node:assert/strict";
import { defaultModel, fitPreferences, type PreferencePair, scorePhoto } from "@/ml-wasm/mod.ts";
import { rng } from "./_images.ts";

function ranks(v: number[]): number[] {
  const idx = v.map((x, i) => [x, i]).sort((a, b) => a[0] - b[0]);
  const r = new Array(v.length);
  idx.forEach(([, i], k) => (r[i] = k));
  return r;
}

function spearman(a: number[], b: number[]): number {
  const ra = ranks(a), rb = ranks(b);
  const n = a.length;
  const d2 = ra.reduce((s, x, i) => s + (x - rb[i]) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}

Deno.test("[ml] simulated preferences are recovered (Spearman ≥ 0.9 on held-out photos)", async () => {
  const model = await defaultModel();
  const r = rng(42);
  const normal = () => (r() + r() + r() + r() + r() + r() - 3) * Math.SQRT2;
  const trueW = model.features.map(() => r() * 2 - 1);
  const items = Array.from({ length: 400 }, () => {
    const feats: Record<string, number> = {};
    let u = 0;
    model.features.forEach((f, i) => {
      const z = Math.max(-2.9, Math.min(2.9, normal()));
      feats[f.name] = f.mean + z * f.sd;
      u += trueW[i] * z;
    });
    return { feats, u };
  });
  const train = items.slice(0, 300), heldOut = items.slice(300);
  const pairs: PreferencePair[] = [];
  for (let k = 0; k < 4000; k++) {
    const a = train[Math.floor(r() * train.length)], b = train[Math.floor(r() * train.length)];
    const p = 1 / (1 + Math.exp(-(a.u - b.u)));
    pairs.push(r() < p ? { winner: a.feats, loser: b.feats } : { winner: b.feats, loser: a.feats });
  }
  const fit = await fitPreferences(pairs, { l2: 1, holdout: 0.2, seed: 3 });
  assert.ok(fit.heldOutAccuracy > 0.7, `held-out pair accuracy ${fit.heldOutAccuracy}`);
  const fitted = [];
  for (const it of heldOut) {
    fitted.push((await scorePhoto({ features: it.feats as never, flags: [] }, fit.model)).raw);
  }
  const rho = spearman(fitted, heldOut.map((it) => it.u));
  assert.ok(rho >= 0.9, `Spearman ${rho}`);
  // Features must drive the result: a prior-only model does much worse on the same items.
  const prior = [];
  for (const it of heldOut) {
    prior.push((await scorePhoto({ features: it.feats as never, flags: [] }, model)).raw);
  }
  assert.ok(spearman(prior, heldOut.map((it) => it.u)) < rho - 0.2);
});
