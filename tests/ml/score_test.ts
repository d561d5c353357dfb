import assert from "node:assert/strict";
import { analyzePhoto, defaultModel, percentileOf, scorePhoto } from "@/ml-wasm/mod.ts";
import { DEMO_DIR } from "./_images.ts";

const photo = await Deno.readFile(new URL("sample3.jpg", DEMO_DIR));

Deno.test("[ml] score breakdown is exact, grouped and versioned", async () => {
  const a = await analyzePhoto(photo);
  const s = await scorePhoto(a, null, { offset: 0.8, comparisons: 30 });
  assert.ok(s.score >= 0 && s.score <= 100);
  const sum = s.contributions.reduce((t, c) => t + c.points, 0);
  assert.ok(Math.abs(s.base + sum + s.communityOffset.points - s.raw) < 1e-3);
  const g = s.groups;
  assert.ok(Math.abs(g.technical + g.composition + g.face - sum) < 1e-3);
  assert.ok(Math.abs(s.communityOffset.shrunk - 0.8 * 30 / 40) < 1e-6);
  assert.equal(s.modelVersion, "prior-1");
  assert.deepEqual(
    new Set(s.contributions.map((c) => c.group)),
    new Set(["technical", "composition", "face"]),
  );
  const fewer = await scorePhoto(a, null, { offset: 0.8, comparisons: 2 });
  assert.ok(fewer.confidence < s.confidence);
});

Deno.test("[ml] no protected attribute or brightness is a score input", async () => {
  const m = await defaultModel();
  for (const f of m.features) {
    assert.doesNotMatch(f.name, /gender|sex|ethnic|race|skin|universit|payment|tier|bright/);
  }
  const a = await analyzePhoto(photo);
  const base = await scorePhoto(a);
  const extra = { ...a.features, gender: 1, university: 3, payment: 100, brightness: 0.9 };
  const same = await scorePhoto({ features: extra, flags: a.flags });
  assert.equal(same.raw, base.raw);
});

Deno.test("[ml] percentile against a population", () => {
  assert.equal(percentileOf(50, [10, 20, 60, 70]), 50);
  assert.equal(percentileOf(80, [10, 20]), 100);
  assert.equal(percentileOf(5, []), 50);
});
