import assert from "node:assert/strict";
import { join } from "node:path";
import { generateManifest, writeManifest } from "$fresh/manifest.ts";

async function project(files: Record<string, string>): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "aurum-manifest-" });
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(join(root, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(root, path), text);
  }
  return root;
}

Deno.test("[fresh] manifest: imports every route and island, skips tests, in stable order", async () => {
  const root = await project({
    "routes/index.tsx": "",
    "routes/api/[id].ts": "",
    "routes/(group)/_layout.tsx": "",
    "routes/api/thing_test.ts": "",
    "islands/Counter.tsx": "",
    "islands/nested/Ignored.tsx": "",
  });
  try {
    const text = await generateManifest(root);
    assert.match(text, /"\.\/routes\/index\.tsx": \$\d+/);
    assert.match(text, /"\.\/routes\/api\/\[id\]\.ts": \$\d+/);
    assert.match(text, /"\.\/routes\/\(group\)\/_layout\.tsx": \$\d+/);
    assert.match(text, /"\.\/islands\/Counter\.tsx": \$i0/);
    assert.doesNotMatch(text, /thing_test|Ignored/);
    assert.equal(text, await generateManifest(root), "deterministic");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("[fresh] manifest check fails when a route is added or removed", async () => {
  const root = await project({ "routes/index.tsx": "", "islands/A.tsx": "" });
  try {
    assert.equal(await writeManifest(root, true), false, "absent manifest is stale");
    await writeManifest(root);
    assert.equal(await writeManifest(root, true), true);
    await Deno.writeTextFile(join(root, "routes/new.tsx"), "");
    assert.equal(await writeManifest(root, true), false, "a new route makes it stale");
    await writeManifest(root);
    await Deno.remove(join(root, "islands/A.tsx"));
    assert.equal(await writeManifest(root, true), false, "a removed island makes it stale");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("[fresh] the committed fresh.gen.ts is current", async () => {
  const root = new URL("../..", import.meta.url).pathname;
  assert.equal(await writeManifest(root, true), true, "run `deno task manifest`");
});
