//! Native side of `deno task bench:ml`: the same Rust stages timed natively, printed as JSON.
//! Usage: bench <1mp.jpg> <full.jpg> <face-api model dir>

use aurum_ml::face::{Detector, FACE_THRESHOLD};
use aurum_ml::index::Index;
use aurum_ml::{decode, embed, features, pipeline};
use serde_json::json;
use std::time::Instant;

/// CPU time of the calling thread in ms (from /proc/thread-self/schedstat, ns resolution), so
/// that the figures are comparable with the WASM side when other processes load the machine.
fn cpu_ms() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .next()
                .and_then(|v| v.parse::<f64>().ok())
        })
        .map(|ns| ns / 1e6)
        .unwrap_or(0.0)
}

/// Median wall time and median CPU time (ms) over `runs` runs after one warm-up run.
fn median_ms(runs: usize, mut f: impl FnMut()) -> serde_json::Value {
    f();
    let mut wall = Vec::new();
    let mut cpu = Vec::new();
    for _ in 0..runs {
        let (s, c) = (Instant::now(), cpu_ms());
        f();
        cpu.push(cpu_ms() - c);
        wall.push(s.elapsed().as_secs_f64() * 1000.0);
    }
    wall.sort_by(|a, b| a.partial_cmp(b).unwrap());
    cpu.sort_by(|a, b| a.partial_cmp(b).unwrap());
    json!({"wall": wall[runs / 2], "cpu": cpu[runs / 2]})
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: bench <1mp.jpg> <full.jpg> <model dir>");
        std::process::exit(2);
    }
    let one = std::fs::read(&args[1]).expect("1 MP jpeg");
    let full = std::fs::read(&args[2]).expect("full jpeg");
    let m = std::fs::read(format!(
        "{}/tiny_face_detector_model-weights_manifest.json",
        args[3]
    ))
    .unwrap();
    let s = std::fs::read(format!("{}/tiny_face_detector_model.bin", args[3])).unwrap();
    let det = Detector::from_tfjs(&m, &s).expect("weights");
    let d = decode::decode(&one, pipeline::ANALYSIS_SIDE).unwrap();
    let img = d.image.clone();
    let full_img = decode::decode(&full, 0).unwrap();
    let _ = &full_img;
    let decode_full = median_ms(9, || {
        decode::decode(&full, 0).unwrap();
    });
    let mut index = Index::new(256).unwrap();
    let mut seed = 1u32;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        (seed % 255) as i32 as i8 - 0
    };
    for i in 0..100_000 {
        let v: Vec<i8> = (0..256).map(|_| next()).collect();
        index.add(&i.to_string(), &v).unwrap();
    }
    let q: Vec<i8> = (0..256).map(|_| next()).collect();
    let out = json!({
        "decode": median_ms(15, || { decode::decode(&one, pipeline::ANALYSIS_SIDE).unwrap(); }),
        "detect": median_ms(15, || { det.detect(&img, FACE_THRESHOLD); }),
        "featuresEmbed": median_ms(15, || {
            let work = img.downscale_max(features::WORK_SIDE);
            let f = features::compute(&work, &[], img.width * img.height);
            embed::embed(&work, &pipeline::standardized(&f));
        }),
        "analyze": median_ms(15, || { pipeline::analyze(&one, Some(&det)).unwrap(); }),
        "decodeFull": decode_full,
        "search100k": median_ms(31, || { index.search(&q, 10).unwrap(); }),
    });
    println!("{}", out);
}
