//! Small layers (the seed's 10 units) built for AVX2, a stretch of the epoch per call: forward steps, and the blog's loss, backward step and update.
//!
//! For layers of up to [`SMALL`](crate::products::SMALL) units a step is so short that the calls,
//! dispatch and checks between its parts cost as much as its arithmetic. So each function here
//! runs a whole stretch of the epoch in one call, with the layer's size N a constant (every loop
//! unrolls, every vector stays in registers). The sums are those of the portable kernels
//! ([`crate::products`], [`crate::tanh_layer`], [`crate::sgd`]) in their order, with a separate
//! multiply and add: the same bits. Callers go through [`enabled`](crate::avx2::enabled).
//!
//! Part of the AVX2 layer, beside [`crate::avx2`]: it imports only the portable loops
//! (`crate::portable`) and [`crate::finite`], never the public modules that choose a build.

use crate::finite::values_finite;
use crate::portable::{affine_in_registers, return_if_small, sgd_array, tanh_of_array};

/// Calls `$f::<N, L>($args)` with N = `$rows` for 1 ≤ N ≤ [`SMALL`](crate::products::SMALL)
/// and L the lanes of the AVX2 vectors that hold N numbers (N rounded up to a multiple of 4),
/// and returns its value.
macro_rules! with_whole_vectors {
    ($rows:expr, $f:ident $args:tt) => {
        match $rows {
            1 => return $f::<1, 4> $args,
            2 => return $f::<2, 4> $args,
            3 => return $f::<3, 4> $args,
            4 => return $f::<4, 4> $args,
            5 => return $f::<5, 8> $args,
            6 => return $f::<6, 8> $args,
            7 => return $f::<7, 8> $args,
            8 => return $f::<8, 8> $args,
            9 => return $f::<9, 12> $args,
            10 => return $f::<10, 12> $args,
            11 => return $f::<11, 12> $args,
            12 => return $f::<12, 12> $args,
            13 => return $f::<13, 16> $args,
            14 => return $f::<14, 16> $args,
            15 => return $f::<15, 16> $args,
            16 => return $f::<16, 16> $args,
            _ => {}
        }
    };
}

/// Forward steps `ts` of a layer of up to [`SMALL`](crate::products::SMALL) units, built for
/// AVX2 in one piece: for each t, `a_t = (Wx x_t + Wh h_{t-1}) + b` as
/// [`crate::products::affine`] sums it, then `h_t = tanh(a_t)`. Stops after the first t whose
/// a_t is not finite and returns it as `Err(t)`.
///
/// Shapes (column-major): Wx N×D, `xs` D×T (x_t is column t), Wh N×N, b N, `hs` N×(T+1)
/// (h_0 … h_T), `pre` N×T (a_1 … a_T).
///
/// # Safety
/// The CPU must have AVX2: call only where [`enabled`](crate::avx2::enabled) is true.
#[target_feature(enable = "avx2")]
pub fn small_forward_steps(
    wx: &[f64],
    xs: &[f64],
    wh: &[f64],
    b: &[f64],
    hs: &mut [f64],
    pre: &mut [f64],
    ts: std::ops::Range<usize>,
) -> Result<(), usize> {
    with_whole_vectors!(b.len(), small_forward(wx, xs, wh, b, hs, pre, ts));
    unreachable!("a layer of more than SMALL units")
}

/// [`small_forward_steps`] for N units, tanh taken over L ≥ N lanes (whole vectors): a part
/// vector would be read and written with masked loads and stores, which the CPU cannot
/// forward to the next step's loads of h, a wait on every step's critical path.
#[inline(always)]
fn small_forward<const N: usize, const L: usize>(
    wx: &[f64],
    xs: &[f64],
    wh: &[f64],
    b: &[f64],
    hs: &mut [f64],
    pre: &mut [f64],
    ts: std::ops::Range<usize>,
) -> Result<(), usize> {
    let d = wx.len() / N;
    assert!(wx.len() == N * d && xs.len() >= ts.end * d, "Wx N×D, xs D×T");
    assert!(hs.len() > ts.end * N && pre.len() >= ts.end * N, "hs N×(T+1), pre N×T");
    // Fixed sizes, so that the loops over Wh's columns and the layer's units unroll.
    let wh: &[[f64; N]; N] = wh.as_chunks::<N>().0.try_into().expect("Wh N×N");
    let b: &[f64; N] = b.try_into().expect("b N");
    let (hs, pre) = (hs.as_chunks_mut::<N>().0, pre.as_chunks_mut::<N>().0);
    for t in ts {
        let a = affine_in_registers::<N>(wx, &xs[t * d..(t + 1) * d], wh, &hs[t], b);
        pre[t] = a;
        let mut lanes = [0.0; L];
        lanes[..N].copy_from_slice(&a);
        hs[t + 1].copy_from_slice(&tanh_of_array(&lanes)[..N]);
        if !crate::finite::all_finite(&a) {
            return Err(t);
        }
    }
    Ok(())
}

/// Wx (N×D), Wh (N×N) and b (N), column-major: the weights, their gradients or their changes.
pub struct Layer<'a> {
    pub wx: &'a mut [f64],
    pub wh: &'a mut [f64],
    pub b: &'a mut [f64],
}

/// What [`small_blog_tail`] reads and writes, for N units and D features.
pub struct BlogTail<'a> {
    /// h_{T−1}, the state the last step started from (N).
    pub h_before: &'a [f64],
    /// h_T (N).
    pub h_last: &'a [f64],
    /// x_T (D).
    pub x_last: &'a [f64],
    /// The target (N).
    pub y: &'a [f64],
    /// Written: ∂L/∂h_T = 2 (h_T − y) (N).
    pub dh: &'a mut [f64],
    /// Written: ∂L/∂a_T (N).
    pub da: &'a mut [f64],
    /// Updated by `W −= η dW`.
    pub weights: Layer<'a>,
    /// Written: dWx, dWh, db.
    pub grads: Layer<'a>,
    /// Written: what each weight received, −η dW.
    pub change: Layer<'a>,
    pub learning_rate: f64,
}

/// The blog's epoch after its forward pass, for a layer of 1 to [`SMALL`](crate::products::SMALL)
/// units, in one piece:
///
/// ```text
/// loss  L = (1/N) Σ (h_T − y)²          dh = 2 (h_T − y)          (the blog's gradient: no 1/N)
/// back  da = dh ⊙ (1 − h_T²)   db = 0 + da   dWx = 0 + da x_Tᵀ   dWh = 0 + da h_{T−1}ᵀ
/// SGD   W −= η dW, change = −η dW            for Wx, Wh, b
/// ```
///
/// Returns the loss and whether every weight is still finite; or `None` with nothing written
/// when the loss is not finite, so that the caller can take that epoch a step at a time and
/// report where it went bad. (With a finite loss, dh and da are finite too: |1 − h²| ≤ 1.)
///
/// # Safety
/// The CPU must have AVX2: call only where [`enabled`](crate::avx2::enabled) is true.
#[target_feature(enable = "avx2")]
pub fn small_blog_tail(tail: BlogTail) -> Option<(f64, bool)> {
    return_if_small!(tail.y.len(), blog_tail(tail));
    unreachable!("a layer of more than SMALL units")
}

#[inline(always)]
fn blog_tail<const N: usize>(tail: BlogTail) -> Option<(f64, bool)> {
    let BlogTail { h_before, h_last, x_last, y, dh, da, weights: w, grads: g, change: c, learning_rate: lr } = tail;
    let d = x_last.len();
    assert!(g.wx.len() == N * d && g.wh.len() == N * N && g.b.len() == N, "dWx N×D, dWh N×N, db N");
    let (h, y): (&[f64; N], &[f64; N]) = (h_last.try_into().expect("h_T"), y.try_into().expect("y"));
    let mut sum = 0.0;
    for k in 0..N {
        sum += (h[k] - y[k]) * (h[k] - y[k]);
    }
    let loss = sum / N as f64;
    if !loss.is_finite() {
        return None;
    }
    // Computed in locals, which nothing else can point to, so that the loops below vectorise.
    let (mut dh_t, mut da_t) = ([0.0; N], [0.0; N]);
    for k in 0..N {
        dh_t[k] = (h[k] - y[k]) * 2.0;
        da_t[k] = dh_t[k] * (1.0 - h[k] * h[k]);
    }
    *<&mut [f64; N]>::try_from(dh).expect("dh") = dh_t;
    *<&mut [f64; N]>::try_from(da).expect("da") = da_t;
    // The gradients start from 0, as a backward pass does; each column of dWx, dWh and db is
    // made and applied at once.
    let mut bits = [0; N];
    for (((w, g), c), &xj) in columns(w.wx).zip(columns(g.wx)).zip(columns(c.wx)).zip(x_last) {
        gradient_and_step(&da_t, xj, (w, g, c), lr, &mut bits);
    }
    for (((w, g), c), &hj) in columns(w.wh).zip(columns(g.wh)).zip(columns(c.wh)).zip(h_before) {
        gradient_and_step(&da_t, hj, (w, g, c), lr, &mut bits);
    }
    for ((w, g), c) in columns(w.b).zip(columns(g.b)).zip(columns(c.b)) {
        gradient_and_step(&da_t, 1.0, (w, g, c), lr, &mut bits);
    }
    let finite = values_finite(bits.iter().fold(0, |all, &b| all | b));
    Some((loss, finite))
}

/// A column of a weight matrix W with N rows, of its gradient and of its change: `dW[:, j] =
/// 0 + da vⱼ` (for b, v = 1: `db = 0 + da`, what `db += da` onto zero gives), then SGD on the
/// column as [`sgd`](crate::sgd::sgd) computes it, `W[:, j] −= η dW[:, j]` with change
/// `−η dW[:, j]`; ORs [`non_finite_bits`](crate::finite::non_finite_bits) of the new weights
/// into `bits`. In registers throughout, then stored.
#[inline(always)]
fn gradient_and_step<const N: usize>(
    da: &[f64; N],
    vj: f64,
    wgc: (&mut [f64; N], &mut [f64; N], &mut [f64; N]),
    lr: f64,
    bits: &mut [u64; N],
) {
    let (w, g, c) = wgc;
    let mut dw = [0.0; N];
    for k in 0..N {
        dw[k] += da[k] * vj;
    }
    let (mut weights, mut change) = (*w, [0.0; N]);
    sgd_array(&mut weights, &dw, lr, &mut change, bits);
    (*w, *g, *c) = (weights, dw, change);
}

/// The columns of a matrix with N rows (column-major).
#[inline(always)]
fn columns<const N: usize>(m: &mut [f64]) -> std::slice::IterMut<'_, [f64; N]> {
    m.as_chunks_mut::<N>().0.iter_mut()
}
