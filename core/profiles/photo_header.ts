/**
 * Reads an upload's format and stored dimensions from its header (PNG IHDR, JPEG SOFn) without
 * decoding any pixel, so oversized images are refused before the decoder allocates anything.
 * Dimensions are as stored, before EXIF orientation (the pixel count is the same either way).
 */

/** Format and stored size of an image. */
export interface ImageHeader {
  format: "jpeg" | "png";
  width: number;
  height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** JPEG start-of-frame markers: C0–CF except DHT (C4), JPG (C8) and DAC (CC). */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 &&
    marker !== 0xcc;
}

function pngHeader(bytes: Uint8Array): ImageHeader | null {
  // signature (8), IHDR length (4) = 13, "IHDR" (4), width (4), height (4)
  if (bytes.length < 24) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(8) !== 13 || String.fromCharCode(...bytes.subarray(12, 16)) !== "IHDR") {
    return null;
  }
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  return width > 0 && height > 0 ? { format: "png", width, height } : null;
}

function jpegHeader(bytes: Uint8Array): ImageHeader | null {
  let i = 2;
  while (i + 1 < bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1];
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    i += 2;
    // Markers without a length: TEM, RST0–7, SOI, EOI.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) continue;
    if (i + 2 > bytes.length) return null;
    const length = (bytes[i] << 8) | bytes[i + 1];
    if (length < 2) return null;
    if (isStartOfFrame(marker)) {
      // length (2), precision (1), height (2), width (2)
      if (length < 7 || i + 7 > bytes.length) return null;
      const height = (bytes[i + 3] << 8) | bytes[i + 4];
      const width = (bytes[i + 5] << 8) | bytes[i + 6];
      return width > 0 && height > 0 ? { format: "jpeg", width, height } : null;
    }
    if (marker === 0xda) return null; // a scan before any frame header
    i += length;
  }
  return null;
}

/** The image's header, or null when it is neither a JPEG nor a PNG with a readable size. */
export function readImageHeader(bytes: Uint8Array): ImageHeader | null {
  if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return pngHeader(bytes);
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return jpegHeader(bytes);
  }
  return null;
}
