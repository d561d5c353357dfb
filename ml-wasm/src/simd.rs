//! Four-lane f32 and sixteen-lane i8 vectors: `core::arch::wasm32` simd128 on WASM, plain arrays
//! (auto-vectorised by LLVM) natively. Only safe intrinsics are used; loads are slice indexing.

#[cfg(target_arch = "wasm32")]
mod imp {
    use core::arch::wasm32::*;

    /// Four f32 lanes.
    #[derive(Clone, Copy, Debug)]
    pub struct F4(v128);

    impl F4 {
        #[inline(always)]
        pub fn splat(x: f32) -> F4 {
            F4(f32x4_splat(x))
        }
        #[inline(always)]
        pub fn new(a: f32, b: f32, c: f32, d: f32) -> F4 {
            F4(f32x4(a, b, c, d))
        }
        #[inline(always)]
        pub fn add(self, o: F4) -> F4 {
            F4(f32x4_add(self.0, o.0))
        }
        #[inline(always)]
        pub fn mul(self, o: F4) -> F4 {
            F4(f32x4_mul(self.0, o.0))
        }
        /// `self + a * b`.
        #[inline(always)]
        pub fn mul_add(self, a: F4, b: F4) -> F4 {
            F4(f32x4_add(self.0, f32x4_mul(a.0, b.0)))
        }
        #[inline(always)]
        pub fn max(self, o: F4) -> F4 {
            F4(f32x4_pmax(self.0, o.0))
        }
        #[inline(always)]
        pub fn lanes(self) -> [f32; 4] {
            [
                f32x4_extract_lane::<0>(self.0),
                f32x4_extract_lane::<1>(self.0),
                f32x4_extract_lane::<2>(self.0),
                f32x4_extract_lane::<3>(self.0),
            ]
        }
        /// Broadcasts lane `L` to all four lanes.
        #[inline(always)]
        pub fn splat_lane<const L: usize>(self) -> F4 {
            F4(i32x4_shuffle::<L, L, L, L>(self.0, self.0))
        }
    }

    /// Sixteen i8 lanes.

    #[derive(Clone, Copy, Debug)]
    pub struct V8x16(v128);

    impl V8x16 {
        #[inline(always)]
        pub fn from_array(a: [i8; 16]) -> V8x16 {
            V8x16(i8x16(
                a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12],
                a[13], a[14], a[15],
            ))
        }
        #[inline(always)]
        pub fn to_array(self) -> [i8; 16] {
            let mut o = [0i8; 16];
            o[0] = i8x16_extract_lane::<0>(self.0);
            o[1] = i8x16_extract_lane::<1>(self.0);
            o[2] = i8x16_extract_lane::<2>(self.0);
            o[3] = i8x16_extract_lane::<3>(self.0);
            o[4] = i8x16_extract_lane::<4>(self.0);
            o[5] = i8x16_extract_lane::<5>(self.0);
            o[6] = i8x16_extract_lane::<6>(self.0);
            o[7] = i8x16_extract_lane::<7>(self.0);
            o[8] = i8x16_extract_lane::<8>(self.0);
            o[9] = i8x16_extract_lane::<9>(self.0);
            o[10] = i8x16_extract_lane::<10>(self.0);
            o[11] = i8x16_extract_lane::<11>(self.0);
            o[12] = i8x16_extract_lane::<12>(self.0);
            o[13] = i8x16_extract_lane::<13>(self.0);
            o[14] = i8x16_extract_lane::<14>(self.0);
            o[15] = i8x16_extract_lane::<15>(self.0);
            o
        }
    }

    /// A query chunk widened to i16 lanes once per search.
    #[derive(Clone, Copy, Debug)]
    pub struct Q16(v128, v128);

    /// Widens a query to i16 lanes.
    pub fn prepare_query(q: &[V8x16]) -> Vec<Q16> {
        q.iter()
            .map(|c| Q16(i16x8_extend_low_i8x16(c.0), i16x8_extend_high_i8x16(c.0)))
            .collect()
    }

    /// Dot product of stored i8 chunks with a widened query (`pmaddwd`-style i32 dot products).
    #[inline]
    pub fn dot_prepared(a: &[V8x16], q: &[Q16]) -> i32 {
        let mut acc0 = i32x4_splat(0);
        let mut acc1 = i32x4_splat(0);
        for (x, y) in a.iter().zip(q) {
            acc0 = i32x4_add(acc0, i32x4_dot_i16x8(i16x8_extend_low_i8x16(x.0), y.0));
            acc1 = i32x4_add(acc1, i32x4_dot_i16x8(i16x8_extend_high_i8x16(x.0), y.1));
        }
        let acc = i32x4_add(acc0, acc1);
        i32x4_extract_lane::<0>(acc)
            + i32x4_extract_lane::<1>(acc)
            + i32x4_extract_lane::<2>(acc)
            + i32x4_extract_lane::<3>(acc)
    }

    /// Two dot products against the same widened query, sharing its loads.
    #[inline]
    pub fn dot_prepared2(a: &[V8x16], b: &[V8x16], q: &[Q16]) -> (i32, i32) {
        let (mut a0, mut a1, mut b0, mut b1) = (
            i32x4_splat(0),
            i32x4_splat(0),
            i32x4_splat(0),
            i32x4_splat(0),
        );
        for ((x, z), y) in a.iter().zip(b).zip(q) {
            a0 = i32x4_add(a0, i32x4_dot_i16x8(i16x8_extend_low_i8x16(x.0), y.0));
            a1 = i32x4_add(a1, i32x4_dot_i16x8(i16x8_extend_high_i8x16(x.0), y.1));
            b0 = i32x4_add(b0, i32x4_dot_i16x8(i16x8_extend_low_i8x16(z.0), y.0));
            b1 = i32x4_add(b1, i32x4_dot_i16x8(i16x8_extend_high_i8x16(z.0), y.1));
        }
        let sum = |v: v128| {
            i32x4_extract_lane::<0>(v)
                + i32x4_extract_lane::<1>(v)
                + i32x4_extract_lane::<2>(v)
                + i32x4_extract_lane::<3>(v)
        };
        (sum(i32x4_add(a0, a1)), sum(i32x4_add(b0, b1)))
    }

    /// Dot product of two equal-length i8 vector slices whose lanes are in -127..=127 (so the
    /// sum of two products fits in i16: 2 × 127² = 32258).
    #[inline]
    pub fn dot_i8(a: &[V8x16], b: &[V8x16]) -> i32 {
        let mut acc0 = i32x4_splat(0);
        let mut acc1 = i32x4_splat(0);
        let mut pairs_a = a.chunks_exact(2);
        let mut pairs_b = b.chunks_exact(2);
        for (x, y) in (&mut pairs_a).zip(&mut pairs_b) {
            let s0 = i16x8_add(
                i16x8_extmul_low_i8x16(x[0].0, y[0].0),
                i16x8_extmul_high_i8x16(x[0].0, y[0].0),
            );
            let s1 = i16x8_add(
                i16x8_extmul_low_i8x16(x[1].0, y[1].0),
                i16x8_extmul_high_i8x16(x[1].0, y[1].0),
            );
            acc0 = i32x4_add(acc0, i32x4_extadd_pairwise_i16x8(s0));
            acc1 = i32x4_add(acc1, i32x4_extadd_pairwise_i16x8(s1));
        }
        for (x, y) in pairs_a.remainder().iter().zip(pairs_b.remainder()) {
            let s = i16x8_add(
                i16x8_extmul_low_i8x16(x.0, y.0),
                i16x8_extmul_high_i8x16(x.0, y.0),
            );
            acc0 = i32x4_add(acc0, i32x4_extadd_pairwise_i16x8(s));
        }
        let acc = i32x4_add(acc0, acc1);
        i32x4_extract_lane::<0>(acc)
            + i32x4_extract_lane::<1>(acc)
            + i32x4_extract_lane::<2>(acc)
            + i32x4_extract_lane::<3>(acc)
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    /// Four f32 lanes.
    #[derive(Clone, Copy, Debug)]
    #[repr(C, align(16))]
    pub struct F4([f32; 4]);

    impl F4 {
        #[inline(always)]
        pub fn splat(x: f32) -> F4 {
            F4([x; 4])
        }
        #[inline(always)]
        pub fn new(a: f32, b: f32, c: f32, d: f32) -> F4 {
            F4([a, b, c, d])
        }
        #[inline(always)]
        pub fn add(self, o: F4) -> F4 {
            let (a, b) = (self.0, o.0);
            F4([a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]])
        }
        #[inline(always)]
        pub fn mul(self, o: F4) -> F4 {
            let (a, b) = (self.0, o.0);
            F4([a[0] * b[0], a[1] * b[1], a[2] * b[2], a[3] * b[3]])
        }
        #[inline(always)]
        pub fn mul_add(self, a: F4, b: F4) -> F4 {
            self.add(a.mul(b))
        }
        #[inline(always)]
        pub fn max(self, o: F4) -> F4 {
            let (a, b) = (self.0, o.0);
            let m = |x: f32, y: f32| if x < y { y } else { x };
            F4([m(a[0], b[0]), m(a[1], b[1]), m(a[2], b[2]), m(a[3], b[3])])
        }
        #[inline(always)]
        pub fn lanes(self) -> [f32; 4] {
            self.0
        }
        #[inline(always)]
        pub fn splat_lane<const L: usize>(self) -> F4 {
            F4([self.0[L]; 4])
        }
    }

    /// Sixteen i8 lanes.
    #[derive(Clone, Copy, Debug)]
    #[repr(C, align(16))]
    pub struct V8x16([i8; 16]);

    impl V8x16 {
        #[inline(always)]
        pub fn from_array(a: [i8; 16]) -> V8x16 {
            V8x16(a)
        }
        #[inline(always)]
        pub fn to_array(self) -> [i8; 16] {
            self.0
        }
    }

    /// A query chunk widened to i16 lanes once per search.
    #[derive(Clone, Copy, Debug)]
    pub struct Q16([i16; 16]);

    /// Widens a query to i16 lanes.
    pub fn prepare_query(q: &[V8x16]) -> Vec<Q16> {
        q.iter()
            .map(|c| {
                let mut o = [0i16; 16];
                for (d, &v) in o.iter_mut().zip(c.0.iter()) {
                    *d = v as i16;
                }
                Q16(o)
            })
            .collect()
    }

    /// Dot product of stored i8 chunks with a widened query.
    #[inline]
    pub fn dot_prepared(a: &[V8x16], q: &[Q16]) -> i32 {
        let mut acc = 0i32;
        for (x, y) in a.iter().zip(q) {
            let mut s = 0i32;
            for i in 0..16 {
                s += x.0[i] as i32 * y.0[i] as i32;
            }
            acc += s;
        }
        acc
    }

    /// Two dot products against the same widened query.
    #[inline]
    pub fn dot_prepared2(a: &[V8x16], b: &[V8x16], q: &[Q16]) -> (i32, i32) {
        (dot_prepared(a, q), dot_prepared(b, q))
    }

    /// Dot product of two equal-length i8 vector slices.
    #[inline]
    pub fn dot_i8(a: &[V8x16], b: &[V8x16]) -> i32 {
        let mut acc = 0i32;
        for (x, y) in a.iter().zip(b.iter()) {
            let mut s = 0i32;
            for i in 0..16 {
                s += x.0[i] as i32 * y.0[i] as i32;
            }
            acc += s;
        }
        acc
    }
}

pub use imp::{dot_i8, dot_prepared, dot_prepared2, prepare_query, V8x16, F4, Q16};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f4_ops() {
        let a = F4::new(1.0, 2.0, 3.0, 4.0);
        let b = F4::splat(2.0);
        assert_eq!(a.mul_add(a, b).lanes(), [3.0, 6.0, 9.0, 12.0]);
        assert_eq!(a.splat_lane::<2>().lanes(), [3.0; 4]);
        assert_eq!(F4::splat(-1.0).max(a).lanes(), [1.0, 2.0, 3.0, 4.0]);
    }

    #[test]
    fn i8_dot() {
        let mut x = [0i8; 16];
        let mut y = [0i8; 16];
        for i in 0..16 {
            x[i] = (i as i8) - 8;
            y[i] = -127 + i as i8;
        }
        let want: i32 = (0..16).map(|i| x[i] as i32 * y[i] as i32).sum();
        let ext = V8x16::from_array([-127; 16]);
        let a = [V8x16::from_array(x), ext, ext];
        let b = [V8x16::from_array(y), ext, V8x16::from_array([127; 16])];
        assert_eq!(dot_i8(&a, &b), want + 16 * 16129 - 16 * 16129);
        assert_eq!(dot_i8(&a[..2], &b[..2]), want + 16 * 16129);
        assert_eq!(dot_prepared(&a, &prepare_query(&b)), dot_i8(&a, &b));
        let q = prepare_query(&b);
        assert_eq!(dot_prepared2(&a, &b, &q), (dot_i8(&a, &b), dot_i8(&b, &b)));
        assert_eq!(a[0].to_array(), x);
    }
}
