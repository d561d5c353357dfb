//! Brute-force cosine top-k over int8 vectors with SIMD dot products; serialisable.

use crate::error::{MlError, MlResult};
use crate::simd::{dot_prepared, dot_prepared2, prepare_query, V8x16, Q16};
use std::collections::HashMap;

const MAGIC: &[u8; 4] = b"AIX1";

/// An in-memory vector index keyed by string ids.
#[derive(Default)]
pub struct Index {
    dim: usize,
    vecs: Vec<V8x16>,
    /// 1 / L2 norm of each stored vector.
    inv_norms: Vec<f32>,
    ids: Vec<String>,
    slots: HashMap<String, usize>,
}

fn pack(v: &[i8]) -> Vec<V8x16> {
    v.chunks(16)
        .map(|c| {
            // -128 is stored as -127 so that SIMD pair sums of products fit in i16.
            let mut a = [0i8; 16];
            for (d, &v) in a.iter_mut().zip(c) {
                *d = v.max(-127);
            }
            V8x16::from_array(a)
        })
        .collect()
}

impl Index {
    pub fn new(dim: usize) -> MlResult<Index> {
        if dim == 0 || dim % 16 != 0 || dim > 4096 {
            return Err(MlError::invalid(
                "dimension must be a positive multiple of 16",
            ));
        }
        Ok(Index {
            dim,
            ..Index::default()
        })
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Adds or replaces a vector.
    pub fn add(&mut self, id: &str, v: &[i8]) -> MlResult<()> {
        if v.len() != self.dim {
            return Err(MlError::invalid(format!(
                "vector has {} dimensions, expected {}",
                v.len(),
                self.dim
            )));
        }
        if id.is_empty() || id.len() > 256 {
            return Err(MlError::invalid("id must be 1–256 bytes"));
        }
        let norm = v
            .iter()
            .map(|&x| (x.max(-127) as f32).powi(2))
            .sum::<f32>()
            .sqrt();
        let packed = pack(v);
        let per = self.dim / 16;
        match self.slots.get(id) {
            Some(&slot) => {
                self.vecs[slot * per..(slot + 1) * per].copy_from_slice(&packed);
                self.inv_norms[slot] = 1.0 / norm.max(1e-9);
            }
            None => {
                self.slots.insert(id.to_string(), self.ids.len());
                self.ids.push(id.to_string());
                self.vecs.extend_from_slice(&packed);
                self.inv_norms.push(1.0 / norm.max(1e-9));
            }
        }
        Ok(())
    }

    /// Removes a vector; returns whether it existed.
    pub fn remove(&mut self, id: &str) -> bool {
        let slot = match self.slots.remove(id) {
            Some(s) => s,
            None => return false,
        };
        let per = self.dim / 16;
        let last = self.ids.len() - 1;
        if slot != last {
            let moved = self.ids[last].clone();
            for k in 0..per {
                self.vecs[slot * per + k] = self.vecs[last * per + k];
            }
            self.inv_norms[slot] = self.inv_norms[last];
            self.ids[slot] = moved.clone();
            self.slots.insert(moved, slot);
        }
        self.ids.pop();
        self.inv_norms.pop();
        self.vecs.truncate(last * per);
        true
    }

    /// Top-k by cosine similarity, best first.
    pub fn search(&self, q: &[i8], k: usize) -> MlResult<Vec<(String, f32)>> {
        if q.len() != self.dim {
            return Err(MlError::invalid("query has the wrong dimension"));
        }
        let k = k.min(1000).min(self.len());
        if k == 0 {
            return Ok(Vec::new());
        }
        let qp = pack(q);
        let inv_qn = 1.0
            / q.iter()
                .map(|&x| (x.max(-127) as f32).powi(2))
                .sum::<f32>()
                .sqrt()
                .max(1e-9);
        let per = self.dim / 16;
        let mut best: Vec<(f32, usize)> = Vec::with_capacity(k + 1);
        let mut floor = f32::NEG_INFINITY;
        let mut consider = |s: f32, i: usize| {
            if best.len() == k && s <= floor {
                return;
            }
            let pos = best.iter().position(|b| b.0 < s).unwrap_or(best.len());
            best.insert(pos, (s, i));
            if best.len() > k {
                best.pop();
            }
            if best.len() == k {
                floor = best[k - 1].0;
            }
        };
        let qw = prepare_query(&qp);
        if per == 16 {
            // The common 256-d case with a fixed length, so the dot product is fully unrolled.
            let qa: &[Q16; 16] = qw[..16].try_into().map_err(|_| MlError::invalid("query"))?;
            let mut pairs = self.vecs.chunks_exact(32);
            let mut i = 0;
            for pair in &mut pairs {
                let (x, y) = pair.split_at(16);
                let (dx, dy) = dot_prepared2(x, y, qa);
                consider(dx as f32 * self.inv_norms[i] * inv_qn, i);
                consider(dy as f32 * self.inv_norms[i + 1] * inv_qn, i + 1);
                i += 2;
            }
            let rest = pairs.remainder();
            if rest.len() == 16 {
                consider(
                    dot_prepared(rest, qa) as f32 * self.inv_norms[i] * inv_qn,
                    i,
                );
            }
        } else {
            for (i, chunk) in self.vecs.chunks_exact(per).enumerate() {
                consider(
                    dot_prepared(chunk, &qw) as f32 * self.inv_norms[i] * inv_qn,
                    i,
                );
            }
        }
        Ok(best
            .into_iter()
            .map(|(s, i)| (self.ids[i].clone(), s))
            .collect())
    }

    /// Binary form: magic, dim (u32 LE), count (u32 LE), then per entry id length (u16 LE), id, vector.
    pub fn serialize(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(12 + self.len() * (self.dim + 24));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(self.dim as u32).to_le_bytes());
        out.extend_from_slice(&(self.len() as u32).to_le_bytes());
        let per = self.dim / 16;
        for (i, id) in self.ids.iter().enumerate() {
            out.extend_from_slice(&(id.len() as u16).to_le_bytes());
            out.extend_from_slice(id.as_bytes());
            for v in &self.vecs[i * per..(i + 1) * per] {
                out.extend(v.to_array().iter().map(|&b| b as u8));
            }
        }
        out
    }

    /// Parses [`Index::serialize`] output.
    pub fn deserialize(bytes: &[u8]) -> MlResult<Index> {
        let bad = || MlError::invalid("malformed index");
        if bytes.len() < 12 || &bytes[..4] != MAGIC {
            return Err(bad());
        }
        let dim = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
        let count = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize;
        let mut idx = Index::new(dim)?;
        let mut off = 12;
        for _ in 0..count {
            let l = bytes.get(off..off + 2).ok_or_else(bad)?;
            let n = u16::from_le_bytes([l[0], l[1]]) as usize;
            off += 2;
            let id =
                std::str::from_utf8(bytes.get(off..off + n).ok_or_else(bad)?).map_err(|_| bad())?;
            off += n;
            let v: Vec<i8> = bytes
                .get(off..off + dim)
                .ok_or_else(bad)?
                .iter()
                .map(|&b| b as i8)
                .collect();
            off += dim;
            idx.add(id, &v)?;
        }
        if off != bytes.len() {
            return Err(bad());
        }
        Ok(idx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vec_for(seed: u32) -> Vec<i8> {
        let mut s = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
        (0..32)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 17;
                s ^= s << 5;
                (s % 255) as i32 as i8
            })
            .collect()
    }

    #[test]
    fn add_search_remove_roundtrip() {
        let mut idx = Index::new(32).unwrap();
        for i in 0..50 {
            idx.add(&format!("p{}", i), &vec_for(i)).unwrap();
        }
        let hits = idx.search(&vec_for(7), 3).unwrap();
        assert_eq!(hits[0].0, "p7");
        assert!((hits[0].1 - 1.0).abs() < 1e-5);
        assert!(hits[1].1 <= hits[0].1 && hits[2].1 <= hits[1].1);
        assert!(idx.remove("p7"));
        assert!(!idx.remove("p7"));
        assert_ne!(idx.search(&vec_for(7), 1).unwrap()[0].0, "p7");
        assert_eq!(idx.len(), 49);
        let copy = Index::deserialize(&idx.serialize()).unwrap();
        assert_eq!(copy.len(), 49);
        assert_eq!(
            copy.search(&vec_for(9), 5).unwrap(),
            idx.search(&vec_for(9), 5).unwrap()
        );
        assert!(Index::deserialize(&idx.serialize()[..40]).is_err());
        assert!(idx.add("x", &[1, 2]).is_err());
        let mut wide = Index::new(256).unwrap();
        let long = |seed: u32| -> Vec<i8> { (0..8).flat_map(|k| vec_for(seed * 8 + k)).collect() };
        for i in 0..40 {
            wide.add(&i.to_string(), &long(i)).unwrap();
        }
        assert_eq!(wide.search(&long(17), 1).unwrap()[0].0, "17");
    }

    #[test]
    fn search_matches_brute_force() {
        let mut idx = Index::new(32).unwrap();
        for i in 0..200 {
            idx.add(&i.to_string(), &vec_for(i)).unwrap();
        }
        let q = vec_for(1000);
        let cos = |a: &[i8], b: &[i8]| {
            let d: f32 = a
                .iter()
                .zip(b)
                .map(|(x, y)| *x.max(&-127) as f32 * *y.max(&-127) as f32)
                .sum();
            let n = |v: &[i8]| {
                v.iter()
                    .map(|x| (*x.max(&-127) as f32).powi(2))
                    .sum::<f32>()
                    .sqrt()
            };
            d / (n(a) * n(b))
        };
        let mut all: Vec<(u32, f32)> = (0..200).map(|i| (i, cos(&vec_for(i), &q))).collect();
        all.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap());
        let got = idx.search(&q, 10).unwrap();
        for (g, want) in got.iter().zip(all.iter()) {
            assert_eq!(g.0, want.0.to_string());
        }
    }
}
