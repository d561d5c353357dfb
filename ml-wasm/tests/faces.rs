//! Native face-detection test on the demo photos shipped in the npm package @vladmandic/face-api
//! (installed under ../node_modules by `deno install`).

use aurum_ml::face::Detector;
use aurum_ml::pipeline;
use std::path::PathBuf;

fn pkg() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../node_modules/@vladmandic/face-api")
}

fn detector() -> Detector {
    let m = std::fs::read(pkg().join("model/tiny_face_detector_model-weights_manifest.json"))
        .expect("run `deno install` first: face-api weights missing");
    let s = std::fs::read(pkg().join("model/tiny_face_detector_model.bin")).unwrap();
    Detector::from_tfjs(&m, &s).expect("weights parse")
}

#[test]
fn finds_faces_in_demo_photos() {
    let det = detector();
    for i in 1..=6 {
        let bytes = std::fs::read(pkg().join(format!("demo/sample{}.jpg", i))).unwrap();
        let a = pipeline::analyze(&bytes, Some(&det)).unwrap();
        assert!(!a.faces.is_empty(), "sample{} has no face", i);
        let (w, h) = (
            a.decoded.source_width as f32,
            a.decoded.source_height as f32,
        );
        for f in &a.faces {
            assert!(f.x >= 0.0 && f.y >= 0.0 && f.x + f.w <= w + 0.5 && f.y + f.h <= h + 0.5);
            assert!(f.w > 0.05 * w && f.w < 0.6 * w, "sample{} width {}", i, f.w);
            assert!(f.h / f.w > 0.6 && f.h / f.w < 1.7);
        }
        assert!(!a.flags.contains(&"no_face".to_string()));
    }
}

#[test]
fn flags_an_image_without_a_face() {
    let det = detector();
    let img = aurum_ml::image::Rgb::from_fn(320, 240, |x, y| [(x / 2) as u8, (y / 2) as u8, 120]);
    let bytes = aurum_ml::encode::encode_jpeg(&img, &Default::default());
    let a = pipeline::analyze(&bytes, Some(&det)).unwrap();
    assert!(a.faces.is_empty());
    assert!(a.flags.contains(&"no_face".to_string()));
}
