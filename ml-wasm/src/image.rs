//! An 8-bit RGB raster and the geometric operations the pipeline needs.

/// Interleaved 8-bit RGB pixels, row-major.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rgb {
    pub width: usize,
    pub height: usize,
    pub data: Vec<u8>,
}

impl Rgb {
    pub fn new(width: usize, height: usize) -> Rgb {
        Rgb {
            width,
            height,
            data: vec![0; width * height * 3],
        }
    }

    pub fn from_fn(width: usize, height: usize, f: impl Fn(usize, usize) -> [u8; 3]) -> Rgb {
        let mut img = Rgb::new(width, height);
        for y in 0..height {
            for x in 0..width {
                let p = f(x, y);
                let i = (y * width + x) * 3;
                img.data[i..i + 3].copy_from_slice(&p);
            }
        }
        img
    }

    #[inline]
    pub fn px(&self, x: usize, y: usize) -> [u8; 3] {
        let i = (y * self.width + x) * 3;
        [self.data[i], self.data[i + 1], self.data[i + 2]]
    }

    /// Rec. 601 luma as f32 in 0..255.
    pub fn luma(&self) -> Vec<f32> {
        self.data
            .chunks_exact(3)
            .map(|p| 0.299 * p[0] as f32 + 0.587 * p[1] as f32 + 0.114 * p[2] as f32)
            .collect()
    }

    /// Crops a rectangle (clamped to the image).
    pub fn crop(&self, x: usize, y: usize, w: usize, h: usize) -> Rgb {
        let x = x.min(self.width.saturating_sub(1));
        let y = y.min(self.height.saturating_sub(1));
        let w = w.min(self.width - x).max(1);
        let h = h.min(self.height - y).max(1);
        let mut out = Rgb::new(w, h);
        for row in 0..h {
            let s = ((y + row) * self.width + x) * 3;
            out.data[row * w * 3..(row + 1) * w * 3].copy_from_slice(&self.data[s..s + w * 3]);
        }
        out
    }

    /// Area-average downscale so that the longer side is at most `max_side` (never upscales).
    pub fn downscale_max(&self, max_side: usize) -> Rgb {
        let long = self.width.max(self.height);
        if long <= max_side {
            return self.clone();
        }
        let f = max_side as f64 / long as f64;
        let w = ((self.width as f64 * f).round() as usize).max(1);
        let h = ((self.height as f64 * f).round() as usize).max(1);
        self.resize_area(w, h)
    }

    /// Area-average resize (for downscaling); integer box sums per destination pixel.
    pub fn resize_area(&self, w: usize, h: usize) -> Rgb {
        let mut out = Rgb::new(w, h);
        let xs: Vec<(usize, usize)> = (0..w)
            .map(|x| {
                let a = x * self.width / w;
                let b = ((x + 1) * self.width / w).max(a + 1).min(self.width);
                (a, b)
            })
            .collect();
        let mut acc = vec![0u32; w * 3];
        for y in 0..h {
            let y0 = y * self.height / h;
            let y1 = ((y + 1) * self.height / h).max(y0 + 1).min(self.height);
            acc.iter_mut().for_each(|v| *v = 0);
            for sy in y0..y1 {
                let row = &self.data[sy * self.width * 3..(sy + 1) * self.width * 3];
                for (x, &(a, b)) in xs.iter().enumerate() {
                    let (mut r, mut g, mut bl) = (0u32, 0u32, 0u32);
                    for p in row[a * 3..b * 3].chunks_exact(3) {
                        r += p[0] as u32;
                        g += p[1] as u32;
                        bl += p[2] as u32;
                    }
                    acc[x * 3] += r;
                    acc[x * 3 + 1] += g;
                    acc[x * 3 + 2] += bl;
                }
            }
            for (x, &(a, b)) in xs.iter().enumerate() {
                let n = ((b - a) * (y1 - y0)) as u32;
                let o = (y * w + x) * 3;
                for c in 0..3 {
                    out.data[o + c] = ((acc[x * 3 + c] + n / 2) / n) as u8;
                }
            }
        }
        out
    }

    /// Bilinear resize (TF `resizeBilinear` convention: no half-pixel centres, no corner alignment).
    pub fn resize_bilinear_f32(&self, w: usize, h: usize) -> Vec<[f32; 3]> {
        let sx = self.width as f32 / w as f32;
        let sy = self.height as f32 / h as f32;
        let mut out = Vec::with_capacity(w * h);
        for y in 0..h {
            let fy = y as f32 * sy;
            let y0 = (fy as usize).min(self.height - 1);
            let y1 = (y0 + 1).min(self.height - 1);
            let dy = fy - y0 as f32;
            for x in 0..w {
                let fx = x as f32 * sx;
                let x0 = (fx as usize).min(self.width - 1);
                let x1 = (x0 + 1).min(self.width - 1);
                let dx = fx - x0 as f32;
                let (a, b, c, d) = (
                    self.px(x0, y0),
                    self.px(x1, y0),
                    self.px(x0, y1),
                    self.px(x1, y1),
                );
                let mut p = [0f32; 3];
                for k in 0..3 {
                    let top = a[k] as f32 + (b[k] as f32 - a[k] as f32) * dx;
                    let bot = c[k] as f32 + (d[k] as f32 - c[k] as f32) * dx;
                    p[k] = top + (bot - top) * dy;
                }
                out.push(p);
            }
        }
        out
    }

    /// Applies an EXIF orientation (1–8) so that the result is upright.
    pub fn orient(self, orientation: u8) -> Rgb {
        if !(2..=8).contains(&orientation) {
            return self;
        }
        let (w, h) = (self.width, self.height);
        let swap = orientation >= 5;
        let (ow, oh) = if swap { (h, w) } else { (w, h) };
        let mut out = Rgb::new(ow, oh);
        for y in 0..oh {
            for x in 0..ow {
                let (sx, sy) = match orientation {
                    2 => (w - 1 - x, y),
                    3 => (w - 1 - x, h - 1 - y),
                    4 => (x, h - 1 - y),
                    5 => (y, x),
                    6 => (y, h - 1 - x),
                    7 => (w - 1 - y, h - 1 - x),
                    _ => (w - 1 - y, x),
                };
                let s = (sy * w + sx) * 3;
                let o = (y * ow + x) * 3;
                out.data[o..o + 3].copy_from_slice(&self.data[s..s + 3]);
            }
        }
        out
    }

    /// Separable box blur with the given radius, repeated `passes` times.
    pub fn box_blur(&self, radius: usize, passes: usize) -> Rgb {
        let mut cur = self.clone();
        for _ in 0..passes {
            cur = cur.blur_axis(radius, true).blur_axis(radius, false);
        }
        cur
    }

    fn blur_axis(&self, r: usize, horizontal: bool) -> Rgb {
        let (w, h) = (self.width, self.height);
        let mut out = Rgb::new(w, h);
        let (n, lines) = if horizontal { (w, h) } else { (h, w) };
        let idx = |line: usize, i: usize| {
            if horizontal {
                (line * w + i) * 3
            } else {
                (i * w + line) * 3
            }
        };
        for line in 0..lines {
            for i in 0..n {
                let a = i.saturating_sub(r);
                let b = (i + r).min(n - 1);
                let mut s = [0u32; 3];
                for j in a..=b {
                    let p = idx(line, j);
                    for c in 0..3 {
                        s[c] += self.data[p + c] as u32;
                    }
                }
                let cnt = (b - a + 1) as u32;
                let o = idx(line, i);
                for c in 0..3 {
                    out.data[o + c] = ((s[c] + cnt / 2) / cnt) as u8;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ramp(w: usize, h: usize) -> Rgb {
        Rgb::from_fn(w, h, |x, y| [x as u8, y as u8, (x + y) as u8])
    }

    #[test]
    fn orientation_round_trips() {
        let img = ramp(5, 3);
        assert_eq!(img.clone().orient(3).orient(3), img);
        let r = img.clone().orient(6);
        assert_eq!((r.width, r.height), (3, 5));
        assert_eq!(r.orient(8), img);
        // Orientation 6 means the stored image must be rotated 90° clockwise: the stored
        // bottom-left pixel becomes the top-left one.
        let r = img.clone().orient(6);
        assert_eq!(r.px(0, 0), img.px(0, 2));
    }

    #[test]
    fn area_resize_averages() {
        let img = Rgb::from_fn(4, 2, |x, _| {
            if x % 2 == 0 {
                [0, 0, 0]
            } else {
                [200, 100, 50]
            }
        });
        let s = img.resize_area(2, 1);
        assert_eq!(s.data, vec![100, 50, 25, 100, 50, 25]);
        assert_eq!(img.downscale_max(10), img);
    }

    #[test]
    fn crop_and_blur() {
        let img = ramp(10, 8);
        let c = img.crop(2, 3, 4, 2);
        assert_eq!(c.px(0, 0), img.px(2, 3));
        let flat = Rgb::from_fn(6, 6, |_, _| [90, 90, 90]);
        assert_eq!(flat.box_blur(2, 2), flat);
    }
}
