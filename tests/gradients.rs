//! Gradient checks of the readable model (`rnn.rs`) against central differences: the first link of the chain.
//!
//! central differences → readable (here) → fast (`fast_equals_readable.rs`); the blog's loop is
//! also replayed from a plain transcription (`seed_loop.rs`).

use nalgebra::{DMatrix, DVector};
use rnn_playground::model::cell::{Cell, State};
use rnn_playground::model::config::{Init, Task};
use rnn_playground::model::rng::{Normal, Stream};
use rnn_playground::model::rnn::{self, Bptt, Grads, Params, Target};
use rnn_playground::model::tasks;

/// Forward from `h_start` through timesteps `from..T` of `x` (T×D) with `f64::tanh`, and the loss
/// of `target` on what it reaches. Deliberately not `rnn::forward` nor `rnn::loss`, so that the
/// check does not rest on the code it checks.
fn loss_from(p: &Params, x: &DMatrix<f64>, target: &Target, h_start: &DVector<f64>, from: usize) -> f64 {
    let t_len = x.nrows();
    let [wx, wh, b, wy, by] = p.as_array::<5>();
    let mut h = h_start.clone();
    let mut y_hat = DVector::zeros(0);
    let mut every = 0.0;
    for t in from..t_len {
        let x_t = x.row(t).transpose();
        h = (wx * x_t + wh * &h + b).map(f64::tanh);
        y_hat = wy * &h + by;
        if let Target::EveryOutput(y) = target {
            every += (&y_hat - y.row(t).transpose()).map(|e| e * e).sum();
        }
    }
    match target {
        Target::LastHidden(y) => mean_sq(&h, y),
        Target::LastOutput(y) => mean_sq(&y_hat, y),
        Target::EveryOutput(y) => every / y.len() as f64,
    }
}

fn forward_from(p: &Params, x: &DMatrix<f64>, h_start: &DVector<f64>, from: usize) -> DVector<f64> {
    let [wx, wh, b, ..] = p.as_array::<5>();
    let mut h = h_start.clone();
    for t in from..x.nrows() {
        let x_t = x.row(t).transpose();
        h = (wx * x_t + wh * &h + b).map(f64::tanh);
    }
    h
}

fn mean_sq(h: &DVector<f64>, y: &DVector<f64>) -> f64 {
    (h - y).map(|e| e * e).sum() / y.len() as f64
}

/// Every parameter as one flat list of mutable references, in the list's order.
fn entries(p: &mut Params) -> Vec<&mut f64> {
    p.values_mut().iter_mut().flat_map(|m| m.iter_mut()).collect()
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

fn flat(g: &Grads) -> Vec<f64> {
    g.values().iter().flat_map(|m| m.iter()).copied().collect()
}

/// ‖a − b‖ / (‖a‖ + ‖b‖).
fn relative_error(a: &[f64], b: &[f64]) -> f64 {
    let diff: f64 = a.iter().zip(b).map(|(a, b)| (a - b).powi(2)).sum::<f64>().sqrt();
    let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
    diff / (norm(a) + norm(b)).max(1e-300)
}

/// A small random problem: weights scaled by 0.5 so that tanh is not saturated, a nonzero b,
/// x (T×D), y (H) within reach, and a nonzero starting state h0 (H).
struct Problem {
    p: Params,
    x: DMatrix<f64>,
    y: DVector<f64>,
    h0: DVector<f64>,
}

fn problem(t_len: usize, d: usize, h: usize, seed: u64) -> Problem {
    let mut rng = Normal::new(seed, Stream::Weights);
    let mut p = rnn::unscaled(h, d, &mut rng);
    let [wx, wh, b, ..] = p.as_array_mut::<5>();
    *wx *= 0.5;
    *wh *= 0.5;
    *b = rng.matrix(h, 1) * 0.1;
    let x = rng.matrix(t_len, d);
    let y = rng.vector(h) * 0.5;
    let h0 = rng.vector(h) * 0.3;
    Problem { p, x, y, h0 }
}

const SIZES: [(usize, usize, usize); 6] = [(1, 1, 1), (3, 2, 4), (5, 3, 2), (7, 4, 5), (4, 6, 3), (6, 2, 20)];

#[test]
fn full_bptt_gradient_matches_central_differences() {
    for (i, &(t_len, d, h)) in SIZES.iter().enumerate() {
        let Problem { p, x, y, .. } = problem(t_len, d, h, 100 + i as u64);
        let zeros = DVector::zeros(h);
        let fwd = rnn::forward(&p, &x, &zeros);
        let target = Target::LastHidden(y.clone());
        let analytic = rnn::backward(&p, &x, &fwd, rnn::loss_gradient(&fwd, &target), t_len).grads;
        let numeric = numeric_grad(&p, |q| mean_sq(&forward_from(q, &x, &zeros, 0), &y));
        let err = relative_error(&flat(&analytic), &numeric);
        assert!(err < 1e-6, "T={t_len} D={d} H={h}: relative error {err}");
    }
}

/// Later epochs too: each epoch's backward pass uses the weights as updated.
#[test]
fn full_bptt_gradient_matches_central_differences_after_updates() {
    for (i, &(t_len, d, h)) in SIZES.iter().enumerate() {
        let Problem { mut p, x, y, .. } = problem(t_len, d, h, 400 + i as u64);
        let (target, mut zeros) = (Target::LastHidden(y.clone()), DVector::zeros(h));
        let s = Bptt { k: t_len, learning_rate: 0.5, clip_norm: None, stateful: false };
        for _ in 0..3 {
            rnn::bptt_epoch(&mut p, &x, &target, &mut zeros, &s);
        }
        let epoch = rnn::bptt_epoch(&mut p.clone(), &x, &target, &mut zeros, &s);
        let numeric = numeric_grad(&p, |q| mean_sq(&forward_from(q, &x, &zeros, 0), &y));
        let err = relative_error(&flat(&epoch.backward.grads), &numeric);
        assert!(err < 1e-6, "T={t_len} D={d} H={h}: relative error {err}");
        let loss = mean_sq(&forward_from(&p, &x, &zeros, 0), &y);
        assert!((epoch.loss - loss).abs() <= 1e-13 * loss, "the loss is the mean squared error");
    }
}

#[test]
fn truncated_bptt_gradient_is_the_gradient_with_h_before_the_window_held_fixed() {
    for (i, &(t_len, d, h)) in SIZES.iter().enumerate().filter(|(_, s)| s.0 >= 3) {
        for k in [1, t_len / 2, t_len - 1] {
            let Problem { p, x, y, h0 } = problem(t_len, d, h, 200 + i as u64);
            let fwd = rnn::forward(&p, &x, &h0);
            let analytic =
                rnn::backward(&p, &x, &fwd, rnn::loss_gradient(&fwd, &Target::LastHidden(y.clone())), k).grads;
            let h_fixed = fwd.h[t_len - k].clone();
            let numeric = numeric_grad(&p, |q| mean_sq(&forward_from(q, &x, &h_fixed, t_len - k), &y));
            let err = relative_error(&flat(&analytic), &numeric);
            assert!(err < 1e-6, "T={t_len} D={d} H={h} k={k}: relative error {err}");
        }
    }
}

/// The blog's gradient 2 (h_T − y) through the last step only is the exact gradient of the
/// *sum* of squared errors (H × the loss) with h_{T-1} held fixed; checked in a later epoch,
/// where the carried hidden state is not zero.
#[test]
fn the_blog_loops_gradient_is_the_sum_of_squares_gradient_through_the_last_step() {
    for (i, &(t_len, d, h)) in SIZES.iter().enumerate() {
        let Problem { mut p, x, y, mut h0 } = problem(t_len, d, h, 300 + i as u64);
        for _ in 0..2 {
            rnn::blog_loop_epoch(&mut p, &x, &y, &mut h0, 0.01);
        }
        assert!(h0.iter().any(|&v| v != 0.0), "the state is carried");
        let before = p.clone();
        let epoch = rnn::blog_loop_epoch(&mut p, &x, &y, &mut h0.clone(), 0.01);
        let h_fixed = epoch.forward.h[t_len - 1].clone();
        let numeric = numeric_grad(&before, |q| h as f64 * mean_sq(&forward_from(q, &x, &h_fixed, t_len - 1), &y));
        let err = relative_error(&flat(&epoch.backward.grads), &numeric);
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
    let one = |v| DMatrix::from_element(1, 1, v);
    let mut p =
        rnn::with_values(one(wx), one(wh), DVector::from_element(1, b), DMatrix::zeros(0, 1), DVector::zeros(0));
    let x = DMatrix::from_row_slice(2, 1, &[x1, x2]);
    let s = Bptt { k: 2, learning_rate: 0.01, clip_norm: None, stateful: false };
    let target = Target::LastHidden(DVector::from_element(1, y));
    let epoch = rnn::bptt_epoch(&mut p, &x, &target, &mut DVector::zeros(1), &s);
    let [dwx, dwh, db, ..] = epoch.backward.grads.as_array::<5>();

    let h1 = f64::tanh(wx * x1 + b);
    let h2 = f64::tanh(wx * x2 + wh * h1 + b);
    let da2 = 2.0 * (h2 - y) * (1.0 - h2 * h2);
    let da1 = da2 * wh * (1.0 - h1 * h1);
    let close = |a: f64, b: f64| (a - b).abs() < 1e-14;
    assert!(close(epoch.loss, (h2 - y).powi(2)));
    assert!(close(dwx[(0, 0)], da2 * x2 + da1 * x1), "dwx {}", dwx[(0, 0)]);
    assert!(close(dwh[(0, 0)], da2 * h1), "dwh {}", dwh[(0, 0)]);
    assert!(close(db[0], da2 + da1), "db {}", db[0]);
    // and the update is plain SGD
    assert!(close(p.values()[0][(0, 0)], wx - 0.01 * (da2 * x2 + da1 * x1)));
}

/// A problem of `task` with its own data and an output layer: scaled weights (g = 0.9) plus
/// small nonzero biases, so that no gradient is trivially zero.
fn task_problem(task: Task, t_len: usize, h: usize, seed: u64) -> (Params, DMatrix<f64>, Target, DVector<f64>) {
    let d = task.input_size().unwrap_or(3);
    let o = task.output_size(d);
    let mut rng = Normal::new(seed, Stream::Weights);
    let mut p = rnn::init(Init::Scaled, 0.9, (h, d, o), &mut rng);
    let [_, _, b, _, by] = p.as_array_mut::<5>();
    *b = rng.matrix(h, 1) * 0.1;
    *by = rng.matrix(o, 1) * 0.1;
    let sized = Config { task, seq_length: t_len, input_size: d, hidden_size: h, ..Config::default() };
    let (x, y) = tasks::draw(&sized, &mut Normal::new(seed, Stream::Data));
    let y = if task == Task::RandomTarget { y * 0.5 } else { y };
    let h0 = rng.vector(h) * 0.3;
    (p, x, tasks::target(task.loss_at(), &y, o), h0)
}

/// Every combination the validity table allows in BPTT: each task (so each loss placement),
/// full or truncated (losses at the last step only), from h_0 = 0 or from a carried h_0 held
/// fixed (a stateful run). The gradient is the exact gradient of the loss with h_{T−k} held fixed.
#[test]
fn every_task_truncation_and_carried_state_matches_central_differences() {
    let mut checked = 0;
    for (n, task) in [Task::RandomTarget, Task::SineNext, Task::RememberFirst, Task::Adding].into_iter().enumerate() {
        for (t_len, h) in [(2, 1), (5, 4), (8, 7), (6, 20)] {
            let ks: Vec<usize> = match task.loss_at() {
                rnn_playground::model::LossAt::EveryOutput => vec![t_len],
                _ => vec![t_len, 1, t_len / 2 + 1],
            };
            for k in ks {
                for stateful in [false, true] {
                    let (p, x, target, h0) = task_problem(task, t_len, h, 50 * n as u64 + t_len as u64 + h as u64);
                    let h0 = if stateful { h0 } else { DVector::zeros(h) };
                    let fwd = rnn::forward(&p, &x, &h0);
                    let analytic = rnn::backward(&p, &x, &fwd, rnn::loss_gradient(&fwd, &target), k).grads;
                    let h_fixed = fwd.h[t_len - k].clone();
                    let numeric = numeric_grad(&p, |q| loss_from(q, &x, &target, &h_fixed, t_len - k));
                    let err = relative_error(&flat(&analytic), &numeric);
                    let what = format!("{task:?} T={t_len} H={h} k={k} stateful={stateful}");
                    assert!(err < 1e-6, "{what}: relative error {err}");
                    assert!(
                        (rnn::loss(&fwd, &target) - loss_from(&p, &x, &target, &h0, 0)).abs() < 1e-12,
                        "{what}: loss"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 2 * 4 * (3 + 1 + 3 + 3));
}

/// A BPTT epoch applies the clipped gradient (norm = clip_norm, same direction) and reports
/// the unclipped one as its backward pass; a carried state moves on to h_T.
#[test]
fn an_epoch_clips_what_it_applies_and_carries_the_state_when_stateful() {
    let (p, x, target, h0) = task_problem(Task::RememberFirst, 6, 5, 9);
    let s = Bptt { k: 6, learning_rate: 0.1, clip_norm: Some(1e-3), stateful: true };
    let (mut q, mut h) = (p.clone(), h0.clone());
    let e = rnn::bptt_epoch(&mut q, &x, &target, &mut h, &s);
    let norm = rnn::global_norm(&e.backward.grads);
    assert!(norm > 1e-3, "the case clips");
    assert!((rnn::global_norm(&e.applied) - 1e-3).abs() < 1e-15);
    for (applied, found) in e.applied.values().iter().zip(e.backward.grads.values()) {
        assert_eq!(applied, &(found * (1e-3 / norm)), "every gradient scaled alike");
    }
    assert_eq!(h, e.forward.h[6]);
    for ((after, before), dw) in q.values().iter().zip(p.values()).zip(e.applied.values()) {
        assert_eq!(after, &(before - dw * 0.1));
    }
}

/// The parts of ∂L/∂h_t by the step whose loss sent them (RNNbow) add up to the gradient the
/// backward pass reports, at every step; a loss never sends a gradient forward in time.
#[test]
fn the_gradients_parts_by_source_step_add_up_to_the_gradient() {
    for (t_len, h) in [(2, 1), (5, 4), (12, 16)] {
        let (p, x, target, h0) = task_problem(Task::SineNext, t_len, h, 7 + t_len as u64);
        let fwd = rnn::forward(&p, &x, &h0);
        let dl = rnn::loss_gradient(&fwd, &target);
        let parts = rnn::gradient_parts(&p, &fwd, &dl);
        let back = rnn::backward(&p, &x, &fwd, dl, t_len);
        for (t, row) in parts.iter().enumerate() {
            let total = row.iter().fold(DVector::zeros(h), |sum, part| sum + part);
            let norm = back.dh_norms[t];
            assert!((total.norm() - norm).abs() <= 1e-12 * norm, "T={t_len} H={h} t={t}: {} vs {norm}", total.norm());
            assert!(row[..t].iter().all(|part| part.norm() == 0.0), "step {t} gets nothing from earlier losses");
            assert!(row[t].norm() > 0.0, "step {t}'s own loss reaches it");
        }
    }
}

/// The cell's interface ([`Cell::step`], [`Cell::step_backward`] on [`State`]s) gives the
/// gradient central differences give, as `rnn::backward` does (and the same bits as it).
#[test]
fn the_cells_own_steps_forward_and_back_match_central_differences() {
    for (i, &(t_len, d, h)) in SIZES.iter().enumerate() {
        let Problem { p, x, y, h0 } = problem(t_len, d, h, 300 + i as u64);
        let cell = rnn::Rnn::default();
        let mut states = vec![State::of_h(h0.clone())];
        for t in 0..t_len {
            let next = cell.step(&p, &x.row(t).transpose(), &states[t]).1;
            states.push(next);
        }
        let mut g = Grads::zeros(p.specs(), p.sizes());
        let mut d_state = State::of_h(rnn::sum_of_squares_gradient(&states[t_len].h, &y) / h as f64);
        for t in (0..t_len).rev() {
            let step = (&x.row(t).transpose(), &states[t], &states[t + 1]);
            d_state = cell.step_backward(&p, step, &d_state, &mut g);
        }
        let numeric = numeric_grad(&p, |q| mean_sq(&forward_from(q, &x, &h0, 0), &y));
        let err = relative_error(&flat(&g), &numeric);
        assert!(err < 1e-6, "T={t_len} D={d} H={h}: relative error {err}");
        let fwd = rnn::forward(&p, &x, &h0);
        let target = Target::LastHidden(y.clone());
        let bptt = rnn::backward(&p, &x, &fwd, rnn::loss_gradient(&fwd, &target), t_len).grads;
        assert_eq!(g, bptt, "T={t_len} D={d} H={h}");
        assert!(d_state.c.is_empty(), "the plain RNN carries h alone");
    }
}

// --- every cell: the LSTM, the GRU and the plain RNN with each activation --------------------

use rnn_playground::model::cell::AnyCell;
use rnn_playground::model::unrolled;
use rnn_playground::model::{Activation, CellKind, Config, Training};

/// The loss of `target` on `cell` run from `start` over the steps `from..T` of x, written
/// plainly here (each step through [`Cell::step`], the output layer and the mean of squares
/// by hand): not `unrolled::forward` nor `rnn::loss`, which are what is checked.
fn cell_loss_from(cell: &impl Cell, p: &Params, x: &DMatrix<f64>, target: &Target, start: &State, from: usize) -> f64 {
    let t_len = x.nrows();
    let (wy, by) = (p.get("wy").unwrap(), p.get("by").unwrap());
    let by = DVector::from_column_slice(by.as_slice());
    let mut s = start.clone();
    let mut every = 0.0;
    for t in from..t_len {
        s = cell.step(p, &x.row(t).transpose(), &s).1;
        if let Target::EveryOutput(y) = target {
            every += mean_sq(&(wy * &s.h + &by), &y.row(t).transpose());
        }
    }
    match target {
        Target::LastHidden(y) => mean_sq(&s.h, y),
        Target::LastOutput(y) => mean_sq(&(wy * &s.h + &by), y),
        Target::EveryOutput(_) => every / t_len as f64,
    }
}

/// Every cell in every combination the validity table allows in BPTT: each task, full or
/// truncated (h_{T−k} and c_{T−k} held fixed), from zeros or a carried state (h_0 and the LSTM's
/// c_0 nonzero), keep biases 0 and 2 (GRU 3), and the plain RNN with ReLU and linear. The gradient of
/// `unrolled::backward` (the cell's own backward steps) against central differences of the loss.
#[test]
fn every_cell_task_truncation_and_carried_state_matches_central_differences() {
    let cells = [
        (CellKind::Lstm, None, Some(0.0)),
        (CellKind::Lstm, None, Some(2.0)),
        (CellKind::Gru, None, Some(0.0)),
        (CellKind::Gru, None, Some(3.0)),
        (CellKind::Rnn, Some(Activation::Relu), None),
        (CellKind::Rnn, Some(Activation::Linear), None),
    ];
    let mut checked = 0;
    for (n, &(kind, activation, keep_bias)) in cells.iter().enumerate() {
        for task in [Task::RandomTarget, Task::SineNext, Task::RememberFirst, Task::Adding] {
            for (t_len, h) in [(2, 1), (5, 4), (7, 9)] {
                let d = task.input_size().unwrap_or(3);
                let config = Config {
                    seq_length: t_len,
                    input_size: d,
                    hidden_size: h,
                    task,
                    training: Training::Bptt,
                    init: Some(Init::Scaled),
                    init_scale: Some(0.9),
                    cell: (kind != CellKind::Rnn).then_some(kind),
                    activation,
                    keep_bias,
                    seed: 300 + n as u64 + t_len as u64,
                    ..Config::default()
                };
                let cell = AnyCell::of(&config);
                let mut p = rnn_playground::model::session::starting_weights(&config);
                let mut rng = Normal::new(config.seed, Stream::Resize);
                // Small nonzero biases (and output biases), so that no gradient is trivially zero.
                for (spec, m) in p.specs().iter().zip(p.values_mut()) {
                    if spec.is_vector() {
                        *m += rng.matrix(m.nrows(), 1) * 0.1;
                    }
                }
                let sized = Config { task, seq_length: t_len, input_size: d, hidden_size: h, ..config.clone() };
                let (x, y) = tasks::draw(&sized, &mut Normal::new(config.seed, Stream::Data));
                let y = if task == Task::RandomTarget { y * 0.5 } else { y };
                let target = tasks::target(task.loss_at(), &y, config.output_size());
                let ks: Vec<usize> = match task.loss_at() {
                    rnn_playground::model::LossAt::EveryOutput => vec![t_len],
                    _ => vec![t_len, 1, t_len / 2 + 1],
                };
                for k in ks {
                    for stateful in [false, true] {
                        let mut start = cell.initial_state(&DVector::zeros(h));
                        if stateful {
                            start.h = rng.vector(h) * 0.3;
                            start.c = rng.vector(start.c.len()) * 0.5;
                        }
                        let un = unrolled::forward(&cell, &p, &x, &start);
                        let dl = rnn::loss_gradient(&un.forward, &target);
                        let analytic = unrolled::backward(&cell, &p, &x, &un, dl, k).grads;
                        let fixed = un.state(t_len - k);
                        let numeric = numeric_grad(&p, |q| cell_loss_from(&cell, q, &x, &target, &fixed, t_len - k));
                        let err = relative_error(&flat(&analytic), &numeric);
                        let what = format!(
                            "{kind:?} {activation:?} keep {keep_bias:?} {task:?} T={t_len} H={h} k={k} stateful={stateful}"
                        );
                        assert!(err < 1e-6, "{what}: relative error {err}");
                        let loss = rnn::loss(&un.forward, &target);
                        assert!(
                            (loss - cell_loss_from(&cell, &p, &x, &target, &start, 0)).abs() < 1e-12,
                            "{what}: loss"
                        );
                        checked += 1;
                    }
                }
            }
        }
    }
    assert_eq!(checked, 6 * 3 * 2 * (3 + 1 + 3 + 3));
}

/// The plain RNN's activations at their edges: ReLU′(0) = 0 (and below 0), 1 above; linear 1;
/// tanh 1 − h². The backward step multiplies ∂L/∂h_t by exactly these.
#[test]
fn each_activation_and_its_slope_is_as_written() {
    use rnn_playground::model::rnn::{activate, activation_slope};
    assert_eq!((activate(Activation::Relu, -0.5), activate(Activation::Relu, 0.0)), (0.0, 0.0));
    assert_eq!(activate(Activation::Relu, 2.5), 2.5);
    assert_eq!(activation_slope(Activation::Relu, activate(Activation::Relu, 0.0)), 0.0, "ReLU′(0) = 0");
    assert_eq!(activation_slope(Activation::Relu, activate(Activation::Relu, -3.0)), 0.0);
    assert_eq!(activation_slope(Activation::Relu, activate(Activation::Relu, 1e-300)), 1.0);
    assert_eq!((activate(Activation::Linear, -7.0), activation_slope(Activation::Linear, -7.0)), (-7.0, 1.0));
    let h = activate(Activation::Tanh, 0.3);
    assert_eq!(activation_slope(Activation::Tanh, h), 1.0 - h * h);
    // A unit whose a_t is exactly 0 gets no gradient through ReLU.
    let one = |v| DMatrix::from_element(1, 1, v);
    let p = rnn::with_values(one(1.0), one(0.0), DVector::zeros(1), DMatrix::zeros(0, 1), DVector::zeros(0));
    let cell = rnn::Rnn { activation: Activation::Relu };
    let x = DMatrix::from_element(1, 1, 0.0);
    let un = unrolled::forward(&cell, &p, &x, &State::of_h(DVector::zeros(1)));
    assert_eq!(un.forward.a[0][0], 0.0);
    let dl = rnn::LossGradient { dh_last: DVector::from_element(1, 1.0), dy_hat: vec![None] };
    let g = unrolled::backward(&cell, &p, &x, &un, dl, 1).grads;
    assert!(g.values().iter().all(|m| m.iter().all(|&v| v == 0.0)), "{g:?}");
}
