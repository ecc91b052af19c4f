//! The RNN written to be read: forward, loss, backward and update in nalgebra, and the two training loops.
//!
//! Shapes: T timesteps, D features per step, H hidden units. Column vectors throughout (Deep
//! Learning from Scratch 2 uses row vectors, `x·Wx`, so its matrices are the transposes).
//!
//! ```text
//! forward    a_t = Wx x_t + Wh h_{t-1} + b          h_t = tanh(a_t)          t = 1 … T
//! loss       L = (1/H) Σ_i (h_T,i − y_i)²           dh_T = ∂L/∂h_T = 2 (h_T − y) / H
//! backward   da_t = dh_t ⊙ (1 − h_t²)   db += da_t   dWx += da_t x_tᵀ   dWh += da_t h_{t-1}ᵀ
//!            dh_{t-1} = Whᵀ da_t                                           t = T … 1
//! update     W -= η dW                              for W in Wx, Wh, b
//! ```
//!
//! This file is the reference. The page and the command line run the same arithmetic through
//! the speed layer (`fast/`), which is tested to give these numbers; nothing here is tuned for
//! speed, and nothing here calls it. Timesteps are 0-based in code: row `t` of x is x_{t+1}.

use nalgebra::{DMatrix, DVector};

use super::rng::Normal;
use super::tanh::tanh;

/// The cell's parameters. Also used for the change an update made to each of them.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// Wx, input → hidden, H×D.
    pub wx: DMatrix<f64>,
    /// Wh, hidden → hidden, H×H.
    pub wh: DMatrix<f64>,
    /// b, hidden bias, H.
    pub b: DVector<f64>,
}

/// The gradient of the loss with respect to each parameter (same shapes as [`Params`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Grads {
    /// ∂L/∂Wx, H×D.
    pub dwx: DMatrix<f64>,
    /// ∂L/∂Wh, H×H.
    pub dwh: DMatrix<f64>,
    /// ∂L/∂b, H.
    pub db: DVector<f64>,
}

/// What the forward pass keeps for the backward pass.
#[derive(Clone, Debug, PartialEq)]
pub struct Forward {
    /// h_0 … h_T: T + 1 vectors of H; `h[0]` is the state the pass started from.
    pub h: Vec<DVector<f64>>,
    /// a_1 … a_T: T vectors of H; `a[t]` is the pre-activation of `h[t + 1]`.
    pub a: Vec<DVector<f64>>,
}

/// What the backward pass found.
#[derive(Clone, Debug, PartialEq)]
pub struct Backward {
    pub grads: Grads,
    /// ‖∂L/∂h_t‖ for t = 1 … T: how much gradient reached each timestep (NaN where the pass
    /// did not go). Small numbers far back are the vanishing gradient.
    pub dh_norms: Vec<f64>,
}

/// The forward pass over the sequence x (T×D), starting from h0 (H).
pub fn forward(p: &Params, x: &DMatrix<f64>, h0: &DVector<f64>) -> Forward {
    let mut h = vec![h0.clone()];
    let mut a = Vec::new();
    for t in 0..x.nrows() {
        let x_t = x.row(t).transpose(); //                      x_t, D
        let a_t = &p.wx * &x_t + &p.wh * &h[t] + &p.b; //      a_t = Wx x_t + Wh h_{t-1} + b
        h.push(a_t.map(tanh)); //                               h_t = tanh(a_t)
        a.push(a_t);
    }
    Forward { h, a }
}

/// The loss of the last hidden state h_T against the target y (both H): `(1/H) Σ (h_T − y)²`.
pub fn loss(h_last: &DVector<f64>, y: &DVector<f64>) -> f64 {
    (h_last - y).map(|e| e * e).sum() / y.len() as f64
}

/// ∂L/∂h_T of [`loss`]: `2 (h_T − y) / H`.
pub fn loss_gradient(h_last: &DVector<f64>, y: &DVector<f64>) -> DVector<f64> {
    sum_of_squares_gradient(h_last, y) / y.len() as f64
}

/// `2 (h_T − y)`: the gradient of the *sum* of squares, H times [`loss_gradient`]. The blog's
/// loop feeds this back ("仮の勾配") while reporting the mean as its loss.
pub fn sum_of_squares_gradient(h_last: &DVector<f64>, y: &DVector<f64>) -> DVector<f64> {
    (h_last - y) * 2.0
}

/// The backward pass through the last `k` timesteps (k = T is full BPTT; h_{T−k} is then held
/// fixed), from `dh_last` = ∂L/∂h_T (H). Each line differentiates one line of [`forward`].
pub fn backward(p: &Params, x: &DMatrix<f64>, fwd: &Forward, dh_last: DVector<f64>, k: usize) -> Backward {
    let (t_len, d) = x.shape();
    let mut g = Grads::zeros(p.b.len(), d);
    let mut dh_norms = vec![f64::NAN; t_len];
    let mut dh = dh_last; //                                         ∂L/∂h_T
    for t in (t_len - k..t_len).rev() {
        dh_norms[t] = dh.norm();
        let x_t = x.row(t).transpose();
        let da = dh.component_mul(&fwd.h[t + 1].map(|h| 1.0 - h * h)); // h_t = tanh(a_t)
        g.db += &da; //                                               a_t = … + b
        g.dwx += &da * x_t.transpose(); //                             a_t = Wx x_t + …
        g.dwh += &da * fwd.h[t].transpose(); //                        a_t = … + Wh h_{t-1} + …
        dh = p.wh.transpose() * &da; //                                ∂L/∂h_{t-1}, through Wh h_{t-1}
    }
    Backward { grads: g, dh_norms }
}

/// Plain SGD: `W -= η dW` for each parameter.
pub fn sgd(p: &mut Params, g: &Grads, learning_rate: f64) {
    p.wx -= &g.dwx * learning_rate;
    p.wh -= &g.dwh * learning_rate;
    p.b -= &g.db * learning_rate;
}

/// What one epoch did.
#[derive(Clone, Debug, PartialEq)]
pub struct Epoch {
    pub forward: Forward,
    /// The loss of this epoch's forward pass, before its update.
    pub loss: f64,
    pub backward: Backward,
}

/// One epoch of the blog's loop: forward from the carried state `h` (H), the loss, the gradient
/// of the sum of squares `2 (h_T − y)`, backward through the last timestep only, SGD. `h` then
/// carries h_T into the next epoch (the blog sets h = 0 once, before the first).
pub fn blog_loop_epoch(p: &mut Params, x: &DMatrix<f64>, y: &DVector<f64>, h: &mut DVector<f64>, lr: f64) -> Epoch {
    let forward = forward(p, x, h);
    let h_last = &forward.h[x.nrows()];
    let loss = loss(h_last, y);
    let backward = backward(p, x, &forward, sum_of_squares_gradient(h_last, y), 1);
    sgd(p, &backward.grads, lr);
    *h = h_last.clone();
    Epoch { forward, loss, backward }
}

/// One epoch of backpropagation through time: forward from h_0 = 0, the loss, its exact
/// gradient back through the last `k` timesteps (k = T: all of them), SGD.
pub fn bptt_epoch(p: &mut Params, x: &DMatrix<f64>, y: &DVector<f64>, k: usize, lr: f64) -> Epoch {
    let forward = forward(p, x, &DVector::zeros(y.len()));
    let h_last = &forward.h[x.nrows()];
    let loss = loss(h_last, y);
    let backward = backward(p, x, &forward, loss_gradient(h_last, y), k);
    sgd(p, &backward.grads, lr);
    Epoch { forward, loss, backward }
}

impl Params {
    /// All zeros, H×D.
    pub fn zeros(hidden_size: usize, input_size: usize) -> Self {
        Self {
            wx: DMatrix::zeros(hidden_size, input_size),
            wh: DMatrix::zeros(hidden_size, hidden_size),
            b: DVector::zeros(hidden_size),
        }
    }

    /// The blog's initialisation: Wx, Wh ~ N(0, 1) with no scaling (Wx first, each row by row),
    /// b = 0.
    pub fn unscaled(hidden_size: usize, input_size: usize, rng: &mut Normal) -> Self {
        let wx = rng.matrix(hidden_size, input_size);
        let wh = rng.matrix(hidden_size, hidden_size);
        Self { wx, wh, b: DVector::zeros(hidden_size) }
    }

    /// (H, D).
    pub fn dims(&self) -> (usize, usize) {
        self.wx.shape()
    }
}

impl Grads {
    /// All zeros, H×D: where a backward pass starts adding.
    pub fn zeros(hidden_size: usize, input_size: usize) -> Self {
        Self {
            dwx: DMatrix::zeros(hidden_size, input_size),
            dwh: DMatrix::zeros(hidden_size, hidden_size),
            db: DVector::zeros(hidden_size),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// H = D = 1, T = 1, by hand.
    #[test]
    fn one_unit_forward_and_backward_by_hand() {
        let p = Params {
            wx: DMatrix::from_element(1, 1, 0.5),
            wh: DMatrix::from_element(1, 1, -0.25),
            b: DVector::from_element(1, 0.1),
        };
        let x = DMatrix::from_element(1, 1, 2.0);
        let fwd = forward(&p, &x, &DVector::from_element(1, 0.4));
        // a = 0.5·2 − 0.25·0.4 + 0.1 = 1.0
        assert!((fwd.a[0][0] - 1.0).abs() < 1e-15);
        let h = fwd.h[1][0];
        assert!((h - 1.0f64.tanh()).abs() < 1e-15);

        let back = backward(&p, &x, &fwd, DVector::from_element(1, 3.0), 1);
        let da = 3.0 * (1.0 - h * h);
        assert_eq!(back.grads.dwx[(0, 0)], da * 2.0);
        assert_eq!(back.grads.dwh[(0, 0)], da * 0.4);
        assert_eq!(back.grads.db[0], da);
        assert_eq!(back.dh_norms, vec![3.0]);
    }

    #[test]
    fn sgd_subtracts_learning_rate_times_gradient() {
        let mut p = Params::zeros(2, 1);
        let mut g = Grads::zeros(2, 1);
        g.dwh.fill(0.5);
        sgd(&mut p, &g, 0.1);
        assert_eq!(p.wh[(1, 0)], -(0.1 * 0.5));
    }

    #[test]
    fn loss_is_the_mean_squared_difference_and_the_blogs_gradient_is_h_times_its_gradient() {
        let (h, y) = (DVector::from_vec(vec![0.5, -0.5]), DVector::from_vec(vec![1.0, 0.5]));
        assert_eq!(loss(&h, &y), (0.25 + 1.0) / 2.0);
        assert_eq!(sum_of_squares_gradient(&h, &y), DVector::from_vec(vec![-1.0, -2.0]));
        assert_eq!(loss_gradient(&h, &y), DVector::from_vec(vec![-0.5, -1.0]));
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
