/**
 * The QR encoder checked by an independent decoder written here from the standard: it locates the
 * function patterns itself, reads and BCH-matches the format information, unmasks, reads the
 * zigzag, de-interleaves the blocks, verifies every Reed–Solomon syndrome is zero (log/antilog
 * tables, not the encoder's arithmetic) and parses the byte-mode segment.
 */
import assert from "node:assert/strict";
import { encodeQr, formatBits, qrSvg, versionBits } from "@/core/qr.ts";

// ISO 18004 Table 9, level M: [ec per block, [blocks, data codewords]...]
const TABLE: [number, [number, number][]][] = [
  [10, [[1, 16]]],
  [16, [[1, 28]]],
  [26, [[1, 44]]],
  [18, [[2, 32]]],
  [24, [[2, 43]]],
  [16, [[4, 27]]],
  [18, [[4, 31]]],
  [22, [[2, 38], [2, 39]]],
  [22, [[3, 36], [2, 37]]],
  [26, [[4, 43], [1, 44]]],
];
const ALIGN = [[], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [
  6,
  26,
  46,
], [6, 28, 50]];

const EXP = new Array<number>(512);
const LOG = new Array<number>(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255];
}
const mul = (a: number, b: number) => (a && b ? EXP[LOG[a] + LOG[b]] : 0);

/** All 32 valid format words, computed by long division of the 15-bit word. */
function formatWords(): Map<number, { ecl: number; mask: number }> {
  const words = new Map<number, { ecl: number; mask: number }>();
  for (let data = 0; data < 32; data++) {
    let value = data << 10;
    for (let bit = 14; bit >= 10; bit--) if (value & (1 << bit)) value ^= 0x537 << (bit - 10);
    words.set(((data << 10) | value) ^ 0x5412, { ecl: data >> 3, mask: data & 7 });
  }
  return words;
}

function decode(modules: boolean[][]): { text: string; mask: number } {
  const size = modules.length;
  const version = (size - 17) / 4;
  assert.ok(Number.isInteger(version) && version >= 1 && version <= 10);
  const at = (x: number, y: number) => modules[y][x];
  // Format, first copy (around the top-left finder).
  const coords: [number, number][] = [
    [8, 0],
    [8, 1],
    [8, 2],
    [8, 3],
    [8, 4],
    [8, 5],
    [8, 7],
    [8, 8],
    [7, 8],
    [5, 8],
    [4, 8],
    [3, 8],
    [2, 8],
    [1, 8],
    [0, 8],
  ];
  const read = coords.reduce((acc, [x, y], i) => acc | (at(x, y) ? 1 << i : 0), 0);
  let best = { distance: 99, ecl: -1, mask: -1 };
  for (const [word, info] of formatWords()) {
    let diff = word ^ read;
    let distance = 0;
    while (diff) {
      distance += diff & 1;
      diff >>>= 1;
    }
    if (distance < best.distance) best = { distance, ...info };
  }
  assert.equal(best.distance, 0, "format information must read cleanly");
  assert.equal(best.ecl, 0, "level M");
  // Function modules.
  const isFunction = (x: number, y: number) => {
    if ((x < 9 && y < 9) || (x >= size - 8 && y < 9) || (x < 9 && y >= size - 8)) return true;
    if (x === 6 || y === 6) return true;
    if (version >= 7 && ((x >= size - 11 && y < 6) || (y >= size - 11 && x < 6))) return true;
    for (const cx of ALIGN[version - 1]) {
      for (const cy of ALIGN[version - 1]) {
        const nearFinder = (cx < 9 && cy < 9) || (cx > size - 9 && cy < 9) ||
          (cx < 9 && cy > size - 9);
        if (!nearFinder && Math.abs(x - cx) <= 2 && Math.abs(y - cy) <= 2) return true;
      }
    }
    return false;
  };
  const maskFns = [
    (x: number, y: number) => (y + x) % 2 === 0,
    (_x: number, y: number) => y % 2 === 0,
    (x: number) => x % 3 === 0,
    (x: number, y: number) => (y + x) % 3 === 0,
    (x: number, y: number) => (Math.floor(y / 2) + Math.floor(x / 3)) % 2 === 0,
    (x: number, y: number) => ((y * x) % 2) + ((y * x) % 3) === 0,
    (x: number, y: number) => (((y * x) % 2) + ((y * x) % 3)) % 2 === 0,
    (x: number, y: number) => (((y + x) % 2) + ((y * x) % 3)) % 2 === 0,
  ];
  const bits: number[] = [];
  let upward = true;
  for (let col = size - 1; col > 0; col -= 2) {
    if (col === 6) col--;
    for (let k = 0; k < size; k++) {
      const y = upward ? size - 1 - k : k;
      for (const x of [col, col - 1]) {
        if (isFunction(x, y)) continue;
        bits.push(Number(at(x, y) !== maskFns[best.mask](x, y)));
      }
    }
    upward = !upward;
  }
  const [ec, groups] = TABLE[version - 1];
  const lengths = groups.flatMap(([count, data]) => Array(count).fill(data) as number[]);
  const total = lengths.reduce((a, b) => a + b, 0) + ec * lengths.length;
  const bytes: number[] = [];
  for (let i = 0; i < total; i++) {
    bytes.push(bits.slice(i * 8, i * 8 + 8).reduce((acc, bit) => (acc << 1) | bit, 0));
  }
  // De-interleave.
  const blocks = lengths.map(() => [] as number[]);
  let p = 0;
  for (let i = 0; i < Math.max(...lengths); i++) {
    lengths.forEach((length, b) => i < length && blocks[b].push(bytes[p++]));
  }
  for (let i = 0; i < ec; i++) blocks.forEach((block) => block.push(bytes[p++]));
  for (const block of blocks) {
    for (let j = 0; j < ec; j++) {
      let syndrome = 0;
      for (const c of block) syndrome = mul(syndrome, EXP[j]) ^ c;
      assert.equal(syndrome, 0, `Reed–Solomon syndrome ${j} of a block`);
    }
  }
  const data = blocks.flatMap((block, b) => block.slice(0, lengths[b]));
  let cursor = 0;
  const take = (n: number) => {
    let v = 0;
    for (let i = 0; i < n; i++, cursor++) {
      v = (v << 1) | ((data[cursor >> 3] >> (7 - (cursor & 7))) & 1);
    }
    return v;
  };
  assert.equal(take(4), 0b0100, "byte mode");
  const count = take(version <= 9 ? 8 : 16);
  const out = Uint8Array.from({ length: count }, () => take(8));
  return { text: new TextDecoder().decode(out), mask: best.mask };
}

Deno.test("[qr] published format and version words", () => {
  // ISO 18004 Annex C: level M, mask 0 → 101010000010010; version 7 → 000111110010010100.
  assert.equal(formatBits(0), 0b101010000010010);
  assert.equal(versionBits(7), 0b000111110010010100);
  assert.equal(versionBits(10), 0b001010010011010011);
});

Deno.test("[qr] every version 1–10 and every mask decodes back to its text", () => {
  const capacities = [14, 26, 42, 62, 84, 106, 122, 152, 180, 213];
  for (const [i, capacity] of capacities.entries()) {
    const text = Array.from({ length: capacity }, (_, k) => "Aurum·Circle-"[k % 13]).join("")
      .slice(0, capacity);
    const bytes = new TextEncoder().encode(text).length;
    const fitting = text.slice(0, text.length - (bytes - capacity));
    const code = encodeQr(fitting);
    assert.equal(code.version, i + 1, `capacity ${capacity}`);
    assert.equal(code.size, 17 + 4 * code.version);
    assert.equal(decode(code.modules).text, fitting);
  }
  const link = "https://worldcoin.org/mini-app?app_id=app_staging_0123456789abcdef&path=" +
    encodeURIComponent("/invite/7K3M-Q9XP-4R");
  for (let mask = 0; mask < 8; mask++) {
    const code = encodeQr(link, { mask });
    const decoded = decode(code.modules);
    assert.equal(decoded.text, link);
    assert.equal(decoded.mask, mask);
  }
  assert.throws(() => encodeQr("x".repeat(214)), RangeError);
});

Deno.test("[qr] a flipped data module breaks a syndrome (the decoder really checks)", () => {
  const code = encodeQr("https://example.org/invite/ABCD-EFGH-JK");
  const modules = code.modules.map((row) => [...row]);
  modules[code.size - 1][code.size - 1] = !modules[code.size - 1][code.size - 1];
  assert.throws(() => decode(modules), /syndrome/);
});

Deno.test("[qr] SVG has a quiet zone and one dark path", () => {
  const svg = qrSvg("hello", { title: "Invite <code>" });
  assert.match(svg, /^<svg [^>]*viewBox="0 0 29 29"/);
  assert.match(svg, /<title>Invite &#60;code&#62;<\/title>/);
  assert.equal(svg.match(/<path /g)?.length, 1);
});
