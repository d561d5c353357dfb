//! Writes the golden fixtures in `tests/golden/`: generated inputs, their decoded pixels and
//! features computed natively. `cargo test` and the Deno tests (through WASM) both check them.
//! Run: `cargo run --release --bin fixtures`.

use aurum_ml::encode::{encode_jpeg, encode_png, patch_jpeg_dimensions, png_bomb, JpegOptions};
use aurum_ml::features;
use aurum_ml::image::Rgb;
use serde_json::{json, Map, Value};
use std::fs;

fn scene(w: usize, h: usize) -> Rgb {
    Rgb::from_fn(w, h, |x, y| {
        let (fx, fy) = (x as f32 / w as f32, y as f32 / h as f32);
        if ((fx - 0.5).powi(2) + (fy - 0.5).powi(2)).sqrt() < 0.2 {
            let c = if (x / 4 + y / 4) % 2 == 0 { 220 } else { 40 };
            [c, c / 2 + 60, 90]
        } else {
            [
                (40.0 + 180.0 * fx) as u8,
                (70.0 + 100.0 * fy) as u8,
                (200.0 - 80.0 * fx) as u8,
            ]
        }
    })
}

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    fs::create_dir_all(&dir).expect("create dir");
    let img = scene(96, 64);
    let mut inputs: Vec<(&str, Vec<u8>)> = vec![
        ("scene.png", encode_png(&img, false)),
        ("scene16.png", encode_png(&img, true)),
        (
            "scene.jpg",
            encode_jpeg(
                &img,
                &JpegOptions {
                    quality: 90,
                    ..Default::default()
                },
            ),
        ),
        (
            "progressive.jpg",
            encode_jpeg(
                &img,
                &JpegOptions {
                    quality: 90,
                    progressive: true,
                    ..Default::default()
                },
            ),
        ),
        (
            "oriented6.jpg",
            encode_jpeg(
                &img,
                &JpegOptions {
                    quality: 90,
                    orientation: Some(6),
                    ..Default::default()
                },
            ),
        ),
    ];
    let mut cases = Vec::new();
    for (name, bytes) in &inputs {
        let d = aurum_ml::decode::decode(bytes, 0).expect("fixture decodes");
        let f = features::compute(
            &d.image.downscale_max(features::WORK_SIDE),
            &[],
            d.image.width * d.image.height,
        );
        let mut feats = Map::new();
        for (k, v) in f.pairs() {
            feats.insert(k.into(), json!(v));
        }
        let rgb_name = format!("{}.rgb", name);
        fs::write(dir.join(&rgb_name), &d.image.data).expect("write rgb");
        cases.push(json!({"file": name, "width": d.image.width, "height": d.image.height,
                          "orientation": d.orientation, "rgb": rgb_name, "features": Value::Object(feats)}));
    }
    let mut huge = encode_jpeg(&scene(16, 16), &JpegOptions::default());
    patch_jpeg_dimensions(&mut huge, 60_000, 60_000);
    let mut truncated = encode_jpeg(&img, &JpegOptions::default());
    truncated.truncate(truncated.len() / 2);
    let hostile: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.jpg", Vec::new(), "empty_input"),
        (
            "cmyk.jpg",
            encode_jpeg(
                &img,
                &JpegOptions {
                    cmyk: true,
                    ..Default::default()
                },
            ),
            "unsupported_format",
        ),
        ("bomb.png", png_bomb(30_000, 30_000), "too_large"),
        ("tall.png", png_bomb(1, 100_000), "bad_dimensions"),
        ("huge.jpg", huge, "too_large"),
        (
            "tiny.png",
            encode_png(&scene(4, 4), false),
            "bad_dimensions",
        ),
        ("truncated.jpg", truncated, "decode_failed"),
        (
            "text.jpg",
            b"not an image at all".to_vec(),
            "unsupported_format",
        ),
    ];
    let mut hostile_json = Vec::new();
    for (name, bytes, code) in hostile {
        let got = aurum_ml::decode::decode(&bytes, 0).err().map(|e| e.code);
        assert_eq!(got, Some(code), "{}", name);
        hostile_json.push(json!({"file": name, "code": code}));
        inputs.push((name, bytes));
    }
    for (name, bytes) in &inputs {
        fs::write(dir.join(name), bytes).expect("write input");
    }
    let golden = json!({"tolerance": {"pixel": 1, "feature": 1e-3}, "cases": cases, "hostile": hostile_json});
    fs::write(
        dir.join("golden.json"),
        serde_json::to_string_pretty(&golden).unwrap() + "\n",
    )
    .expect("write json");
    println!("wrote {} fixtures to {}", inputs.len(), dir.display());
}
