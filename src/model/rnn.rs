//! The RNN written to be read: forward, output layer, loss, backward, clipping and update in nalgebra, and the training loops.
//!
//! Shapes: T timesteps, D features per step, H hidden units, O outputs. Column vectors
//! throughout (Deep Learning from Scratch 2 uses row vectors, `x·Wx`, so its matrices are the
//! transposes).
//!
//! ```text
//! forward    a_t = Wx x_t + Wh h_{t-1} + b     h_t = tanh(a_t)     ŷ_t = Wy h_t + by     t = 1 … T
//! loss       the seed's task:    L = (1/H) Σ_i (h_T,i − y_i)²            dh_T = 2 (h_T − y) / H
//!            at the last step:   L = (1/O) Σ_o (ŷ_T,o − y_o)²            dŷ_T = 2 (ŷ_T − y) / O
//!            at every step:      L = (1/(T·O)) Σ_t Σ_o (ŷ_t,o − y_t,o)²  dŷ_t = 2 (ŷ_t − y_t) / (T·O)
//! backward   dWy += dŷ_t h_tᵀ   dby += dŷ_t   dh_t += Wyᵀ dŷ_t              (where the loss reads ŷ_t)
//!            da_t = dh_t ⊙ (1 − h_t²)   db += da_t   dWx += da_t x_tᵀ   dWh += da_t h_{t-1}ᵀ
//!            dh_{t-1} = Whᵀ da_t                                                t = T … 1
//! clip       if ‖g‖ > c (all gradients as one vector): every dW *= c / ‖g‖
//! update     W -= η dW                              for W in Wx, Wh, b, Wy, by
//! ```
//!
//! The seed's task has no output layer: Wy is 0×H and by empty, so ŷ_t is empty too.
//!
//! This file is the reference. The page and the command line run the same arithmetic through
//! the speed layer (`fast/`), which is tested to give these numbers; nothing here is tuned for
//! speed, and nothing here calls it. Timesteps are 0-based in code: row `t` of x is x_{t+1}.

use nalgebra::{DMatrix, DVector};

use super::cell::{Cell, State};
use super::config::{Activation, Init};
use super::params::{Dim, ParamSpec, Scale, Sizes, Start};
pub use super::params::{Grads, Params};
use super::rng::Normal;
use super::tanh::tanh;

/// The plain RNN's parameters, then the output layer's, in the order of the run file and of the
/// weights stream's draws (Wx, Wh, Wy, each row by row).
pub static PARAMS: [ParamSpec; 5] = [
    // Wx, input → hidden, H×D.
    ParamSpec::input_weights(1),
    // Wh, hidden → hidden, H×H.
    ParamSpec::recurrent_weights(1),
    // b, hidden bias, H.
    ParamSpec::bias(1, Start::Zero),
    // Wy, hidden → output, O×H (0×H for the seed's task: no output layer).
    ParamSpec {
        name: "wy",
        symbol: "Wy",
        grad_symbol: "dWy",
        rows: Dim::Output,
        cols: Dim::Hidden,
        blocks: 1,
        start: Start::Normal(Scale::ByHidden),
    },
    // by, output bias, O.
    ParamSpec {
        name: "by",
        symbol: "by",
        grad_symbol: "dby",
        rows: Dim::Output,
        cols: Dim::One,
        blocks: 1,
        start: Start::Zero,
    },
];

/// The run-file names of [`PARAMS`], in its order (for serde's messages about a key).
pub static PARAM_NAMES: [&str; 5] = ["wx", "wh", "b", "wy", "by"];

/// The plain RNN, `h_t = φ(Wx x_t + Wh h_{t-1} + b)` with φ its activation (tanh by
/// default, the blog's), as a [`Cell`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Rnn {
    pub activation: Activation,
}

/// φ(a): tanh(a), max(a, 0) or a.
pub fn activate(activation: Activation, a: f64) -> f64 {
    match activation {
        Activation::Tanh => tanh(a),
        Activation::Relu => {
            if a > 0.0 {
                a
            } else {
                0.0
            }
        }
        Activation::Linear => a,
    }
}

/// φ′(a_t) from h_t = φ(a_t): 1 − h² for tanh; for ReLU 1 where h > 0 (a > 0), else 0, so
/// ReLU′(0) = 0; 1 for the linear one.
pub fn activation_slope(activation: Activation, h: f64) -> f64 {
    match activation {
        Activation::Tanh => 1.0 - h * h,
        Activation::Relu => {
            if h > 0.0 {
                1.0
            } else {
                0.0
            }
        }
        Activation::Linear => 1.0,
    }
}

impl Cell for Rnn {
    fn params(&self) -> &'static [ParamSpec] {
        &PARAMS
    }

    fn recurrent(&self, p: &Params) -> DMatrix<f64> {
        let [_, wh, ..] = p.as_array::<5>();
        wh.clone()
    }

    fn twin_weight(&self) -> (usize, usize, usize) {
        (1, 0, 0) // Wh[0, 0]: from hidden unit 1 to itself
    }

    fn step(&self, p: &Params, x_t: &DVector<f64>, prev: &State) -> (DVector<f64>, State) {
        let (a_t, h_t) = step_with(self.activation, p, x_t, &prev.h);
        (a_t, State::of_h(h_t))
    }

    fn step_backward(
        &self,
        p: &Params,
        (x_t, prev, now): (&DVector<f64>, &State, &State),
        d: &State,
        g: &mut Grads,
    ) -> State {
        State::of_h(step_backward_with(self.activation, p, x_t, &prev.h, &now.h, &d.h, g))
    }

    fn forward_terms(&self, p: &Params, x_t: &[f64], h_prev: &[f64], i: usize) -> Vec<f64> {
        let [wx, wh, b, ..] = p.as_array::<5>();
        let dot = |w: &DMatrix<f64>, v: &[f64]| -> f64 { w.row(i).iter().zip(v).map(|(w, v)| w * v).sum() };
        vec![dot(wx, x_t), dot(wh, h_prev), b[i]] // (Wx x_t)_i, (Wh h_{t-1})_i, b_i
    }
}

/// All zeros for sizes (H, D, O): O = 0 for no output layer.
pub fn zeros(hidden_size: usize, input_size: usize, output_size: usize) -> Params {
    Params::zeros(&PARAMS, Sizes { h: hidden_size, d: input_size, o: output_size })
}

/// The parameters with these values: Wx (H×D), Wh (H×H), b (H), Wy (O×H), by (O).
pub fn with_values(wx: DMatrix<f64>, wh: DMatrix<f64>, b: DVector<f64>, wy: DMatrix<f64>, by: DVector<f64>) -> Params {
    let sizes = Sizes { h: wx.nrows(), d: wx.ncols(), o: wy.nrows() };
    let as_column = |v: DVector<f64>| DMatrix::from_iterator(v.len(), 1, v.iter().copied());
    Params::from_values(&PARAMS, sizes, vec![wx, wh, as_column(b), wy, as_column(by)])
}

/// The blog's initialisation: Wx, Wh ~ N(0, 1) with no scaling (Wx first, each row by row),
/// b = 0, no output layer.
pub fn unscaled(hidden_size: usize, input_size: usize, rng: &mut Normal) -> Params {
    init(Init::Unscaled, 1.0, (hidden_size, input_size, 0), rng)
}

/// Starting weights for sizes (H, D, O): the draws of N(0, 1) in the order Wx, Wh, Wy, each
/// row by row; unscaled, or scaled by 1/√D, g/√H and 1/√H (g = `init_scale`). Biases 0.
pub fn init(init: Init, init_scale: f64, (h, d, o): (usize, usize, usize), rng: &mut Normal) -> Params {
    Params::init(&PARAMS, init, init_scale, 0.0, Sizes { h, d, o }, rng)
}

/// What the loss compares, and where it reads the network.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// The seed's task: y (H) against the last hidden state h_T itself.
    LastHidden(DVector<f64>),
    /// y (O) against the last output ŷ_T.
    LastOutput(DVector<f64>),
    /// y (T×O), row t against ŷ_t, at every step.
    EveryOutput(DMatrix<f64>),
}

/// What the forward pass keeps for the backward pass.
#[derive(Clone, Debug, PartialEq)]
pub struct Forward {
    /// h_0 … h_T: T + 1 vectors of H; `h[0]` is the state the pass started from.
    pub h: Vec<DVector<f64>>,
    /// a_1 … a_T: T vectors of H; `a[t]` is the pre-activation of `h[t + 1]`.
    pub a: Vec<DVector<f64>>,
    /// ŷ_1 … ŷ_T: T vectors of O (empty without an output layer).
    pub y_hat: Vec<DVector<f64>>,
}

/// ∂L with respect to what the loss reads, where the backward pass starts from.
#[derive(Clone, Debug, PartialEq)]
pub struct LossGradient {
    /// ∂L/∂h_T from a loss that reads h_T itself (the seed's task); zeros otherwise. H.
    pub dh_last: DVector<f64>,
    /// ∂L/∂ŷ_t for t = 1 … T (O each); `None` where the loss does not read ŷ_t.
    pub dy_hat: Vec<Option<DVector<f64>>>,
}

/// What the backward pass found.
#[derive(Clone, Debug, PartialEq)]
pub struct Backward {
    pub grads: Grads,
    /// ‖∂L/∂h_t‖ for t = 1 … T: how much gradient reached each timestep (NaN where the pass
    /// did not go). Small numbers far back are the vanishing gradient.
    pub dh_norms: Vec<f64>,
}

/// One step of the cell: from x_t (D) and h_{t-1} (H), the pre-activation a_t and h_t (H each).
pub fn step(p: &Params, x_t: &DVector<f64>, h_prev: &DVector<f64>) -> (DVector<f64>, DVector<f64>) {
    let [wx, wh, b, ..] = p.as_array::<5>();
    let a_t = wx * x_t + wh * h_prev + b; //                    a_t = Wx x_t + Wh h_{t-1} + b
    let h_t = a_t.map(tanh); //                                 h_t = tanh(a_t)
    (a_t, h_t)
}

/// [`step`] with the activation φ: `a_t = Wx x_t + Wh h_{t-1} + b`, `h_t = φ(a_t)` (H each).
pub fn step_with(
    activation: Activation,
    p: &Params,
    x_t: &DVector<f64>,
    h_prev: &DVector<f64>,
) -> (DVector<f64>, DVector<f64>) {
    let [wx, wh, b, ..] = p.as_array::<5>();
    let a_t = wx * x_t + wh * h_prev + b; //                    a_t = Wx x_t + Wh h_{t-1} + b
    let h_t = a_t.map(|a| activate(activation, a)); //          h_t = φ(a_t)
    (a_t, h_t)
}

/// The output layer, `ŷ_t = Wy h_t + by` (O; empty without an output layer).
pub fn output(p: &Params, h_t: &DVector<f64>) -> DVector<f64> {
    let [.., wy, by] = p.as_array::<5>();
    wy * h_t + by
}

/// The forward pass over the sequence x (T×D), starting from h0 (H).
pub fn forward(p: &Params, x: &DMatrix<f64>, h0: &DVector<f64>) -> Forward {
    let mut h = vec![h0.clone()];
    let mut a = Vec::new();
    let mut y_hat = Vec::new();
    for t in 0..x.nrows() {
        let x_t = x.row(t).transpose(); //                      x_t, D
        let (a_t, h_t) = step(p, &x_t, &h[t]); //               a_t = Wx x_t + Wh h_{t-1} + b,  h_t = tanh(a_t)
        y_hat.push(output(p, &h_t)); //                          ŷ_t = Wy h_t + by
        h.push(h_t);
        a.push(a_t);
    }
    Forward { h, a, y_hat }
}

/// `(1/n) Σ (u − v)²` over the n entries of u and v.
pub fn mean_squared_error(u: &DVector<f64>, v: &DVector<f64>) -> f64 {
    (u - v).map(|e| e * e).sum() / v.len() as f64
}

/// The loss of a forward pass against its target (formulas in the file's summary).
pub fn loss(fwd: &Forward, target: &Target) -> f64 {
    let t_len = fwd.a.len();
    match target {
        Target::LastHidden(y) => mean_squared_error(&fwd.h[t_len], y),
        Target::LastOutput(y) => mean_squared_error(&fwd.y_hat[t_len - 1], y),
        Target::EveryOutput(y) => {
            let mut sum = 0.0;
            for t in 0..t_len {
                sum += (&fwd.y_hat[t] - y.row(t).transpose()).map(|e| e * e).sum(); // Σ_o (ŷ_t,o − y_t,o)²
            }
            sum / (t_len * y.ncols()) as f64
        }
    }
}

/// The exact gradient of [`loss`]: `dh_T = 2 (h_T − y) / H`, or `dŷ_T = 2 (ŷ_T − y) / O`, or
/// `dŷ_t = 2 (ŷ_t − y_t) / (T·O)` at every step.
pub fn loss_gradient(fwd: &Forward, target: &Target) -> LossGradient {
    let t_len = fwd.a.len();
    let mut out = LossGradient { dh_last: DVector::zeros(fwd.h[0].len()), dy_hat: vec![None; t_len] };
    match target {
        Target::LastHidden(y) => {
            out.dh_last = sum_of_squares_gradient(&fwd.h[t_len], y) / y.len() as f64; // L = (1/H) Σ (h_T − y)²
        }
        Target::LastOutput(y) => {
            let dy = (&fwd.y_hat[t_len - 1] - y) * 2.0 / y.len() as f64; //              L = (1/O) Σ (ŷ_T − y)²
            out.dy_hat[t_len - 1] = Some(dy);
        }
        Target::EveryOutput(y) => {
            let n = (t_len * y.ncols()) as f64;
            for t in 0..t_len {
                let dy = (&fwd.y_hat[t] - y.row(t).transpose()) * 2.0 / n; //        L = (1/(T·O)) Σ_t Σ (ŷ_t − y_t)²
                out.dy_hat[t] = Some(dy);
            }
        }
    }
    out
}

/// `2 (h_T − y)`: the gradient of the *sum* of squares, H times the seed's task's gradient. The
/// blog's loop feeds this back ("仮の勾配") while reporting the mean as its loss.
pub fn sum_of_squares_gradient(h_last: &DVector<f64>, y: &DVector<f64>) -> DVector<f64> {
    (h_last - y) * 2.0
}

/// The backward pass through the last `k` timesteps (k = T is full BPTT; h_{T−k} is then held
/// fixed), from the loss's gradient. Each line differentiates one line of [`forward`].
pub fn backward(p: &Params, x: &DMatrix<f64>, fwd: &Forward, dl: LossGradient, k: usize) -> Backward {
    let t_len = x.nrows();
    let mut g = Grads::zeros(p.specs(), p.sizes());
    let mut dh_norms = vec![f64::NAN; t_len];
    let mut dh = dl.dh_last; //                                      ∂L/∂h_T, from a loss on h_T itself
    for t in (t_len - k..t_len).rev() {
        if let Some(dy) = &dl.dy_hat[t] {
            dh += output_backward(p, &fwd.h[t + 1], dy, &mut g); //      ∂L/∂h_t, through ŷ_t = Wy h_t + by
        }
        dh_norms[t] = dh.norm();
        let x_t = x.row(t).transpose();
        dh = step_backward(p, &x_t, &fwd.h[t], &fwd.h[t + 1], &dh, &mut g); // ∂L/∂h_{t-1}
    }
    Backward { grads: g, dh_norms }
}

/// One step of the cell backward, mirroring [`step`]: from ∂L/∂h_t (H), adds the step's share
/// of dWx, dWh and db to `g` and returns ∂L/∂h_{t-1} (H).
pub fn step_backward(
    p: &Params,
    x_t: &DVector<f64>,
    h_prev: &DVector<f64>,
    h_t: &DVector<f64>,
    dh: &DVector<f64>,
    g: &mut Grads,
) -> DVector<f64> {
    let [_, wh, ..] = p.as_array::<5>();
    let [dwx, dwh, db, ..] = g.as_array_mut::<5>();
    let da = dh.component_mul(&h_t.map(|h| 1.0 - h * h)); //       h_t = tanh(a_t)
    *db += &da; //                                                a_t = … + b
    *dwx += &da * x_t.transpose(); //                              a_t = Wx x_t + …
    *dwh += &da * h_prev.transpose(); //                           a_t = … + Wh h_{t-1} + …
    wh.transpose() * &da //                                        ∂L/∂h_{t-1}, through Wh h_{t-1}
}

/// [`step_backward`] with the activation φ: `da = dh ⊙ φ′(a_t)` (φ′ read from h_t, see
/// [`activation_slope`]), then the same sums.
pub fn step_backward_with(
    activation: Activation,
    p: &Params,
    x_t: &DVector<f64>,
    h_prev: &DVector<f64>,
    h_t: &DVector<f64>,
    dh: &DVector<f64>,
    g: &mut Grads,
) -> DVector<f64> {
    let [_, wh, ..] = p.as_array::<5>();
    let [dwx, dwh, db, ..] = g.as_array_mut::<5>();
    let da = dh.component_mul(&h_t.map(|h| activation_slope(activation, h))); // h_t = φ(a_t)
    *db += &da; //                                                a_t = … + b
    *dwx += &da * x_t.transpose(); //                              a_t = Wx x_t + …
    *dwh += &da * h_prev.transpose(); //                           a_t = … + Wh h_{t-1} + …
    wh.transpose() * &da //                                        ∂L/∂h_{t-1}, through Wh h_{t-1}
}

/// The output layer backward, mirroring [`output`]: from ∂L/∂ŷ_t (O), adds dWy and dby to `g`
/// and returns what reaches h_t (H).
pub fn output_backward(p: &Params, h_t: &DVector<f64>, dy: &DVector<f64>, g: &mut Grads) -> DVector<f64> {
    let [.., wy, _] = p.as_array::<5>();
    let [.., dwy, dby] = g.as_array_mut::<5>();
    *dwy += dy * h_t.transpose(); //                                 ŷ_t = Wy h_t + …
    *dby += dy; //                                                   ŷ_t = … + by
    wy.transpose() * dy //                                           ∂L/∂h_t, through Wy h_t
}

/// The global L2 norm of all gradients as one vector, `√(‖dWx‖² + ‖dWh‖² + ‖db‖² + ‖dWy‖² + ‖dby‖²)`.
pub fn global_norm(g: &Grads) -> f64 {
    g.global_norm()
}

/// Where the gradient at each step comes from (as RNNbow draws it), for a loss at every step:
/// `parts[t][s]` is the part of ∂L/∂h_t that the loss at step s sent back (zero for s < t),
/// `Whᵀ ((1 − h²) ⊙ …)` applied once per step between them. Summed over s it is ∂L/∂h_t of
/// [`backward`] (with k = T). T × T vectors of H: O(T² H²), for the page's small sizes.
pub fn gradient_parts(p: &Params, fwd: &Forward, dl: &LossGradient) -> Vec<Vec<DVector<f64>>> {
    let (t_len, hd) = (fwd.a.len(), p.sizes().h);
    let [_, wh, _, wy, _] = p.as_array::<5>();
    let mut parts = vec![vec![DVector::zeros(hd); t_len]; t_len];
    for (s, dy) in dl.dy_hat.iter().enumerate() {
        let Some(dy) = dy else { continue };
        let mut dh = wy.transpose() * dy; //                              from ŷ_s = Wy h_s + by
        for t in (0..=s).rev() {
            parts[t][s] = dh.clone();
            let da = dh.component_mul(&fwd.h[t + 1].map(|h| 1.0 - h * h)); //  h_t = tanh(a_t)
            dh = wh.transpose() * &da; //                                      a_t = … + Wh h_{t-1} + …
        }
    }
    parts
}

/// Gradient clipping: when `‖g‖` exceeds `clip_norm`, every gradient is multiplied by
/// `clip_norm / ‖g‖`, so that the norm becomes `clip_norm` and the direction stays.
pub fn clip(g: &mut Grads, clip_norm: f64) {
    let norm = global_norm(g);
    if norm > clip_norm {
        g.scale(clip_norm / norm);
    }
}

/// Plain SGD: `W -= η dW` for each parameter.
pub fn sgd(p: &mut Params, g: &Grads, learning_rate: f64) {
    for (w, dw) in p.values_mut().iter_mut().zip(g.values()) {
        *w -= dw * learning_rate;
    }
}

/// What one epoch did.
#[derive(Clone, Debug, PartialEq)]
pub struct Epoch {
    pub forward: Forward,
    /// The loss of this epoch's forward pass, before its update.
    pub loss: f64,
    /// The gradients as the backward pass found them (before clipping).
    pub backward: Backward,
    /// The gradients the update applied (after clipping, if any).
    pub applied: Grads,
}

/// One epoch of the blog's loop: forward from the carried state `h` (H), the loss, the gradient
/// of the sum of squares `2 (h_T − y)`, backward through the last timestep only, SGD. `h` then
/// carries h_T into the next epoch (the blog sets h = 0 once, before the first).
pub fn blog_loop_epoch(p: &mut Params, x: &DMatrix<f64>, y: &DVector<f64>, h: &mut DVector<f64>, lr: f64) -> Epoch {
    let forward = forward(p, x, h);
    let h_last = &forward.h[x.nrows()];
    let loss = mean_squared_error(h_last, y);
    let dl = LossGradient { dh_last: sum_of_squares_gradient(h_last, y), dy_hat: vec![None; x.nrows()] };
    let backward = backward(p, x, &forward, dl, 1);
    sgd(p, &backward.grads, lr);
    *h = h_last.clone();
    let applied = backward.grads.clone();
    Epoch { forward, loss, backward, applied }
}

/// The settings of a BPTT epoch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bptt {
    /// Timesteps backpropagated (T: all of them).
    pub k: usize,
    pub learning_rate: f64,
    /// Clip the gradients to this global norm before the update.
    pub clip_norm: Option<f64>,
    /// Carry h_T into the next epoch's h_0 (no gradient across epochs).
    pub stateful: bool,
}

/// One epoch of backpropagation through time: forward from `h` (H; zeros unless the state is
/// carried), the loss, its exact gradient back through the last `k` timesteps, clipping, SGD.
/// With `stateful`, `h` then carries h_T into the next epoch.
pub fn bptt_epoch(p: &mut Params, x: &DMatrix<f64>, target: &Target, h: &mut DVector<f64>, s: &Bptt) -> Epoch {
    let forward = forward(p, x, h);
    let loss = loss(&forward, target);
    let backward = backward(p, x, &forward, loss_gradient(&forward, target), s.k);
    let mut applied = backward.grads.clone();
    if let Some(c) = s.clip_norm {
        clip(&mut applied, c);
    }
    sgd(p, &applied, s.learning_rate);
    if s.stateful {
        *h = forward.h[x.nrows()].clone();
    }
    Epoch { forward, loss, backward, applied }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// H = D = 1, T = 1, by hand.
    #[test]
    fn one_unit_forward_and_backward_by_hand() {
        let one = |v| DMatrix::from_element(1, 1, v);
        let p =
            with_values(one(0.5), one(-0.25), DVector::from_element(1, 0.1), DMatrix::zeros(0, 1), DVector::zeros(0));
        let x = DMatrix::from_element(1, 1, 2.0);
        let fwd = forward(&p, &x, &DVector::from_element(1, 0.4));
        // a = 0.5·2 − 0.25·0.4 + 0.1 = 1.0
        assert!((fwd.a[0][0] - 1.0).abs() < 1e-15);
        let h = fwd.h[1][0];
        assert!((h - 1.0f64.tanh()).abs() < 1e-15);

        let dl = LossGradient { dh_last: DVector::from_element(1, 3.0), dy_hat: vec![None] };
        let back = backward(&p, &x, &fwd, dl, 1);
        let da = 3.0 * (1.0 - h * h);
        let [dwx, dwh, db, ..] = back.grads.as_array::<5>();
        assert_eq!(dwx[(0, 0)], da * 2.0);
        assert_eq!(dwh[(0, 0)], da * 0.4);
        assert_eq!(db[0], da);
        assert_eq!(back.dh_norms, vec![3.0]);
    }

    #[test]
    fn sgd_subtracts_learning_rate_times_gradient() {
        let mut p = zeros(2, 1, 1);
        let mut g = zeros(2, 1, 1);
        g.as_array_mut::<5>()[1].fill(0.5); //  dWh
        sgd(&mut p, &g, 0.1);
        assert_eq!(p.as_array::<5>()[1][(1, 0)], -(0.1 * 0.5));
        g.as_array_mut::<5>()[3].fill(2.0); //  dWy
        sgd(&mut p, &g, 0.1);
        assert_eq!(p.as_array::<5>()[3][(0, 1)], -(0.1 * 2.0));
    }

    #[test]
    fn clipping_scales_every_gradient_to_the_norm_and_leaves_small_ones_alone() {
        let mut g = zeros(1, 1, 1);
        (g.as_array_mut::<5>()[0][0], g.as_array_mut::<5>()[4][0]) = (3.0, 4.0); // dWx, dby
        assert_eq!(global_norm(&g), 5.0);
        let small = g.clone();
        clip(&mut g, 10.0);
        assert_eq!(g, small);
        clip(&mut g, 1.0);
        let [dwx, .., dby] = g.as_array::<5>();
        assert_eq!((dwx[0], dby[0]), (3.0 * (1.0 / 5.0), 4.0 * (1.0 / 5.0)));
    }

    /// H = D = O = 1, T = 1, loss at the last output, by hand.
    #[test]
    fn one_output_by_hand() {
        let one = |v| DMatrix::from_element(1, 1, v);
        let p = with_values(one(0.5), one(0.0), DVector::zeros(1), one(2.0), DVector::from_element(1, 0.25));
        let x = DMatrix::from_element(1, 1, 1.0);
        let fwd = forward(&p, &x, &DVector::zeros(1));
        let h = fwd.h[1][0];
        assert_eq!(fwd.y_hat[0][0], 2.0 * h + 0.25);
        let target = Target::LastOutput(DVector::from_element(1, 1.0));
        let e = fwd.y_hat[0][0] - 1.0;
        assert_eq!(loss(&fwd, &target), e * e);
        let g = backward(&p, &x, &fwd, loss_gradient(&fwd, &target), 1).grads;
        let dy = e * 2.0;
        let [dwx, _, _, dwy, dby] = g.as_array::<5>();
        assert_eq!((dwy[(0, 0)], dby[0]), (dy * h, dy));
        assert!((dwx[(0, 0)] - dy * 2.0 * (1.0 - h * h)).abs() < 1e-15);
    }

    #[test]
    fn loss_is_the_mean_squared_difference_and_the_blogs_gradient_is_h_times_its_gradient() {
        let (h, y) = (DVector::from_vec(vec![0.5, -0.5]), DVector::from_vec(vec![1.0, 0.5]));
        assert_eq!(mean_squared_error(&h, &y), (0.25 + 1.0) / 2.0);
        assert_eq!(sum_of_squares_gradient(&h, &y), DVector::from_vec(vec![-1.0, -2.0]));
        let fwd = Forward { h: vec![DVector::zeros(2), h], a: vec![DVector::zeros(2)], y_hat: vec![DVector::zeros(0)] };
        let dl = loss_gradient(&fwd, &Target::LastHidden(y));
        assert_eq!(dl.dh_last, DVector::from_vec(vec![-0.5, -1.0]));
    }

    #[test]
    fn the_names_follow_the_list() {
        let names: Vec<&str> = PARAMS.iter().map(|spec| spec.name).collect();
        assert_eq!(names, PARAM_NAMES);
        assert!(PARAMS.iter().all(|spec| spec.grad_symbol == format!("d{}", spec.symbol)));
    }

    /// The readable file stands alone: the comparison of the speed layer with it (in
    /// `tests/fast_equals_readable.rs`) could otherwise end up comparing the fast code with itself.
    #[test]
    fn the_readable_file_calls_nothing_in_the_speed_layer() {
        let source = include_str!("rnn.rs");
        let model = source.split("#[cfg(test)]").next().expect("the file has a model part");
        let code: Vec<&str> = model.lines().filter(|l| !l.trim_start().starts_with("//")).collect();
        for word in ["fast", "unsafe", "tanh_layer", "as_slice", "as_mut_slice"] {
            let hit = code.iter().find(|l| l.split("//").next().unwrap_or("").contains(word));
            assert_eq!(hit, None, "rnn.rs uses `{word}` outside comments");
        }
    }
}
