//! The GRU's fast twin: `gru.rs`'s step forward and back on the workspace's buffers, the same sums in the same order.
//!
//! What it adds is speed, not other numbers: Wh's blocks copied where the products read them
//! fastest, σ and tanh over whole blocks (`tanh_layer`, σ as `lstm::sigmoid` computes it), the
//! gates and r ⊙ h_{t-1} kept from the forward pass for the backward one (`gru.rs` computes them
//! again: the same bits), and the weight gradients of a whole backward pass summed in one sweep.

use nalgebra::DMatrix;
#[cfg(target_arch = "x86_64")]
use rnn_kernels::avx2;
use rnn_kernels::finite::all_finite;
use rnn_kernels::{products, tanh_layer};

use super::lstm::sigmoid_block;
use super::{WeightGradients, Workspace, column, column_and_next, column_mut};
use crate::model::rnn::{Grads, Params};

/// A matrix the products read, and on AVX2 for at least [`avx2::PANEL`] rows the same in panels.
#[derive(Clone, Debug)]
struct Operand {
    m: DMatrix<f64>,
    #[cfg(target_arch = "x86_64")]
    panels: Vec<f64>,
}

impl Operand {
    #[cfg(target_arch = "x86_64")]
    fn of(m: DMatrix<f64>) -> Self {
        let mut panels = Vec::new();
        if m.nrows() >= avx2::PANEL && avx2::enabled() {
            avx2::pack_panels(m.as_slice(), m.nrows(), &mut panels);
        }
        Self { m, panels }
    }

    #[cfg(not(target_arch = "x86_64"))]
    fn of(m: DMatrix<f64>) -> Self {
        Self { m }
    }

    /// `y = M x`, summed as [`products::mat_vec`] sums it (from the panels where there are some).
    fn times(&self, x: &[f64], y: &mut [f64]) {
        #[cfg(target_arch = "x86_64")]
        if !self.panels.is_empty() {
            // SAFETY: panels are packed only where `avx2::enabled()`, true only where `is_x86_feature_detected!("avx2")` is.
            return unsafe { avx2::mat_vec_panels(&self.panels, self.m.as_slice(), x, y) };
        }
        products::mat_vec(self.m.as_slice(), x, y);
    }
}

/// Wh's blocks as contiguous matrices (column-major), made when first needed after Wh changed:
/// the z and r blocks together (2H×H) and the h̃ block (H×H), and their transposes.
#[derive(Clone, Debug)]
pub(super) struct Blocks {
    zr: Operand,
    zr_t: Operand,
    hh: Operand,
    hh_t: Operand,
}

/// Rows `from..from + n` of `m` (column-major, `m.nrows()` rows) as their own matrix, copied
/// column by column as slices (nalgebra's iterator copy is several times slower here).
fn rows_of(m: &DMatrix<f64>, from: usize, n: usize) -> DMatrix<f64> {
    let mut out = DMatrix::zeros(n, m.ncols());
    for (dst, src) in out.as_mut_slice().chunks_exact_mut(n.max(1)).zip(m.as_slice().chunks_exact(m.nrows().max(1))) {
        dst.copy_from_slice(&src[from..from + n]);
    }
    out
}

/// The transpose of `m`, by slices.
fn transposed(m: &DMatrix<f64>) -> DMatrix<f64> {
    let (rows, cols) = m.shape();
    let mut out = DMatrix::zeros(cols, rows);
    let (src, dst) = (m.as_slice(), out.as_mut_slice());
    for j in 0..cols {
        for i in 0..rows {
            dst[i * cols + j] = src[j * rows + i];
        }
    }
    out
}

impl Blocks {
    fn of(wh: &DMatrix<f64>) -> Self {
        let h = wh.ncols();
        let zr = rows_of(wh, 0, 2 * h);
        let hh = rows_of(wh, 2 * h, h);
        Self {
            zr_t: Operand::of(transposed(&zr)),
            hh_t: Operand::of(transposed(&hh)),
            zr: Operand::of(zr),
            hh: Operand::of(hh),
        }
    }
}

/// The GRU's buffers beyond the workspace's own, for T steps of H units.
#[derive(Clone, Debug)]
pub(super) struct GruBuffers {
    /// z, r, h̃ of each step, 3H×T.
    gates: DMatrix<f64>,
    /// r ⊙ h_{t-1} of each step, which h̃ reads, H×T.
    r_h: DMatrix<f64>,
    /// dA_z and dA_r of each step (2H×T) and dA_h (H×T): what dWh's two parts sum.
    da_zr: DMatrix<f64>,
    da_h: DMatrix<f64>,
    blocks: Option<Blocks>,
}

impl GruBuffers {
    pub(super) fn new(seq_length: usize, hidden_size: usize) -> Self {
        let (t_len, h) = (seq_length, hidden_size);
        Self {
            gates: DMatrix::zeros(3 * h, t_len),
            r_h: DMatrix::zeros(h, t_len),
            da_zr: DMatrix::zeros(2 * h, t_len),
            da_h: DMatrix::zeros(h, t_len),
            blocks: None,
        }
    }

    /// Wh has changed: its blocks are copied again when next needed.
    pub(super) fn weights_changed(&mut self) {
        self.blocks = None;
    }
}

impl Workspace {
    /// `z = σ(Wx_z x_t + b_z + Wh_z h_{t-1})`, `r` likewise, `h̃ = tanh(Wx_h x_t + b_h + Wh_h (r ⊙ h_{t-1}))`,
    /// `h_t = (1 − z) ⊙ h_{t-1} + z ⊙ h̃` for 0-based step `t` (x_t D), summed as `gru.rs` sums:
    /// `(Wx x_t + b)` first, then each block's recurrent product. Returns whether A (3H) is finite.
    pub(super) fn gru_forward_step(&mut self, p: &Params, x_t: &[f64], t: usize) -> bool {
        let [wx, wh, b, ..] = p.as_array::<5>();
        let h = self.dh.len();
        let bufs = self.gru.as_mut().expect("a GRU's workspace has its buffers");
        let blocks = bufs.blocks.get_or_insert_with(|| Blocks::of(wh));
        let a = column_mut(&mut self.pre, t);
        products::mat_vec(wx.as_slice(), x_t, a); //                     Wx x_t
        for (a, &b) in a.iter_mut().zip(b.as_slice()) {
            *a += b; //                                                  Wx x_t + b, all three blocks
        }
        let (h_prev, h_t) = column_and_next(&mut self.hs, t);
        let wh_zr = &mut self.scratch[..2 * h];
        blocks.zr.times(h_prev, wh_zr); //       Wh_z h_{t-1}, Wh_r h_{t-1}
        for (a, &w) in a[..2 * h].iter_mut().zip(wh_zr.iter()) {
            *a += w; //                                                  A_z, A_r
        }
        let gates = column_mut(&mut bufs.gates, t);
        let (zr, h_hat) = gates.split_at_mut(2 * h);
        sigmoid_block(&a[..2 * h], &mut self.scratch[..2 * h], zr); //   z = σ(A_z), r = σ(A_r)
        let r_h = column_mut(&mut bufs.r_h, t);
        for ((r_h, &r), &h_prev) in r_h.iter_mut().zip(&zr[h..]).zip(h_prev) {
            *r_h = r * h_prev; //                                        r ⊙ h_{t-1}
        }
        let wh_rh = &mut self.wh_h[..h];
        blocks.hh.times(r_h, wh_rh); //          Wh_h (r ⊙ h_{t-1})
        for (a, &w) in a[2 * h..].iter_mut().zip(wh_rh.iter()) {
            *a += w; //                                                  A_h
        }
        tanh_layer::tanh_layer(&a[2 * h..], h_hat); //                   h̃ = tanh(A_h)
        for j in 0..h {
            let z = zr[j];
            h_t[j] = (1.0 - z) * h_prev[j] + z * h_hat[j]; //           h_t = (1 − z) ⊙ h_{t-1} + z ⊙ h̃
        }
        all_finite(a)
    }

    /// The GRU's backward step through 0-based `t`, from dh: dA (3H) into the step's column of
    /// ∂L/∂a, `db += dA`, `dWx += dA x_tᵀ`, `dWh_{z,r} += dA_{z,r} h_{t-1}ᵀ` and
    /// `dWh_h += dA_h (r ⊙ h_{t-1})ᵀ` (now or summed later), and
    /// `dh ← dh ⊙ (1 − z) + Wh_hᵀ dA_h ⊙ r + Wh_{zr}ᵀ dA_{zr}`. Returns whether dA and the new dh are finite.
    pub(super) fn gru_backward_step(
        &mut self,
        p: &Params,
        x_cols: &DMatrix<f64>,
        t: usize,
        g: &mut Grads,
        weights: WeightGradients,
    ) -> (bool, bool) {
        let [_, wh, ..] = p.as_array::<5>();
        let h = self.dh.len();
        let bufs = self.gru.as_mut().expect("a GRU's workspace has its buffers");
        let blocks = bufs.blocks.get_or_insert_with(|| Blocks::of(wh));
        let gates = column(&bufs.gates, t);
        let (z, r, h_hat) = (&gates[..h], &gates[h..2 * h], &gates[2 * h..]);
        let h_prev = column(&self.hs, t);
        let da = column_mut(&mut self.das, t);
        let (dh, dh_prev) = (self.dh.as_slice(), self.dh_prev.as_mut_slice());
        let (d_r_h, wh_zr_da) = self.scratch.split_at_mut(h);
        for j in 0..h {
            let dh_hat = dh[j] * z[j]; //                                dh̃ = dh_t ⊙ z
            da[j] = dh[j] * (h_hat[j] - h_prev[j]); //                   dz = dh_t ⊙ (h̃ − h_{t-1}) (dA_z below)
            dh_prev[j] = dh[j] * (1.0 - z[j]); //                        dh_{t-1} = dh_t ⊙ (1 − z)
            da[2 * h + j] = dh_hat * (1.0 - h_hat[j] * h_hat[j]); //     dA_h = dh̃ ⊙ (1 − h̃²)
        }
        blocks.hh_t.times(&da[2 * h..], d_r_h); // d(r ⊙ h_{t-1}) = Wh_hᵀ dA_h
        for j in 0..h {
            let dr = d_r_h[j] * h_prev[j]; //                            dr = d(r ⊙ h_{t-1}) ⊙ h_{t-1}
            dh_prev[j] += d_r_h[j] * r[j]; //                            dh_{t-1} += d(r ⊙ h_{t-1}) ⊙ r
            da[j] *= z[j] * (1.0 - z[j]); //                             dA_z = dz ⊙ z (1 − z)
            da[h + j] = dr * (r[j] * (1.0 - r[j])); //                   dA_r = dr ⊙ r (1 − r)
        }
        let wh_zr_da = &mut wh_zr_da[..h];
        blocks.zr_t.times(&da[..2 * h], wh_zr_da);
        for (dh_prev, &w) in dh_prev.iter_mut().zip(wh_zr_da.iter()) {
            *dh_prev += w; //                                            dh_{t-1} += Wh_zᵀ dA_z + Wh_rᵀ dA_r
        }
        let [dwx, dwh, db, ..] = g.as_array_mut::<5>();
        for (db, &da) in db.as_mut_slice().iter_mut().zip(da.iter()) {
            *db += da; //                                                db += dA
        }
        let r_h = column(&bufs.r_h, t);
        if weights == WeightGradients::AtEachStep {
            products::add_outer(dwx.as_mut_slice(), da, column(x_cols, t)); // dWx += dA x_tᵀ
            for (j, dwh_col) in dwh.as_mut_slice().chunks_exact_mut(3 * h).enumerate() {
                let (zr, hh) = dwh_col.split_at_mut(2 * h);
                for (m, &d) in zr.iter_mut().zip(&da[..2 * h]) {
                    *m += d * h_prev[j]; //                              dWh_{z,r} += dA_{z,r} h_{t-1}ᵀ
                }
                for (m, &d) in hh.iter_mut().zip(&da[2 * h..]) {
                    *m += d * r_h[j]; //                                 dWh_h += dA_h (r ⊙ h_{t-1})ᵀ
                }
            }
        } else {
            column_mut(&mut bufs.da_zr, t).copy_from_slice(&da[..2 * h]);
            column_mut(&mut bufs.da_h, t).copy_from_slice(&da[2 * h..]);
        }
        std::mem::swap(&mut self.dh, &mut self.dh_prev);
        (all_finite(da), all_finite(self.dh.as_slice()))
    }

    /// [`Workspace::add_weight_gradients`] for the GRU: `dWx += Σ_t dA_t x_tᵀ`, and dWh's two
    /// parts in copies where their rows are contiguous, `dWh_{z,r} += Σ_t dA_{zr,t} h_{t-1}ᵀ` and
    /// `dWh_h += Σ_t dA_{h,t} (r ⊙ h_{t-1})_tᵀ`, from the last t down, as stepping adds them.
    pub(super) fn gru_add_weight_gradients(&self, g: &mut Grads, x_cols: &DMatrix<f64>, ts: std::ops::Range<usize>) {
        let bufs = self.gru.as_ref().expect("a GRU's workspace has its buffers");
        let h = self.dh.len();
        let [dwx, dwh, ..] = g.as_array_mut::<5>();
        let das = self.das.as_slice();
        products::add_outer_products_last_to_first(dwx.as_mut_slice(), 3 * h, das, x_cols.as_slice(), ts.clone());
        let mut zr = rows_of(dwh, 0, 2 * h);
        let mut hh = rows_of(dwh, 2 * h, h);
        let (hs, r_h) = (self.hs.as_slice(), bufs.r_h.as_slice());
        products::add_outer_products_last_to_first(zr.as_mut_slice(), 2 * h, bufs.da_zr.as_slice(), hs, ts.clone());
        products::add_outer_products_last_to_first(hh.as_mut_slice(), h, bufs.da_h.as_slice(), r_h, ts);
        for ((col, zr), hh) in dwh
            .as_mut_slice()
            .chunks_exact_mut(3 * h)
            .zip(zr.as_slice().chunks_exact(2 * h))
            .zip(hh.as_slice().chunks_exact(h))
        {
            col[..2 * h].copy_from_slice(zr);
            col[2 * h..].copy_from_slice(hh);
        }
    }
}
