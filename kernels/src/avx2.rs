//! The large-layer products built for AVX2 (x86-64 only, chosen at run time): the sums of the portable loops, in their order, four rows per instruction.
//!
//! The middle layer of the crate: it imports only the portable loops (`crate::portable`), and
//! the public modules that choose between the two builds ([`crate::products`],
//! [`crate::tanh_layer`], [`crate::sgd`]) call into it, never the other way round.
//!
//! Each function here computes exactly what its namesake in [`crate::products`] computes: every
//! output is summed from 0 (or from its old value) over the same terms in the same order, with a
//! separate multiply and add (AVX2 brings no FMA, and none is enabled), so the bits are the same.
//! What changes is how many outputs advance together: a block of rows is held in registers while
//! the columns (or timesteps) are folded in, so each multiply–add costs one load and no store.
//!
//! Callers go through [`enabled`]: the CPU has AVX2 and `RNN_PLAYGROUND_NO_AVX2` is not set.

use std::arch::x86_64::_mm256_storeu_pd;
use std::arch::x86_64::{__m256d, _mm256_add_pd, _mm256_loadu_pd, _mm256_mul_pd, _mm256_set1_pd, _mm256_setzero_pd};
use std::sync::atomic::{AtomicU8, Ordering};

/// Rows of a block in [`mat_vec`] and [`affine`]: 8 registers of 4, enough independent sums to
/// keep both adders busy.
const BLOCK: usize = 8;

/// Whether the AVX2 paths run: the CPU has AVX2 (`is_x86_feature_detected!`) and the
/// environment variable `RNN_PLAYGROUND_NO_AVX2` is unset, empty or `0`. Setting it gives the
/// SSE2 build, the vector width of wasm simd128, which the benchmark compares the page with.
/// Decided once per process.
#[inline]
pub fn enabled() -> bool {
    static STATE: AtomicU8 = AtomicU8::new(0);
    match STATE.load(Ordering::Relaxed) {
        1 => false,
        2 => true,
        _ => {
            let off = std::env::var_os("RNN_PLAYGROUND_NO_AVX2").is_some_and(|v| !v.is_empty() && v != "0");
            let on = !off && std::arch::is_x86_feature_detected!("avx2");
            STATE.store(if on { 2 } else { 1 }, Ordering::Relaxed);
            on
        }
    }
}

/// `Σ_j M[i..i+4K, j] x[j]` for M with `rows` rows (column-major), summed from 0 in column order.
#[inline]
#[target_feature(enable = "avx2")]
fn column_sums<const K: usize>(m: &[f64], rows: usize, i: usize, x: &[f64]) -> [__m256d; K] {
    assert!(i + 4 * K <= rows && m.len() == rows * x.len(), "block inside M");
    let mut acc = [_mm256_setzero_pd(); K];
    for (j, &xj) in x.iter().enumerate() {
        let xv = _mm256_set1_pd(xj);
        let col = m[j * rows + i..].as_ptr();
        for (k, acc) in acc.iter_mut().enumerate() {
            // SAFETY: entries i + 4k … i + 4k + 3 of column j lie inside M (asserted above).
            let mij = unsafe { _mm256_loadu_pd(col.add(4 * k)) };
            *acc = _mm256_add_pd(*acc, _mm256_mul_pd(mij, xv));
        }
    }
    acc
}

/// Stores a block of K registers at `out[i..i + 4K]`.
#[inline]
#[target_feature(enable = "avx2")]
fn store<const K: usize>(out: &mut [f64], i: usize, v: [__m256d; K]) {
    let out = &mut out[i..i + 4 * K];
    for (k, v) in v.into_iter().enumerate() {
        // SAFETY: 4k + 3 < 4K = out.len().
        unsafe { _mm256_storeu_pd(out.as_mut_ptr().add(4 * k), v) };
    }
}

/// The rows `from..` that no block of 4 took, one at a time: `y[i] = Σ_j M[i, j] x[j]` from 0.
#[inline]
#[target_feature(enable = "avx2")]
fn remaining_rows(m: &[f64], x: &[f64], y: &mut [f64], from: usize) {
    let rows = y.len();
    for (i, yi) in y.iter_mut().enumerate().skip(from) {
        let mut sum = 0.0;
        for (j, &xj) in x.iter().enumerate() {
            sum += m[j * rows + i] * xj;
        }
        *yi = sum;
    }
}

/// [`crate::products::mat_vec`]: `y = A x`, each `y[i] = 0 + A[i,0] x[0] + A[i,1] x[1] + …`.
///
/// # Safety
/// The CPU must have AVX2: call only where [`enabled`] is true.
#[target_feature(enable = "avx2")]
pub fn mat_vec(a: &[f64], x: &[f64], y: &mut [f64]) {
    let rows = y.len();
    let mut i = 0;
    while i + 4 * BLOCK <= rows {
        store(y, i, column_sums::<BLOCK>(a, rows, i, x));
        i += 4 * BLOCK;
    }
    while i + 4 <= rows {
        store(y, i, column_sums::<1>(a, rows, i, x));
        i += 4;
    }
    remaining_rows(a, x, y, i);
}

/// [`crate::products::affine`]: `a = (Wx x + Wh h) + b`, both products summed as [`mat_vec`]
/// sums them.
///
/// # Safety
/// The CPU must have AVX2: call only where [`enabled`] is true.
#[target_feature(enable = "avx2")]
pub fn affine(wx: &[f64], x: &[f64], wh: &[f64], h: &[f64], b: &[f64], scratch: &mut [f64], a: &mut [f64]) {
    let rows = a.len();
    let mut i = 0;
    while i + 4 * BLOCK <= rows {
        let wx_x = column_sums::<BLOCK>(wx, rows, i, x);
        store(a, i, wx_x);
        let wh_h = column_sums::<BLOCK>(wh, rows, i, h);
        add_bias_block(&mut a[i..i + 4 * BLOCK], wh_h, &b[i..i + 4 * BLOCK]);
        i += 4 * BLOCK;
    }
    while i + 4 <= rows {
        store(a, i, column_sums::<1>(wx, rows, i, x));
        add_bias_block(&mut a[i..i + 4], column_sums::<1>(wh, rows, i, h), &b[i..i + 4]);
        i += 4;
    }
    remaining_rows(wx, x, a, i);
    remaining_rows(wh, h, scratch, i);
    for ((a, &wh_h), &b) in a.iter_mut().zip(scratch.iter()).zip(b).skip(i) {
        *a = (*a + wh_h) + b;
    }
}

/// `a = (a + wh_h) + b` on a block of 4K rows.
#[inline]
#[target_feature(enable = "avx2")]
fn add_bias_block<const K: usize>(a: &mut [f64], wh_h: [__m256d; K], b: &[f64]) {
    assert!(a.len() == 4 * K && b.len() == 4 * K, "one block");
    for (k, wh_h) in wh_h.into_iter().enumerate() {
        // SAFETY: 4k + 3 < 4K, the length of a and b (asserted above).
        unsafe {
            let sum = _mm256_add_pd(_mm256_add_pd(_mm256_loadu_pd(a.as_ptr().add(4 * k)), wh_h), {
                _mm256_loadu_pd(b.as_ptr().add(4 * k))
            });
            _mm256_storeu_pd(a.as_mut_ptr().add(4 * k), sum);
        }
    }
}

/// Rows per panel of [`pack_panels`]: one block of [`mat_vec_panels`].
pub const PANEL: usize = 4 * BLOCK;

/// M (rows×cols, column-major) repacked for [`mat_vec_panels`]: for each whole block of
/// [`PANEL`] rows, `M[i..i+PANEL, 0]`, `M[i..i+PANEL, 1]`, … one after another, so that a block's
/// product reads one contiguous stretch of memory (which the prefetcher streams from L2) instead
/// of a short piece of every column. Rows past the last whole block are left out.
pub fn pack_panels(m: &[f64], rows: usize, out: &mut Vec<f64>) {
    out.clear();
    for i in (0..rows - rows % PANEL).step_by(PANEL) {
        for col in m.chunks_exact(rows) {
            out.extend_from_slice(&col[i..i + PANEL]);
        }
    }
}

/// [`mat_vec`] with A's whole blocks of rows read from `panels` ([`pack_panels`] of A): the same
/// sums in the same order, so the same bits.
///
/// # Safety
/// The CPU must have AVX2: call only where [`enabled`] is true.
#[target_feature(enable = "avx2")]
pub fn mat_vec_panels(panels: &[f64], a: &[f64], x: &[f64], y: &mut [f64]) {
    let rows = y.len();
    let whole = rows - rows % PANEL;
    assert_eq!(panels.len(), whole * x.len(), "panels of A");
    for (p, panel) in panels.chunks_exact(PANEL * x.len().max(1)).enumerate().take(whole / PANEL) {
        store(y, p * PANEL, column_sums::<BLOCK>(panel, PANEL, 0, x));
    }
    let mut i = whole;
    while i + 4 <= rows {
        store(y, i, column_sums::<1>(a, rows, i, x));
        i += 4;
    }
    remaining_rows(a, x, y, i);
}

/// [`affine`] with Wh's whole blocks of rows read from `wh_panels` ([`pack_panels`] of Wh).
///
/// # Safety
/// The CPU must have AVX2: call only where [`enabled`] is true.
#[target_feature(enable = "avx2")]
pub fn affine_panels(wx: &[f64], x: &[f64], wh: (&[f64], &[f64]), h: &[f64], b: &[f64], a: &mut [f64]) {
    let (wh_panels, wh) = wh;
    let rows = a.len();
    let whole = rows - rows % PANEL;
    assert!(wh_panels.len() == whole * h.len() && b.len() == rows, "panels of Wh");
    for (p, panel) in wh_panels.chunks_exact(PANEL * h.len().max(1)).enumerate().take(whole / PANEL) {
        let i = p * PANEL;
        store(a, i, column_sums::<BLOCK>(wx, rows, i, x));
        add_bias_block(&mut a[i..i + PANEL], column_sums::<BLOCK>(panel, PANEL, 0, h), &b[i..i + PANEL]);
    }
    let mut i = whole;
    while i + 4 <= rows {
        store(a, i, column_sums::<1>(wx, rows, i, x));
        add_bias_block(&mut a[i..i + 4], column_sums::<1>(wh, rows, i, h), &b[i..i + 4]);
        i += 4;
    }
    for r in i..rows {
        let (mut wx_x, mut wh_h) = (0.0, 0.0);
        for (j, &xj) in x.iter().enumerate() {
            wx_x += wx[j * rows + r] * xj;
        }
        for (j, &hj) in h.iter().enumerate() {
            wh_h += wh[j * rows + r] * hj;
        }
        a[r] = (wx_x + wh_h) + b[r];
    }
}

/// [`crate::products::add_outer`]: `M[i,j] += u[i] v[j]`, the portable loop compiled for AVX2.
///
/// # Safety
/// The CPU must have AVX2: call only where [`enabled`] is true.
#[target_feature(enable = "avx2")]
pub fn add_outer(m: &mut [f64], u: &[f64], v: &[f64]) {
    let rows = u.len();
    for (col, &vj) in m.chunks_exact_mut(rows).zip(v) {
        for (mij, &ui) in col.iter_mut().zip(u) {
            *mij += ui * vj;
        }
    }
}

/// [`crate::sgd::sgd`]: `w -= η dw` and `change = −η dw`, the portable loop compiled for AVX2.
///
/// # Safety
/// The CPU must have AVX2: call only where [`enabled`] is true.
#[target_feature(enable = "avx2")]
pub fn sgd(w: &mut [f64], dw: &[f64], lr: f64, change: &mut [f64]) -> bool {
    crate::portable::sgd_loop(w, dw, lr, change)
}

/// [`crate::tanh_layer::tanh_layer`]: `h = tanh(a)`, the portable loop compiled for AVX2 (four
/// lanes, three-operand instructions), for layers of up to [`SMALL`](crate::products::SMALL)
/// units a loop of known length.
///
/// # Safety
/// The CPU must have AVX2: call only where [`enabled`] is true.
#[target_feature(enable = "avx2")]
pub(crate) fn tanh_layer(a: &[f64], h: &mut [f64]) {
    use crate::portable::{tanh_array, tanh_loop};
    crate::portable::return_if_small!(a.len(), tanh_array(a, h));
    tanh_loop(a, h);
}

/// The operands of a sum of outer products `M += Σ_t u_t v_tᵀ` (see
/// [`crate::products::add_outer_products_last_to_first`]).
struct Outer<'a> {
    rows: usize,
    cols: usize,
    us: &'a [f64],
    vs: &'a [f64],
    ts: std::ops::Range<usize>,
}

impl Outer<'_> {
    /// `M[i..i+4K, j..j+C] += Σ_t u_t[i..i+4K] v_t[j..j+C]ᵀ`, t from the last down, the block
    /// held in registers throughout.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn block<const K: usize, const C: usize>(&self, m: &mut [f64], i: usize, j: usize) {
        let (rows, cols) = (self.rows, self.cols);
        assert!(i + 4 * K <= rows && j + C <= cols && m.len() == rows * cols, "block inside M");
        assert!(self.us.len() >= self.ts.end * rows && self.vs.len() >= self.ts.end * cols, "u_t and v_t");
        let mut acc = [[_mm256_setzero_pd(); K]; C];
        for (c, acc) in acc.iter_mut().enumerate() {
            for (k, acc) in acc.iter_mut().enumerate() {
                // SAFETY: row i + 4k + 3 < rows and column j + c < cols (asserted above).
                *acc = unsafe { _mm256_loadu_pd(m.as_ptr().add((j + c) * rows + i + 4 * k)) };
            }
        }
        for t in self.ts.clone().rev() {
            let u = self.us[t * rows + i..].as_ptr();
            for (c, acc) in acc.iter_mut().enumerate() {
                let v = _mm256_set1_pd(self.vs[t * cols + j + c]);
                for (k, acc) in acc.iter_mut().enumerate() {
                    // SAFETY: row i + 4k + 3 of u_t lies inside `us` (asserted above).
                    let ui = unsafe { _mm256_loadu_pd(u.add(4 * k)) };
                    *acc = _mm256_add_pd(*acc, _mm256_mul_pd(ui, v));
                }
            }
        }
        for (c, acc) in acc.into_iter().enumerate() {
            store(m, (j + c) * rows + i, acc);
        }
    }

    /// Every column of M for the rows `i..i+4K`, two columns per pass over the u_t.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn row_block<const K: usize>(&self, m: &mut [f64], i: usize) {
        let mut j = 0;
        while j + 2 <= self.cols {
            self.block::<K, 2>(m, i, j);
            j += 2;
        }
        if j < self.cols {
            self.block::<K, 1>(m, i, j);
        }
    }
}

/// [`crate::products::add_outer_products_last_to_first`]: `M += Σ_t u_t v_tᵀ` over `ts`, from the
/// last timestep down for every entry. Up to [`SMALL`](crate::products::SMALL) rows, the
/// portable loop that holds a column in registers, compiled for AVX2. Above, a block of 16
/// rows by 2 columns stays in registers while the timesteps are folded in; the u_t of a block
/// of rows stay in L1 while the columns pass.
///
/// # Safety
/// The CPU must have AVX2: call only where [`enabled`] is true.
#[target_feature(enable = "avx2")]
pub fn add_outer_products_last_to_first(
    m: &mut [f64],
    rows: usize,
    us: &[f64],
    vs: &[f64],
    ts: std::ops::Range<usize>,
) {
    let cols = m.len() / rows.max(1);
    use crate::portable::add_outer_products_small;
    crate::portable::return_if_small!(rows, add_outer_products_small(m, us, vs, cols, ts));
    add_outer_products_in_blocks(m, rows, cols, us, vs, ts);
}

/// The blocked loop of [`add_outer_products_last_to_first`], kept out of line: compiled inside
/// the function that also holds the small layers' loops, it takes 3 % more instructions.
#[inline(never)]
#[target_feature(enable = "avx2")]
fn add_outer_products_in_blocks(
    m: &mut [f64],
    rows: usize,
    cols: usize,
    us: &[f64],
    vs: &[f64],
    ts: std::ops::Range<usize>,
) {
    let outer = Outer { rows, cols, us, vs, ts: ts.clone() };
    let mut i = 0;
    while i + 16 <= rows {
        outer.row_block::<4>(m, i);
        i += 16;
    }
    while i + 4 <= rows {
        outer.row_block::<1>(m, i);
        i += 4;
    }
    for r in i..rows {
        for j in 0..cols {
            let mut mij = m[j * rows + r];
            for t in ts.clone().rev() {
                mij += us[t * rows + r] * vs[t * cols + j];
            }
            m[j * rows + r] = mij;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bits(values: &[f64]) -> Vec<u64> {
        values.iter().map(|v| v.to_bits()).collect()
    }

    /// Reading whole blocks of rows from panels changes nothing: the bits of the portable products.
    #[test]
    fn products_from_panels_give_the_bits_of_the_plain_products() {
        if !enabled() {
            return;
        }
        let value = |k: usize| if k.is_multiple_of(13) { -0.0 } else { (k % 29) as f64 * 0.173 - 2.1 };
        for rows in [32, 33, 38, 64, 70, 128] {
            for cols in [1, 5, rows] {
                let m: Vec<f64> = (0..rows * cols).map(|k| value(k * 7 + 3)).collect();
                let x: Vec<f64> = (0..cols).map(|j| value(j * 5 + 1)).collect();
                let wx: Vec<f64> = (0..rows * 3).map(|k| value(k * 11)).collect();
                let (xx, b): (Vec<f64>, Vec<f64>) =
                    ((0..3).map(value).collect(), (0..rows).map(|i| value(i + 4)).collect());
                let mut panels = Vec::new();
                pack_panels(&m, rows, &mut panels);
                let (mut plain, mut paneled) = (vec![f64::NAN; rows], vec![f64::NAN; rows]);
                crate::products::mat_vec(&m, &x, &mut plain);
                // SAFETY: `enabled` is true, checked above.
                unsafe { mat_vec_panels(&panels, &m, &x, &mut paneled) };
                assert_eq!(bits(&paneled), bits(&plain), "{rows}×{cols}");
                if cols == rows {
                    let mut scratch = vec![0.0; rows];
                    crate::products::affine(&wx, &xx, &m, &x, &b, &mut scratch, &mut plain);
                    // SAFETY: as above.
                    unsafe { affine_panels(&wx, &xx, (&panels, &m), &x, &b, &mut paneled) };
                    assert_eq!(bits(&paneled), bits(&plain), "affine, {rows} rows");
                }
            }
        }
    }
}
