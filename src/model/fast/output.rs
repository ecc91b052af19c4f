//! The output layer on the speed layer's buffers: `ŷ_t = Wy h_t + by`, its losses and its share of the backward pass.
//!
//! Sums are taken in the order `rnn.rs` takes them (its nalgebra operators), so the same bits.

use nalgebra::DMatrix;

use rnn_kernels::finite::all_finite;
use rnn_kernels::products;

use super::{column, column_mut};
use crate::model::config::LossAt;
use crate::model::rnn::{Grads, Params};

/// The buffers of the output layer for T timesteps and O outputs.
#[derive(Clone, Debug)]
pub struct OutputLayer {
    /// ŷ_1 … ŷ_T, O×T.
    y_hat: DMatrix<f64>,
    /// ∂L/∂ŷ_t, O×T (zero where the loss does not read ŷ_t).
    dy_hat: DMatrix<f64>,
    /// Σ_t Σ_o (ŷ_t,o − y_t,o)² over the forward steps so far (loss at every step).
    sum: f64,
    loss_at: LossAt,
}

impl OutputLayer {
    /// Zeroed buffers for T timesteps and O outputs, the loss read at `loss_at` (not `LastHidden`).
    pub fn new(seq_length: usize, output_size: usize, loss_at: LossAt) -> Self {
        debug_assert_ne!(loss_at, LossAt::LastHidden);
        let zeros = DMatrix::zeros(output_size, seq_length);
        Self { y_hat: zeros.clone(), dy_hat: zeros, sum: 0.0, loss_at }
    }

    /// `ŷ_t = Wy h_t + by` for 0-based step `t` from that step's h_t (H); with a loss at every
    /// step also adds `Σ_o (ŷ_t,o − y_t,o)²` (y flat, T·O). Returns whether ŷ_t is finite.
    pub fn forward_step(&mut self, p: &Params, h_t: &[f64], y: &[f64], t: usize) -> bool {
        let o = self.y_hat.nrows();
        let y_hat = column_mut(&mut self.y_hat, t);
        let [.., wy, by] = p.as_array::<5>();
        products::mat_vec(wy.as_slice(), h_t, y_hat);
        for (y_hat, &by) in y_hat.iter_mut().zip(by.as_slice()) {
            *y_hat += by;
        }
        if self.loss_at == LossAt::EveryOutput {
            let mut term = 0.0;
            for (&y_hat, &y) in y_hat.iter().zip(&y[t * o..(t + 1) * o]) {
                term += (y_hat - y) * (y_hat - y);
            }
            self.sum = if t == 0 { 0.0 + term } else { self.sum + term };
        }
        all_finite(y_hat)
    }

    /// The loss, `(1/O) Σ_o (ŷ_T,o − y_o)²` or `(1/(T·O)) Σ_t Σ_o (ŷ_t,o − y_t,o)²`, and ∂L/∂ŷ
    /// (`2 (ŷ_T − y) / O`, or `2 (ŷ_t − y_t) / (T·O)` at every step). The gradient reaching h_T
    /// from after it is 0 ([`super::Workspace::start_backward_from_outputs`]).
    pub fn start_backward(&mut self, y: &[f64]) -> f64 {
        let (o, t_len) = self.y_hat.shape();
        self.dy_hat.fill(0.0);
        let (y_hat, dy_hat) = (self.y_hat.as_slice(), self.dy_hat.as_mut_slice());
        if self.loss_at == LossAt::EveryOutput {
            let n = (t_len * o) as f64;
            for ((dy, &y_hat), &y) in dy_hat.iter_mut().zip(y_hat).zip(y) {
                *dy = (y_hat - y) * 2.0 / n;
            }
            return self.sum / n;
        }
        let last = (t_len - 1) * o..t_len * o;
        let mut sum = 0.0;
        for ((dy, &y_hat), &y) in dy_hat[last.clone()].iter_mut().zip(&y_hat[last]).zip(y) {
            sum += (y_hat - y) * (y_hat - y);
            *dy = (y_hat - y) * 2.0 / o as f64;
        }
        sum / o as f64
    }

    /// Where the loss reads ŷ_t (0-based `t`): `dWy += dŷ_t h_tᵀ`, `dby += dŷ_t` and
    /// `dh_t += Wyᵀ dŷ_t` (h_t and dh_t H each), before the workspace's backward step through `t`.
    pub fn backward_step(&self, p: &Params, h_t: &[f64], dh: &mut [f64], g: &mut Grads, t: usize) {
        let reads_t = self.loss_at == LossAt::EveryOutput || t + 1 == self.y_hat.ncols();
        if !reads_t {
            return;
        }
        let (o, dy) = (self.dy_hat.nrows(), column(&self.dy_hat, t));
        let [.., dwy, dby] = g.as_array_mut::<5>();
        products::add_outer(dwy.as_mut_slice(), dy, h_t);
        for (dby, &dy) in dby.as_mut_slice().iter_mut().zip(dy) {
            *dby += dy;
        }
        // (Wyᵀ dŷ_t)_i = Σ_o Wy[o, i] dŷ_t,o: column i of Wy, summed from 0 in order of o.
        let [.., wy, _] = p.as_array::<5>();
        for (dh, wy_col) in dh.iter_mut().zip(wy.as_slice().chunks_exact(o)) {
            let mut sum = 0.0;
            for (&w, &d) in wy_col.iter().zip(dy) {
                sum += w * d;
            }
            *dh += sum;
        }
    }

    /// ŷ_1 … ŷ_T of the current epoch, O×T.
    pub fn y_hat(&self) -> &DMatrix<f64> {
        &self.y_hat
    }
}
