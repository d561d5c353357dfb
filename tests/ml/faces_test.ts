import assert from "node:assert/strict";
import { analyzePhoto } from "@/ml-wasm/mod.ts";
import { DEMO_DIR, encodePng, scene } from "./_images.ts";

Deno.test("[ml] faces are found in the face-api demo photos with plausible boxes", async () => {
  let total = 0;
  for (let i = 1; i <= 6; i++) {
    const a = await analyzePhoto(await Deno.readFile(new URL(`sample${i}.jpg`, DEMO_DIR)));
    assert.ok(a.faces.length >= 1, `sample${i}: no face`);
    assert.ok(!a.flags.includes("no_face"));
    for (const f of a.faces) {
      assert.ok(f.x >= 0 && f.y >= 0, `sample${i}: box outside`);
      assert.ok(f.x + f.width <= a.width + 0.5 && f.y + f.height <= a.height + 0.5);
      assert.ok(f.width > 0.05 * a.width && f.width < 0.6 * a.width, `sample${i}: width`);
      assert.ok(f.height / f.width > 0.6 && f.height / f.width < 1.7, `sample${i}: aspect`);
      assert.ok(f.score > 0.5 && f.score <= 1);
    }
    total += a.faces.length;
    assert.equal(a.features.face_present, 1);
  }
  // The demo set is group photos: 19 faces are found by the reference model at 320 px.
  assert.ok(total >= 12, `only ${total} faces`);
});

Deno.test("[ml] several faces are flagged and counted", async () => {
  const a = await analyzePhoto(await Deno.readFile(new URL("sample6.jpg", DEMO_DIR)));
  assert.ok(a.faces.length >= 4);
  assert.ok(a.flags.includes("several_faces"));
});

Deno.test("[ml] an image without a face is flagged no_face", async () => {
  const a = await analyzePhoto(await encodePng(scene(320, 240)));
  assert.equal(a.faces.length, 0);
  assert.ok(a.flags.includes("no_face"));
  assert.equal(a.features.face_present, 0);
});
