/**
 * The face weights are embedded (`ml-wasm/face_weights.ts`): the loader needs to read only the
 * `.wasm`, never `node_modules/`, and the embedded bytes are the package's (same SHA-256).
 */
import assert from "node:assert/strict";
import { TINY_FACE_DETECTOR_SHA256 } from "@/ml-wasm/mod.ts";
import {
  TINY_FACE_DETECTOR_MANIFEST_BASE64,
  TINY_FACE_DETECTOR_SHARD_BASE64,
} from "@/ml-wasm/face_weights.ts";

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("[ml] the embedded face weights are the package's files", async () => {
  const manifest = Uint8Array.fromBase64(TINY_FACE_DETECTOR_MANIFEST_BASE64);
  const shard = Uint8Array.fromBase64(TINY_FACE_DETECTOR_SHARD_BASE64);
  assert.equal(await sha256Hex(manifest), TINY_FACE_DETECTOR_SHA256.manifest);
  assert.equal(await sha256Hex(shard), TINY_FACE_DETECTOR_SHA256.shard);
  assert.equal(shard.length, 193_321);
});

Deno.test("[ml] the detector loads with read access to the .wasm only (no node_modules/)", async () => {
  const mod = new URL("../../ml-wasm/mod.ts", import.meta.url);
  const wasm = new URL("../../ml-wasm/aurum_ml.wasm", import.meta.url).pathname;
  const script = `import * as ml from ${JSON.stringify(mod.href)};
await ml.initMl();
const faces = await ml.mlInternals.detectRgb(new Uint8Array(64 * 64 * 3).fill(128), 64, 64);
console.log(JSON.stringify({ faces: faces.length }));`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", `--allow-read=${wasm}`, "--deny-write", "--deny-run", "-"],
    env: { NO_COLOR: "1" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(script));
  await writer.close();
  const out = await child.output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  assert.deepEqual(JSON.parse(new TextDecoder().decode(out.stdout)), { faces: 0 });
});
