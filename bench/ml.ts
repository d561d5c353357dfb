/**
 * `deno task bench:ml`: per-stage times of the Rust core in WASM (through the loader) and natively
 * (`cargo run --release --bin bench`, same code), their ratio, decode megapixels/s and top-10
 * search over 100,000 int8 vectors, raw and as "similar style" through the embedded VectorStore
 * (its KV version check, the opted-in index and excluded profiles included). Medians of wall time and of CPU time: the machine is shared,
 * so the WASM/native ratio is computed on CPU time.
 */
import process from "node:process";
import { analyzePhoto, mlInternals, preparePhoto, VectorIndex } from "@/ml-wasm/mod.ts";
import { createEmbeddedVectorStore, type VectorPoint } from "@/core/discovery/mod.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const MODEL_DIR = `${ROOT}node_modules/@vladmandic/face-api/model`;
const FULL = `${ROOT}node_modules/@vladmandic/face-api/demo/sample1.jpg`;

interface Timing {
  wall: number;
  cpu: number;
}

/** Median wall and median process CPU time (ms) over `runs` runs after one warm-up run. */
async function median(runs: number, f: () => Promise<unknown> | unknown): Promise<Timing> {
  await f();
  const wall: number[] = [], cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const s = performance.now();
    await f();
    wall.push(performance.now() - s);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  const mid = (v: number[]) => v.sort((a, b) => a - b)[Math.floor(runs / 2)];
  return { wall: mid(wall), cpu: mid(cpu) };
}

async function native(onePath: string): Promise<Record<string, Timing> | null> {
  // Without Debian's cargo (not installed everywhere) only the WASM side is measured.
  if (!(await Deno.stat("/usr/bin/cargo").catch(() => null))) return null;
  const out = await new Deno.Command("/usr/bin/cargo", {
    args: [
      "run",
      "--release",
      "--quiet",
      "--bin",
      "bench",
      "-j",
      "2",
      "--",
      onePath,
      FULL,
      MODEL_DIR,
    ],
    cwd: `${ROOT}ml-wasm`,
    env: { PATH: `/usr/bin:/bin:${Deno.env.get("PATH") ?? ""}` },
    stdout: "piped",
    stderr: "inherit",
  }).output().catch(() => null);
  if (!out?.success) return null;
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

function xorshift(seed: number): () => number {
  let s = seed;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s % 255) - 127;
  };
}

if (import.meta.main) {
  const full = await Deno.readFile(FULL);
  const [oneMp] = await preparePhoto(full, [1224], { blur: false, quality: 90 });
  const onePath = await Deno.makeTempFile({ suffix: ".jpg" });
  await Deno.writeFile(onePath, oneMp.jpeg);

  const img = await mlInternals.decodeRgb(oneMp.jpeg, 512);
  const fullImg = await mlInternals.decodeRgb(full);
  const wasm: Record<string, Timing> = {
    decode: await median(15, () => mlInternals.decodeRgb(oneMp.jpeg, 512)),
    detect: await median(15, () => mlInternals.detectRgb(img.data, img.width, img.height)),
    featuresEmbed: await median(15, () => mlInternals.featuresRgb(img.data, img.width, img.height)),
    analyze: await median(15, () => analyzePhoto(oneMp.jpeg)),
    decodeFull: await median(9, () => mlInternals.decodeRgb(full)),
  };
  const index = await VectorIndex.create(256);
  const next = xorshift(1);
  const batch: [string, Int8Array][] = [];
  for (let i = 0; i < 100_000; i++) batch.push([String(i), Int8Array.from({ length: 256 }, next)]);
  index.addMany(batch);
  const q = Int8Array.from({ length: 256 }, next);
  wasm.search100k = await median(31, () => index.search(q, 10));

  // "Similar style": top-10 over 100k photos (20k members) through the embedded store, opted-in
  // members only, with the viewer, the profile and two blocked members excluded.
  const kv = await Deno.openKv(":memory:");
  const store = createEmbeddedVectorStore(kv);
  const points: VectorPoint[] = batch.map(([id, vector], i) => ({
    photoId: id,
    vector,
    payload: { profileId: `m${i % 20_000}`, admitted: true, styleOptIn: true },
  }));
  const loadStart = performance.now();
  await store.upsert(points);
  const loadMs = performance.now() - loadStart;
  const excluded = ["m1", "m2", "m3", "m4"];
  wasm.similar100k = await median(
    31,
    () => store.search({ vector: q, k: 10, styleOptInOnly: true, excludeProfileIds: excluded }),
  );
  await store.close();
  kv.close();

  const nat = await native(onePath);
  await Deno.remove(onePath);
  const mp = (fullImg.width * fullImg.height) / 1e6;
  console.log(
    `1 MP JPEG ${oneMp.width}x${oneMp.height}; full decode ${fullImg.width}x${fullImg.height}`,
  );
  const heads = ["wasm wall", "wasm cpu", "native wall", "native cpu", "ratio (cpu)"];
  console.log("stage".padEnd(14), ...heads.map((h) => h.padStart(12)));
  const f = (v?: number) => (v === undefined ? "-" : v.toFixed(2)).padStart(12);
  for (
    const k of [
      "decode",
      "detect",
      "featuresEmbed",
      "analyze",
      "decodeFull",
      "search100k",
      "similar100k",
    ]
  ) {
    const n = nat?.[k];
    const ratio = n ? wasm[k].cpu / n.cpu : undefined;
    console.log(k.padEnd(14), f(wasm[k].wall), f(wasm[k].cpu), f(n?.wall), f(n?.cpu), f(ratio));
  }
  const rate = (t: Timing) => (mp / (t.cpu / 1000)).toFixed(1);
  console.log(
    `decode of ${mp.toFixed(2)} MP: ${rate(wasm.decodeFull)} MP/s in WASM` +
      (nat ? `, ${rate(nat.decodeFull)} MP/s native` : "") + " (CPU time)",
  );
  console.log(
    `similar top-10 over 100k through the VectorStore (embedded): ${
      wasm.similar100k.wall.toFixed(2)
    } ms wall (target ≤ 5 ms); indexing 100k through upsert took ${(loadMs / 1000).toFixed(1)} s`,
  );
  const load = (await Deno.readTextFile("/proc/loadavg").catch(() => "?")).split(" ")[0];
  console.log(`load average at the end: ${load} (2 shared cores)`);
  const ratio = nat ? wasm.analyze.cpu / nat.analyze.cpu : null;
  console.log(JSON.stringify({ wasm, native: nat, analyzeRatioCpu: ratio }));
}
