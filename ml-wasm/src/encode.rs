//! Encoders: a compact JPEG encoder (baseline 4:2:0, optional progressive spectral selection and
//! CMYK for test fixtures) written for this crate, and PNG through the `png` crate. Encoded files
//! carry no metadata except an optional EXIF orientation used by fixtures, so re-encoding strips
//! GPS and camera data by construction.

use crate::image::Rgb;

/// Options for [`encode_jpeg`].
#[derive(Clone, Debug)]
pub struct JpegOptions {
    pub quality: u8,
    pub progressive: bool,
    pub cmyk: bool,
    pub orientation: Option<u8>,
}

impl Default for JpegOptions {
    fn default() -> JpegOptions {
        JpegOptions {
            quality: 85,
            progressive: false,
            cmyk: false,
            orientation: None,
        }
    }
}

const LUMA_Q: [u8; 64] = [
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
    14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113,
    92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];

const CHROMA_Q_ROW0: [u8; 4] = [17, 18, 24, 47];
const CHROMA_Q_ROW1: [u8; 4] = [18, 21, 26, 66];
const CHROMA_Q_ROW2: [u8; 3] = [24, 26, 56];
const CHROMA_Q_ROW3: [u8; 2] = [47, 66];

/// ITU T.81 Annex K.3 luminance tables, used for every component.
const DC_BITS: [u8; 16] = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_VALS: [u8; 12] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const AC_BITS: [u8; 16] = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d];
const AC_VALS: [u8; 162] = [
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
    0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
    0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
    0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
    0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
    0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
    0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
    0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
    0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
    0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
    0xf9, 0xfa,
];

fn chroma_q() -> [u8; 64] {
    let mut q = [99u8; 64];
    q[..4].copy_from_slice(&CHROMA_Q_ROW0);
    q[8..12].copy_from_slice(&CHROMA_Q_ROW1);
    q[16..19].copy_from_slice(&CHROMA_Q_ROW2);
    q[24..26].copy_from_slice(&CHROMA_Q_ROW3);
    q
}

/// Zig-zag scan order: `zigzag()[k]` is the natural (row-major) index of the k-th coefficient.
fn zigzag() -> [usize; 64] {
    let mut out = [0usize; 64];
    let mut k = 0;
    for s in 0..15usize {
        let range: Vec<usize> = (0..=s).filter(|&i| i < 8 && s - i < 8).collect();
        let ordered: Vec<usize> = if s % 2 == 0 {
            range.into_iter().rev().collect()
        } else {
            range
        };
        for row in ordered {
            out[k] = row * 8 + (s - row);
            k += 1;
        }
    }
    out
}

fn scale_table(base: &[u8; 64], quality: u8) -> [u16; 64] {
    let q = quality.clamp(1, 100) as u32;
    let s = if q < 50 { 5000 / q } else { 200 - 2 * q };
    let mut out = [1u16; 64];
    for i in 0..64 {
        out[i] = ((base[i] as u32 * s + 50) / 100).clamp(1, 255) as u16;
    }
    out
}

/// Canonical Huffman codes: symbol -> (code, length).
fn huffman_codes(bits: &[u8; 16], vals: &[u8]) -> [(u16, u8); 256] {
    let mut table = [(0u16, 0u8); 256];
    let mut code = 0u16;
    let mut k = 0;
    for len in 1..=16u8 {
        for _ in 0..bits[len as usize - 1] {
            table[vals[k] as usize] = (code, len);
            code += 1;
            k += 1;
        }
        code <<= 1;
    }
    table
}

struct BitWriter {
    out: Vec<u8>,
    acc: u32,
    n: u32,
}

impl BitWriter {
    fn put(&mut self, code: u32, len: u32) {
        for i in (0..len).rev() {
            self.acc = (self.acc << 1) | ((code >> i) & 1);
            self.n += 1;
            if self.n == 8 {
                let b = self.acc as u8;
                self.out.push(b);
                if b == 0xFF {
                    self.out.push(0);
                }
                self.acc = 0;
                self.n = 0;
            }
        }
    }
    fn flush(&mut self) {
        while self.n != 0 {
            self.put(1, 1);
        }
    }
}

fn category(v: i32) -> (u32, u32) {
    let a = v.unsigned_abs();
    let size = 32 - a.leading_zeros();
    let bits = if v < 0 {
        (v - 1) as u32 & ((1u32 << size) - 1)
    } else {
        v as u32
    };
    (size, bits)
}

struct Tables {
    dc: [(u16, u8); 256],
    ac: [(u16, u8); 256],
}

impl Tables {
    fn sym(&self, w: &mut BitWriter, ac: bool, s: u8) {
        let (c, l) = if ac {
            self.ac[s as usize]
        } else {
            self.dc[s as usize]
        };
        w.put(c as u32, l as u32);
    }
}

/// Forward DCT of one 8×8 block (level-shifted samples), quantised, in zig-zag order.
fn fdct_quant(
    block: &[f32; 64],
    q: &[u16; 64],
    cos: &[[f32; 8]; 8],
    zz: &[usize; 64],
) -> [i32; 64] {
    let mut tmp = [0f32; 64];
    for y in 0..8 {
        for u in 0..8 {
            let mut s = 0.0;
            for x in 0..8 {
                s += cos[u][x] * block[y * 8 + x];
            }
            tmp[y * 8 + u] = s;
        }
    }
    let mut out = [0i32; 64];
    for (k, &n) in zz.iter().enumerate() {
        let (v, u) = (n / 8, n % 8);
        let mut s = 0.0;
        for y in 0..8 {
            s += cos[v][y] * tmp[y * 8 + u];
        }
        out[k] = (s / q[n] as f32).round() as i32;
    }
    out
}

struct Component {
    id: u8,
    h: usize,
    v: usize,
    tq: usize,
    /// Coefficients per block over the MCU-padded grid, block rows × block columns.
    blocks: Vec<[i32; 64]>,
    bw: usize,
    bh: usize,
    /// Block grid actually covering the component (for non-interleaved scans).
    cw: usize,
    ch: usize,
}

/// Encodes an RGB image as JPEG.
pub fn encode_jpeg(img: &Rgb, opts: &JpegOptions) -> Vec<u8> {
    let (w, h) = (img.width, img.height);
    let zz = zigzag();
    let mut cos = [[0f32; 8]; 8];
    for (u, row) in cos.iter_mut().enumerate() {
        for (x, c) in row.iter_mut().enumerate() {
            let cu = if u == 0 {
                std::f32::consts::FRAC_1_SQRT_2
            } else {
                1.0
            };
            *c = 0.5 * cu * (((2 * x + 1) as f32 * u as f32 * std::f32::consts::PI) / 16.0).cos();
        }
    }
    let qt = [
        scale_table(&LUMA_Q, opts.quality),
        scale_table(&chroma_q(), opts.quality),
    ];
    let planes: Vec<Vec<f32>> = if opts.cmyk {
        (0..4)
            .map(|c| {
                img.data
                    .chunks_exact(3)
                    .map(|p| if c == 3 { 255.0 } else { 255.0 - p[c] as f32 })
                    .collect()
            })
            .collect()
    } else {
        let mut y = Vec::with_capacity(w * h);
        let mut cb = Vec::with_capacity(w * h);
        let mut cr = Vec::with_capacity(w * h);
        for p in img.data.chunks_exact(3) {
            let (r, g, b) = (p[0] as f32, p[1] as f32, p[2] as f32);
            y.push(0.299 * r + 0.587 * g + 0.114 * b);
            cb.push(128.0 - 0.168_736 * r - 0.331_264 * g + 0.5 * b);
            cr.push(128.0 + 0.5 * r - 0.418_688 * g - 0.081_312 * b);
        }
        vec![y, cb, cr]
    };
    let sub = if opts.cmyk { 1 } else { 2 };
    let (mcu_w, mcu_h) = (8 * sub, 8 * sub);
    let (mx, my) = ((w + mcu_w - 1) / mcu_w, (h + mcu_h - 1) / mcu_h);
    let mut comps: Vec<Component> = Vec::new();
    for (ci, plane) in planes.iter().enumerate() {
        let (hs, vs) = if ci == 0 { (sub, sub) } else { (1, 1) };
        let (hs, vs) = if opts.cmyk { (1, 1) } else { (hs, vs) };
        let f = sub / hs;
        let (bw, bh) = (mx * hs, my * vs);
        let (pw, ph) = ((w + f - 1) / f, (h + f - 1) / f);
        let mut blocks = Vec::with_capacity(bw * bh);
        for by in 0..bh {
            for bx in 0..bw {
                let mut blk = [0f32; 64];
                for yy in 0..8 {
                    for xx in 0..8 {
                        let (px, py) = ((bx * 8 + xx).min(pw - 1), (by * 8 + yy).min(ph - 1));
                        let mut s = 0.0;
                        for dy in 0..f {
                            for dx in 0..f {
                                let sx = (px * f + dx).min(w - 1);
                                let sy = (py * f + dy).min(h - 1);
                                s += plane[sy * w + sx];
                            }
                        }
                        blk[yy * 8 + xx] = s / (f * f) as f32 - 128.0;
                    }
                }
                let tq = if ci == 0 || opts.cmyk { 0 } else { 1 };
                blocks.push(fdct_quant(&blk, &qt[tq], &cos, &zz));
            }
        }
        let tq = if ci == 0 || opts.cmyk { 0 } else { 1 };
        comps.push(Component {
            id: ci as u8 + 1,
            h: hs,
            v: vs,
            tq,
            blocks,
            bw,
            bh,
            cw: (pw + 7) / 8,
            ch: (ph + 7) / 8,
        });
    }

    let mut out = vec![0xFF, 0xD8];
    segment(&mut out, 0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    if let Some(o) = opts.orientation {
        segment(&mut out, 0xE1, &crate::exif::orientation_app1(o));
    }
    if opts.cmyk {
        segment(&mut out, 0xEE, b"Adobe\0\x64\0\0\0\0\0");
    }
    for (i, t) in qt.iter().enumerate() {
        let mut d = vec![i as u8];
        d.extend(zz.iter().map(|&n| t[n] as u8));
        segment(&mut out, 0xDB, &d);
    }
    let mut sof = vec![
        8,
        (h >> 8) as u8,
        h as u8,
        (w >> 8) as u8,
        w as u8,
        comps.len() as u8,
    ];
    for c in &comps {
        sof.extend_from_slice(&[c.id, ((c.h << 4) | c.v) as u8, c.tq as u8]);
    }
    segment(&mut out, if opts.progressive { 0xC2 } else { 0xC0 }, &sof);
    let mut dht = vec![0x00];
    dht.extend_from_slice(&DC_BITS);
    dht.extend_from_slice(&DC_VALS);
    dht.push(0x10);
    dht.extend_from_slice(&AC_BITS);
    dht.extend_from_slice(&AC_VALS);
    segment(&mut out, 0xC4, &dht);
    let tables = Tables {
        dc: huffman_codes(&DC_BITS, &DC_VALS),
        ac: huffman_codes(&AC_BITS, &AC_VALS),
    };

    if opts.progressive {
        scan_header(&mut out, &comps.iter().collect::<Vec<_>>(), 0, 0);
        let mut w = BitWriter {
            out: Vec::new(),
            acc: 0,
            n: 0,
        };
        interleaved(&comps, mx, my, &tables, &mut w, 0, 0);
        w.flush();
        out.extend_from_slice(&w.out);
        for band in [(1usize, 5usize), (6, 63)] {
            for c in &comps {
                scan_header(&mut out, &[c], band.0 as u8, band.1 as u8);
                let mut w = BitWriter {
                    out: Vec::new(),
                    acc: 0,
                    n: 0,
                };
                for by in 0..c.ch {
                    for bx in 0..c.cw {
                        ac_band(&c.blocks[by * c.bw + bx], band.0, band.1, &tables, &mut w);
                    }
                }
                w.flush();
                out.extend_from_slice(&w.out);
            }
        }
    } else {
        scan_header(&mut out, &comps.iter().collect::<Vec<_>>(), 0, 63);
        let mut w = BitWriter {
            out: Vec::new(),
            acc: 0,
            n: 0,
        };
        interleaved(&comps, mx, my, &tables, &mut w, 0, 63);
        w.flush();
        out.extend_from_slice(&w.out);
    }
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

fn interleaved(
    comps: &[Component],
    mx: usize,
    my: usize,
    t: &Tables,
    w: &mut BitWriter,
    ss: usize,
    se: usize,
) {
    let mut pred = vec![0i32; comps.len()];
    for mby in 0..my {
        for mbx in 0..mx {
            for (ci, c) in comps.iter().enumerate() {
                for v in 0..c.v {
                    for hh in 0..c.h {
                        let blk = &c.blocks[(mby * c.v + v) * c.bw + mbx * c.h + hh];
                        let diff = blk[0] - pred[ci];
                        pred[ci] = blk[0];
                        let (size, bits) = category(diff);
                        t.sym(w, false, size as u8);
                        w.put(bits, size);
                        if se > 0 {
                            ac_band(blk, ss.max(1), se, t, w);
                        }
                    }
                }
            }
        }
    }
    let _ = comps.iter().map(|c| c.bh).count();
}

fn ac_band(blk: &[i32; 64], ss: usize, se: usize, t: &Tables, w: &mut BitWriter) {
    let mut run = 0u32;
    for &v in &blk[ss..=se] {
        if v == 0 {
            run += 1;
            continue;
        }
        while run > 15 {
            t.sym(w, true, 0xF0);
            run -= 16;
        }
        let (size, bits) = category(v.clamp(-1023, 1023));
        t.sym(w, true, ((run << 4) | size) as u8);
        w.put(bits, size);
        run = 0;
    }
    if run > 0 {
        t.sym(w, true, 0x00);
    }
}

fn scan_header(out: &mut Vec<u8>, comps: &[&Component], ss: u8, se: u8) {
    let mut d = vec![comps.len() as u8];
    for c in comps {
        d.extend_from_slice(&[c.id, 0x00]);
    }
    d.extend_from_slice(&[ss, se, 0]);
    segment(out, 0xDA, &d);
}

fn segment(out: &mut Vec<u8>, marker: u8, payload: &[u8]) {
    out.extend_from_slice(&[0xFF, marker]);
    let len = payload.len() + 2;
    out.extend_from_slice(&[(len >> 8) as u8, len as u8]);
    out.extend_from_slice(payload);
}

/// Encodes an RGB image as PNG (8-bit, or 16-bit with each byte duplicated).
pub fn encode_png(img: &Rgb, sixteen: bool) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, img.width as u32, img.height as u32);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(if sixteen {
            png::BitDepth::Sixteen
        } else {
            png::BitDepth::Eight
        });
        let mut writer = match enc.write_header() {
            Ok(w) => w,
            Err(_) => return Vec::new(),
        };
        let data: Vec<u8> = if sixteen {
            img.data.iter().flat_map(|&b| [b, b]).collect()
        } else {
            img.data.clone()
        };
        if writer.write_image_data(&data).is_err() {
            return Vec::new();
        }
    }
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
}

/// A tiny PNG whose header declares `w`×`h` RGB pixels: a decompression-bomb fixture.
pub fn png_bomb(w: u32, h: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    png_chunk(&mut out, b"IHDR", &ihdr);
    png_chunk(
        &mut out,
        b"IDAT",
        &[0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01],
    );
    png_chunk(&mut out, b"IEND", &[]);
    out
}

/// Overwrites the frame dimensions in a JPEG's SOF segment (for hostile fixtures).
pub fn patch_jpeg_dimensions(jpeg: &mut [u8], w: u16, h: u16) {
    let mut i = 2;
    while i + 9 < jpeg.len() {
        if jpeg[i] == 0xFF && (jpeg[i + 1] == 0xC0 || jpeg[i + 1] == 0xC2) {
            jpeg[i + 5..i + 7].copy_from_slice(&h.to_be_bytes());
            jpeg[i + 7..i + 9].copy_from_slice(&w.to_be_bytes());
            return;
        }
        let len = ((jpeg[i + 2] as usize) << 8) | jpeg[i + 3] as usize;
        i += 2 + len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_complete() {
        assert_eq!(
            AC_BITS.iter().map(|&b| b as usize).sum::<usize>(),
            AC_VALS.len()
        );
        let mut seen = std::collections::HashSet::new();
        for &v in AC_VALS.iter() {
            assert!(seen.insert(v));
            let (run, size) = (v >> 4, v & 15);
            assert!(
                (size >= 1 && size <= 10) || v == 0 || v == 0xF0,
                "{:x} {}",
                v,
                run
            );
        }
        assert_eq!(seen.len(), 162);
        let zz = zigzag();
        assert_eq!(&zz[..10], &[0, 1, 8, 16, 9, 2, 3, 10, 17, 24]);
        assert_eq!(zz[63], 63);
    }

    #[test]
    fn crc_matches_known_value() {
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
    }

    #[test]
    fn odd_sizes_encode_and_decode() {
        for (w, h) in [(17, 9), (33, 31), (8, 8), (100, 3)] {
            let img = Rgb::from_fn(w, h, |x, y| [(x * 7) as u8, (y * 11) as u8, 60]);
            for progressive in [false, true] {
                let bytes = encode_jpeg(
                    &img,
                    &JpegOptions {
                        progressive,
                        quality: 90,
                        ..Default::default()
                    },
                );
                let mut d = jpeg_decoder::Decoder::new(&bytes[..]);
                let px = d.decode().expect("decodes");
                assert_eq!(px.len(), w * h * 3);
            }
        }
    }
}
