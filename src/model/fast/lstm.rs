//! The LSTM's fast twin: `lstm.rs`'s step forward and back on the workspace's buffers, the same sums in the same order.

use nalgebra::DMatrix;
use rnn_kernels::finite::all_finite;
use rnn_kernels::products;

use super::{WeightGradients, Workspace, column, column_mut, send_back_through_wh};
use crate::model::lstm::sigmoid;
use crate::model::rnn::{Grads, Params};
use crate::model::tanh::tanh;

impl Workspace {
    /// `A = Wx x_t + Wh h_{t-1} + b` (4H: f, g, i, o), `c_t = σ(A_f) ⊙ c_{t-1} + tanh(A_g) ⊙ σ(A_i)`,
    /// `h_t = σ(A_o) ⊙ tanh(c_t)` for 0-based step `t` (x_t D). Returns whether A is finite.
    pub(super) fn lstm_forward_step(&mut self, p: &Params, x_t: &[f64], t: usize) -> bool {
        let [wx, wh, b, ..] = p.as_array::<5>();
        let h = self.dh.len();
        let a = column_mut(&mut self.pre, t);
        products::affine(wx.as_slice(), x_t, wh.as_slice(), column(&self.hs, t), b.as_slice(), &mut self.scratch, a);
        let (c_before, c_after) = self.cs.as_mut_slice().split_at_mut((t + 1) * h);
        let (c_prev, c_t) = (&c_before[t * h..], &mut c_after[..h]);
        let h_t = column_mut(&mut self.hs, t + 1);
        for i in 0..h {
            let (f, g) = (sigmoid(a[i]), tanh(a[h + i])); //            f = σ(A_f), g = tanh(A_g)
            let (ig, o) = (sigmoid(a[2 * h + i]), sigmoid(a[3 * h + i])); // i = σ(A_i), o = σ(A_o)
            let c = f * c_prev[i] + g * ig; //                          c_t = f ⊙ c_{t-1} + g ⊙ i
            c_t[i] = c;
            h_t[i] = o * tanh(c); //                                    h_t = o ⊙ tanh(c_t)
        }
        all_finite(a)
    }

    /// The LSTM's backward step through 0-based `t`, from dh and dc: dA (4H) into the step's
    /// column of ∂L/∂a, `db += dA`, `dWx += dA x_tᵀ` and `dWh += dA h_{t-1}ᵀ` (now or summed
    /// later), `dh ← Whᵀ dA`, `dc ← ds ⊙ f`. Returns whether dA and the new dh and dc are finite.
    pub(super) fn lstm_backward_step(
        &mut self,
        p: &Params,
        x_cols: &DMatrix<f64>,
        t: usize,
        g: &mut Grads,
        weights: WeightGradients,
    ) -> (bool, bool) {
        let h = self.dh.len();
        let a = column(&self.pre, t);
        let (c_prev, c_t) = (column(&self.cs, t), column(&self.cs, t + 1));
        let da = column_mut(&mut self.das, t);
        let dh = self.dh.as_slice();
        for i in 0..h {
            let (f, gg) = (sigmoid(a[i]), tanh(a[h + i]));
            let (ig, o) = (sigmoid(a[2 * h + i]), sigmoid(a[3 * h + i]));
            let tanh_c = tanh(c_t[i]);
            let ds = self.dc[i] + dh[i] * o * (1.0 - tanh_c * tanh_c); // ds = dc_t + dh_t ⊙ o ⊙ (1 − tanh²(c_t))
            self.dc_prev[i] = ds * f; //                                  dc_{t-1} = ds ⊙ f
            da[i] = ds * c_prev[i] * (f * (1.0 - f)); //                 dA_f = ds ⊙ c_{t-1} ⊙ f (1 − f)
            da[h + i] = ds * ig * (1.0 - gg * gg); //                    dA_g = ds ⊙ i ⊙ (1 − g²)
            da[2 * h + i] = ds * gg * (ig * (1.0 - ig)); //              dA_i = ds ⊙ g ⊙ i (1 − i)
            da[3 * h + i] = dh[i] * tanh_c * (o * (1.0 - o)); //         dA_o = dh_t ⊙ tanh(c_t) ⊙ o (1 − o)
        }
        let [dwx, dwh, db, ..] = g.as_array_mut::<5>();
        for (db, &da) in db.as_mut_slice().iter_mut().zip(da.iter()) {
            *db += da; //                                                db += dA
        }
        if weights == WeightGradients::AtEachStep {
            products::add_outer(dwx.as_mut_slice(), da, column(x_cols, t)); // dWx += dA x_tᵀ
            products::add_outer(dwh.as_mut_slice(), da, column(&self.hs, t)); // dWh += dA h_{t-1}ᵀ
        }
        let [_, wh, ..] = p.as_array::<5>();
        send_back_through_wh(&mut self.wh_copies, wh, da, self.dh_prev.as_mut_slice()); // dh_{t-1} = Whᵀ dA
        std::mem::swap(&mut self.dh, &mut self.dh_prev);
        std::mem::swap(&mut self.dc, &mut self.dc_prev);
        (all_finite(da), all_finite(self.dh.as_slice()) && all_finite(&self.dc))
    }
}
