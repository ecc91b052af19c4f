//! The RNN cell: its parameters, one forward step, one backward step, and the SGD update.

use nalgebra::{DMatrix, DVector};

use super::rng::Normal;
use super::{activation, kernels};

/// The cell's parameters, and (same shapes) their gradients or their last change.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// Wx, input → hidden, H×D.
    pub wx: DMatrix<f64>,
    /// Wh, hidden → hidden, H×H.
    pub wh: DMatrix<f64>,
    /// b, hidden bias, H.
    pub b: DVector<f64>,
}

impl Params {
    /// All zeros: the starting point for accumulating gradients.
    pub fn zeros(hidden_size: usize, input_size: usize) -> Self {
        Self {
            wx: DMatrix::zeros(hidden_size, input_size),
            wh: DMatrix::zeros(hidden_size, hidden_size),
            b: DVector::zeros(hidden_size),
        }
    }

    /// The seed's initialisation: Wx, Wh ~ N(0, 1) with no scaling (Wx first, each row by
    /// row), b = 0.
    pub fn seeded(hidden_size: usize, input_size: usize, rng: &mut Normal) -> Self {
        let wx = rng.matrix(hidden_size, input_size);
        let wh = rng.matrix(hidden_size, hidden_size);
        Self { wx, wh, b: DVector::zeros(hidden_size) }
    }

    /// (H, D).
    pub fn dims(&self) -> (usize, usize) {
        self.wx.shape()
    }

    pub fn fill(&mut self, value: f64) {
        // On slices: nalgebra's element iterator is several times slower for this.
        self.wx.as_mut_slice().fill(value);
        self.wh.as_mut_slice().fill(value);
        self.b.as_mut_slice().fill(value);
    }

    /// Plain SGD: `W -= lr * dW` for each parameter (the product first, as numpy does).
    /// `change` receives what each parameter just received, `-lr * dW`. Returns whether every
    /// weight is still finite (checked in the same pass, see [`all_finite`]).
    #[must_use = "a weight that is no longer finite means the run has diverged"]
    pub fn sgd(&mut self, grads: &Params, learning_rate: f64, change: &mut Params) -> bool {
        fn step(w: &mut [f64], dw: &[f64], lr: f64, change: &mut [f64]) -> bool {
            let mut finite = true;
            for ((w, dw), c) in w.iter_mut().zip(dw).zip(change) {
                let delta = lr * dw;
                *w -= delta;
                *c = -delta;
                finite &= is_finite(*w);
            }
            finite
        }
        step(self.wx.as_mut_slice(), grads.wx.as_slice(), learning_rate, change.wx.as_mut_slice())
            & step(self.wh.as_mut_slice(), grads.wh.as_slice(), learning_rate, change.wh.as_mut_slice())
            & step(self.b.as_mut_slice(), grads.b.as_slice(), learning_rate, change.b.as_mut_slice())
    }

    /// The first parameter (by name) holding a NaN or an infinity.
    pub fn first_non_finite(&self, names: [&'static str; 3]) -> Option<&'static str> {
        [self.wx.as_slice(), self.wh.as_slice(), self.b.as_slice()]
            .into_iter()
            .zip(names)
            .find(|(values, _)| !all_finite(values))
            .map(|(_, name)| name)
    }
}

/// True when every value is finite. One pass with no early exit, so that it vectorises.
pub(crate) fn all_finite(values: &[f64]) -> bool {
    values.iter().fold(true, |finite, &v| finite & is_finite(v))
}

/// `v.is_finite()` as a floating-point comparison, which vectorises on every target (the
/// integer test behind `f64::is_finite` does not with SSE2): `v × 0` is ±0 for every finite v
/// and NaN for ±∞ and NaN.
#[inline(always)]
fn is_finite(v: f64) -> bool {
    v * 0.0 == 0.0
}

/// Scratch space for one forward step of a large layer, so that stepping allocates nothing.
#[derive(Clone, Debug)]
pub struct ForwardScratch {
    wh_h: Vec<f64>,
}

impl ForwardScratch {
    pub fn new(hidden_size: usize) -> Self {
        Self { wh_h: vec![0.0; hidden_size] }
    }
}

/// One forward step, written into `a` and `h` (each H; `x_t` D, `h_prev` H):
///
/// `a = Wx x_t + Wh h_prev + b`, summed in that order (as numpy evaluates it; see
/// [`kernels::affine`]), and `h = tanh(a)` with [`activation::tanh`], the same bits natively
/// and in wasm32.
pub fn forward_step(
    p: &Params,
    x_t: &[f64],
    h_prev: &[f64],
    scratch: &mut ForwardScratch,
    a: &mut [f64],
    h: &mut [f64],
) {
    kernels::affine(p.wx.as_slice(), x_t, p.wh.as_slice(), h_prev, p.b.as_slice(), &mut scratch.wh_h, a);
    activation::tanh_layer(a, h);
}

/// The first part of one backward step: through tanh, `da = dh * (1 - h_t²)` (each H), and
/// `db += da`. The weight gradients of the step are `dWx += da x_tᵀ`, `dWh += da h_{t-1}ᵀ`
/// (summed over the steps by [`kernels::add_outer_sum_desc`]), and the
/// gradient to the previous step is `dh_prev = Whᵀ da` ([`kernels::mat_vec`] on a transposed copy of Wh).
pub fn backward_through_tanh(dh: &[f64], h_t: &[f64], da: &mut [f64], grads: &mut Params) {
    for ((da, &dh), &h) in da.iter_mut().zip(dh).zip(h_t) {
        *da = dh * (1.0 - h * h);
    }
    for (db, &da) in grads.b.as_mut_slice().iter_mut().zip(da.iter()) {
        *db += da;
    }
}

/// Squared-error loss of the final hidden state against the target: `mean((h_T - y)²)`,
/// summed first to last, then divided by H.
pub fn loss(h_last: &[f64], y: &[f64]) -> f64 {
    let sum: f64 = h_last.iter().zip(y.iter()).map(|(h, y)| (h - y) * (h - y)).sum();
    sum / y.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// H = D = 1 by hand: a = wx x + wh h_prev + b, h = tanh a.
    #[test]
    fn one_unit_forward_and_backward_by_hand() {
        let p = Params {
            wx: DMatrix::from_element(1, 1, 0.5),
            wh: DMatrix::from_element(1, 1, -0.25),
            b: DVector::from_element(1, 0.1),
        };
        let (x, h_prev) = ([2.0], [0.4]);
        let (mut a, mut h) = ([0.0], [0.0]);
        forward_step(&p, &x, &h_prev, &mut ForwardScratch::new(1), &mut a, &mut h);
        // a = 0.5·2 − 0.25·0.4 + 0.1 = 1.0
        assert!((a[0] - 1.0).abs() < 1e-15);
        assert!((h[0] - 1.0f64.tanh()).abs() < 1e-15);

        let mut grads = Params::zeros(1, 1);
        let (mut da, mut dh_prev) = ([0.0], [0.0]);
        backward_through_tanh(&[3.0], &h, &mut da, &mut grads);
        kernels::add_outer(grads.wx.as_mut_slice(), &da, &x);
        kernels::add_outer(grads.wh.as_mut_slice(), &da, &h_prev);
        kernels::mat_vec(p.wh.transpose().as_slice(), &da, &mut dh_prev);
        let expected_da = 3.0 * (1.0 - h[0] * h[0]);
        assert_eq!(da[0], expected_da);
        assert_eq!(grads.wx[(0, 0)], expected_da * 2.0);
        assert_eq!(grads.wh[(0, 0)], expected_da * 0.4);
        assert_eq!(grads.b[0], expected_da);
        assert_eq!(dh_prev[0], -0.25 * expected_da);
    }

    #[test]
    fn sgd_subtracts_learning_rate_times_gradient_and_reports_the_change() {
        let mut p = Params::zeros(2, 1);
        p.fill(1.0);
        let mut g = Params::zeros(2, 1);
        g.fill(0.5);
        let mut change = Params::zeros(2, 1);
        assert!(p.sgd(&g, 0.1, &mut change));
        assert_eq!(p.wh[(1, 0)], 1.0 - 0.1 * 0.5);
        assert_eq!(change.b[1], -(0.1 * 0.5));
    }

    #[test]
    fn loss_is_the_mean_squared_difference() {
        assert_eq!(loss(&[0.5, -0.5], &[1.0, 0.5]), (0.25 + 1.0) / 2.0);
    }

    #[test]
    fn non_finite_parameters_are_named() {
        let mut p = Params::zeros(2, 2);
        let mut g = Params::zeros(2, 2);
        g.wh[(1, 1)] = f64::INFINITY;
        assert!(!p.clone().sgd(&g, 0.1, &mut Params::zeros(2, 2)), "an infinite gradient spoils a weight");
        assert!(p.clone().sgd(&Params::zeros(2, 2), 0.1, &mut Params::zeros(2, 2)));
        assert_eq!(p.first_non_finite(["Wx", "Wh", "b"]), None);
        p.wh[(1, 1)] = f64::NAN;
        assert_eq!(p.first_non_finite(["Wx", "Wh", "b"]), Some("Wh"));
    }
}
