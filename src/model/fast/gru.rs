//! The GRU's fast twin: `gru.rs`'s step forward and back on the workspace's buffers, the same sums in the same order.

use nalgebra::DMatrix;
use rnn_kernels::finite::all_finite;
use rnn_kernels::products;

use super::{Workspace, column, column_and_next, column_mut};
use crate::model::lstm::sigmoid;
use crate::model::rnn::{Grads, Params};
use crate::model::tanh::tanh;

/// Wh's blocks as contiguous matrices (column-major), made when first needed after Wh changed:
/// the z and r blocks together (2H×H) and the h̃ block (H×H), and their transposes.
#[derive(Clone, Debug)]
pub(super) struct Blocks {
    zr: DMatrix<f64>,
    zr_t: DMatrix<f64>,
    hh: DMatrix<f64>,
    hh_t: DMatrix<f64>,
}

impl Blocks {
    fn of(wh: &DMatrix<f64>) -> Self {
        let h = wh.ncols();
        let zr = wh.rows(0, 2 * h).into_owned();
        let hh = wh.rows(2 * h, h).into_owned();
        Self { zr_t: zr.transpose(), hh_t: hh.transpose(), zr, hh }
    }
}

impl Workspace {
    /// `z = σ(Wx_z x_t + b_z + Wh_z h_{t-1})`, `r` likewise, `h̃ = tanh(Wx_h x_t + b_h + Wh_h (r ⊙ h_{t-1}))`,
    /// `h_t = (1 − z) ⊙ h_{t-1} + z ⊙ h̃` for 0-based step `t` (x_t D), summed as `gru.rs` sums:
    /// `(Wx x_t + b)` first, then each block's recurrent product. Returns whether A (3H) is finite.
    pub(super) fn gru_forward_step(&mut self, p: &Params, x_t: &[f64], t: usize) -> bool {
        let [wx, wh, b, ..] = p.as_array::<5>();
        let h = self.dh.len();
        let blocks = self.gru_blocks.get_or_insert_with(|| Blocks::of(wh));
        let a = column_mut(&mut self.pre, t);
        products::mat_vec(wx.as_slice(), x_t, a); //                     Wx x_t
        for (a, &b) in a.iter_mut().zip(b.as_slice()) {
            *a += b; //                                                  Wx x_t + b, all three blocks
        }
        let (h_prev, h_t) = column_and_next(&mut self.hs, t);
        let (wh_zr, r_h) = self.scratch.split_at_mut(2 * h);
        products::mat_vec(blocks.zr.as_slice(), h_prev, wh_zr); //       Wh_z h_{t-1}, Wh_r h_{t-1}
        for (a, &w) in a[..2 * h].iter_mut().zip(wh_zr.iter()) {
            *a += w; //                                                  A_z, A_r
        }
        for i in 0..h {
            r_h[i] = sigmoid(a[h + i]) * h_prev[i]; //                   r ⊙ h_{t-1}
        }
        let wh_rh = &mut self.wh_h[..h];
        products::mat_vec(blocks.hh.as_slice(), &r_h[..h], wh_rh); //   Wh_h (r ⊙ h_{t-1})
        for i in 0..h {
            a[2 * h + i] += wh_rh[i]; //                                 A_h
            let (z, h_hat) = (sigmoid(a[i]), tanh(a[2 * h + i])); //     z = σ(A_z), h̃ = tanh(A_h)
            h_t[i] = (1.0 - z) * h_prev[i] + z * h_hat; //              h_t = (1 − z) ⊙ h_{t-1} + z ⊙ h̃
        }
        all_finite(a)
    }

    /// The GRU's backward step through 0-based `t`, from dh: dA (3H) into the step's column of
    /// ∂L/∂a, `db += dA`, `dWx += dA x_tᵀ`, `dWh_{z,r} += dA_{z,r} h_{t-1}ᵀ`,
    /// `dWh_h += dA_h (r ⊙ h_{t-1})ᵀ` (always at the step), and
    /// `dh ← dh ⊙ (1 − z) + Wh_hᵀ dA_h ⊙ r + Wh_{zr}ᵀ dA_{zr}`. Returns whether dA and the new dh are finite.
    pub(super) fn gru_backward_step(
        &mut self,
        p: &Params,
        x_cols: &DMatrix<f64>,
        t: usize,
        g: &mut Grads,
    ) -> (bool, bool) {
        let [_, wh, ..] = p.as_array::<5>();
        let h = self.dh.len();
        let blocks = self.gru_blocks.get_or_insert_with(|| Blocks::of(wh));
        let a = column(&self.pre, t);
        let h_prev = column(&self.hs, t);
        let da = column_mut(&mut self.das, t);
        let (dh, dh_prev) = (self.dh.as_slice(), self.dh_prev.as_mut_slice());
        let (d_r_h, rest) = self.scratch.split_at_mut(h);
        let (r_h, wh_zr_da) = rest.split_at_mut(h);
        for i in 0..h {
            let (z, h_hat) = (sigmoid(a[i]), tanh(a[2 * h + i]));
            let dh_hat = dh[i] * z; //                                   dh̃ = dh_t ⊙ z
            da[i] = dh[i] * (h_hat - h_prev[i]); //                      dz = dh_t ⊙ (h̃ − h_{t-1}) (dA_z below)
            dh_prev[i] = dh[i] * (1.0 - z); //                           dh_{t-1} = dh_t ⊙ (1 − z)
            da[2 * h + i] = dh_hat * (1.0 - h_hat * h_hat); //           dA_h = dh̃ ⊙ (1 − h̃²)
            r_h[i] = sigmoid(a[h + i]) * h_prev[i]; //                   r ⊙ h_{t-1}, which dWh_h reads
        }
        products::mat_vec(blocks.hh_t.as_slice(), &da[2 * h..], d_r_h); // d(r ⊙ h_{t-1}) = Wh_hᵀ dA_h
        for i in 0..h {
            let (z, r) = (sigmoid(a[i]), sigmoid(a[h + i]));
            let dr = d_r_h[i] * h_prev[i]; //                            dr = d(r ⊙ h_{t-1}) ⊙ h_{t-1}
            dh_prev[i] += d_r_h[i] * r; //                               dh_{t-1} += d(r ⊙ h_{t-1}) ⊙ r
            da[i] *= z * (1.0 - z); //                                   dA_z = dz ⊙ z (1 − z)
            da[h + i] = dr * (r * (1.0 - r)); //                         dA_r = dr ⊙ r (1 − r)
        }
        products::mat_vec(blocks.zr_t.as_slice(), &da[..2 * h], &mut wh_zr_da[..h]);
        for (dh_prev, &w) in dh_prev.iter_mut().zip(wh_zr_da.iter()) {
            *dh_prev += w; //                                            dh_{t-1} += Wh_zᵀ dA_z + Wh_rᵀ dA_r
        }
        let [dwx, dwh, db, ..] = g.as_array_mut::<5>();
        products::add_outer(dwx.as_mut_slice(), da, column(x_cols, t)); // dWx += dA x_tᵀ
        for (j, dwh_col) in dwh.as_mut_slice().chunks_exact_mut(3 * h).enumerate() {
            let (zr, hh) = dwh_col.split_at_mut(2 * h);
            for (m, &d) in zr.iter_mut().zip(&da[..2 * h]) {
                *m += d * h_prev[j]; //                                  dWh_{z,r} += dA_{z,r} h_{t-1}ᵀ
            }
            for (m, &d) in hh.iter_mut().zip(&da[2 * h..]) {
                *m += d * r_h[j]; //                                     dWh_h += dA_h (r ⊙ h_{t-1})ᵀ
            }
        }
        for (db, &da) in db.as_mut_slice().iter_mut().zip(da.iter()) {
            *db += da; //                                                db += dA
        }
        std::mem::swap(&mut self.dh, &mut self.dh_prev);
        (all_finite(da), all_finite(self.dh.as_slice()))
    }
}
