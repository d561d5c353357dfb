//! Native golden tests: decoded pixels (±1) and features (±1e-3) of committed fixtures, and the
//! typed error of each hostile input. `tests/ml/golden_test.ts` runs the same cases through WASM.

use aurum_ml::{decode, features};
use serde_json::Value;
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn golden() -> Value {
    serde_json::from_slice(&std::fs::read(dir().join("golden.json")).expect("golden.json")).unwrap()
}

#[test]
fn decoded_pixels_and_features_match_golden() {
    let g = golden();
    let cases = g["cases"].as_array().unwrap();
    assert!(cases.len() >= 5);
    for c in cases {
        let name = c["file"].as_str().unwrap();
        let bytes = std::fs::read(dir().join(name)).unwrap();
        let d = decode::decode(&bytes, 0).unwrap_or_else(|e| panic!("{}: {}", name, e));
        assert_eq!(
            d.image.width as u64,
            c["width"].as_u64().unwrap(),
            "{}",
            name
        );
        assert_eq!(
            d.image.height as u64,
            c["height"].as_u64().unwrap(),
            "{}",
            name
        );
        let want = std::fs::read(dir().join(c["rgb"].as_str().unwrap())).unwrap();
        let worst = d
            .image
            .data
            .iter()
            .zip(&want)
            .map(|(a, b)| (*a as i32 - *b as i32).abs())
            .max()
            .unwrap();
        assert!(worst <= 1, "{}: pixel difference {}", name, worst);
        let f = features::compute(
            &d.image.downscale_max(features::WORK_SIDE),
            &[],
            d.image.width * d.image.height,
        );
        for (k, v) in f.pairs() {
            let w = c["features"][k].as_f64().unwrap() as f32;
            assert!((v - w).abs() <= 1e-3, "{} {}: {} vs {}", name, k, v, w);
        }
    }
}

#[test]
fn hostile_inputs_give_typed_errors() {
    for h in golden()["hostile"].as_array().unwrap() {
        let name = h["file"].as_str().unwrap();
        let bytes = std::fs::read(dir().join(name)).unwrap();
        let err = decode::decode(&bytes, 0).expect_err(name);
        assert_eq!(err.code, h["code"].as_str().unwrap(), "{}", name);
    }
}

#[test]
fn orientation_fixture_is_upright() {
    let g = golden();
    let c = g["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["file"] == "oriented6.jpg")
        .unwrap();
    assert_eq!(c["orientation"], 6);
    assert_eq!(
        (c["width"].as_u64(), c["height"].as_u64()),
        (Some(64), Some(96))
    );
}
