//! Any cell unrolled over a sequence, written to be read: the forward pass, the backward pass through both h and c, a BPTT epoch and the gradient's parts by source step.
//!
//! The same loops as `rnn.rs`'s [`rnn::forward`], [`rnn::backward`] and [`rnn::bptt_epoch`],
//! with the step of any [`Cell`] (the plain RNN with its activation, the LSTM, the GRU) in
//! place of the tanh RNN's: for the tanh RNN they give the same bits (`tests/gradients.rs`).
//! The state is h (H) and, for the LSTM, c (H); truncation holds both fixed at step T − k.
//!
//! ```text
//! forward    (pre_t, s_t) = cell(x_t, s_{t-1})     ŷ_t = Wy h_t + by                t = 1 … T
//! backward   dh_t += Wyᵀ dŷ_t (where the loss reads ŷ_t)
//!            (dh_{t-1}, dc_{t-1}) = cell′(x_t, s_{t-1}, s_t; dh_t, dc_t)          t = T … T − k + 1
//! ```

use nalgebra::{DMatrix, DVector};

use super::cell::{Cell, State};
use super::rnn::{self, Backward, Bptt, Forward, Grads, LossGradient, Params, Target};

/// What the forward pass keeps: [`Forward`] (h_0 … h_T, the pre-activations — blocks·H each —
/// and ŷ_1 … ŷ_T) and the cell states c_0 … c_T (empty vectors for a cell without one).
#[derive(Clone, Debug, PartialEq)]
pub struct Unrolled {
    pub forward: Forward,
    pub c: Vec<DVector<f64>>,
}

impl Unrolled {
    /// s_t = (h_t, c_t), for 0 ≤ t ≤ T.
    pub fn state(&self, t: usize) -> State {
        State { h: self.forward.h[t].clone(), c: self.c[t].clone() }
    }
}

/// The forward pass of `cell` over x (T×D) from the state `start`.
pub fn forward(cell: &impl Cell, p: &Params, x: &DMatrix<f64>, start: &State) -> Unrolled {
    let mut h = vec![start.h.clone()];
    let mut c = vec![start.c.clone()];
    let (mut a, mut y_hat) = (Vec::new(), Vec::new());
    let mut state = start.clone();
    for t in 0..x.nrows() {
        let x_t = x.row(t).transpose(); //                             x_t, D
        let (pre, next) = cell.step(p, &x_t, &state); //               s_t = cell(x_t, s_{t-1})
        y_hat.push(rnn::output(p, &next.h)); //                         ŷ_t = Wy h_t + by
        h.push(next.h.clone());
        c.push(next.c.clone());
        a.push(pre);
        state = next;
    }
    Unrolled { forward: Forward { h, a, y_hat }, c }
}

/// The backward pass through the last `k` timesteps (h_{T−k} and c_{T−k} held fixed), from the
/// loss's gradient: ∂L/∂h and ∂L/∂c from step to step through the cell's own backward step.
pub fn backward(cell: &impl Cell, p: &Params, x: &DMatrix<f64>, un: &Unrolled, dl: LossGradient, k: usize) -> Backward {
    let t_len = x.nrows();
    let mut g = Grads::zeros(p.specs(), p.sizes());
    let mut dh_norms = vec![f64::NAN; t_len];
    let mut d = State { h: dl.dh_last, c: DVector::zeros(un.c[0].len()) }; // ∂L/∂h_T, ∂L/∂c_T = 0
    for t in (t_len - k..t_len).rev() {
        if let Some(dy) = &dl.dy_hat[t] {
            d.h += rnn::output_backward(p, &un.forward.h[t + 1], dy, &mut g); // through ŷ_t = Wy h_t + by
        }
        dh_norms[t] = d.h.norm();
        let x_t = x.row(t).transpose();
        d = cell.step_backward(p, (&x_t, &un.state(t), &un.state(t + 1)), &d, &mut g); // ∂L/∂s_{t-1}
    }
    Backward { grads: g, dh_norms }
}

/// One epoch of backpropagation through time for any cell: forward from `state` (zeros unless
/// carried), the loss, its exact gradient back through the last `k` steps, clipping, SGD; with
/// `stateful`, `state` then carries s_T. Returns the loss, the backward pass and what was applied.
pub fn bptt_epoch(
    cell: &impl Cell,
    p: &mut Params,
    x: &DMatrix<f64>,
    target: &Target,
    state: &mut State,
    s: &Bptt,
) -> (f64, Backward, Grads) {
    let un = forward(cell, p, x, state);
    let loss = rnn::loss(&un.forward, target);
    let back = backward(cell, p, x, &un, rnn::loss_gradient(&un.forward, target), s.k);
    let mut applied = back.grads.clone();
    if let Some(c) = s.clip_norm {
        rnn::clip(&mut applied, c);
    }
    rnn::sgd(p, &applied, s.learning_rate);
    if s.stateful {
        *state = un.state(x.nrows());
    }
    (loss, back, applied)
}

/// Where the gradient at each step comes from, for a loss at every step, for any cell:
/// `parts[t][s]` is the part of ∂L/∂h_t that the loss at step s sent back (zero for s < t),
/// carried from step to step through both h and c by the cell's backward step. Summed over s
/// it is ∂L/∂h_t of [`backward`] (k = T). T × T vectors of H.
pub fn gradient_parts(
    cell: &impl Cell,
    p: &Params,
    x: &DMatrix<f64>,
    un: &Unrolled,
    dl: &LossGradient,
) -> Vec<Vec<DVector<f64>>> {
    let (t_len, hd) = (x.nrows(), p.sizes().h);
    let mut parts = vec![vec![DVector::zeros(hd); t_len]; t_len];
    let mut unused = Grads::zeros(p.specs(), p.sizes());
    for (s, dy) in dl.dy_hat.iter().enumerate() {
        let Some(dy) = dy else { continue };
        let from_output = rnn::output_backward(p, &un.forward.h[s + 1], dy, &mut unused); // Wyᵀ dŷ_s
        let mut d = State { h: from_output, c: DVector::zeros(un.c[0].len()) }; //        from ŷ_s = Wy h_s + by
        for t in (0..=s).rev() {
            parts[t][s] = d.h.clone();
            let x_t = x.row(t).transpose();
            d = cell.step_backward(p, (&x_t, &un.state(t), &un.state(t + 1)), &d, &mut unused);
        }
    }
    parts
}
