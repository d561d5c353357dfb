/**
 * `deno task bench:ml`: per-stage times of the Rust core in WASM (through the loader) and natively
 * (`cargo run --release --bin bench`, same code), their ratio, decode megapixels/s and top-10
 * search over 100,000 int8 vectors. Medians; prints a table and a JSON line.
 */
import { analyzePhoto, mlInternals, preparePhoto, VectorIndex } from "../ml-wasm/mod.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const MODEL_DIR = `${ROOT}node_modules/@vladmandic/face-api/model`;
const FULL = `${ROOT}node_modules/@vladmandic/face-api/demo/sample1.jpg`;

async function median(runs: number, f: () => Promise<unknown> | unknown): Promise<number> {
  await f();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await f();
    t.push(performance.now() - s);
  }
  return t.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

async function native(onePath: string): Promise<Record<string, number> | null> {
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

if (import.meta.main) {
  const full = await Deno.readFile(FULL);
  const [oneMp] = await preparePhoto(full, [1224], { blur: false, quality: 90 });
  const onePath = await Deno.makeTempFile({ suffix: ".jpg" });
  await Deno.writeFile(onePath, oneMp.jpeg);

  const img = await mlInternals.decodeRgb(oneMp.jpeg, 512);
  const fullImg = await mlInternals.decodeRgb(full);
  const wasm: Record<string, number> = {
    decode: await median(15, () => mlInternals.decodeRgb(oneMp.jpeg, 512)),
    detect: await median(15, () => mlInternals.detectRgb(img.data, img.width, img.height)),
    featuresEmbed: await median(15, () => mlInternals.featuresRgb(img.data, img.width, img.height)),
    analyze: await median(15, () => analyzePhoto(oneMp.jpeg)),
    decodeFullMs: await median(9, () => mlInternals.decodeRgb(full)),
    decodeFullMp: (fullImg.width * fullImg.height) / 1e6,
  };
  const index = await VectorIndex.create(256);
  let seed = 1;
  const next = () => {
    seed ^= seed << 13;
    seed >>>= 0;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    seed >>>= 0;
    return (seed % 255) - 127;
  };
  const batch: [string, Int8Array][] = [];
  for (let i = 0; i < 100_000; i++) batch.push([String(i), Int8Array.from({ length: 256 }, next)]);
  index.addMany(batch);
  const q = Int8Array.from({ length: 256 }, next);
  wasm.search100k = await median(31, () => index.search(q, 10));

  const nat = await native(onePath);
  await Deno.remove(onePath);
  const rows = ["decode", "detect", "featuresEmbed", "analyze", "decodeFullMs", "search100k"];
  console.log(
    `1 MP JPEG: ${oneMp.width}x${oneMp.height}; full decode: ${fullImg.width}x${fullImg.height}`,
  );
  console.log(
    "stage".padEnd(16),
    "wasm ms".padStart(9),
    "native ms".padStart(10),
    "ratio".padStart(7),
  );
  for (const k of rows) {
    const n = nat?.[k];
    console.log(
      k.padEnd(16),
      wasm[k].toFixed(2).padStart(9),
      (n === undefined ? "-" : n.toFixed(2)).padStart(10),
      (n ? (wasm[k] / n).toFixed(2) : "-").padStart(7),
    );
  }
  const mps = wasm.decodeFullMp / (wasm.decodeFullMs / 1000);
  console.log(
    `decode: ${mps.toFixed(1)} MP/s in WASM` +
      (nat ? `, ${(nat.decodeFullMp / (nat.decodeFullMs / 1000)).toFixed(1)} MP/s native` : ""),
  );
  console.log(
    JSON.stringify({ wasm, native: nat, ratio: nat ? wasm.analyze / nat.analyze : null }),
  );
}
