//! Decoding JPEG and PNG into upright RGB with a pixel cap enforced from the header, before any
//! pixel buffer is allocated. Large JPEGs are decoded at a reduced IDCT scale.

use crate::error::{MlError, MlResult};
use crate::exif;
use crate::image::Rgb;

/// Largest accepted source image, in pixels (checked from the header).
pub const MAX_SOURCE_PIXELS: usize = 40_000_000;
/// Longest accepted side, in pixels.
pub const MAX_SIDE: usize = 16_384;
/// Shortest accepted side, in pixels.
pub const MIN_SIDE: usize = 16;
/// Most elongated accepted aspect ratio (long side ÷ short side).
pub const MAX_ASPECT: usize = 12;
/// Upper bound on decoder working memory, in bytes.
pub const MAX_DECODE_BYTES: usize = 320 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Jpeg => "jpeg",
            Format::Png => "png",
        }
    }
}

/// A decoded, upright image plus what is known about its source.
#[derive(Clone, Debug)]
pub struct Decoded {
    pub image: Rgb,
    pub format: Format,
    /// Source dimensions after orientation, before any decode-time scaling.
    pub source_width: usize,
    pub source_height: usize,
    pub orientation: u8,
}

/// Detects the container from its magic bytes.
pub fn sniff(bytes: &[u8]) -> MlResult<Format> {
    if bytes.is_empty() {
        return Err(MlError::empty());
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(Format::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(Format::Png);
    }
    Err(MlError::unsupported("only JPEG and PNG are accepted"))
}

/// Rejects dimensions before decoding: too large, too small or too elongated.
pub fn check_dimensions(w: usize, h: usize) -> MlResult<()> {
    let (long, short) = (w.max(h), w.min(h));
    if short == 0 {
        return Err(MlError::bad_dimensions("image has a zero dimension"));
    }
    if long > short * MAX_ASPECT {
        return Err(MlError::bad_dimensions(format!(
            "aspect ratio {}x{} is too elongated",
            w, h
        )));
    }
    if long > MAX_SIDE || w.saturating_mul(h) > MAX_SOURCE_PIXELS {
        return Err(MlError::too_large(format!(
            "{}x{} exceeds the pixel cap",
            w, h
        )));
    }
    if short < MIN_SIDE {
        return Err(MlError::bad_dimensions(format!("{}x{} is too small", w, h)));
    }
    Ok(())
}

/// Decodes an image so that its longer side is at least `target_long` when the source allows
/// (JPEGs are decoded at 1/2, 1/4 or 1/8 scale when that is enough), and applies EXIF orientation.
pub fn decode(bytes: &[u8], target_long: usize) -> MlResult<Decoded> {
    match sniff(bytes)? {
        Format::Jpeg => decode_jpeg(bytes, target_long),
        Format::Png => decode_png(bytes),
    }
}

fn decode_jpeg(bytes: &[u8], target_long: usize) -> MlResult<Decoded> {
    use jpeg_decoder::PixelFormat;
    let mut dec = jpeg_decoder::Decoder::new(bytes);
    dec.set_max_decoding_buffer_size(MAX_DECODE_BYTES);
    dec.read_info()
        .map_err(|e| MlError::decode(format!("jpeg header: {}", e)))?;
    let info = dec
        .info()
        .ok_or_else(|| MlError::decode("jpeg header missing"))?;
    let (w, h) = (info.width as usize, info.height as usize);
    check_dimensions(w, h)?;
    let channels = match info.pixel_format {
        PixelFormat::RGB24 => 3,
        PixelFormat::L8 => 1,
        PixelFormat::CMYK32 => return Err(MlError::unsupported("CMYK JPEG is not supported")),
        PixelFormat::L16 => return Err(MlError::unsupported("16-bit JPEG is not supported")),
    };
    let long = w.max(h);
    if long > target_long && target_long > 0 {
        let rw = ((w * target_long + long - 1) / long).max(1) as u16;
        let rh = ((h * target_long + long - 1) / long).max(1) as u16;
        dec.scale(rw, rh)
            .map_err(|e| MlError::decode(format!("jpeg scale: {}", e)))?;
    }
    let pixels = dec
        .decode()
        .map_err(|e| MlError::decode(format!("jpeg data: {}", e)))?;
    let info = dec
        .info()
        .ok_or_else(|| MlError::decode("jpeg header missing"))?;
    let (ow, oh) = (info.width as usize, info.height as usize);
    if ow == 0 || oh == 0 || pixels.len() != ow * oh * channels {
        return Err(MlError::decode("jpeg decoded to an unexpected size"));
    }
    let data = if channels == 3 {
        pixels
    } else {
        pixels.iter().flat_map(|&g| [g, g, g]).collect()
    };
    let orientation = dec.exif_data().map(exif::orientation).unwrap_or(1);
    let image = Rgb {
        width: ow,
        height: oh,
        data,
    }
    .orient(orientation);
    let (sw, sh) = if orientation >= 5 { (h, w) } else { (w, h) };
    Ok(Decoded {
        image,
        format: Format::Jpeg,
        source_width: sw,
        source_height: sh,
        orientation,
    })
}

fn decode_png(bytes: &[u8]) -> MlResult<Decoded> {
    use png::{BitDepth, ColorType, Transformations};
    let mut dec = png::Decoder::new_with_limits(
        bytes,
        png::Limits {
            bytes: MAX_DECODE_BYTES,
        },
    );
    dec.set_transformations(Transformations::EXPAND | Transformations::STRIP_16);
    dec.set_ignore_text_chunk(true);
    let header = dec
        .read_header_info()
        .map_err(|e| MlError::decode(format!("png header: {}", e)))?;
    let (w, h) = (header.width as usize, header.height as usize);
    check_dimensions(w, h)?;
    let mut reader = dec
        .read_info()
        .map_err(|e| MlError::decode(format!("png info: {}", e)))?;
    let (color, depth) = reader.output_color_type();
    if depth != BitDepth::Eight {
        return Err(MlError::unsupported(
            "png bit depth after expansion is not 8",
        ));
    }
    let size = reader.output_buffer_size();
    if size > MAX_DECODE_BYTES {
        return Err(MlError::too_large("png output buffer exceeds the cap"));
    }
    let mut buf = vec![0u8; size];
    let out = reader
        .next_frame(&mut buf)
        .map_err(|e| MlError::decode(format!("png data: {}", e)))?;
    let (ow, oh) = (out.width as usize, out.height as usize);
    let stride = out.line_size;
    let channels = match color {
        ColorType::Grayscale => 1,
        ColorType::GrayscaleAlpha => 2,
        ColorType::Rgb => 3,
        ColorType::Rgba => 4,
        ColorType::Indexed => return Err(MlError::unsupported("indexed png was not expanded")),
    };
    if stride < ow * channels || buf.len() < stride * oh {
        return Err(MlError::decode("png decoded to an unexpected size"));
    }
    let mut data = Vec::with_capacity(ow * oh * 3);
    for row in buf.chunks_exact(stride).take(oh) {
        for p in row[..ow * channels].chunks_exact(channels) {
            match channels {
                1 | 2 => data.extend_from_slice(&[p[0], p[0], p[0]]),
                _ => data.extend_from_slice(&p[..3]),
            }
        }
    }
    let image = Rgb {
        width: ow,
        height: oh,
        data,
    };
    Ok(Decoded {
        image,
        format: Format::Png,
        source_width: w,
        source_height: h,
        orientation: 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::{encode_jpeg, encode_png, JpegOptions};

    fn sample(w: usize, h: usize) -> Rgb {
        Rgb::from_fn(w, h, |x, y| [(x * 255 / w) as u8, (y * 255 / h) as u8, 128])
    }

    #[test]
    fn rejects_empty_and_unknown() {
        assert_eq!(decode(&[], 0).unwrap_err().code, "empty_input");
        assert_eq!(
            decode(b"GIF89a....", 0).unwrap_err().code,
            "unsupported_format"
        );
        assert_eq!(
            decode(&[0xFF, 0xD8, 0xFF], 0).unwrap_err().code,
            "decode_failed"
        );
    }

    #[test]
    fn dimension_rules() {
        assert_eq!(
            check_dimensions(1, 100_000).unwrap_err().code,
            "bad_dimensions"
        );
        assert_eq!(
            check_dimensions(10_000, 10_000).unwrap_err().code,
            "too_large"
        );
        assert_eq!(check_dimensions(8, 8).unwrap_err().code, "bad_dimensions");
        assert!(check_dimensions(4000, 3000).is_ok());
    }

    #[test]
    fn png_round_trip_is_exact() {
        let img = sample(40, 30);
        let d = decode(&encode_png(&img, false), 0).unwrap();
        assert_eq!(d.image, img);
        assert_eq!(d.format, Format::Png);
    }

    #[test]
    fn sixteen_bit_png_is_stripped_to_eight() {
        let img = sample(20, 20);
        let d = decode(&encode_png(&img, true), 0).unwrap();
        assert_eq!(d.image, img);
    }

    #[test]
    fn jpeg_round_trip_is_close_and_oriented() {
        let img = sample(64, 32);
        let opts = JpegOptions {
            quality: 95,
            orientation: Some(6),
            ..JpegOptions::default()
        };
        let d = decode(&encode_jpeg(&img, &opts), 0).unwrap();
        assert_eq!((d.image.width, d.image.height), (32, 64));
        assert_eq!((d.source_width, d.source_height), (32, 64));
        let upright = img.orient(6);
        let err = d
            .image
            .data
            .iter()
            .zip(upright.data.iter())
            .map(|(a, b)| (*a as i32 - *b as i32).abs())
            .max();
        assert!(err.unwrap() <= 12, "max error {:?}", err);
    }

    #[test]
    fn large_jpeg_is_scaled_down_at_decode() {
        let img = sample(1600, 1200);
        let bytes = encode_jpeg(&img, &JpegOptions::default());
        let d = decode(&bytes, 400).unwrap();
        assert_eq!((d.image.width, d.image.height), (400, 300));
        assert_eq!((d.source_width, d.source_height), (1600, 1200));
    }

    #[test]
    fn cmyk_and_progressive() {
        let img = sample(32, 32);
        let cmyk = encode_jpeg(
            &img,
            &JpegOptions {
                cmyk: true,
                ..JpegOptions::default()
            },
        );
        assert_eq!(decode(&cmyk, 0).unwrap_err().code, "unsupported_format");
        let prog = encode_jpeg(
            &img,
            &JpegOptions {
                progressive: true,
                ..JpegOptions::default()
            },
        );
        let base = encode_jpeg(&img, &JpegOptions::default());
        assert_eq!(
            decode(&prog, 0).unwrap().image,
            decode(&base, 0).unwrap().image
        );
    }

    #[test]
    fn bombs_are_rejected_from_the_header() {
        assert_eq!(
            decode(&crate::encode::png_bomb(30_000, 30_000), 0)
                .unwrap_err()
                .code,
            "too_large"
        );
        assert_eq!(
            decode(&crate::encode::png_bomb(1, 100_000), 0)
                .unwrap_err()
                .code,
            "bad_dimensions"
        );
        let mut j = encode_jpeg(&sample(16, 16), &JpegOptions::default());
        crate::encode::patch_jpeg_dimensions(&mut j, 60_000, 60_000);
        assert_eq!(decode(&j, 0).unwrap_err().code, "too_large");
    }
}
