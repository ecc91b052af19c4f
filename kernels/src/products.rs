//! Column-major matrix–vector kernels on slices: the products of the readable model (`src/model/rnn.rs`), summed in its order.
//!
//! The public entry points of the dispatch layer: each picks, at run time, the AVX2 build
//! (`crate::avx2`, x86-64 only) or the portable loop (`crate::portable`), which sum the same
//! terms in the same order. Each output sums its terms first to last (as a plain loop does),
//! while the loop over outputs vectorises; no allocation, same bits everywhere.
//!
//! Layers of up to [`SMALL`] units (the seed's network has 10) take a path where a whole
//! column of the result sits in registers: the loops over a few entries would otherwise cost
//! more in set-up than in arithmetic.

use crate::portable::{add_outer_loop, add_outer_products_loop, add_products_and_bias, mat_vec_loop};
use crate::portable::{add_outer_products_small, affine_small, mat_vec_small, return_if_small};

pub use crate::portable::SMALL;

/// `y = A x` for A (rows×cols, column-major, `a.len() == rows * x.len()`):
/// `y[i] = 0 + A[i,0] x[0] + A[i,1] x[1] + …`, summed in that order. Four columns are folded
/// in per pass over y (same order of additions, a quarter of the loads and stores of y).
pub fn mat_vec(a: &[f64], x: &[f64], y: &mut [f64]) {
    let rows = y.len();
    assert_eq!(a.len(), rows * x.len(), "A must be y.len() × x.len()");
    return_if_small!(rows, mat_vec_small(a, x, y));
    #[cfg(target_arch = "x86_64")]
    if crate::avx2::enabled() {
        // SAFETY: `enabled` is true only where `is_x86_feature_detected!("avx2")` is.
        return unsafe { crate::avx2::mat_vec(a, x, y) };
    }
    mat_vec_loop(a, x, y);
}

/// One pre-activation, `a = (Wx x + Wh h) + b` (Wx rows×x.len() and Wh rows×h.len(),
/// column-major; `a`, `b` and `scratch` have `rows` entries): both products summed as
/// [`mat_vec`] sums them, then added in that order, so the same bits as two `mat_vec` calls and
/// a loop. Small layers keep both sums in registers; `scratch` is used only by larger ones.
pub fn affine(wx: &[f64], x: &[f64], wh: &[f64], h: &[f64], b: &[f64], scratch: &mut [f64], a: &mut [f64]) {
    let rows = a.len();
    assert!(wx.len() == rows * x.len() && wh.len() == rows * h.len() && b.len() == rows, "shapes");
    return_if_small!(rows, affine_small(wx, x, wh, h, b, a));
    assert_eq!(scratch.len(), rows, "scratch must have one entry per row");
    #[cfg(target_arch = "x86_64")]
    if crate::avx2::enabled() {
        // SAFETY: `enabled` is true only where `is_x86_feature_detected!("avx2")` is.
        return unsafe { crate::avx2::affine(wx, x, wh, h, b, scratch, a) };
    }
    mat_vec(wx, x, a);
    mat_vec(wh, h, scratch);
    add_products_and_bias(a, scratch, b);
}

/// `M += u vᵀ` for M (u.len()×v.len(), column-major): `M[i,j] += u[i] v[j]`. The one-step
/// form of [`add_outer_products_last_to_first`].
pub fn add_outer(m: &mut [f64], u: &[f64], v: &[f64]) {
    let rows = u.len();
    assert_eq!(m.len(), rows * v.len(), "M must be u.len() × v.len()");
    #[cfg(target_arch = "x86_64")]
    if crate::avx2::enabled() {
        // SAFETY: `enabled` is true only where `is_x86_feature_detected!("avx2")` is.
        return unsafe { crate::avx2::add_outer(m, u, v) };
    }
    add_outer_loop(m, u, v);
}

/// `M += Σ_t u_t v_tᵀ` over the timesteps `ts`, taken from the last down to the first for
/// every entry (so the result is bit for bit what adding one outer product per backward step
/// gives). M is rows×cols; `us` holds u_t as column t (rows × n), `vs` holds v_t as column t
/// (cols × n). Four timesteps are folded in per pass over a column of M (or all of them, for
/// columns held in registers).
pub fn add_outer_products_last_to_first(
    m: &mut [f64],
    rows: usize,
    us: &[f64],
    vs: &[f64],
    ts: std::ops::Range<usize>,
) {
    let cols = m.len() / rows.max(1);
    #[cfg(target_arch = "x86_64")]
    if crate::avx2::enabled() {
        // SAFETY: `enabled` is true only where `is_x86_feature_detected!("avx2")` is.
        return unsafe { crate::avx2::add_outer_products_last_to_first(m, rows, us, vs, ts) };
    }
    return_if_small!(rows, add_outer_products_small(m, us, vs, cols, ts));
    add_outer_products_loop(m, rows, cols, us, vs, ts);
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::{DMatrix, DVector};

    #[test]
    fn kernels_agree_with_nalgebra() {
        let a = DMatrix::from_fn(3, 4, |i, j| (i * 4 + j) as f64 * 0.37 - 1.1);
        let x = DVector::from_vec(vec![0.5, -1.5, 2.0, 0.25]);
        let mut y = vec![9.0; 3];
        mat_vec(a.as_slice(), x.as_slice(), &mut y);
        let expected = &a * &x;
        for (got, want) in y.iter().zip(expected.iter()) {
            assert!((got - want).abs() < 1e-14);
        }

        let mut m = a.clone();
        let u = DVector::from_vec(vec![1.0, -2.0, 0.5]);
        add_outer(m.as_mut_slice(), u.as_slice(), x.as_slice());
        assert_eq!(m, &a + &u * x.transpose());
    }

    /// Test values with exact zeros of both signs among them: a sum that started from its first
    /// product instead of from 0 would keep a −0 that a plain loop turns into +0.
    fn value(k: usize, scale: f64, shift: f64) -> f64 {
        match k % 17 {
            0 => 0.0,
            1 => -0.0,
            r => r as f64 * scale - shift,
        }
    }

    fn bits(values: &[f64]) -> Vec<u64> {
        values.iter().map(|v| v.to_bits()).collect()
    }

    /// Every size the register-held paths take, the first few above, and sizes that take
    /// every block and tail of the AVX2 build: the same bits as a plain loop, signs of zeros included.
    #[test]
    fn mat_vec_gives_a_plain_loops_bits_at_every_small_size() {
        for rows in (1..=SMALL + 4).chain([31, 32, 33, 37, 64, 70]) {
            for cols in 0..=9 {
                let a = DMatrix::from_fn(rows, cols, |i, j| value(i * 13 + j * 7, 0.137, 1.05));
                let x: Vec<f64> = (0..cols).map(|j| value(j * 5 + 2, 0.31, 2.4)).collect();
                let mut plain = vec![0.0; rows];
                for (i, yi) in plain.iter_mut().enumerate() {
                    for (j, &xj) in x.iter().enumerate() {
                        *yi += a[(i, j)] * xj;
                    }
                }
                let mut y = vec![f64::NAN; rows];
                mat_vec(a.as_slice(), &x, &mut y);
                assert_eq!(bits(&y), bits(&plain), "{rows}×{cols}");
            }
        }
    }

    #[test]
    fn the_fused_pre_activation_gives_the_bits_of_two_products_and_a_sum() {
        for rows in (1..=SMALL + 4).chain([32, 37, 70]) {
            for (d, h) in [(1, rows), (5, rows), (0, 3)] {
                let wx = DMatrix::from_fn(rows, d, |i, j| value(i * 5 + j * 3, 0.211, 1.3));
                let wh = DMatrix::from_fn(rows, h, |i, j| value(i * 3 + j * 7, 0.157, 0.7));
                let x: Vec<f64> = (0..d).map(|j| value(j * 4 + 1, 0.5, 1.9)).collect();
                let hp: Vec<f64> = (0..h).map(|j| value(j * 6, 0.07, 0.55)).collect();
                let b: Vec<f64> = (0..rows).map(|i| value(i * 9 + 1, 0.01, 0.05)).collect();
                let (mut wx_x, mut wh_h) = (vec![0.0; rows], vec![0.0; rows]);
                mat_vec(wx.as_slice(), &x, &mut wx_x);
                mat_vec(wh.as_slice(), &hp, &mut wh_h);
                let expected: Vec<f64> = (0..rows).map(|i| (wx_x[i] + wh_h[i]) + b[i]).collect();
                let mut a = vec![f64::NAN; rows];
                affine(wx.as_slice(), &x, wh.as_slice(), &hp, &b, &mut vec![0.0; rows], &mut a);
                assert_eq!(bits(&a), bits(&expected), "{rows} rows, D = {d}, H = {h}");
            }
        }
    }

    #[test]
    fn a_sum_of_outer_products_equals_adding_them_one_step_at_a_time() {
        for rows in [1, 2, 7, 10, SMALL, SMALL + 1, 23, 32, 38, 70] {
            for first in [1, 5, 10, 11] {
                sum_of_outer_products_case(rows, 9, 11, first);
            }
        }
    }

    fn sum_of_outer_products_case(rows: usize, cols: usize, n: usize, first: usize) {
        let us = DMatrix::from_fn(rows, n, |i, t| value(i * 7 + t * 3, 0.173, 0.8));
        let vs = DMatrix::from_fn(cols, n, |j, t| value(j * 5 + t, 0.291, 0.9));
        let start = DMatrix::from_fn(rows, cols, |i, j| if (i + j) % 3 == 0 { -0.0 } else { 0.25 });
        let mut stepwise = start.clone();
        for t in (first..n).rev() {
            add_outer(stepwise.as_mut_slice(), us.column(t).as_slice(), vs.column(t).as_slice());
        }
        let mut blocked = start;
        add_outer_products_last_to_first(blocked.as_mut_slice(), rows, us.as_slice(), vs.as_slice(), first..n);
        assert_eq!(bits(blocked.as_slice()), bits(stepwise.as_slice()), "{rows} rows, from {first}");
    }
}
