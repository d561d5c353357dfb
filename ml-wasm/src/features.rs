//! Deterministic photo features (no learned weights). Exposure is measured as clipped-pixel share,
//! never as mean brightness; sharpness and clipping are measured on the face region when a face
//! exists, everything else on the whole frame.

use crate::face::Face;
use crate::image::Rgb;

/// Longest side of the working image the features are computed on.
pub const WORK_SIDE: usize = 512;

/// Named features, in a fixed order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Features {
    pub clip_highlights: f32,
    pub clip_shadows: f32,
    pub clipping: f32,
    pub contrast: f32,
    pub sharpness: f32,
    pub noise: f32,
    pub colourfulness: f32,
    pub colour_cast: f32,
    pub resolution: f32,
    pub composition: f32,
    pub face_present: f32,
    pub face_count: f32,
    pub face_confidence: f32,
    pub face_size: f32,
    pub face_clipping: f32,
    pub face_cut_off: f32,
}

impl Features {
    /// (name, value) pairs in a stable order.
    pub fn pairs(&self) -> Vec<(&'static str, f32)> {
        vec![
            ("clip_highlights", self.clip_highlights),
            ("clip_shadows", self.clip_shadows),
            ("clipping", self.clipping),
            ("contrast", self.contrast),
            ("sharpness", self.sharpness),
            ("noise", self.noise),
            ("colourfulness", self.colourfulness),
            ("colour_cast", self.colour_cast),
            ("resolution", self.resolution),
            ("composition", self.composition),
            ("face_present", self.face_present),
            ("face_count", self.face_count),
            ("face_confidence", self.face_confidence),
            ("face_size", self.face_size),
            ("face_clipping", self.face_clipping),
            ("face_cut_off", self.face_cut_off),
        ]
    }
}

/// A face box in working-image pixels.
#[derive(Clone, Copy, Debug)]
struct Region {
    x0: usize,
    y0: usize,
    x1: usize,
    y1: usize,
}

/// Computes features of `work` (already downscaled); `faces` are in `work` pixels and
/// `source_pixels` is the original pixel count.
pub fn compute(work: &Rgb, faces: &[Face], source_pixels: usize) -> Features {
    let luma = work.luma();
    let (w, h) = (work.width, work.height);
    let whole = Region {
        x0: 0,
        y0: 0,
        x1: w,
        y1: h,
    };
    let (hi, lo) = clipping(work, whole);
    let mut f = Features {
        clip_highlights: hi,
        clip_shadows: lo,
        clipping: hi + lo,
        contrast: std_dev(&luma, w, whole) / 255.0,
        sharpness: sharpness(&luma, w, whole),
        noise: noise(&luma, w, h),
        resolution: ((source_pixels.max(1) as f32) / 1.0e6)
            .log2()
            .clamp(-6.0, 6.0),
        face_clipping: hi + lo,
        ..Features::default()
    };
    let (colourful, cast) = colour(work);
    f.colourfulness = colourful;
    f.colour_cast = cast;
    f.face_count = faces.len() as f32;
    // Face features are averages over all faces weighted by area x (score - threshold): a face
    // that crosses the detection threshold enters with zero weight, and no single "main" face is
    // switched, so small changes in detections move features continuously.
    let weights: Vec<f32> = faces
        .iter()
        .map(|x| x.w * x.h * (x.score - crate::face::FACE_THRESHOLD).max(1e-3))
        .collect();
    let total: f32 = weights.iter().sum();
    if faces.is_empty() || total <= 0.0 {
        let (cx, cy) = saliency_centroid(&luma, w, h);
        f.composition = placement(cx, cy, 0.5);
        return f;
    }
    let (mut cx, mut cy, mut cut) = (0f32, 0f32, 0f32);
    let (mut sharp, mut sharp_w, mut clip) = (0f32, 0f32, 0f32);
    f.face_present = 1.0;
    for (face, &wt) in faces.iter().zip(&weights) {
        let k = wt / total;
        f.face_confidence += k * face.score;
        f.face_size += k * (face.h / h as f32).min(1.0);
        cx += k * (face.x + face.w / 2.0) / w as f32;
        cy += k * (face.y + face.h / 2.0) / h as f32;
        let touches = face.x <= 1.0
            || face.y <= 1.0
            || face.x + face.w >= w as f32 - 1.0
            || face.y + face.h >= h as f32 - 1.0;
        cut += if touches { k } else { 0.0 };
        let r = Region {
            x0: face.x.max(0.0) as usize,
            y0: face.y.max(0.0) as usize,
            x1: ((face.x + face.w) as usize).min(w),
            y1: ((face.y + face.h) as usize).min(h),
        };
        if r.x1 >= r.x0 + 12 && r.y1 >= r.y0 + 12 {
            let (fh, fl) = clipping(work, r);
            clip += k * (fh + fl);
            sharp += k * sharpness(&luma, w, r);
            sharp_w += k;
        } else {
            clip += k * (hi + lo);
        }
    }
    if sharp_w > 0.0 {
        f.sharpness = sharp / sharp_w;
    }
    f.face_clipping = clip;
    f.face_cut_off = cut;
    f.composition = placement(cx, cy, 0.42) * (1.0 - 0.4 * cut);
    f
}

/// 1 at the target point, falling linearly to 0 at half a frame away.
fn placement(cx: f32, cy: f32, target_y: f32) -> f32 {
    let d = ((cx - 0.5).powi(2) + (cy - target_y).powi(2)).sqrt();
    (1.0 - d / 0.5).clamp(0.0, 1.0)
}

/// Shares of blown highlights (luma ≥ 248, so a single saturated channel such as red on warm
/// skin does not count) and crushed shadows (all channels ≤ 6).
fn clipping(img: &Rgb, r: Region) -> (f32, f32) {
    let (mut hi, mut lo, mut n) = (0u32, 0u32, 0u32);
    for y in r.y0..r.y1 {
        for x in r.x0..r.x1 {
            let p = img.px(x, y);
            let luma = (p[0] as u32 * 77 + p[1] as u32 * 150 + p[2] as u32 * 29) >> 8;
            if luma >= 248 {
                hi += 1;
            }
            if p[0].max(p[1]).max(p[2]) <= 6 {
                lo += 1;
            }
            n += 1;
        }
    }
    let n = n.max(1) as f32;
    (hi as f32 / n, lo as f32 / n)
}

fn std_dev(l: &[f32], w: usize, r: Region) -> f32 {
    let (mut s, mut s2, mut n) = (0f64, 0f64, 0f64);
    for y in r.y0..r.y1 {
        for &v in &l[y * w + r.x0..y * w + r.x1] {
            s += v as f64;
            s2 += (v as f64) * (v as f64);
            n += 1.0;
        }
    }
    if n < 1.0 {
        return 0.0;
    }
    let m = s / n;
    ((s2 / n - m * m).max(0.0)).sqrt() as f32
}

/// Standard deviation of the 4-neighbour Laplacian relative to local contrast.
fn sharpness(l: &[f32], w: usize, r: Region) -> f32 {
    if r.x1 < r.x0 + 3 || r.y1 < r.y0 + 3 {
        return 0.0;
    }
    let (mut s, mut s2, mut n) = (0f64, 0f64, 0f64);
    for y in r.y0 + 1..r.y1 - 1 {
        for x in r.x0 + 1..r.x1 - 1 {
            let i = y * w + x;
            let v = (l[i - 1] + l[i + 1] + l[i - w] + l[i + w] - 4.0 * l[i]) as f64;
            s += v;
            s2 += v * v;
            n += 1.0;
        }
    }
    let m = s / n;
    let sd = (s2 / n - m * m).max(0.0).sqrt() as f32;
    sd / (std_dev(l, w, r) + 5.0)
}

/// Immerkær's fast noise estimate (grey levels): a 3×3 second-difference mask that cancels
/// smooth structure, averaged in absolute value.
fn noise(l: &[f32], w: usize, h: usize) -> f32 {
    if w < 3 || h < 3 {
        return 0.0;
    }
    let mut sum = 0f64;
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let i = y * w + x;
            let v = l[i - w - 1] + l[i - w + 1] + l[i + w - 1] + l[i + w + 1]
                - 2.0 * (l[i - w] + l[i + w] + l[i - 1] + l[i + 1])
                + 4.0 * l[i];
            sum += v.abs() as f64;
        }
    }
    let k = (std::f64::consts::PI / 2.0).sqrt() / (6.0 * (w - 2) as f64 * (h - 2) as f64);
    (sum * k) as f32
}

/// Hasler–Süsstrunk colourfulness (÷100) and colour cast (mean opponent-colour offset ÷128).
fn colour(img: &Rgb) -> (f32, f32) {
    // Integer sums: rg in -255..255, 2·yb in -510..510; exact and fast.
    let (mut srg, mut syb, mut srg2, mut syb2) = (0i64, 0i64, 0i64, 0i64);
    for p in img.data.chunks_exact(3) {
        let (r, g, b) = (p[0] as i64, p[1] as i64, p[2] as i64);
        let rg = r - g;
        let yb2 = r + g - 2 * b;
        srg += rg;
        syb += yb2;
        srg2 += rg * rg;
        syb2 += yb2 * yb2;
    }
    let n = (img.width * img.height).max(1) as f64;
    let (mrg, myb) = (srg as f64 / n, syb as f64 / n / 2.0);
    let vrg = (srg2 as f64 / n - mrg * mrg).max(0.0);
    let vyb = (syb2 as f64 / n / 4.0 - myb * myb).max(0.0);
    let mean = (mrg * mrg + myb * myb).sqrt();
    let c = (vrg + vyb).sqrt() + 0.3 * mean;
    ((c / 100.0) as f32, (mean / 128.0) as f32)
}

/// Centroid of gradient energy, in 0..1 frame coordinates.
fn saliency_centroid(l: &[f32], w: usize, h: usize) -> (f32, f32) {
    let (mut sx, mut sy, mut sw) = (0f64, 0f64, 0f64);
    for y in 1..h.saturating_sub(1) {
        for x in 1..w.saturating_sub(1) {
            let i = y * w + x;
            let gx = l[i + 1] - l[i - 1];
            let gy = l[i + w] - l[i - w];
            let m = (gx * gx + gy * gy) as f64;
            sx += m * x as f64;
            sy += m * y as f64;
            sw += m;
        }
    }
    if sw <= 0.0 {
        return (0.5, 0.5);
    }
    ((sx / sw / w as f64) as f32, (sy / sw / h as f64) as f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic "scene": smooth background with a textured subject at (cx, cy).
    pub fn scene(w: usize, h: usize, cx: f32, cy: f32) -> Rgb {
        Rgb::from_fn(w, h, |x, y| {
            let (fx, fy) = (x as f32 / w as f32, y as f32 / h as f32);
            let d = ((fx - cx).powi(2) + (fy - cy).powi(2)).sqrt();
            if d < 0.18 {
                let c = if (x / 6 + y / 6) % 2 == 0 { 200 } else { 60 };
                [c, (c as u32 * 3 / 4) as u8, 90]
            } else {
                [(60.0 + 120.0 * fx) as u8, (90.0 + 80.0 * fy) as u8, 140]
            }
        })
    }

    fn add_noise(img: &Rgb, sigma: f32) -> Rgb {
        let mut s = 12345u32;
        let mut out = img.clone();
        for v in out.data.iter_mut() {
            let mut acc = 0.0;
            for _ in 0..4 {
                s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                acc += (s >> 8) as f32 / (1u32 << 24) as f32 - 0.5;
            }
            *v = (*v as f32 + acc * sigma * 1.732).round().clamp(0.0, 255.0) as u8;
        }
        out
    }

    fn brighten(img: &Rgb, k: f32) -> Rgb {
        let mut out = img.clone();
        out.data
            .iter_mut()
            .for_each(|v| *v = (*v as f32 * k).min(255.0) as u8);
        out
    }

    fn feats(img: &Rgb) -> Features {
        compute(img, &[], img.width * img.height)
    }

    #[test]
    fn degradations_move_features_monotonically() {
        let base = scene(320, 240, 0.5, 0.5);
        let sharp: Vec<f32> = (0..4)
            .map(|r| feats(&base.box_blur(r, 1)).sharpness)
            .collect();
        assert!(sharp.windows(2).all(|p| p[1] < p[0]), "{:?}", sharp);
        let noisy: Vec<f32> = [0.0, 4.0, 8.0, 16.0]
            .iter()
            .map(|&s| feats(&add_noise(&base, s)).noise)
            .collect();
        assert!(noisy.windows(2).all(|p| p[1] > p[0]), "{:?}", noisy);
        let clip: Vec<f32> = [1.0, 1.5, 1.8, 2.2]
            .iter()
            .map(|&k| feats(&brighten(&base, k)).clipping)
            .collect();
        assert!(clip.windows(2).all(|p| p[1] > p[0]), "{:?}", clip);
        let big = scene(480, 360, 0.5, 0.5);
        let comp: Vec<f32> = [0usize, 30, 60, 96]
            .iter()
            .map(|&dx| feats(&big.crop(96 + dx, 72, 288, 216)).composition)
            .collect();
        assert!(comp.windows(2).all(|p| p[1] < p[0]), "{:?}", comp);
    }

    #[test]
    fn exposure_is_clipping_not_brightness() {
        let dark = Rgb::from_fn(64, 64, |x, y| [(40 + (x + y) % 40) as u8; 3]);
        let light = Rgb::from_fn(64, 64, |x, y| [(160 + (x + y) % 40) as u8; 3]);
        assert_eq!(feats(&dark).clipping, 0.0);
        assert_eq!(feats(&light).clipping, 0.0);
    }
}
