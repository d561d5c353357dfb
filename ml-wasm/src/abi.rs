//! The C ABI: every export and every raw-pointer conversion lives here.
//!
//! Protocol: the host calls `ml_alloc(n)`, writes input bytes, calls an export with pointer and
//! length, then reads the result through `ml_result_ptr()`/`ml_result_len()` (valid until the next
//! call). Exports return 0 on success (result = payload) or 1 on a typed error
//! (result = JSON `{"code","message"}`). A panic aborts, which traps in WASM; the host then
//! discards the instance.
#![allow(unsafe_code)]
#![allow(clippy::missing_safety_doc)]

use crate::error::{MlError, MlResult};
use crate::face::Detector;
use crate::image::Rgb;
use crate::index::Index;
use crate::model::{self, Model};
use crate::{decode, embed, encode, features, pipeline};
use serde_json::{json, Value};
use std::sync::Mutex;

static RESULT: Mutex<Vec<u8>> = Mutex::new(Vec::new());
static DETECTOR: Mutex<Option<Detector>> = Mutex::new(None);
static INDEXES: Mutex<Vec<Option<Index>>> = Mutex::new(Vec::new());

fn set_result(bytes: Vec<u8>) {
    *RESULT.lock().unwrap_or_else(|e| e.into_inner()) = bytes;
}

fn finish(r: MlResult<Vec<u8>>) -> i32 {
    match r {
        Ok(bytes) => {
            set_result(bytes);
            0
        }
        Err(e) => {
            set_result(
                json!({"code": e.code, "message": e.message})
                    .to_string()
                    .into_bytes(),
            );
            1
        }
    }
}

/// Borrows host memory as a byte slice.
fn input<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if ptr.is_null() || len == 0 {
        return &[];
    }
    // SAFETY: the host passes a region it obtained from `ml_alloc` and filled with `len` bytes;
    // the slice does not outlive the export call.
    unsafe { std::slice::from_raw_parts(ptr, len) }
}

fn json_input(ptr: *const u8, len: usize) -> MlResult<Value> {
    serde_json::from_slice(input(ptr, len)).map_err(|e| MlError::invalid(format!("json: {}", e)))
}

#[no_mangle]
pub extern "C" fn ml_alloc(len: usize) -> *mut u8 {
    let mut v: Vec<u8> = Vec::with_capacity(len.max(1));
    let p = v.as_mut_ptr();
    std::mem::forget(v);
    p
}

#[no_mangle]
pub unsafe extern "C" fn ml_dealloc(ptr: *mut u8, len: usize) {
    if !ptr.is_null() {
        // SAFETY: `ptr` came from `ml_alloc(len)` and is released exactly once.
        drop(Vec::from_raw_parts(ptr, 0, len.max(1)));
    }
}

#[no_mangle]
pub extern "C" fn ml_result_ptr() -> *const u8 {
    RESULT.lock().unwrap_or_else(|e| e.into_inner()).as_ptr()
}

#[no_mangle]
pub extern "C" fn ml_result_len() -> usize {
    RESULT.lock().unwrap_or_else(|e| e.into_inner()).len()
}

#[no_mangle]
pub extern "C" fn ml_load_detector(mp: *const u8, ml: usize, sp: *const u8, sl: usize) -> i32 {
    finish(Detector::from_tfjs(input(mp, ml), input(sp, sl)).map(|d| {
        *DETECTOR.lock().unwrap_or_else(|e| e.into_inner()) = Some(d);
        b"{}".to_vec()
    }))
}

#[no_mangle]
pub extern "C" fn ml_analyze(p: *const u8, l: usize) -> i32 {
    let det = DETECTOR.lock().unwrap_or_else(|e| e.into_inner());
    let r = pipeline::analyze(input(p, l), det.as_ref())
        .map(|a| pipeline::analysis_json(&a).to_string().into_bytes());
    drop(det);
    finish(r)
}

#[no_mangle]
pub extern "C" fn ml_prepare(p: *const u8, l: usize, op: *const u8, ol: usize) -> i32 {
    finish(json_input(op, ol).and_then(|o| {
        let sizes: Vec<usize> = o["sizes"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_u64())
                    .map(|v| v as usize)
                    .collect()
            })
            .unwrap_or_default();
        let quality = o["quality"].as_u64().unwrap_or(85).min(100) as u8;
        let blur = o["blur"].as_bool().unwrap_or(true);
        pipeline::prepare(input(p, l), &sizes, quality, blur)
            .map(|r| pipeline::renditions_bytes(&r))
    }))
}

#[no_mangle]
pub extern "C" fn ml_score(p: *const u8, l: usize) -> i32 {
    finish(json_input(p, l).and_then(|v| {
        let m = Model::from_json(&v["model"])?;
        let flags: Vec<String> = v["flags"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|f| f.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        let offset = v["offset"].as_f64().unwrap_or(0.0) as f32;
        let n = v["comparisons"].as_u64().unwrap_or(0).min(u32::MAX as u64) as u32;
        Ok(model::score(&v["features"], &m, offset, n, &flags)
            .to_string()
            .into_bytes())
    }))
}

#[no_mangle]
pub extern "C" fn ml_default_model() -> i32 {
    finish(Ok(Model::prior().to_json().to_string().into_bytes()))
}

#[no_mangle]
pub extern "C" fn ml_fit(p: *const u8, l: usize) -> i32 {
    finish(json_input(p, l).and_then(|v| {
        let base = Model::from_json(&v["options"]["model"])?;
        let pairs_v = v["pairs"].as_array().ok_or_else(|| MlError::invalid("pairs must be an array"))?;
        if pairs_v.len() > 200_000 {
            return Err(MlError::invalid("too many pairs"));
        }
        let pairs: Vec<(Vec<f32>, Vec<f32>)> = pairs_v
            .iter()
            .map(|pr| {
                let z = |f: &Value| base.standardize(&|n| f[n].as_f64().map(|x| x as f32));
                (z(&pr["winner"]), z(&pr["loser"]))
            })
            .collect();
        let o = &v["options"];
        let l2 = o["l2"].as_f64().unwrap_or(1.0) as f32;
        let holdout = o["holdout"].as_f64().unwrap_or(0.2) as f32;
        let seed = o["seed"].as_u64().unwrap_or(1) as u32;
        let f = model::fit(&base, &pairs, l2, holdout, seed)?;
        Ok(json!({"model": f.model.to_json(), "trainAccuracy": f.train_accuracy, "heldOutAccuracy": f.held_out_accuracy,
                  "nTrain": f.n_train, "nHeldOut": f.n_held_out, "iterations": f.iterations})
        .to_string()
        .into_bytes())
    }))
}

fn rgb_input(p: *const u8, l: usize, w: usize, h: usize) -> MlResult<Rgb> {
    let data = input(p, l);
    if w == 0 || h == 0 || w.checked_mul(h).and_then(|n| n.checked_mul(3)) != Some(data.len()) {
        return Err(MlError::invalid("rgb buffer does not match its dimensions"));
    }
    decode::check_dimensions(w, h)?;
    Ok(Rgb {
        width: w,
        height: h,
        data: data.to_vec(),
    })
}

/// Decodes to upright RGB: width (u32 LE), height (u32 LE), pixels.
#[no_mangle]
pub extern "C" fn ml_decode_rgb(p: *const u8, l: usize, target: usize) -> i32 {
    finish(decode::decode(input(p, l), target).map(|d| {
        let mut out = (d.image.width as u32).to_le_bytes().to_vec();
        out.extend_from_slice(&(d.image.height as u32).to_le_bytes());
        out.extend_from_slice(&d.image.data);
        out
    }))
}

#[no_mangle]
pub extern "C" fn ml_encode_jpeg(p: *const u8, l: usize, w: usize, h: usize, quality: u32) -> i32 {
    finish(rgb_input(p, l, w, h).map(|img| {
        encode::encode_jpeg(
            &img,
            &encode::JpegOptions {
                quality: quality.min(100) as u8,
                ..Default::default()
            },
        )
    }))
}

/// Bench/test stage: face detection on RGB.
#[no_mangle]
pub extern "C" fn ml_detect_rgb(p: *const u8, l: usize, w: usize, h: usize) -> i32 {
    let det = DETECTOR.lock().unwrap_or_else(|e| e.into_inner());
    let r = match det.as_ref() {
        None => Err(MlError::no_detector()),
        Some(d) => rgb_input(p, l, w, h).map(|img| {
            let faces: Vec<Value> = d
                .detect(&img, pipeline::FACE_THRESHOLD)
                .iter()
                .map(|f| json!({"x": f.x, "y": f.y, "width": f.w, "height": f.h, "score": f.score}))
                .collect();
            Value::Array(faces).to_string().into_bytes()
        }),
    };
    drop(det);
    finish(r)
}

/// Bench/test stage: features (without faces) and embedding of RGB.
#[no_mangle]
pub extern "C" fn ml_features_rgb(p: *const u8, l: usize, w: usize, h: usize) -> i32 {
    finish(rgb_input(p, l, w, h).map(|img| {
        let work = img.downscale_max(features::WORK_SIDE);
        let f = features::compute(&work, &[], w * h);
        let e = embed::embed(&work, &pipeline::standardized(&f));
        let mut m = serde_json::Map::new();
        for (k, v) in f.pairs() {
            m.insert(k.into(), json!(v));
        }
        json!({"features": m, "embedding": {"scale": e.scale, "values": e.values}})
            .to_string()
            .into_bytes()
    }))
}

fn with_index<T>(h: u32, f: impl FnOnce(&mut Index) -> MlResult<T>) -> MlResult<T> {
    let mut all = INDEXES.lock().unwrap_or_else(|e| e.into_inner());
    match all.get_mut(h as usize).and_then(|x| x.as_mut()) {
        Some(ix) => f(ix),
        None => Err(MlError::invalid("unknown index handle")),
    }
}

fn store_index(ix: Index) -> i32 {
    let mut all = INDEXES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(slot) = all.iter().position(|x| x.is_none()) {
        all[slot] = Some(ix);
        return slot as i32;
    }
    all.push(Some(ix));
    (all.len() - 1) as i32
}

/// Creates an index; returns its handle or -1 (error in the result).
#[no_mangle]
pub extern "C" fn ml_index_new(dim: u32) -> i32 {
    match Index::new(dim as usize) {
        Ok(ix) => store_index(ix),
        Err(e) => {
            finish(Err(e));
            -1
        }
    }
}

#[no_mangle]
pub extern "C" fn ml_index_free(h: u32) {
    let mut all = INDEXES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(x) = all.get_mut(h as usize) {
        *x = None;
    }
}

#[no_mangle]
pub extern "C" fn ml_index_len(h: u32) -> i32 {
    with_index(h, |ix| Ok(ix.len() as i32)).unwrap_or(-1)
}

#[no_mangle]
pub extern "C" fn ml_index_add(h: u32, ip: *const u8, il: usize, vp: *const u8, vl: usize) -> i32 {
    finish(with_index(h, |ix| {
        let id =
            std::str::from_utf8(input(ip, il)).map_err(|_| MlError::invalid("id is not UTF-8"))?;
        let v: Vec<i8> = input(vp, vl).iter().map(|&b| b as i8).collect();
        ix.add(id, &v).map(|_| Vec::new())
    }))
}

/// Adds many entries given in the serialised entry format (id length u16 LE, id, vector).
#[no_mangle]
pub extern "C" fn ml_index_add_many(h: u32, p: *const u8, l: usize) -> i32 {
    finish(with_index(h, |ix| {
        let data = input(p, l);
        let dim = ix.dim();
        let mut off = 0;
        while off < data.len() {
            let bad = || MlError::invalid("malformed entries");
            let n = data
                .get(off..off + 2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]) as usize)
                .ok_or_else(bad)?;
            let id = std::str::from_utf8(data.get(off + 2..off + 2 + n).ok_or_else(bad)?)
                .map_err(|_| bad())?;
            let v: Vec<i8> = data
                .get(off + 2 + n..off + 2 + n + dim)
                .ok_or_else(bad)?
                .iter()
                .map(|&b| b as i8)
                .collect();
            ix.add(id, &v)?;
            off += 2 + n + dim;
        }
        Ok(Vec::new())
    }))
}

#[no_mangle]
pub extern "C" fn ml_index_remove(h: u32, ip: *const u8, il: usize) -> i32 {
    finish(with_index(h, |ix| {
        let id =
            std::str::from_utf8(input(ip, il)).map_err(|_| MlError::invalid("id is not UTF-8"))?;
        Ok(if ix.remove(id) {
            b"1".to_vec()
        } else {
            b"0".to_vec()
        })
    }))
}

/// Top-k search; result JSON `[{"id","score"}]`.
#[no_mangle]
pub extern "C" fn ml_index_search(h: u32, qp: *const u8, ql: usize, k: u32) -> i32 {
    finish(with_index(h, |ix| {
        let q: Vec<i8> = input(qp, ql).iter().map(|&b| b as i8).collect();
        let hits = ix.search(&q, k as usize)?;
        let v: Vec<Value> = hits
            .into_iter()
            .map(|(id, s)| json!({"id": id, "score": s}))
            .collect();
        Ok(Value::Array(v).to_string().into_bytes())
    }))
}

#[no_mangle]
pub extern "C" fn ml_index_serialize(h: u32) -> i32 {
    finish(with_index(h, |ix| Ok(ix.serialize())))
}

/// Parses a serialised index; returns its handle or -1 (error in the result).
#[no_mangle]
pub extern "C" fn ml_index_deserialize(p: *const u8, l: usize) -> i32 {
    match Index::deserialize(input(p, l)) {
        Ok(ix) => store_index(ix),
        Err(e) => {
            finish(Err(e));
            -1
        }
    }
}

/// Deliberately panics (a trap in WASM); lets the host test its recovery path.
#[no_mangle]
pub extern "C" fn ml_debug_trap() -> i32 {
    let v: Vec<u8> = Vec::new();
    v[input(std::ptr::null(), 0).len() + 1] as i32
}
