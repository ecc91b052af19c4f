//! The LSTM's fast twin: `lstm.rs`'s step forward and back on the workspace's buffers, the same sums in the same order.
//!
//! What it adds is speed, not other numbers: the pre-activation through the products the plain
//! RNN uses (Wh in AVX2 panels where it pays), σ and tanh over whole blocks (`tanh_layer`,
//! σ(a) = (1 + tanh(a/2)) / 2 as `lstm::sigmoid` computes it), and the gates and tanh(c_t) kept
//! from the forward pass for the backward one (`lstm.rs` computes them again: the same bits).

use nalgebra::DMatrix;
#[cfg(target_arch = "x86_64")]
use rnn_kernels::avx2;
use rnn_kernels::finite::all_finite;
use rnn_kernels::{products, tanh_layer};

use super::{WeightGradients, Workspace, column, column_mut, send_back_through_wh};
use crate::model::rnn::{Grads, Params};

/// σ(a) = (1 + tanh(a/2)) / 2 over a block, in place: `tanh_layer` of a/2 (through `half`),
/// then (1 + t) / 2, the operations of `lstm::sigmoid` in its order (the GRU's gates too).
pub(super) fn sigmoid_block(a: &[f64], half: &mut [f64], out: &mut [f64]) {
    for (half, &a) in half.iter_mut().zip(a) {
        *half = 0.5 * a;
    }
    tanh_layer::tanh_layer(half, out);
    for s in out.iter_mut() {
        *s = 0.5 * (1.0 + *s);
    }
}

impl Workspace {
    /// `A = Wx x_t + Wh h_{t-1} + b` (4H: f, g, i, o), `c_t = σ(A_f) ⊙ c_{t-1} + tanh(A_g) ⊙ σ(A_i)`,
    /// `h_t = σ(A_o) ⊙ tanh(c_t)` for 0-based step `t` (x_t D); keeps the gates (4H) and
    /// tanh(c_t) (H) for the backward step. Returns whether A is finite.
    pub(super) fn lstm_forward_step(&mut self, p: &Params, x_t: &[f64], t: usize) -> bool {
        let [wx, wh, b, ..] = p.as_array::<5>();
        let h = self.dh.len();
        let a = column_mut(&mut self.pre, t);
        let h_prev = column(&self.hs, t);
        #[cfg(target_arch = "x86_64")]
        let panels = a.len() >= avx2::PANEL && avx2::enabled();
        #[cfg(not(target_arch = "x86_64"))]
        let panels = false;
        if panels {
            #[cfg(target_arch = "x86_64")]
            {
                let wh_panels = self.wh_copies.panels(wh);
                // SAFETY: `enabled` (checked above) is true only where `is_x86_feature_detected!("avx2")` is.
                unsafe { avx2::affine_panels(wx.as_slice(), x_t, (wh_panels, wh.as_slice()), h_prev, b.as_slice(), a) };
            }
        } else {
            products::affine(wx.as_slice(), x_t, wh.as_slice(), h_prev, b.as_slice(), &mut self.scratch, a);
        }
        let gates = column_mut(&mut self.gates, t);
        let (f, rest) = gates.split_at_mut(h);
        let (g, io) = rest.split_at_mut(h);
        sigmoid_block(&a[..h], &mut self.scratch[..h], f); //         f = σ(A_f)
        tanh_layer::tanh_layer(&a[h..2 * h], g); //                    g = tanh(A_g)
        sigmoid_block(&a[2 * h..], &mut self.scratch[..2 * h], io); // i = σ(A_i), o = σ(A_o)
        let (i_gate, o) = io.split_at(h);
        let (c_before, c_after) = self.cs.as_mut_slice().split_at_mut((t + 1) * h);
        let (c_prev, c_t) = (&c_before[t * h..], &mut c_after[..h]);
        for j in 0..h {
            c_t[j] = f[j] * c_prev[j] + g[j] * i_gate[j]; //          c_t = f ⊙ c_{t-1} + g ⊙ i
        }
        let tanh_c = column_mut(&mut self.tanh_cs, t);
        tanh_layer::tanh_layer(c_t, tanh_c);
        let h_t = column_mut(&mut self.hs, t + 1);
        for j in 0..h {
            h_t[j] = o[j] * tanh_c[j]; //                              h_t = o ⊙ tanh(c_t)
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
        let gates = column(&self.gates, t);
        let (f, g_gate, i_gate, o) = (&gates[..h], &gates[h..2 * h], &gates[2 * h..3 * h], &gates[3 * h..]);
        let (c_prev, tanh_c) = (column(&self.cs, t), column(&self.tanh_cs, t));
        let da = column_mut(&mut self.das, t);
        let (da_f, rest) = da.split_at_mut(h);
        let (da_g, rest) = rest.split_at_mut(h);
        let (da_i, da_o) = rest.split_at_mut(h);
        let dh = self.dh.as_slice();
        let mut ds_squares = 0.0;
        for j in 0..h {
            let ds = self.dc[j] + dh[j] * o[j] * (1.0 - tanh_c[j] * tanh_c[j]); // ds = dc_t + dh_t ⊙ o ⊙ (1 − tanh²(c_t))
            ds_squares += ds * ds;
            self.dc_prev[j] = ds * f[j]; //                               dc_{t-1} = ds ⊙ f
            da_f[j] = ds * c_prev[j] * (f[j] * (1.0 - f[j])); //         dA_f = ds ⊙ c_{t-1} ⊙ f (1 − f)
            da_g[j] = ds * i_gate[j] * (1.0 - g_gate[j] * g_gate[j]); // dA_g = ds ⊙ i ⊙ (1 − g²)
            da_i[j] = ds * g_gate[j] * (i_gate[j] * (1.0 - i_gate[j])); // dA_i = ds ⊙ g ⊙ i (1 − i)
            da_o[j] = dh[j] * tanh_c[j] * (o[j] * (1.0 - o[j])); //      dA_o = dh_t ⊙ tanh(c_t) ⊙ o (1 − o)
        }
        self.dc_norms[t] = ds_squares.sqrt(); //                         ‖∂L/∂c_t‖ = ‖ds‖
        let da = column(&self.das, t);
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
