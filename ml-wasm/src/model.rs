//! The score model: a linear Bradley–Terry model over standardised features, so every feature's
//! contribution is exact. Default weights are documented priors; `fit` learns new weights from
//! (winner, loser) pairs with L2-regularised logistic regression (Newton's method).
//! No input encodes gender, ethnicity, university, payment or mean brightness.

use crate::error::{MlError, MlResult};
use serde_json::{json, Value};

/// Score points per logit unit: score = 50 + POINTS × (Σ wᵢ·zᵢ + offset).
pub const DEFAULT_POINTS: f32 = 10.0;
/// Pseudo-count that shrinks a photo's community offset: offset × n / (n + k).
pub const DEFAULT_SHRINK: f32 = 10.0;

/// (name, group, mean, sd, prior weight). Priors: sharper, well-exposed, well-placed, clearly
/// visible faces score higher; noise, clipping, colour casts and cut-off faces score lower.
pub const PRIORS: [(&str, &str, f32, f32, f32); 13] = [
    ("clipping", "technical", 0.04, 0.06, -0.5),
    ("contrast", "technical", 0.22, 0.07, 0.2),
    ("sharpness", "technical", 0.35, 0.2, 0.5),
    ("noise", "technical", 2.5, 2.0, -0.4),
    ("colourfulness", "technical", 0.35, 0.2, 0.1),
    ("colour_cast", "technical", 0.12, 0.1, -0.15),
    ("resolution", "technical", 0.5, 1.5, 0.2),
    ("composition", "composition", 0.65, 0.25, 0.3),
    ("face_size", "composition", 0.3, 0.15, 0.25),
    ("face_cut_off", "composition", 0.1, 0.3, -0.3),
    ("face_present", "face", 0.8, 0.4, 0.4),
    ("face_confidence", "face", 0.65, 0.3, 0.2),
    ("face_clipping", "face", 0.04, 0.1, -0.3),
];

/// Model weights with their standardisation.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub version: String,
    pub names: Vec<String>,
    pub weights: Vec<f32>,
    pub mean: Vec<f32>,
    pub sd: Vec<f32>,
    pub points: f32,
    pub shrink: f32,
}

/// Group of a feature for the breakdown.
pub fn group_of(name: &str) -> &'static str {
    PRIORS
        .iter()
        .find(|p| p.0 == name)
        .map(|p| p.1)
        .unwrap_or("technical")
}

impl Model {
    /// The documented prior model.
    pub fn prior() -> Model {
        Model {
            version: "prior-1".into(),
            names: PRIORS.iter().map(|p| p.0.to_string()).collect(),
            weights: PRIORS.iter().map(|p| p.4).collect(),
            mean: PRIORS.iter().map(|p| p.2).collect(),
            sd: PRIORS.iter().map(|p| p.3).collect(),
            points: DEFAULT_POINTS,
            shrink: DEFAULT_SHRINK,
        }
    }

    pub fn from_json(v: &Value) -> MlResult<Model> {
        if v.is_null() {
            return Ok(Model::prior());
        }
        let feats = v["features"]
            .as_array()
            .ok_or_else(|| MlError::invalid("model.features missing"))?;
        if feats.is_empty() || feats.len() > 64 {
            return Err(MlError::invalid("model needs 1–64 features"));
        }
        let mut m = Model {
            version: v["version"].as_str().unwrap_or("custom").to_string(),
            names: Vec::new(),
            weights: Vec::new(),
            mean: Vec::new(),
            sd: Vec::new(),
            points: v["points"].as_f64().unwrap_or(DEFAULT_POINTS as f64) as f32,
            shrink: v["shrink"]
                .as_f64()
                .unwrap_or(DEFAULT_SHRINK as f64)
                .max(0.0) as f32,
        };
        for f in feats {
            let name = f["name"]
                .as_str()
                .ok_or_else(|| MlError::invalid("feature without name"))?;
            let num = |k: &str| f[k].as_f64().filter(|x| x.is_finite()).map(|x| x as f32);
            m.names.push(name.to_string());
            m.weights
                .push(num("weight").ok_or_else(|| MlError::invalid("feature without weight"))?);
            m.mean.push(num("mean").unwrap_or(0.0));
            m.sd.push(num("sd").filter(|s| *s > 0.0).unwrap_or(1.0));
        }
        Ok(m)
    }

    pub fn to_json(&self) -> Value {
        let feats: Vec<Value> = (0..self.names.len())
            .map(|i| {
                json!({"name": self.names[i], "group": group_of(&self.names[i]), "weight": self.weights[i],
                       "mean": self.mean[i], "sd": self.sd[i]})
            })
            .collect();
        json!({"version": self.version, "points": self.points, "shrink": self.shrink, "features": feats})
    }

    /// Standardised, clamped feature vector; missing features count as average (z = 0).
    pub fn standardize(&self, get: &dyn Fn(&str) -> Option<f32>) -> Vec<f32> {
        (0..self.names.len())
            .map(|i| match get(&self.names[i]) {
                Some(v) if v.is_finite() => ((v - self.mean[i]) / self.sd[i]).clamp(-3.0, 3.0),
                _ => 0.0,
            })
            .collect()
    }

    fn logit(&self, z: &[f32]) -> f32 {
        self.weights.iter().zip(z).map(|(w, x)| w * x).sum()
    }
}

/// Scores features; `offset` is the photo's raw community offset (logits) over `comparisons`.
pub fn score(
    features: &Value,
    m: &Model,
    offset: f32,
    comparisons: u32,
    flags: &[String],
) -> Value {
    let get = |n: &str| features[n].as_f64().map(|x| x as f32);
    let z = m.standardize(&get);
    let n = comparisons as f32;
    let shrunk = if offset.is_finite() {
        offset * n / (n + m.shrink.max(1e-6))
    } else {
        0.0
    };
    let linear = m.logit(&z);
    let raw = 50.0 + m.points * (linear + shrunk);
    let mut groups = [0f32; 3];
    let contributions: Vec<Value> = (0..m.names.len())
        .map(|i| {
            let pts = m.points * m.weights[i] * z[i];
            let g = group_of(&m.names[i]);
            groups[match g {
                "composition" => 1,
                "face" => 2,
                _ => 0,
            }] += pts;
            json!({"feature": m.names[i], "group": g, "value": get(&m.names[i]), "z": z[i],
                   "weight": m.weights[i], "points": pts})
        })
        .collect();
    let has_face = get("face_present").unwrap_or(0.0) > 0.5;
    let confidence = (0.3 + 0.7 * n / (n + m.shrink.max(1e-6))) * if has_face { 1.0 } else { 0.6 };
    json!({
        "score": raw.clamp(0.0, 100.0),
        "raw": raw,
        "base": 50.0,
        "contributions": contributions,
        "groups": {"technical": groups[0], "composition": groups[1], "face": groups[2]},
        "communityOffset": {"raw": offset, "comparisons": comparisons, "shrunk": shrunk, "points": m.points * shrunk},
        "confidence": confidence,
        "posteriorSd": 1.0 / (n + m.shrink.max(1e-6)).sqrt(),
        "flags": flags,
        "modelVersion": m.version,
    })
}

/// Result of [`fit`].
pub struct Fit {
    pub model: Model,
    pub train_accuracy: f32,
    pub held_out_accuracy: f32,
    pub n_train: usize,
    pub n_held_out: usize,
    pub iterations: usize,
}

/// Fits weights from pairs of standardised feature vectors (winner, loser).
/// Every `holdout_every`-th pair (by a seeded hash) is held out for accuracy.
pub fn fit(
    base: &Model,
    pairs: &[(Vec<f32>, Vec<f32>)],
    l2: f32,
    holdout: f32,
    seed: u32,
) -> MlResult<Fit> {
    let d = base.names.len();
    if pairs.is_empty() {
        return Err(MlError::invalid("no pairs to fit"));
    }
    let mut train = Vec::new();
    let mut test = Vec::new();
    for (i, (a, b)) in pairs.iter().enumerate() {
        let diff: Vec<f64> = a.iter().zip(b).map(|(x, y)| (*x - *y) as f64).collect();
        let mut h = (i as u32 ^ seed).wrapping_mul(2_654_435_761);
        h ^= h >> 15;
        if ((h % 10_000) as f32) < holdout.clamp(0.0, 0.9) * 10_000.0 {
            test.push(diff);
        } else {
            train.push(diff);
        }
    }
    if train.is_empty() {
        return Err(MlError::invalid(
            "no training pairs after the hold-out split",
        ));
    }
    let lambda = l2.max(1e-6) as f64;
    let mut w = vec![0f64; d];
    let mut iterations = 0;
    for it in 0..50 {
        iterations = it + 1;
        let mut grad: Vec<f64> = w.iter().map(|x| -lambda * x).collect();
        let mut hess = vec![0f64; d * d];
        for i in 0..d {
            hess[i * d + i] = lambda;
        }
        for x in &train {
            let s: f64 = w.iter().zip(x).map(|(a, b)| a * b).sum();
            let p = 1.0 / (1.0 + (-s).exp());
            for i in 0..d {
                grad[i] += (1.0 - p) * x[i];
                for j in 0..d {
                    hess[i * d + j] += p * (1.0 - p) * x[i] * x[j];
                }
            }
        }
        let step = solve(hess, grad, d).ok_or_else(|| MlError::invalid("singular system"))?;
        let mut delta = 0.0;
        for i in 0..d {
            w[i] += step[i];
            delta += step[i].abs();
        }
        if delta < 1e-7 {
            break;
        }
    }
    let acc = |set: &Vec<Vec<f64>>| {
        if set.is_empty() {
            return 0.0;
        }
        let right = set
            .iter()
            .filter(|x| w.iter().zip(x.iter()).map(|(a, b)| a * b).sum::<f64>() > 0.0)
            .count();
        right as f32 / set.len() as f32
    };
    let mut model = base.clone();
    model.weights = w.iter().map(|x| *x as f32).collect();
    model.version = format!("fit-{}-{}", train.len(), seed);
    Ok(Fit {
        train_accuracy: acc(&train),
        held_out_accuracy: acc(&test),
        n_train: train.len(),
        n_held_out: test.len(),
        iterations,
        model,
    })
}

/// Gaussian elimination with partial pivoting.
fn solve(mut a: Vec<f64>, mut b: Vec<f64>, n: usize) -> Option<Vec<f64>> {
    for c in 0..n {
        let p =
            (c..n).max_by(|&i, &j| a[i * n + c].abs().partial_cmp(&a[j * n + c].abs()).unwrap())?;
        if a[p * n + c].abs() < 1e-12 {
            return None;
        }
        for k in 0..n {
            a.swap(c * n + k, p * n + k);
        }
        b.swap(c, p);
        for r in c + 1..n {
            let f = a[r * n + c] / a[c * n + c];
            for k in c..n {
                a[r * n + k] -= f * a[c * n + k];
            }
            b[r] -= f * b[c];
        }
    }
    let mut x = vec![0f64; n];
    for r in (0..n).rev() {
        let s: f64 = (r + 1..n).map(|k| a[r * n + k] * x[k]).sum();
        x[r] = (b[r] - s) / a[r * n + r];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> f32 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 40) as f32) / (1u64 << 24) as f32
        }
        fn normal(&mut self) -> f32 {
            (0..12).map(|_| self.next()).sum::<f32>() - 6.0
        }
    }

    #[test]
    fn contributions_add_up_to_the_score() {
        let m = Model::prior();
        let f = json!({"sharpness": 0.6, "clipping": 0.2, "face_present": 1.0});
        let s = score(&f, &m, 1.0, 10, &[]);
        let sum: f64 = s["contributions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["points"].as_f64().unwrap())
            .sum();
        let raw = s["raw"].as_f64().unwrap();
        assert!((50.0 + sum + s["communityOffset"]["points"].as_f64().unwrap() - raw).abs() < 1e-3);
        assert!((s["communityOffset"]["shrunk"].as_f64().unwrap() - 0.5).abs() < 1e-6);
        assert_eq!(Model::from_json(&m.to_json()).unwrap(), m);
    }

    #[test]
    fn fit_recovers_known_weights() {
        let mut r = Lcg(7);
        let truth: Vec<f32> = vec![1.5, -1.0, 0.5, 0.0, 2.0];
        let mut base = Model::prior();
        base.names.truncate(5);
        base.weights = vec![0.0; 5];
        base.mean.truncate(5);
        base.sd.truncate(5);
        let items: Vec<Vec<f32>> = (0..300)
            .map(|_| (0..5).map(|_| r.normal()).collect())
            .collect();
        let u = |x: &Vec<f32>| truth.iter().zip(x).map(|(a, b)| a * b).sum::<f32>();
        let mut pairs = Vec::new();
        for _ in 0..3000 {
            let (i, j) = (
                (r.next() * 300.0) as usize % 300,
                (r.next() * 300.0) as usize % 300,
            );
            let p = 1.0 / (1.0 + (-(u(&items[i]) - u(&items[j]))).exp());
            if r.next() < p {
                pairs.push((items[i].clone(), items[j].clone()));
            } else {
                pairs.push((items[j].clone(), items[i].clone()));
            }
        }
        let f = fit(&base, &pairs, 1.0, 0.2, 3).unwrap();
        for (w, t) in f.model.weights.iter().zip(truth.iter()) {
            assert!((w - t).abs() < 0.35, "{:?}", f.model.weights);
        }
        assert!(f.held_out_accuracy > 0.75, "{}", f.held_out_accuracy);
        assert!(f.n_held_out > 400);
    }
}
