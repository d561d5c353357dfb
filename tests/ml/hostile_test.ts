import assert from "node:assert/strict";
import {
  analyzePhoto,
  MAX_INPUT_BYTES,
  MlError,
  mlInternals,
  preparePhoto,
} from "@/ml-wasm/mod.ts";
import { encodePng, fromFn, scene } from "./_images.ts";

const isCode = (code: string) => (e: unknown) => e instanceof MlError && e.code === code;

Deno.test("[ml] a trap discards the instance and the next call works", async () => {
  await assert.rejects(() => mlInternals.debugTrap(), isCode("trap"));
  const png = await encodePng(scene(64, 48));
  const a = await analyzePhoto(png);
  assert.equal(a.width, 64);
});

Deno.test("[ml] progressive JPEG and 16-bit PNG decode; CMYK is refused", async () => {
  const dir = new URL("../../ml-wasm/tests/golden/", import.meta.url);
  const prog = await analyzePhoto(await Deno.readFile(new URL("progressive.jpg", dir)));
  assert.equal(prog.format, "jpeg");
  const png16 = await analyzePhoto(await encodePng(scene(80, 60), true));
  assert.deepEqual([png16.width, png16.height], [80, 60]);
  await assert.rejects(
    async () => analyzePhoto(await Deno.readFile(new URL("cmyk.jpg", dir))),
    isCode("unsupported_format"),
  );
});

Deno.test("[ml] zero bytes, oversized buffers and extreme shapes are refused", async () => {
  await assert.rejects(() => analyzePhoto(new Uint8Array()), isCode("empty_input"));
  await assert.rejects(
    () => analyzePhoto(new Uint8Array(MAX_INPUT_BYTES + 1)),
    isCode("too_large"),
  );
  const thin = await encodePng(fromFn(400, 16, () => [1, 2, 3]));
  await assert.rejects(() => analyzePhoto(thin), isCode("bad_dimensions"));
  await assert.rejects(
    () => preparePhoto(thin, [64]),
    isCode("bad_dimensions"),
  );
});

Deno.test("[ml] memory stays bounded across many large decodes", async () => {
  const big = await encodePng(scene(1600, 1200));
  for (let i = 0; i < 5; i++) await analyzePhoto(big);
  assert.ok((await mlInternals.memoryBytes()) <= 512 * 1024 * 1024);
});
