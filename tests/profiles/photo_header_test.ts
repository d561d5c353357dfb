import assert from "node:assert/strict";
import { readImageHeader } from "@/core/profiles/mod.ts";
import { encodePng, scene } from "@/tests/ml/_images.ts";
import { plainJpeg } from "@/tests/profiles/_photos.ts";
import { zeroPng } from "@/tests/reliability/_upload_fixtures.ts";
import { mlInternals } from "@/ml-wasm/mod.ts";
import { DEMO_DIR } from "@/tests/ml/_images.ts";

const bytes = (...values: number[]) => new Uint8Array(values);

Deno.test("[photo header] PNG IHDR and JPEG SOF sizes, without decoding", async () => {
  assert.deepEqual(readImageHeader(await encodePng(scene(321, 123))), {
    format: "png",
    width: 321,
    height: 123,
  });
  assert.deepEqual(readImageHeader(await zeroPng(6000, 6000)), {
    format: "png",
    width: 6000,
    height: 6000,
  });
  const img = scene(400, 333);
  assert.deepEqual(readImageHeader(await plainJpeg(img)), {
    format: "jpeg",
    width: 400,
    height: 333,
  });
  // A camera JPEG: APP0 + APP1 (EXIF) before the frame header; stored size, before orientation.
  const sample = await Deno.readFile(new URL("sample1.jpg", DEMO_DIR));
  const decoded = await mlInternals.decodeRgb(sample);
  assert.deepEqual(readImageHeader(sample), {
    format: "jpeg",
    width: decoded.width,
    height: decoded.height,
  });
});

Deno.test("[photo header] progressive SOF2, fill bytes and RST-style markers are understood", () => {
  const sof2 = bytes(
    0xff,
    0xd8,
    0xff,
    0xff, // fill byte
    0xe0,
    0x00,
    0x04,
    0x00,
    0x00, // APP0, 2 bytes of payload
    0xff,
    0xc2,
    0x00,
    0x0b,
    0x08,
    0x0b,
    0xb8, // height 3000
    0x0f,
    0xa0, // width 4000
    0x03,
  );
  assert.deepEqual(readImageHeader(sof2), { format: "jpeg", width: 4000, height: 3000 });
  // DHT (C4) is not a frame header even though it sits in the C0–CF range.
  const dhtFirst = bytes(
    0xff,
    0xd8,
    0xff,
    0xc4,
    0x00,
    0x03,
    0x00,
    0xff,
    0xc0,
    0x00,
    0x0b,
    0x08,
    0,
    20,
    0,
    10,
    3,
  );
  assert.deepEqual(readImageHeader(dhtFirst), { format: "jpeg", width: 10, height: 20 });
});

Deno.test("[photo header] anything else is null: other formats, truncation, scans before a frame, zero sizes", () => {
  assert.equal(readImageHeader(new Uint8Array()), null);
  assert.equal(readImageHeader(new TextEncoder().encode("GIF89a……")), null);
  assert.equal(readImageHeader(bytes(0xff, 0xd8, 0xff)), null);
  assert.equal(readImageHeader(bytes(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a)), null);
  assert.equal(readImageHeader(bytes(0xff, 0xd8, 0xff, 0xda, 0x00, 0x02, 0xff, 0xc0)), null);
  assert.equal(readImageHeader(bytes(0xff, 0xd8, 0xff, 0xc0, 0x00, 0x0b, 8, 0, 0, 0, 10, 3)), null);
  assert.equal(readImageHeader(bytes(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x01)), null);
  const png = new Uint8Array(24);
  png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  assert.equal(readImageHeader(png), null, "zero width and height");
  assert.equal(readImageHeader(png.subarray(0, 20)), null, "truncated IHDR");
  png.set([0x49, 0x44, 0x41, 0x54], 12);
  assert.equal(readImageHeader(png), null, "first chunk not IHDR");
});
