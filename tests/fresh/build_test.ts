import assert from "node:assert/strict";
import { buildIslands, islandAssets, readBuild, writeBuild } from "@/fresh/build.ts";
import manifest from "@/tests/fixture/fresh.gen.ts";
import { gzipSize } from "@/tests/helpers/gzip.ts";

const root = new URL("../fixture/", import.meta.url).pathname;
const islandFiles = Object.keys(manifest.islands);

Deno.test("[islands] build: deterministic bundles, boot + one chunk per island file", async () => {
  const first = await buildIslands({ root, islandFiles });
  const second = await buildIslands({ root, islandFiles: [...islandFiles].reverse() });
  assert.equal(first.buildId, second.buildId);
  assert.match(first.buildId, /^[0-9a-f]{12}$/);
  assert.deepEqual([...first.files.keys()], [...second.files.keys()]);
  for (const [name, bytes] of first.files) assert.deepEqual(second.files.get(name), bytes, name);
  assert.equal(first.boot, "boot.js");
  assert.equal(first.islands["./islands/Counter.tsx"], "island-Counter.js");
  assert.equal(Object.keys(first.islands).length, islandFiles.length);
  // Island entries keep their export names, the boot entry exports `boot`.
  const counter = new TextDecoder().decode(first.files.get("island-Counter.js"));
  assert.match(counter, /export\{.*\bas Badge\b.*\}/);
  assert.match(counter, /export\{.*\bas default\b.*\}/);
  assert.match(new TextDecoder().decode(first.files.get("boot.js")), /as boot\}/);
});

Deno.test("[islands] build: writeBuild/readBuild round trip with identical bytes", async () => {
  const build = await buildIslands({ root, islandFiles: ["./islands/Counter.tsx"] });
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/chunk-STALE.js`, "old");
    await writeBuild(dir, build);
    const json1 = await Deno.readFile(`${dir}/build.json`);
    const read = await readBuild(dir);
    assert.ok(read);
    assert.deepEqual({ ...read, files: [...read.files] }, { ...build, files: [...build.files] });
    await writeBuild(dir, read);
    assert.deepEqual(await Deno.readFile(`${dir}/build.json`), json1);
    await assert.rejects(() => Deno.stat(`${dir}/chunk-STALE.js`), Deno.errors.NotFound);
    assert.equal(await readBuild(`${dir}/missing`), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("[islands] build: asset urls and transitive modulepreload, size budget", async () => {
  const build = await buildIslands({ root, islandFiles });
  const assets = islandAssets(build);
  const prefix = `/_fresh/js/${build.buildId}/`;
  assert.equal(assets.bootUrl, `${prefix}boot.js`);
  assert.equal(assets.chunkUrl("./islands/Counter.tsx"), `${prefix}island-Counter.js`);
  assert.throws(() => assets.chunkUrl("./islands/Nope.tsx"), /not in build/);

  const page = assets.preloadUrls([assets.bootUrl, assets.chunkUrl("./islands/Counter.tsx")]);
  const files = page.map((url) => url.slice(prefix.length));
  for (const file of files) {
    for (const dep of build.imports[file]) assert.ok(files.includes(dep), `${file} → ${dep}`);
  }
  const sizes: Record<string, number> = {};
  for (const file of files) sizes[file] = await gzipSize(build.files.get(file)!);
  const total = Object.values(sizes).reduce((a, b) => a + b, 0);
  console.log("one-island page (Counter), gzip bytes:", sizes, "total", total);
  assert.ok(sizes["boot.js"] <= 2048, `boot is ${sizes["boot.js"]} B gzip`);
  assert.ok(total <= 12 * 1024, `one-island page ships ${total} B gzip`);

  // A page whose props carry signals also loads @preact/signals through boot's dynamic import.
  const boot = new TextDecoder().decode(build.files.get("boot.js"));
  const lazy = [...boot.matchAll(/import\("\.\/([^"]+)"\)/g)].map((m) => m[1]);
  assert.equal(lazy.length, 1);
  const withSignals = new Set([
    ...files,
    ...assets.preloadUrls([prefix + lazy[0]])
      .map((url) => url.slice(prefix.length)),
  ]);
  let signalsTotal = 0;
  for (const file of withSignals) signalsTotal += await gzipSize(build.files.get(file)!);
  console.log("one-island page with signal props, gzip bytes total", signalsTotal);
  assert.ok(signalsTotal <= 12 * 1024, `signals page ships ${signalsTotal} B gzip`);
});

Deno.test("[islands] build: client/vendor and client/scripts are bundled apart, minified", async () => {
  const build = await buildIslands({ root, islandFiles });
  const text = (file: string) => new TextDecoder().decode(build.files.get(file));
  // The classic script: one minified file that imports nothing.
  assert.match(text("stamp.js"), /stamp="yes"/);
  assert.doesNotMatch(text("stamp.js"), /\bimport\b|\n\s/);
  assert.deepEqual(build.imports["stamp.js"], []);
  // The vendor bundle carries the CommonJS helpers; no island or boot file loads them.
  assert.match(text("words.js"), /hello/);
  assert.match(text("words.js"), /getOwnPropertyNames/);
  assert.ok(!build.files.has("legacy.d.js"), "declaration files are no entries");
  const assets = islandAssets(build);
  const prefix = `/_fresh/js/${build.buildId}/`;
  const pages = assets.preloadUrls([
    assets.bootUrl,
    ...islandFiles.map((file) => assets.chunkUrl(file)),
  ]).map((url) => url.slice(prefix.length));
  for (const file of pages) assert.doesNotMatch(text(file), /getOwnPropertyNames/, file);
  assert.ok(!pages.includes("words.js") && !pages.includes("stamp.js"));
});
