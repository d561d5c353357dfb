/**
 * Photo fixtures: a real face photo (face-api demo sample, decoded and re-encoded by the ML core's
 * own JPEG encoder) rotated on disk and tagged with an EXIF APP1 segment we write byte by byte:
 * IFD0 with Orientation and a GPS IFD pointer, and a GPS IFD with latitude/longitude.
 */
import { mlInternals } from "@/ml-wasm/mod.ts";
import { DEMO_DIR } from "@/tests/ml/_images.ts";

/** Interleaved RGB pixels. */
export interface Pixels {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Rotates 90° clockwise. */
export function rotateCw(img: Pixels): Pixels {
  const { width: w, height: h } = img;
  const out = new Uint8Array(img.data.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const nx = h - 1 - y, ny = x; // new image is h wide, w tall
      out.set(img.data.subarray((y * w + x) * 3, (y * w + x) * 3 + 3), (ny * h + nx) * 3);
    }
  }
  return { width: h, height: w, data: out };
}

/** Rotates 90° counter-clockwise. */
export function rotateCcw(img: Pixels): Pixels {
  return rotateCw(rotateCw(rotateCw(img)));
}

/** Rotates 180°. */
export function rotate180(img: Pixels): Pixels {
  return rotateCw(rotateCw(img));
}

/**
 * The upright reference photo (960×640): the part of the face-api demo sample with one face
 * (`sample2.jpg`, full size) around that face, so it passes as a main photo.
 */
export async function uprightPhoto(): Promise<Pixels> {
  const source = await Deno.readFile(new URL("sample2.jpg", DEMO_DIR));
  const full = await mlInternals.decodeRgb(source);
  const [left, top, width, height] = [900, 40, 960, 640];
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * full.width + left) * 3;
    data.set(full.data.subarray(from, from + width * 3), y * width * 3);
  }
  return { width, height, data };
}

/** Builds the APP1 `Exif` segment (big-endian TIFF) with an orientation and a GPS position. */
export function exifSegment(orientation: number): Uint8Array {
  const tiff: number[] = [];
  const u16 = (v: number) => tiff.push((v >> 8) & 255, v & 255);
  const u32 = (v: number) => tiff.push((v >>> 24) & 255, (v >> 16) & 255, (v >> 8) & 255, v & 255);
  const entry = (tag: number, type: number, count: number, value: number, short = false) => {
    u16(tag), u16(type), u32(count);
    if (short) u16(value), u16(0);
    else u32(value);
  };
  // Header: "MM", 42, IFD0 at offset 8.
  tiff.push(0x4d, 0x4d), u16(42), u32(8);
  // IFD0 (2 entries) at 8: 2 + 2*12 + 4 = 30 bytes → GPS IFD at 38.
  const gpsIfd = 8 + 30;
  u16(2);
  entry(0x0112, 3, 1, orientation, true); // Orientation, SHORT
  entry(0x8825, 4, 1, gpsIfd); // GPSInfo IFD pointer, LONG
  u32(0);
  // GPS IFD (4 entries) at 38: 2 + 4*12 + 4 = 54 bytes → rationals at 92.
  const latitude = gpsIfd + 54, longitude = latitude + 24;
  u16(4);
  entry(0x0001, 2, 2, 0x4e000000); // GPSLatitudeRef "N\0"
  entry(0x0002, 5, 3, latitude); // GPSLatitude, 3 RATIONAL
  entry(0x0003, 2, 2, 0x57000000); // GPSLongitudeRef "W\0"
  entry(0x0004, 5, 3, longitude); // GPSLongitude, 3 RATIONAL
  u32(0);
  for (const [num, den] of [[51, 1], [29, 1], [4788, 100], [0, 1], [7, 1], [4032, 100]]) {
    u32(num), u32(den);
  }
  const body = [..."Exif"].map((c) => c.charCodeAt(0)).concat([0, 0], tiff);
  const length = body.length + 2;
  return new Uint8Array([0xff, 0xe1, length >> 8, length & 255, ...body]);
}

/** Inserts `segment` right after the SOI marker of `jpeg`. */
export function withSegment(jpeg: Uint8Array, segment: Uint8Array): Uint8Array {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error("not a JPEG");
  const out = new Uint8Array(jpeg.length + segment.length);
  out.set(jpeg.subarray(0, 2));
  out.set(segment, 2);
  out.set(jpeg.subarray(2), 2 + segment.length);
  return out;
}

/**
 * A JPEG whose stored pixels are `upright` turned so that EXIF `orientation` (6 or 8) turns them
 * back, carrying EXIF GPS as well.
 */
export async function orientedJpeg(upright: Pixels, orientation: 6 | 8): Promise<Uint8Array> {
  // Orientation 6 is displayed by turning clockwise, so the sensor stored it counter-clockwise.
  const stored = orientation === 6 ? rotateCcw(upright) : rotateCw(upright);
  const jpeg = await mlInternals.encodeJpeg(stored.data, stored.width, stored.height, 90);
  return withSegment(jpeg, exifSegment(orientation));
}

/** Plain baseline JPEG of `img`, no metadata. */
export async function plainJpeg(img: Pixels, quality = 90): Promise<Uint8Array> {
  return await mlInternals.encodeJpeg(img.data, img.width, img.height, quality);
}

/** Marker segments of a JPEG up to the start of scan: marker and payload. */
export function jpegSegments(bytes: Uint8Array): { marker: number; data: Uint8Array }[] {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error("not a JPEG");
  const segments: { marker: number; data: Uint8Array }[] = [];
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) throw new Error(`bad marker at ${at}`);
    const marker = bytes[at + 1];
    const length = (bytes[at + 2] << 8) | bytes[at + 3];
    segments.push({ marker, data: bytes.subarray(at + 4, at + 2 + length) });
    if (marker === 0xda) break;
    at += 2 + length;
  }
  return segments;
}

/** Width and height from the SOF segment. */
export function jpegSize(bytes: Uint8Array): { width: number; height: number } {
  const sof = jpegSegments(bytes).find((s) => s.marker >= 0xc0 && s.marker <= 0xc2);
  if (!sof) throw new Error("no SOF");
  return { height: (sof.data[1] << 8) | sof.data[2], width: (sof.data[3] << 8) | sof.data[4] };
}

/** True when the bytes contain an APP1 `Exif` segment (or the `Exif\0\0` signature anywhere). */
export function hasExif(bytes: Uint8Array): boolean {
  const signature = [0x45, 0x78, 0x69, 0x66, 0, 0];
  const anywhere = bytes.some((_, i) => signature.every((b, k) => bytes[i + k] === b));
  return anywhere || jpegSegments(bytes).some((s) => s.marker === 0xe1);
}

/** Mean absolute per-sample difference of two same-sized images. */
export function meanDifference(a: Pixels, b: Pixels): number {
  if (a.width !== b.width || a.height !== b.height) return Infinity;
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i] - b.data[i]);
  return sum / a.data.length;
}

/** Reads a stored object fully. */
export async function readObject(
  objects: { get(key: string): Promise<{ body: ReadableStream<Uint8Array> } | null> },
  key: string,
): Promise<Uint8Array> {
  const object = await objects.get(key);
  if (!object) throw new Error(`missing object ${key}`);
  return new Uint8Array(await new Response(object.body).arrayBuffer());
}
