//! The analysis and preparation pipelines that tie the stages together.

use crate::decode::{decode, Decoded};
use crate::embed::{embed, Embedding};
use crate::encode::{encode_jpeg, JpegOptions};
use crate::error::{MlError, MlResult};
use crate::face::{Detector, Face};
use crate::features::{compute, Features, WORK_SIDE};
use crate::image::Rgb;
use crate::model::Model;
use serde_json::{json, Map, Value};

/// Longer side that analysis decodes at (JPEG IDCT scaling keeps at least this much).
pub const ANALYSIS_SIDE: usize = 512;
pub use crate::face::FACE_THRESHOLD;

/// Everything `analyzePhoto` returns.
pub struct Analysis {
    pub decoded: Decoded,
    pub faces: Vec<Face>,
    pub features: Features,
    pub embedding: Embedding,
    pub flags: Vec<String>,
    pub detector: bool,
}

fn scale_face(f: &Face, k: f32) -> Face {
    Face {
        x: f.x * k,
        y: f.y * k,
        w: f.w * k,
        h: f.h * k,
        score: f.score,
    }
}

/// Decodes, detects faces, computes features, the embedding and flags.
pub fn analyze(bytes: &[u8], detector: Option<&Detector>) -> MlResult<Analysis> {
    let decoded = decode(bytes, ANALYSIS_SIDE)?;
    let faces_dec = detector
        .map(|d| d.detect(&decoded.image, FACE_THRESHOLD))
        .unwrap_or_default();
    let work = decoded.image.downscale_max(WORK_SIDE);
    let kw = work.width as f32 / decoded.image.width as f32;
    let faces_work: Vec<Face> = faces_dec.iter().map(|f| scale_face(f, kw)).collect();
    let source_px = decoded.source_width * decoded.source_height;
    let features = compute(&work, &faces_work, source_px);
    let z = standardized(&features);
    let embedding = embed(&work, &z);
    let ks = decoded.source_width as f32 / decoded.image.width as f32;
    let faces: Vec<Face> = faces_dec.iter().map(|f| scale_face(f, ks)).collect();
    let flags = flags(&decoded, &features, detector.is_some());
    Ok(Analysis {
        decoded,
        faces,
        features,
        embedding,
        flags,
        detector: detector.is_some(),
    })
}

/// Features standardised with the prior model's norms (used by the embedding).
pub fn standardized(f: &Features) -> Vec<f32> {
    let pairs = f.pairs();
    Model::prior().standardize(&|n| pairs.iter().find(|p| p.0 == n).map(|p| p.1))
}

fn flags(d: &Decoded, f: &Features, detector: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut flag = |cond: bool, name: &str| {
        if cond {
            out.push(name.to_string());
        }
    };
    flag(!detector, "face_detector_unavailable");
    flag(detector && f.face_count == 0.0, "no_face");
    flag(f.face_count >= 2.0, "several_faces");
    flag(d.source_width.min(d.source_height) < 480, "low_resolution");
    flag(f.clip_shadows > 0.2, "too_dark");
    flag(f.clip_highlights > 0.2, "too_bright");
    flag(f.sharpness < 0.12, "blurry");
    flag(f.noise > 8.0, "noisy");
    flag(f.face_present > 0.5 && f.face_size < 0.12, "face_small");
    flag(f.face_cut_off > 0.5, "face_cut_off");
    out
}

/// JSON form of an analysis.
pub fn analysis_json(a: &Analysis) -> Value {
    let mut feats = Map::new();
    for (k, v) in a.features.pairs() {
        feats.insert(k.to_string(), json!(v));
    }
    let faces: Vec<Value> = a
        .faces
        .iter()
        .map(|f| json!({"x": f.x, "y": f.y, "width": f.w, "height": f.h, "score": f.score}))
        .collect();
    json!({
        "format": a.decoded.format.name(),
        "width": a.decoded.source_width,
        "height": a.decoded.source_height,
        "orientation": a.decoded.orientation,
        "decodedWidth": a.decoded.image.width,
        "decodedHeight": a.decoded.image.height,
        "faces": faces,
        "features": Value::Object(feats),
        "embedding": {"scale": a.embedding.scale, "values": a.embedding.values},
        "flags": a.flags,
    })
}

/// One re-encoded rendition.
pub struct Rendition {
    pub blurred: bool,
    pub width: usize,
    pub height: usize,
    pub jpeg: Vec<u8>,
}

/// Re-encodes upright JPEG renditions no longer than each size, plus a strongly blurred thumbnail
/// (8 px of information upscaled and blurred) when `blur` is set. Output carries no metadata.
pub fn prepare(bytes: &[u8], sizes: &[usize], quality: u8, blur: bool) -> MlResult<Vec<Rendition>> {
    if sizes.len() > 8 || sizes.iter().any(|&s| !(16..=4096).contains(&s)) {
        return Err(MlError::invalid("sizes must be 1–8 values in 16..4096"));
    }
    let target = sizes.iter().copied().max().unwrap_or(256);
    let d = decode(bytes, target)?;
    let opts = JpegOptions {
        quality: quality.clamp(30, 95),
        ..JpegOptions::default()
    };
    let mut out = Vec::new();
    for &s in sizes {
        let img = d.image.downscale_max(s);
        out.push(Rendition {
            blurred: false,
            width: img.width,
            height: img.height,
            jpeg: encode_jpeg(&img, &opts),
        });
    }
    if blur {
        let img = blurred_thumbnail(&d.image);
        let jpeg = encode_jpeg(
            &img,
            &JpegOptions {
                quality: 70,
                ..JpegOptions::default()
            },
        );
        out.push(Rendition {
            blurred: true,
            width: img.width,
            height: img.height,
            jpeg,
        });
    }
    Ok(out)
}

/// Reduces the image to at most 8 px on its longer side, then upsamples to 96 px and blurs.
pub fn blurred_thumbnail(img: &Rgb) -> Rgb {
    let tiny = img.downscale_max(8);
    let long = tiny.width.max(tiny.height);
    let (w, h) = (
        (tiny.width * 96 / long).max(1),
        (tiny.height * 96 / long).max(1),
    );
    let px = tiny.resize_bilinear_f32(w, h);
    let up = Rgb {
        width: w,
        height: h,
        data: px.iter().flat_map(|p| p.map(|v| v.round() as u8)).collect(),
    };
    up.box_blur(6, 3)
}

/// Binary form of renditions: count (u32 LE), then per item kind (u8: 0 photo, 1 blurred),
/// width, height and byte length (u32 LE each) and the JPEG bytes.
pub fn renditions_bytes(r: &[Rendition]) -> Vec<u8> {
    let mut out = (r.len() as u32).to_le_bytes().to_vec();
    for x in r {
        out.push(x.blurred as u8);
        for v in [x.width as u32, x.height as u32, x.jpeg.len() as u32] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&x.jpeg);
    }
    out
}
