//! 256-d photo-style embedding: colour histogram, luma histogram, gradient-orientation grid,
//! coarse colour layout and standardised features. It describes style, not identity: it is
//! computed on a ≤512 px frame with no face-specific descriptor. Stored as int8 with a scale.

use crate::image::Rgb;

pub const DIM: usize = 256;

/// An L2-normalised embedding quantised to int8: `float ≈ value × scale`.
#[derive(Clone, Debug, PartialEq)]
pub struct Embedding {
    pub values: Vec<i8>,
    pub scale: f32,
}

fn l2_into(out: &mut Vec<f32>, block: &[f32], weight: f32) {
    let n = block.iter().map(|v| v * v).sum::<f32>().sqrt();
    let k = if n > 1e-9 { weight / n } else { 0.0 };
    out.extend(block.iter().map(|v| v * k));
}

/// Computes the embedding of a working image and its standardised features.
pub fn embed(img: &Rgb, standardized: &[f32]) -> Embedding {
    let (w, h) = (img.width, img.height);
    let n = (w * h).max(1) as f32;
    let mut colour = [0f32; 64];
    let mut luma_hist = [0f32; 16];
    let mut layout = [0f32; 27];
    let mut layout_n = [0f32; 9];
    for y in 0..h {
        for x in 0..w {
            let p = img.px(x, y);
            let bin = (p[0] as usize >> 6) * 16 + (p[1] as usize >> 6) * 4 + (p[2] as usize >> 6);
            colour[bin] += 1.0;
            let l = (p[0] as u32 * 77 + p[1] as u32 * 150 + p[2] as u32 * 29) >> 8;
            luma_hist[(l as usize >> 4).min(15)] += 1.0;
            let cell = (y * 3 / h.max(1)).min(2) * 3 + (x * 3 / w.max(1)).min(2);
            for c in 0..3 {
                layout[cell * 3 + c] += p[c] as f32;
            }
            layout_n[cell] += 1.0;
        }
    }
    colour.iter_mut().for_each(|v| *v = (*v / n).sqrt());
    luma_hist.iter_mut().for_each(|v| *v = (*v / n).sqrt());
    for cell in 0..9 {
        for c in 0..3 {
            layout[cell * 3 + c] = layout[cell * 3 + c] / layout_n[cell].max(1.0) / 255.0 - 0.5;
        }
    }
    let grad = gradient_grid(img);
    let mut feats = [0f32; 16];
    for (i, z) in standardized.iter().take(16).enumerate() {
        feats[i] = (z / 2.0).tanh();
    }
    let mut v = Vec::with_capacity(DIM);
    l2_into(&mut v, &colour, 1.0);
    l2_into(&mut v, &luma_hist, 0.5);
    l2_into(&mut v, &grad, 1.0);
    l2_into(&mut v, &layout, 0.5);
    l2_into(&mut v, &feats, 0.5);
    v.resize(DIM, 0.0);
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-9);
    v.iter_mut().for_each(|x| *x /= norm);
    quantize(&v)
}

/// Quantises a float vector to int8 with a symmetric scale.
pub fn quantize(v: &[f32]) -> Embedding {
    let max = v.iter().fold(0f32, |m, x| m.max(x.abs()));
    let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
    let values = v
        .iter()
        .map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8)
        .collect();
    Embedding { values, scale }
}

/// Which 45° sector the gradient direction falls in (0..8), without trigonometry.
fn octant(gx: f32, gy: f32) -> usize {
    let (ax, ay) = (gx.abs(), gy.abs());
    let base = match (gx >= 0.0, gy >= 0.0) {
        (true, true) => 0,
        (false, true) => 2,
        (false, false) => 4,
        (true, false) => 6,
    };
    // Within a quadrant, the first half is nearer the axis the quadrant starts from.
    let first_half = if base == 0 || base == 4 {
        ax >= ay
    } else {
        ay >= ax
    };
    base + if first_half { 0 } else { 1 }
}

/// Gradient orientation histograms (8 bins) over a 4×4 grid, magnitude weighted.
fn gradient_grid(img: &Rgb) -> [f32; 128] {
    let l = img.luma();
    let (w, h) = (img.width, img.height);
    let mut g = [0f32; 128];
    for y in 1..h.saturating_sub(1) {
        for x in 1..w.saturating_sub(1) {
            let i = y * w + x;
            let gx = l[i + 1] - l[i - 1];
            let gy = l[i + w] - l[i - w];
            let m = (gx * gx + gy * gy).sqrt();
            if m < 1.0 {
                continue;
            }
            let bin = octant(gx, gy);
            let cell = (y * 4 / h).min(3) * 4 + (x * 4 / w).min(3);
            g[cell * 8 + bin] += m;
        }
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedding_is_normalised_and_stable() {
        let img = Rgb::from_fn(64, 48, |x, y| [(x * 4) as u8, (y * 5) as u8, 100]);
        let e = embed(&img, &[0.5, -1.0]);
        assert_eq!(e.values.len(), DIM);
        let n: f32 = e.values.iter().map(|&q| (q as f32 * e.scale).powi(2)).sum();
        assert!((n - 1.0).abs() < 0.02, "{}", n);
        assert_eq!(e, embed(&img, &[0.5, -1.0]));
        assert_eq!(octant(1.0, 0.1), 0);
        assert_eq!(octant(0.1, 1.0), 1);
        assert_eq!(octant(-0.1, 1.0), 2);
        assert_eq!(octant(-1.0, 0.1), 3);
        assert_eq!(octant(-1.0, -0.1), 4);
        assert_eq!(octant(0.1, -1.0), 6);
        assert_eq!(octant(1.0, -0.1), 7);
        let other = Rgb::from_fn(64, 48, |x, _| [200, (x * 3) as u8, 10]);
        assert_ne!(e.values, embed(&other, &[0.5, -1.0]).values);
    }
}
