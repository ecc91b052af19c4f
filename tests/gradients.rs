//! Gradient checks: every training mode against central differences, and a hand-computed H = D = 1 case.

use nalgebra::{DMatrix, DVector};
use rnn_playground::model::rng::{Normal, Stream};
use rnn_playground::model::{Config, Params, Phase, Session, Training};

/// Forward from `h_start` through timesteps `from..T` of `x` (T×D); returns h_T.
fn forward_from(p: &Params, x: &DMatrix<f64>, h_start: &DVector<f64>, from: usize) -> DVector<f64> {
    let mut h = h_start.clone();
    for t in from..x.nrows() {
        let x_t = x.row(t).transpose();
        h = (&p.wx * x_t + &p.wh * &h + &p.b).map(f64::tanh);
    }
    h
}

fn mean_sq(h: &DVector<f64>, y: &DVector<f64>) -> f64 {
    (h - y).map(|e| e * e).sum() / y.len() as f64
}

/// Every parameter as one flat list of mutable references, in a fixed order.
fn entries(p: &mut Params) -> Vec<&mut f64> {
    p.wx.iter_mut().chain(p.wh.iter_mut()).chain(p.b.iter_mut()).collect()
}

/// Central differences of `f` at `p`, step 1e-5.
fn numeric_grad(p: &Params, f: impl Fn(&Params) -> f64) -> Vec<f64> {
    let eps = 1e-5;
    let n = entries(&mut p.clone()).len();
    (0..n)
        .map(|i| {
            let mut plus = p.clone();
            *entries(&mut plus)[i] += eps;
            let mut minus = p.clone();
            *entries(&mut minus)[i] -= eps;
            (f(&plus) - f(&minus)) / (2.0 * eps)
        })
        .collect()
}

fn flat(p: &Params) -> Vec<f64> {
    p.wx.iter().chain(p.wh.iter()).chain(p.b.iter()).copied().collect()
}

/// ‖a − b‖ / (‖a‖ + ‖b‖).
fn relative_error(a: &[f64], b: &[f64]) -> f64 {
    let diff: f64 = a.iter().zip(b).map(|(a, b)| (a - b).powi(2)).sum::<f64>().sqrt();
    let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
    diff / (norm(a) + norm(b)).max(1e-300)
}

/// A session on small random sizes with weights scaled by 0.5 so tanh is not saturated.
fn small_session(
    t_len: usize,
    d: usize,
    h: usize,
    training: Training,
    truncation: Option<usize>,
    seed: u64,
) -> Session {
    let config =
        Config { seq_length: t_len, input_size: d, hidden_size: h, training, truncation, seed, ..Config::default() };
    let mut rng = Normal::new(seed, Stream::Weights);
    let mut params = Params::seeded(h, d, &mut rng);
    params.wx *= 0.5;
    params.wh *= 0.5;
    params.b = rng.vector(h) * 0.1;
    let x = rng.matrix(t_len, d);
    let y = rng.vector(h) * 0.5;
    Session::with_data(&config, x, y, params)
}

/// Steps to the update of the current epoch and returns the gradient about to be applied.
fn gradient_before_update(s: &mut Session) -> Params {
    while s.phase() != Phase::Update {
        s.step();
    }
    s.grads().clone()
}

const SIZES: [(usize, usize, usize); 5] = [(1, 1, 1), (3, 2, 4), (5, 3, 2), (7, 4, 5), (4, 6, 3)];

/// Full BPTT on every size in SIZES, after `epochs_before` epochs at learning rate 0.5.
fn check_full_bptt(seed: u64, epochs_before: usize) {
    for (i, &(t_len, d, h)) in SIZES.iter().enumerate() {
        let mut s = small_session(t_len, d, h, Training::Bptt, None, seed + i as u64);
        s.set_learning_rate(0.5);
        s.run_epochs(epochs_before);
        let (p, x, y) = (s.params().clone(), s.x(), s.y().clone());
        let analytic = gradient_before_update(&mut s);
        let numeric = numeric_grad(&p, |q| mean_sq(&forward_from(q, &x, &DVector::zeros(h), 0), &y));
        let err = relative_error(&flat(&analytic), &numeric);
        assert!(err < 1e-6, "T={t_len} D={d} H={h}: relative error {err}");
    }
}

#[test]
fn full_bptt_gradient_matches_central_differences() {
    check_full_bptt(100, 0);
}

/// Later epochs too: the backward pass must use the weights as updated, not stale copies.
#[test]
fn full_bptt_gradient_matches_central_differences_after_updates() {
    check_full_bptt(400, 3);
}

#[test]
fn truncated_bptt_gradient_is_the_gradient_with_h_before_the_window_held_fixed() {
    for (i, &(t_len, d, h)) in SIZES.iter().enumerate().filter(|(_, s)| s.0 >= 3) {
        let k = t_len / 2;
        let mut s = small_session(t_len, d, h, Training::Bptt, Some(k), 200 + i as u64);
        let (p, x, y) = (s.params().clone(), s.x(), s.y().clone());
        let analytic = gradient_before_update(&mut s);
        let h_fixed = s.hidden_states().column(t_len - k).into_owned();
        let numeric = numeric_grad(&p, |q| mean_sq(&forward_from(q, &x, &h_fixed, t_len - k), &y));
        let err = relative_error(&flat(&analytic), &numeric);
        assert!(err < 1e-6, "T={t_len} D={d} H={h} k={k}: relative error {err}");
    }
}

/// The seed's gradient 2 (h_T − y) through the last step only is the exact gradient of the
/// *sum* of squared errors (H × the loss) with h_{T-1} held fixed; checked in a later epoch,
/// where the carried hidden state is not zero.
#[test]
fn seed_gradient_is_the_sum_of_squares_gradient_through_the_last_step() {
    for (i, &(t_len, d, h)) in SIZES.iter().enumerate() {
        let mut s = small_session(t_len, d, h, Training::BlogLoop, None, 300 + i as u64);
        s.run_epochs(2);
        let (p, x, y) = (s.params().clone(), s.x(), s.y().clone());
        let analytic = gradient_before_update(&mut s);
        let h_fixed = s.hidden_states().column(t_len - 1).into_owned();
        let numeric = numeric_grad(&p, |q| h as f64 * mean_sq(&forward_from(q, &x, &h_fixed, t_len - 1), &y));
        let err = relative_error(&flat(&analytic), &numeric);
        assert!(err < 1e-6, "T={t_len} D={d} H={h}: relative error {err}");
    }
}

/// H = D = 1, T = 2, by hand:
/// h1 = tanh(wx x1 + b), h2 = tanh(wx x2 + wh h1 + b), L = (h2 − y)²,
/// da2 = 2 (h2 − y)(1 − h2²), da1 = da2 wh (1 − h1²),
/// dwx = da2 x2 + da1 x1, dwh = da2 h1, db = da2 + da1.
#[test]
fn one_unit_two_steps_bptt_by_hand() {
    let (wx, wh, b, x1, x2, y) = (0.5, -0.8, 0.1, 1.0, -2.0, 0.3);
    let config = Config { seq_length: 2, input_size: 1, hidden_size: 1, training: Training::Bptt, ..Config::default() };
    let params = Params {
        wx: DMatrix::from_element(1, 1, wx),
        wh: DMatrix::from_element(1, 1, wh),
        b: DVector::from_element(1, b),
    };
    let mut s =
        Session::with_data(&config, DMatrix::from_row_slice(2, 1, &[x1, x2]), DVector::from_element(1, y), params);
    let g = gradient_before_update(&mut s);

    let h1 = f64::tanh(wx * x1 + b);
    let h2 = f64::tanh(wx * x2 + wh * h1 + b);
    let da2 = 2.0 * (h2 - y) * (1.0 - h2 * h2);
    let da1 = da2 * wh * (1.0 - h1 * h1);
    let close = |a: f64, b: f64| (a - b).abs() < 1e-14;
    assert!(close(s.losses()[0], (h2 - y).powi(2)));
    assert!(close(g.wx[(0, 0)], da2 * x2 + da1 * x1), "dwx {}", g.wx[(0, 0)]);
    assert!(close(g.wh[(0, 0)], da2 * h1), "dwh {}", g.wh[(0, 0)]);
    assert!(close(g.b[0], da2 + da1), "db {}", g.b[0]);
    // and the update is plain SGD
    s.step();
    assert!(close(s.params().wx[(0, 0)], wx - 0.01 * (da2 * x2 + da1 * x1)));
}
