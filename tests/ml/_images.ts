/** Test image helpers: an RGB raster type, generators, degradations and a small PNG writer. */

/** Interleaved 8-bit RGB pixels. */
export interface Rgb {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Builds an image from a per-pixel function. */
export function fromFn(w: number, h: number, f: (x: number, y: number) => number[]): Rgb {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) data.set(f(x, y), (y * w + x) * 3);
  }
  return { width: w, height: h, data };
}

/** A smooth background with a textured disc (the "subject") centred at (cx, cy). */
export function scene(w: number, h: number, cx = 0.5, cy = 0.5): Rgb {
  return fromFn(w, h, (x, y) => {
    const fx = x / w, fy = y / h;
    if (Math.hypot(fx - cx, fy - cy) < 0.18) {
      const c = (Math.floor(x / 6) + Math.floor(y / 6)) % 2 === 0 ? 200 : 60;
      return [c, Math.floor(c * 0.75), 90];
    }
    return [Math.floor(60 + 120 * fx), Math.floor(90 + 80 * fy), 140];
  });
}

/** Deterministic pseudo-random numbers in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** Separable box blur, radius r. */
export function blur(img: Rgb, r: number): Rgb {
  if (r === 0) return img;
  const pass = (src: Rgb, horizontal: boolean): Rgb => {
    const { width: w, height: h } = src;
    const out = new Uint8Array(src.data.length);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let c = 0; c < 3; c++) {
          let s = 0, n = 0;
          for (let d = -r; d <= r; d++) {
            const xx = horizontal ? x + d : x, yy = horizontal ? y : y + d;
            if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
            s += src.data[(yy * w + xx) * 3 + c];
            n++;
          }
          out[(y * w + x) * 3 + c] = Math.round(s / n);
        }
      }
    }
    return { width: w, height: h, data: out };
  };
  return pass(pass(img, true), false);
}

/** Adds roughly Gaussian noise with standard deviation sigma. */
export function noise(img: Rgb, sigma: number, seed = 7): Rgb {
  const r = rng(seed);
  const data = img.data.map((v) => {
    const g = (r() + r() + r() + r() - 2) * 1.732;
    return Math.max(0, Math.min(255, Math.round(v + g * sigma)));
  });
  return { ...img, data };
}

/** Multiplies every channel by k (exposure shift), clipping at 255. */
export function expose(img: Rgb, k: number): Rgb {
  return { ...img, data: img.data.map((v) => Math.min(255, Math.round(v * k))) };
}

/** Subtracts d from every channel (exposure shift down), clipping at 0. */
export function darken(img: Rgb, d: number): Rgb {
  return { ...img, data: img.data.map((v) => Math.max(0, v - d)) };
}

/** Crops a rectangle. */
export function crop(img: Rgb, x0: number, y0: number, w: number, h: number): Rgb {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    const s = ((y0 + y) * img.width + x0) * 3;
    data.set(img.data.subarray(s, s + w * 3), y * w * 3);
  }
  return { width: w, height: h, data };
}

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

async function zlib(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new CompressionStream("deflate"),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Encodes an 8-bit RGB PNG (or 16-bit, each sample duplicated). */
export async function encodePng(img: Rgb, sixteen = false): Promise<Uint8Array> {
  const bpp = sixteen ? 6 : 3;
  const raw = new Uint8Array((img.width * bpp + 1) * img.height);
  for (let y = 0; y < img.height; y++) {
    const row = y * (img.width * bpp + 1);
    for (let i = 0; i < img.width * 3; i++) {
      const v = img.data[y * img.width * 3 + i];
      if (sixteen) raw.set([v, v], row + 1 + i * 2);
      else raw[row + 1 + i] = v;
    }
  }
  const chunk = (type: string, body: Uint8Array): Uint8Array => {
    const out = new Uint8Array(12 + body.length);
    const v = new DataView(out.buffer);
    v.setUint32(0, body.length);
    out.set(new TextEncoder().encode(type), 4);
    out.set(body, 8);
    v.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
    return out;
  };
  const ihdr = new Uint8Array(13);
  const hv = new DataView(ihdr.buffer);
  hv.setUint32(0, img.width);
  hv.setUint32(4, img.height);
  ihdr.set([sixteen ? 16 : 8, 2, 0, 0, 0], 8);
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", await zlib(raw)),
    chunk("IEND", new Uint8Array()),
  ];
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Directory of the face-api package's demo photos. */
export const DEMO_DIR = new URL("../../node_modules/@vladmandic/face-api/demo/", import.meta.url);

function rgbToHsl(r: number, g: number, b: number): [number, number, number] {
  r /= 255, g /= 255, b /= 255;
  const max = Math.max(r, g, b), min = Math.min(r, g, b);
  const l = (max + min) / 2;
  if (max === min) return [0, 0, l];
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  const h = max === r
    ? (g - b) / d + (g < b ? 6 : 0)
    : max === g
    ? (b - r) / d + 2
    : (r - g) / d + 4;
  return [h * 60, s, l];
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const hp = (((h % 360) + 360) % 360) / 60;
  const x = c * (1 - Math.abs((hp % 2) - 1));
  const [r, g, b] = hp < 1
    ? [c, x, 0]
    : hp < 2
    ? [x, c, 0]
    : hp < 3
    ? [0, c, x]
    : hp < 4
    ? [0, x, c]
    : hp < 5
    ? [x, 0, c]
    : [c, 0, x];
  const m = l - c / 2;
  return [r, g, b].map((v) => Math.round(Math.max(0, Math.min(1, v + m)) * 255)) as [
    number,
    number,
    number,
  ];
}

/**
 * Documented tolerance: shifting the face region's hue by up to ±12° or its lightness by up to
 * ±10% moves the score (0–100) by less than INVARIANCE_TOLERANCE points.
 */
export const INVARIANCE_TOLERANCE = 3;

/** Face-region shifts within a natural range: hue ±12°, lightness ×1.1 and ×0.9. */
export const NATURAL_FACE_SHIFTS: readonly (readonly [number, number])[] = [
  [12, 1],
  [-12, 1],
  [0, 1.1],
  [0, 0.9],
];

/**
 * A copy of `src` with the face boxes (in analysis pixels, `k` source pixels each) shifted in hue by
 * `shift[0]` degrees and in lightness by the factor `shift[1]`.
 */
export function shiftFaceRegions(
  src: Rgb,
  faces: readonly { x: number; y: number; width: number; height: number }[],
  k: number,
  shift: readonly [number, number],
): Uint8Array {
  const data = src.data.slice();
  for (const f of faces) {
    const [x0, y0] = [Math.floor(f.x * k), Math.floor(f.y * k)];
    const [x1, y1] = [Math.ceil((f.x + f.width) * k), Math.ceil((f.y + f.height) * k)];
    for (let y = y0; y < Math.min(y1, src.height); y++) {
      for (let x = x0; x < Math.min(x1, src.width); x++) {
        const p = (y * src.width + x) * 3;
        const [h, s, l] = rgbToHsl(data[p], data[p + 1], data[p + 2]);
        data.set(hslToRgb(h + shift[0], s, Math.min(1, l * shift[1])), p);
      }
    }
  }
  return data;
}
