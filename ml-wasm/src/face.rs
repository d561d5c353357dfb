//! Tiny face detector (face-api.js `tiny_face_detector`, a Tiny-YOLOv2 with depthwise-separable
//! convolutions) run from the TF.js weights shipped in the npm package `@vladmandic/face-api`.
//! The weights manifest and shard are parsed here; tensors are stored as 4-lane vectors over
//! channels so every convolution runs on SIMD lanes.

use crate::error::{MlError, MlResult};
use crate::image::Rgb;
use crate::simd::F4;
use serde_json::Value;

const MEAN_RGB: [f32; 3] = [117.001, 114.697, 97.404];
const ANCHORS: [(f32, f32); 5] = [
    (1.603231, 2.094468),
    (6.041143, 7.080126),
    (2.882459, 3.518061),
    (4.266906, 5.178857),
    (9.041765, 10.66308),
];
const IOU_THRESHOLD: f32 = 0.4;
/// Minimum detector score for a face (face-api's default).
pub const FACE_THRESHOLD: f32 = 0.5;
/// Largest network input side (a multiple of 32).
pub const MAX_INPUT: usize = 320;

/// A detected face in source-image pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct Face {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub score: f32,
}

struct SepConv {
    /// Depthwise 3×3: `[tap][c4]`.
    dw: Vec<F4>,
    /// Pointwise: `[in channel][out4]`.
    pw: Vec<F4>,
    bias: Vec<F4>,
    c4: usize,
    o4: usize,
}

/// The parsed detector.
pub struct Detector {
    conv0: Vec<F4>,
    conv0_bias: Vec<F4>,
    sep: Vec<SepConv>,
    conv8: Vec<F4>,
    conv8_bias: Vec<F4>,
}

struct Tensor {
    h: usize,
    w: usize,
    c4: usize,
    d: Vec<F4>,
}

/// Reads named f32 tensors from a TF.js weights manifest and its concatenated shards.
pub fn read_tfjs(manifest: &[u8], shard: &[u8]) -> MlResult<Vec<(String, Vec<usize>, Vec<f32>)>> {
    let v: Value = serde_json::from_slice(manifest)
        .map_err(|e| MlError::invalid(format!("manifest: {}", e)))?;
    let groups = v
        .as_array()
        .ok_or_else(|| MlError::invalid("manifest is not an array"))?;
    let mut off = 0usize;
    let mut out = Vec::new();
    for g in groups {
        let weights = g["weights"]
            .as_array()
            .ok_or_else(|| MlError::invalid("group without weights"))?;
        for w in weights {
            let name = w["name"]
                .as_str()
                .ok_or_else(|| MlError::invalid("weight without name"))?
                .to_string();
            let shape: Vec<usize> = w["shape"]
                .as_array()
                .ok_or_else(|| MlError::invalid("weight without shape"))?
                .iter()
                .map(|d| d.as_u64().unwrap_or(0) as usize)
                .collect();
            let n: usize = shape.iter().product();
            if n == 0 || n > 4_000_000 {
                return Err(MlError::invalid(format!("bad shape for {}", name)));
            }
            let q = &w["quantization"];
            let values: Vec<f32> = match q["dtype"].as_str() {
                Some("uint8") => {
                    let bytes = shard
                        .get(off..off + n)
                        .ok_or_else(|| MlError::invalid("shard too short"))?;
                    off += n;
                    let (s, m) = (
                        q["scale"].as_f64().unwrap_or(1.0),
                        q["min"].as_f64().unwrap_or(0.0),
                    );
                    bytes.iter().map(|&b| (b as f64 * s + m) as f32).collect()
                }
                None if w["dtype"].as_str() == Some("float32") => {
                    let bytes = shard
                        .get(off..off + 4 * n)
                        .ok_or_else(|| MlError::invalid("shard too short"))?;
                    off += 4 * n;
                    bytes
                        .chunks_exact(4)
                        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                        .collect()
                }
                _ => {
                    return Err(MlError::invalid(format!(
                        "unsupported weight encoding for {}",
                        name
                    )))
                }
            };
            out.push((name, shape, values));
        }
    }
    if off != shard.len() {
        return Err(MlError::invalid("shard length does not match the manifest"));
    }
    Ok(out)
}

fn pack_rows(values: &[f32], rows: usize, cols: usize) -> (Vec<F4>, usize) {
    let c4 = (cols + 3) / 4;
    let mut out = Vec::with_capacity(rows * c4);
    for r in 0..rows {
        for k in 0..c4 {
            let g = |i: usize| {
                if k * 4 + i < cols {
                    values[r * cols + k * 4 + i]
                } else {
                    0.0
                }
            };
            out.push(F4::new(g(0), g(1), g(2), g(3)));
        }
    }
    (out, c4)
}

impl Detector {
    /// Builds the detector from a TF.js manifest and shard.
    pub fn from_tfjs(manifest: &[u8], shard: &[u8]) -> MlResult<Detector> {
        let tensors = read_tfjs(manifest, shard)?;
        let get = |name: &str, shape: &[usize]| -> MlResult<&Vec<f32>> {
            let t = tensors
                .iter()
                .find(|t| t.0 == name)
                .ok_or_else(|| MlError::invalid(format!("missing tensor {}", name)))?;
            if t.1 != shape {
                return Err(MlError::invalid(format!(
                    "tensor {} has shape {:?}",
                    name, t.1
                )));
            }
            Ok(&t.2)
        };
        let (conv0, _) = pack_rows(get("conv0/filters", &[3, 3, 3, 16])?, 27, 16);
        let (conv0_bias, _) = pack_rows(get("conv0/bias", &[16])?, 1, 16);
        let sizes = [16usize, 32, 64, 128, 256, 512];
        let mut sep = Vec::new();
        for i in 1..=5 {
            let (c, o) = (sizes[i - 1], sizes[i]);
            let (dw, c4) = pack_rows(
                get(&format!("conv{}/depthwise_filter", i), &[3, 3, c, 1])?,
                9,
                c,
            );
            let (pw, o4) = pack_rows(
                get(&format!("conv{}/pointwise_filter", i), &[1, 1, c, o])?,
                c,
                o,
            );
            let (bias, _) = pack_rows(get(&format!("conv{}/bias", i), &[o])?, 1, o);
            sep.push(SepConv {
                dw,
                pw,
                bias,
                c4,
                o4,
            });
        }
        let (conv8, _) = pack_rows(get("conv8/filters", &[1, 1, 512, 25])?, 512, 25);
        let (conv8_bias, _) = pack_rows(get("conv8/bias", &[25])?, 1, 25);
        Ok(Detector {
            conv0,
            conv0_bias,
            sep,
            conv8,
            conv8_bias,
        })
    }

    /// Detects faces; boxes are in the pixel coordinates of `img`.
    pub fn detect(&self, img: &Rgb, min_score: f32) -> Vec<Face> {
        let long = img.width.max(img.height);
        let size = (((long + 31) / 32) * 32).clamp(64, MAX_INPUT);
        let input = self.input(img, size);
        let mut t = self.conv0(&input);
        t = maxpool(&t, 2);
        for (i, layer) in self.sep.iter().enumerate() {
            t = sep_conv(&t, layer);
            t = maxpool(&t, if i == 4 { 1 } else { 2 });
        }
        let out = pointwise(&t, &self.conv8, &self.conv8_bias, 7, false);
        let mut faces = decode_boxes(&out, long as f32, min_score);
        for f in faces.iter_mut() {
            let x1 = (f.x + f.w).min(img.width as f32);
            let y1 = (f.y + f.h).min(img.height as f32);
            f.x = f.x.max(0.0);
            f.y = f.y.max(0.0);
            f.w = (x1 - f.x).max(0.0);
            f.h = (y1 - f.y).max(0.0);
        }
        faces.retain(|f| f.w >= 1.0 && f.h >= 1.0);
        faces
    }

    fn input(&self, img: &Rgb, size: usize) -> Tensor {
        let long = img.width.max(img.height);
        let w = ((img.width * size + long / 2) / long).clamp(1, size);
        let h = ((img.height * size + long / 2) / long).clamp(1, size);
        let scaled = if long > size {
            img.resize_area(w, h)
        } else {
            img.clone()
        };
        let px: Vec<[f32; 3]> = if long > size {
            scaled
                .data
                .chunks_exact(3)
                .map(|p| [p[0] as f32, p[1] as f32, p[2] as f32])
                .collect()
        } else {
            scaled.resize_bilinear_f32(w, h)
        };
        let pad = F4::new(
            -MEAN_RGB[0] / 255.0,
            -MEAN_RGB[1] / 255.0,
            -MEAN_RGB[2] / 255.0,
            0.0,
        );
        let mut d = vec![pad; size * size];
        for y in 0..h {
            for x in 0..w {
                let p = px[y * w + x];
                d[y * size + x] = F4::new(
                    (p[0] - MEAN_RGB[0]) / 255.0,
                    (p[1] - MEAN_RGB[1]) / 255.0,
                    (p[2] - MEAN_RGB[2]) / 255.0,
                    0.0,
                );
            }
        }
        Tensor {
            h: size,
            w: size,
            c4: 1,
            d,
        }
    }

    /// Full 3×3 convolution, 'valid' padding, 3 → 16 channels, leaky ReLU.
    fn conv0(&self, t: &Tensor) -> Tensor {
        let (oh, ow) = (t.h - 2, t.w - 2);
        let mut d = Vec::with_capacity(oh * ow * 4);
        let leak = F4::splat(0.1);
        for y in 0..oh {
            for x in 0..ow {
                let mut acc = [
                    self.conv0_bias[0],
                    self.conv0_bias[1],
                    self.conv0_bias[2],
                    self.conv0_bias[3],
                ];
                for ky in 0..3 {
                    for kx in 0..3 {
                        let v = t.d[(y + ky) * t.w + x + kx];
                        let base = (ky * 3 + kx) * 3 * 4;
                        let lanes = [
                            v.splat_lane::<0>(),
                            v.splat_lane::<1>(),
                            v.splat_lane::<2>(),
                        ];
                        for (l, s) in lanes.iter().enumerate() {
                            let row = &self.conv0[base + l * 4..base + l * 4 + 4];
                            for o in 0..4 {
                                acc[o] = acc[o].mul_add(*s, row[o]);
                            }
                        }
                    }
                }
                for a in acc.iter() {
                    d.push(a.max(a.mul(leak)));
                }
            }
        }
        Tensor {
            h: oh,
            w: ow,
            c4: 4,
            d,
        }
    }
}

fn maxpool(t: &Tensor, stride: usize) -> Tensor {
    let (oh, ow) = ((t.h + stride - 1) / stride, (t.w + stride - 1) / stride);
    let mut d = Vec::with_capacity(oh * ow * t.c4);
    for y in 0..oh {
        let (y0, y1) = (y * stride, (y * stride + 1).min(t.h - 1));
        for x in 0..ow {
            let (x0, x1) = (x * stride, (x * stride + 1).min(t.w - 1));
            for c in 0..t.c4 {
                let a = t.d[(y0 * t.w + x0) * t.c4 + c];
                let b = t.d[(y0 * t.w + x1) * t.c4 + c];
                let e = t.d[(y1 * t.w + x0) * t.c4 + c];
                let f = t.d[(y1 * t.w + x1) * t.c4 + c];
                d.push(a.max(b).max(e.max(f)));
            }
        }
    }
    Tensor {
        h: oh,
        w: ow,
        c4: t.c4,
        d,
    }
}

/// Depthwise 3×3 ('same', zero padding) then pointwise, bias and leaky ReLU.
fn sep_conv(t: &Tensor, l: &SepConv) -> Tensor {
    let mut dw = Tensor {
        h: t.h,
        w: t.w,
        c4: l.c4,
        d: vec![F4::splat(0.0); t.h * t.w * l.c4],
    };
    for y in 0..t.h {
        for x in 0..t.w {
            let o = (y * t.w + x) * l.c4;
            for ky in 0..3 {
                let sy = y as isize + ky as isize - 1;
                if sy < 0 || sy >= t.h as isize {
                    continue;
                }
                for kx in 0..3 {
                    let sx = x as isize + kx as isize - 1;
                    if sx < 0 || sx >= t.w as isize {
                        continue;
                    }
                    let i = (sy as usize * t.w + sx as usize) * l.c4;
                    let k = (ky * 3 + kx) * l.c4;
                    let src = &t.d[i..i + l.c4];
                    let wts = &l.dw[k..k + l.c4];
                    let dst = &mut dw.d[o..o + l.c4];
                    for c in 0..l.c4 {
                        dst[c] = dst[c].mul_add(src[c], wts[c]);
                    }
                }
            }
        }
    }
    pointwise(&dw, &l.pw, &l.bias, l.o4, true)
}

/// 1×1 convolution: `out[o] = bias[o] + Σ_i in[i]·w[i][o]`, optionally leaky ReLU.
fn pointwise(t: &Tensor, w: &[F4], bias: &[F4], o4: usize, leaky: bool) -> Tensor {
    let mut d = vec![F4::splat(0.0); t.h * t.w * o4];
    let leak = F4::splat(0.1);
    for p in 0..t.h * t.w {
        let src = &t.d[p * t.c4..(p + 1) * t.c4];
        let dst = &mut d[p * o4..(p + 1) * o4];
        let mut ob = 0;
        while ob < o4 {
            let n = (o4 - ob).min(4);
            let mut acc = [F4::splat(0.0); 4];
            acc[..n].copy_from_slice(&bias[ob..ob + n]);
            if n == 4 {
                for (ic4, v) in src.iter().enumerate() {
                    let lanes = [
                        v.splat_lane::<0>(),
                        v.splat_lane::<1>(),
                        v.splat_lane::<2>(),
                        v.splat_lane::<3>(),
                    ];
                    for (l, s) in lanes.iter().enumerate() {
                        let r = (ic4 * 4 + l) * o4 + ob;
                        let row = &w[r..r + 4];
                        acc[0] = acc[0].mul_add(*s, row[0]);
                        acc[1] = acc[1].mul_add(*s, row[1]);
                        acc[2] = acc[2].mul_add(*s, row[2]);
                        acc[3] = acc[3].mul_add(*s, row[3]);
                    }
                }
            } else {
                for (ic4, v) in src.iter().enumerate() {
                    let vals = v.lanes();
                    for (l, &s) in vals.iter().enumerate() {
                        let s = F4::splat(s);
                        let r = (ic4 * 4 + l) * o4 + ob;
                        for j in 0..n {
                            acc[j] = acc[j].mul_add(s, w[r + j]);
                        }
                    }
                }
            }
            for j in 0..n {
                dst[ob + j] = if leaky {
                    acc[j].max(acc[j].mul(leak))
                } else {
                    acc[j]
                };
            }
            ob += n;
        }
    }
    Tensor {
        h: t.h,
        w: t.w,
        c4: o4,
        d,
    }
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

fn decode_boxes(out: &Tensor, side: f32, min_score: f32) -> Vec<Face> {
    let g = out.h;
    let mut cands = Vec::new();
    for row in 0..g {
        for col in 0..out.w {
            let mut ch = [0f32; 28];
            for k in 0..7 {
                ch[k * 4..k * 4 + 4]
                    .copy_from_slice(&out.d[(row * out.w + col) * out.c4 + k].lanes());
            }
            for (a, &(ax, ay)) in ANCHORS.iter().enumerate() {
                let e = &ch[a * 5..a * 5 + 5];
                let score = sigmoid(e[4]);
                if score <= min_score {
                    continue;
                }
                let cx = (col as f32 + sigmoid(e[0])) / g as f32;
                let cy = (row as f32 + sigmoid(e[1])) / g as f32;
                let bw = e[2].min(10.0).exp() * ax / g as f32;
                let bh = e[3].min(10.0).exp() * ay / g as f32;
                cands.push(Face {
                    x: (cx - bw / 2.0) * side,
                    y: (cy - bh / 2.0) * side,
                    w: bw * side,
                    h: bh * side,
                    score,
                });
            }
        }
    }
    nms(cands)
}

fn iou(a: &Face, b: &Face) -> f32 {
    let ix = ((a.x + a.w).min(b.x + b.w) - a.x.max(b.x)).max(0.0);
    let iy = ((a.y + a.h).min(b.y + b.h) - a.y.max(b.y)).max(0.0);
    let inter = ix * iy;
    let union = a.w * a.h + b.w * b.h - inter;
    if union <= 0.0 {
        0.0
    } else {
        inter / union
    }
}

fn nms(mut c: Vec<Face>) -> Vec<Face> {
    c.sort_by(|a, b| {
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut keep: Vec<Face> = Vec::new();
    for f in c {
        if keep.iter().all(|k| iou(k, &f) <= IOU_THRESHOLD) {
            keep.push(f);
        }
        if keep.len() >= 32 {
            break;
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_quantised_and_float_weights() {
        let manifest = br#"[{"paths":["a.bin"],"weights":[
            {"name":"q","shape":[2],"dtype":"float32","quantization":{"dtype":"uint8","scale":0.5,"min":-1}},
            {"name":"f","shape":[1],"dtype":"float32"}]}]"#;
        let mut shard = vec![0u8, 4];
        shard.extend_from_slice(&2.5f32.to_le_bytes());
        let t = read_tfjs(manifest, &shard).unwrap();
        assert_eq!(t[0].2, vec![-1.0, 1.0]);
        assert_eq!(t[1].2, vec![2.5]);
        assert_eq!(
            read_tfjs(manifest, &shard[..3]).unwrap_err().code,
            "invalid_argument"
        );
        assert!(read_tfjs(b"{}", &shard).is_err());
    }

    #[test]
    fn nms_keeps_the_best_of_overlapping_boxes() {
        let f = |x: f32, s: f32| Face {
            x,
            y: 0.0,
            w: 10.0,
            h: 10.0,
            score: s,
        };
        let kept = nms(vec![f(0.0, 0.6), f(1.0, 0.9), f(50.0, 0.7)]);
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[0].score, 0.9);
    }

    #[test]
    fn pooling_shapes_follow_same_padding() {
        let t = Tensor {
            h: 5,
            w: 3,
            c4: 1,
            d: (0..15).map(|i| F4::splat(i as f32)).collect(),
        };
        let p = maxpool(&t, 2);
        assert_eq!((p.h, p.w), (3, 2));
        assert_eq!(p.d[5].lanes()[0], 14.0);
        let q = maxpool(&t, 1);
        assert_eq!((q.h, q.w), (5, 3));
    }
}
