//! The portable loops on slices (products, tanh over a layer, SGD): what every target runs, and the bodies the AVX2 builds compile again.
//!
//! The bottom layer of the crate: it imports only [`crate::tanh`] and [`crate::finite`], never
//! the AVX2 builds or the public modules that choose between them and these loops (`products`,
//! `tanh_layer`, `sgd`). Each output sums its terms first to last (as a plain loop does), while
//! the loop over outputs vectorises; no allocation, same bits everywhere.
//!
//! Layers of up to [`SMALL`] units (the seed's network has 10) take a path where a whole
//! column of the result sits in registers: the loops over a few entries would otherwise cost
//! more in set-up than in arithmetic.

use crate::finite::{non_finite_bits, values_finite};
use crate::tanh::tanh;

/// The largest number of rows the register-held paths take (8 SSE2 or wasm128 registers).
pub const SMALL: usize = 16;

/// Calls `$f::<N>($args)` with N = `$rows` when 1 ≤ `$rows` ≤ [`SMALL`], and returns its value.
macro_rules! return_if_small {
    ($rows:expr, $f:ident $args:tt) => {
        match $rows {
            1 => return $f::<1> $args,
            2 => return $f::<2> $args,
            3 => return $f::<3> $args,
            4 => return $f::<4> $args,
            5 => return $f::<5> $args,
            6 => return $f::<6> $args,
            7 => return $f::<7> $args,
            8 => return $f::<8> $args,
            9 => return $f::<9> $args,
            10 => return $f::<10> $args,
            11 => return $f::<11> $args,
            12 => return $f::<12> $args,
            13 => return $f::<13> $args,
            14 => return $f::<14> $args,
            15 => return $f::<15> $args,
            16 => return $f::<16> $args,
            _ => {}
        }
    };
}
// For the products, and the AVX2 builds of tanh over a layer and of the small layers.
pub(crate) use return_if_small;

/// `y = A x` for A (rows×cols, column-major) above [`SMALL`] rows:
/// `y[i] = 0 + A[i,0] x[0] + A[i,1] x[1] + …`, summed in that order. Four columns are folded
/// in per pass over y (same order of additions, a quarter of the loads and stores of y).
#[inline(always)]
pub(crate) fn mat_vec_loop(a: &[f64], x: &[f64], y: &mut [f64]) {
    let rows = y.len();
    y.fill(0.0);
    let mut cols = a.chunks_exact(rows).zip(x);
    let quads = x.len() / 4;
    for _ in 0..quads {
        let (c0, &x0) = cols.next().unwrap();
        let (c1, &x1) = cols.next().unwrap();
        let (c2, &x2) = cols.next().unwrap();
        let (c3, &x3) = cols.next().unwrap();
        // Equal lengths, stated so the compiler drops bounds checks and vectorises.
        let (c0, c1, c2, c3, y) = (&c0[..rows], &c1[..rows], &c2[..rows], &c3[..rows], &mut y[..rows]);
        for i in 0..rows {
            y[i] = (((y[i] + c0[i] * x0) + c1[i] * x1) + c2[i] * x2) + c3[i] * x3;
        }
    }
    for (col, &xj) in cols {
        for (yi, &aij) in y.iter_mut().zip(col) {
            *yi += aij * xj;
        }
    }
}

/// `y = A x` for a y of N ≤ [`SMALL`] entries.
#[inline(always)]
pub(crate) fn mat_vec_small<const N: usize>(a: &[f64], x: &[f64], y: &mut [f64]) {
    *<&mut [f64; N]>::try_from(y).expect("N entries") = product_in_registers::<N>(a.as_chunks::<N>().0, x);
}

/// `A x` for A with N rows, given as its columns: the result stays in registers while the
/// columns are folded in one by one, each entry summed from 0 in column order.
#[inline(always)]
fn product_in_registers<const N: usize>(columns: &[[f64; N]], x: &[f64]) -> [f64; N] {
    let mut acc = [0.0; N];
    for (col, &xj) in columns.iter().zip(x) {
        for k in 0..N {
            acc[k] += col[k] * xj;
        }
    }
    acc
}

/// The last step of a pre-activation above [`SMALL`] rows: `a = (Wx x + Wh h) + b` from
/// `a = Wx x` and `scratch = Wh h`, added in that order.
#[inline(always)]
pub(crate) fn add_products_and_bias(a: &mut [f64], scratch: &[f64], b: &[f64]) {
    for ((a, &wh_h), &b) in a.iter_mut().zip(scratch.iter()).zip(b) {
        *a = (*a + wh_h) + b;
    }
}

/// The pre-activation `a = (Wx x + Wh h) + b` for N ≤ [`SMALL`] rows.
#[inline(always)]
pub(crate) fn affine_small<const N: usize>(wx: &[f64], x: &[f64], wh: &[f64], h: &[f64], b: &[f64], a: &mut [f64]) {
    let b: &[f64; N] = b.try_into().expect("N rows");
    *<&mut [f64; N]>::try_from(a).expect("N rows") = affine_in_registers::<N>(wx, x, wh.as_chunks::<N>().0, h, b);
}

/// `(Wx x + Wh h) + b` for N rows, both products summed as [`mat_vec_small`] sums them, then
/// added in that order, held in registers. Wh comes as its columns, so that a caller with a
/// fixed N×N Wh and N-entry h gets the loops unrolled.
#[inline(always)]
pub(crate) fn affine_in_registers<const N: usize>(
    wx: &[f64],
    x: &[f64],
    wh: &[[f64; N]],
    h: &[f64],
    b: &[f64; N],
) -> [f64; N] {
    let (wx_x, wh_h) = (product_in_registers::<N>(wx.as_chunks::<N>().0, x), product_in_registers::<N>(wh, h));
    let mut a = [0.0; N];
    for k in 0..N {
        a[k] = (wx_x[k] + wh_h[k]) + b[k];
    }
    a
}

/// `M += u vᵀ` for M (u.len()×v.len(), column-major): `M[i,j] += u[i] v[j]`.
#[inline(always)]
pub(crate) fn add_outer_loop(m: &mut [f64], u: &[f64], v: &[f64]) {
    let rows = u.len();
    for (col, &vj) in m.chunks_exact_mut(rows).zip(v) {
        for (mij, &ui) in col.iter_mut().zip(u) {
            *mij += ui * vj;
        }
    }
}

/// `M += Σ_t u_t v_tᵀ` over `ts` for M (rows×cols) above [`SMALL`] rows, from the last timestep
/// down for every entry; `us` holds u_t as column t (rows × n), `vs` holds v_t as column t
/// (cols × n). Four timesteps are folded in per pass over a column of M.
#[inline(always)]
pub(crate) fn add_outer_products_loop(
    m: &mut [f64],
    rows: usize,
    cols: usize,
    us: &[f64],
    vs: &[f64],
    ts: std::ops::Range<usize>,
) {
    let u = |t: usize| &us[t * rows..(t + 1) * rows];
    for (j, col) in m.chunks_exact_mut(rows).enumerate() {
        let v = |t: usize| vs[t * cols + j];
        let mut t = ts.end;
        while t >= ts.start + 4 {
            let (t0, t1, t2, t3) = (t - 1, t - 2, t - 3, t - 4);
            let (u0, u1, u2, u3, col) = (u(t0), u(t1), u(t2), u(t3), &mut col[..rows]);
            let (v0, v1, v2, v3) = (v(t0), v(t1), v(t2), v(t3));
            for i in 0..rows {
                col[i] = (((col[i] + u0[i] * v0) + u1[i] * v1) + u2[i] * v2) + u3[i] * v3;
            }
            t -= 4;
        }
        while t > ts.start {
            t -= 1;
            let (ut, vt) = (u(t), v(t));
            for (mij, &ui) in col.iter_mut().zip(ut) {
                *mij += ui * vt;
            }
        }
    }
}

/// `M += Σ_t u_t v_tᵀ` for columns of N ≤ [`SMALL`] entries: each column of M stays in registers
/// while the timesteps are folded in (from the last down, as in [`add_outer_products_loop`]).
#[inline(always)]
pub(crate) fn add_outer_products_small<const N: usize>(
    m: &mut [f64],
    us: &[f64],
    vs: &[f64],
    cols: usize,
    ts: std::ops::Range<usize>,
) {
    let us = us.as_chunks::<N>().0;
    if ts.len() == 1 {
        // One timestep (the seed's backward pass): M += u vᵀ, a column at a time.
        let (u, v) = (&us[ts.start], &vs[ts.start * cols..(ts.start + 1) * cols]);
        for (col, &vj) in m.as_chunks_mut::<N>().0.iter_mut().zip(v) {
            for k in 0..N {
                col[k] += u[k] * vj;
            }
        }
        return;
    }
    for (j, col) in m.as_chunks_mut::<N>().0.iter_mut().enumerate() {
        let mut acc = *col;
        for t in ts.clone().rev() {
            let (u, v) = (&us[t], vs[t * cols + j]);
            for k in 0..N {
                acc[k] += u[k] * v;
            }
        }
        *col = acc;
    }
}

/// `h = tanh(a)` entry by entry, inlined into the portable and the AVX2 build.
#[inline(always)]
pub(crate) fn tanh_loop(a: &[f64], h: &mut [f64]) {
    for (h, &a) in h.iter_mut().zip(a) {
        *h = tanh(a);
    }
}

/// [`tanh_loop`] for a layer of N entries.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub(crate) fn tanh_array<const N: usize>(a: &[f64], h: &mut [f64]) {
    let a: &[f64; N] = a.try_into().expect("N entries");
    *<&mut [f64; N]>::try_from(h).expect("N entries") = tanh_of_array(a);
}

/// `tanh(a)` entry by entry, for a layer of known size N.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub(crate) fn tanh_of_array<const N: usize>(a: &[f64; N]) -> [f64; N] {
    // A loop, not `a.map(tanh)`: `map` is not inlined and does not vectorise.
    let mut h = [0.0; N];
    for k in 0..N {
        h[k] = tanh(a[k]);
    }
    h
}

/// `w -= dw × lr` entry by entry, writing `−dw × lr` into `change`; returns whether every
/// weight is still finite. Inlined into the portable and the AVX2 build.
#[inline(always)]
pub(crate) fn sgd_loop(w: &mut [f64], dw: &[f64], lr: f64, change: &mut [f64]) -> bool {
    let mut bits = 0;
    for ((w, &dw), c) in w.iter_mut().zip(dw).zip(change) {
        bits |= step(w, dw, lr, c);
    }
    values_finite(bits)
}

/// [`sgd_loop`] on N entries held in registers (the small layers' columns), OR-ing each new
/// weight's [`non_finite_bits`] into its entry of `bits`.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub(crate) fn sgd_array<const N: usize>(
    w: &mut [f64; N],
    dw: &[f64; N],
    lr: f64,
    change: &mut [f64; N],
    bits: &mut [u64; N],
) {
    for k in 0..N {
        bits[k] |= step(&mut w[k], dw[k], lr, &mut change[k]);
    }
}

/// One weight: `w -= dw × lr` and `change = −dw × lr`; returns the new weight's [`non_finite_bits`].
#[inline(always)]
fn step(w: &mut f64, dw: f64, lr: f64, change: &mut f64) -> u64 {
    let delta = dw * lr;
    *w -= delta;
    *change = -delta;
    non_finite_bits(*w)
}
