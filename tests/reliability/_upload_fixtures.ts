/** Upload fixtures generated at run time: zero-pixel PNG bombs and a 12 MP phone-sized JPEG. */
import { mlInternals } from "@/ml-wasm/mod.ts";
import { DEMO_DIR } from "@/tests/ml/_images.ts";

function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

/**
 * An 8-bit RGB PNG of `width`×`height` black pixels: tiny on the wire (6000×6000 ≈ 105 KB), huge
 * once decoded. The rows are deflated as a stream, so the raw image is never held in memory.
 */
export async function zeroPng(width: number, height: number): Promise<Uint8Array> {
  const row: BufferSource = new Uint8Array(width * 3 + 1);
  const rows = new ReadableStream<BufferSource>({
    start(controller) {
      for (let y = 0; y < height; y++) controller.enqueue(row);
      controller.close();
    },
  });
  const idat = new Uint8Array(
    await new Response(rows.pipeThrough(new CompressionStream("deflate"))).arrayBuffer(),
  );
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", idat),
    chunk("IEND", new Uint8Array()),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Bilinear resize of packed RGB. */
function resize(
  src: { width: number; height: number; data: Uint8Array },
  width: number,
  height: number,
): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  const sx = (src.width - 1) / Math.max(1, width - 1);
  const sy = (src.height - 1) / Math.max(1, height - 1);
  for (let y = 0; y < height; y++) {
    const fy = y * sy;
    const y0 = Math.floor(fy);
    const y1 = Math.min(src.height - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = x * sx;
      const x0 = Math.floor(fx);
      const x1 = Math.min(src.width - 1, x0 + 1);
      const wx = fx - x0;
      for (let c = 0; c < 3; c++) {
        const a = src.data[(y0 * src.width + x0) * 3 + c];
        const b = src.data[(y0 * src.width + x1) * 3 + c];
        const d = src.data[(y1 * src.width + x0) * 3 + c];
        const e = src.data[(y1 * src.width + x1) * 3 + c];
        const top = a + (b - a) * wx;
        const bottom = d + (e - d) * wx;
        out[(y * width + x) * 3 + c] = Math.round(top + (bottom - top) * wy);
      }
    }
  }
  return out;
}

/**
 * A 4032×3024 (12.2 MP) baseline JPEG like a phone's: a face-api demo photo (one face by default)
 * upscaled to cover 4:3 and centre-cropped, encoded by the project's own encoder.
 */
export async function phoneJpeg(
  sample = "sample2.jpg",
  width = 4032,
  height = 3024,
  quality = 90,
): Promise<Uint8Array> {
  const source = await mlInternals.decodeRgb(await Deno.readFile(new URL(sample, DEMO_DIR)));
  const scale = Math.max(width / source.width, height / source.height);
  const [w, h] = [Math.round(source.width * scale), Math.round(source.height * scale)];
  const big = resize(source, w, h);
  const data = new Uint8Array(width * height * 3);
  const [ox, oy] = [Math.floor((w - width) / 2), Math.floor((h - height) / 2)];
  for (let y = 0; y < height; y++) {
    const from = ((y + oy) * w + ox) * 3;
    data.set(big.subarray(from, from + width * 3), y * width * 3);
  }
  return await mlInternals.encodeJpeg(data, width, height, quality);
}

/** Nearest-rank percentile of `values` (`p` in 0–100). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
