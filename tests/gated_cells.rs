//! The gated cells' readable files (`lstm.rs`, `gru.rs`) against central differences, for every kind of loss, through the cell interface; one step of each against a transcription by hand; their starting weights and keep bias.

use nalgebra::{DMatrix, DVector};
use rnn_playground::model::cell::{Cell, State};
use rnn_playground::model::config::Init;
use rnn_playground::model::gru::{self, Gru};
use rnn_playground::model::lstm::{self, Lstm};
use rnn_playground::model::params::{Grads, Params, Sizes};
use rnn_playground::model::rng::{Normal, Stream};
use rnn_playground::model::rnn::{self, Target};

/// The states s_0 … s_T of `cell` over x (T×D) from h_0 = `h0`, through [`Cell::step`].
fn states(cell: &impl Cell, p: &Params, x: &DMatrix<f64>, h0: &DVector<f64>) -> Vec<State> {
    let mut out = vec![cell.initial_state(h0)];
    for t in 0..x.nrows() {
        let next = cell.step(p, &x.row(t).transpose(), &out[t]).1;
        out.push(next);
    }
    out
}

fn mean_sq(u: &DVector<f64>, v: &DVector<f64>) -> f64 {
    (u - v).map(|e| e * e).sum() / v.len() as f64
}

/// The loss of `target` on the run of `cell` over x.
fn loss(cell: &impl Cell, p: &Params, x: &DMatrix<f64>, h0: &DVector<f64>, target: &Target) -> f64 {
    let s = states(cell, p, x, h0);
    let t_len = x.nrows();
    match target {
        Target::LastHidden(y) => mean_sq(&s[t_len].h, y),
        Target::LastOutput(y) => mean_sq(&rnn::output(p, &s[t_len].h), y),
        Target::EveryOutput(y) => {
            let sum: f64 = (0..t_len).map(|t| mean_sq(&rnn::output(p, &s[t + 1].h), &y.row(t).transpose())).sum();
            sum / t_len as f64
        }
    }
}

/// The gradient of `target`'s loss by backpropagation through [`Cell::step_backward`]:
/// ∂L/∂h and ∂L/∂c from the last step back to the first, the output layer's share added where
/// the loss reads ŷ_t.
fn backprop(cell: &impl Cell, p: &Params, x: &DMatrix<f64>, h0: &DVector<f64>, target: &Target) -> Grads {
    let s = states(cell, p, x, h0);
    let t_len = x.nrows();
    let mut g = Grads::zeros(p.specs(), p.sizes());
    let h = h0.len();
    let mut d = State { h: DVector::zeros(h), c: DVector::zeros(s[0].c.len()) };
    if let Target::LastHidden(y) = target {
        d.h = (&s[t_len].h - y) * (2.0 / y.len() as f64);
    }
    for t in (0..t_len).rev() {
        let dy = match target {
            Target::LastOutput(y) if t == t_len - 1 => Some((rnn::output(p, &s[t + 1].h) - y) * (2.0 / y.len() as f64)),
            Target::EveryOutput(y) => {
                let o = y.ncols() as f64;
                Some((rnn::output(p, &s[t + 1].h) - y.row(t).transpose()) * (2.0 / (o * t_len as f64)))
            }
            _ => None,
        };
        if let Some(dy) = dy {
            d.h += rnn::output_backward(p, &s[t + 1].h, &dy, &mut g);
        }
        d = cell.step_backward(p, (&x.row(t).transpose(), &s[t], &s[t + 1]), &d, &mut g);
    }
    g
}

/// Central differences of the loss, entry by entry in the list's order, step 1e-5.
fn numeric(cell: &impl Cell, p: &Params, x: &DMatrix<f64>, h0: &DVector<f64>, target: &Target) -> Vec<f64> {
    let eps = 1e-5;
    let n: usize = p.values().iter().map(|m| m.len()).sum();
    let nudged = |i: usize, by: f64| {
        let mut q = p.clone();
        let entry = q.values_mut().iter_mut().flat_map(|m| m.iter_mut()).nth(i).expect("an entry");
        *entry += by;
        loss(cell, &q, x, h0, target)
    };
    (0..n).map(|i| (nudged(i, eps) - nudged(i, -eps)) / (2.0 * eps)).collect()
}

/// ‖a − b‖ / (‖a‖ + ‖b‖).
fn relative_error(a: &[f64], b: &[f64]) -> f64 {
    let diff: f64 = a.iter().zip(b).map(|(a, b)| (a - b).powi(2)).sum::<f64>().sqrt();
    let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
    diff / (norm(a) + norm(b)).max(1e-300)
}

/// Random weights for `cell` at sizes (H, D, O), scaled so that no gate saturates, with a
/// random bias; x (T×D) and h_0.
fn problem(
    cell: &impl Cell,
    (t_len, d, h, o): (usize, usize, usize, usize),
    seed: u64,
) -> (Params, DMatrix<f64>, DVector<f64>) {
    let mut rng = Normal::new(seed, Stream::Weights);
    let mut p = Params::init(cell.params(), Init::Scaled, 1.0, 1.0, Sizes { h, d, o }, &mut rng);
    for m in p.values_mut() {
        *m += rng.matrix(m.nrows(), m.ncols()) * 0.3;
    }
    (p, rng.matrix(t_len, d), rng.vector(h) * 0.5)
}

const SIZES: [(usize, usize, usize, usize); 5] = [(1, 1, 1, 1), (3, 2, 4, 1), (5, 3, 2, 3), (6, 2, 5, 2), (4, 4, 3, 1)];

fn check_every_loss(cell: &impl Cell, name: &str) {
    for (k, &(t_len, d, h, o)) in SIZES.iter().enumerate() {
        let (p, x, h0) = problem(cell, (t_len, d, h, o), 40 + k as u64);
        let mut rng = Normal::new(90 + k as u64, Stream::Data);
        let targets = [
            (Target::LastHidden(rng.vector(h) * 0.5), "the last h"),
            (Target::LastOutput(rng.vector(o)), "the last output"),
            (Target::EveryOutput(rng.matrix(t_len, o)), "every output"),
        ];
        for (target, what) in targets {
            // The seed's task has no output layer: it reads h itself.
            let p = if what == "the last h" {
                Params::from_values(cell.params(), Sizes { o: 0, ..p.sizes() }, {
                    let mut v = p.values().to_vec();
                    let cols = v[3].ncols();
                    (v[3], v[4]) = (DMatrix::zeros(0, cols), DMatrix::zeros(0, 1));
                    v
                })
            } else {
                p.clone()
            };
            let analytic: Vec<f64> =
                backprop(cell, &p, &x, &h0, &target).values().iter().flat_map(|m| m.iter()).copied().collect();
            let err = relative_error(&analytic, &numeric(cell, &p, &x, &h0, &target));
            assert!(err < 1e-7, "{name}, T={t_len} D={d} H={h} O={o}, loss on {what}: relative error {err:e}");
        }
    }
}

#[test]
fn the_lstm_gradient_matches_central_differences_for_every_loss() {
    check_every_loss(&Lstm, "LSTM");
}

#[test]
fn the_gru_gradient_matches_central_differences_for_every_loss() {
    check_every_loss(&Gru, "GRU");
}

/// σ as a textbook writes it (with `exp`: this test's own arithmetic, not the model's).
fn sigma(a: f64) -> f64 {
    1.0 / (1.0 + (-a).exp())
}

#[test]
fn one_lstm_step_is_the_textbooks_one_unit_at_a_time() {
    let (p, x, h0) = problem(&Lstm, (1, 2, 3, 1), 7);
    let c0 = DVector::from_vec(vec![0.3, -0.2, 0.5]);
    let (a, s) = Lstm.step(&p, &x.row(0).transpose(), &State { h: h0.clone(), c: c0.clone() });
    let [wx, wh, b, ..] = p.as_array::<5>();
    for j in 0..3 {
        let pre = |k: usize| {
            let r = k * 3 + j;
            (0..2).map(|q| wx[(r, q)] * x[(0, q)]).sum::<f64>() + (0..3).map(|q| wh[(r, q)] * h0[q]).sum::<f64>() + b[r]
        };
        let (f, g, i, o) = (sigma(pre(0)), pre(1).tanh(), sigma(pre(2)), sigma(pre(3)));
        let c = f * c0[j] + g * i;
        assert!((s.c[j] - c).abs() < 1e-14 && (s.h[j] - o * c.tanh()).abs() < 1e-14, "unit {j}");
        assert!((a[3 + j] - pre(1)).abs() < 1e-14, "A is stacked f, g, i, o");
    }
}

#[test]
fn one_gru_step_is_the_textbooks_one_unit_at_a_time() {
    let (p, x, h0) = problem(&Gru, (1, 2, 3, 1), 8);
    let s = Gru.step(&p, &x.row(0).transpose(), &State::of_h(h0.clone())).1;
    let [wx, wh, b, ..] = p.as_array::<5>();
    let input = |r: usize| (0..2).map(|q| wx[(r, q)] * x[(0, q)]).sum::<f64>() + b[r];
    let r: Vec<f64> =
        (0..3).map(|j| sigma(input(3 + j) + (0..3).map(|q| wh[(3 + j, q)] * h0[q]).sum::<f64>())).collect();
    for j in 0..3 {
        let z = sigma(input(j) + (0..3).map(|q| wh[(j, q)] * h0[q]).sum::<f64>());
        let h_hat = (input(6 + j) + (0..3).map(|q| wh[(6 + j, q)] * r[q] * h0[q]).sum::<f64>()).tanh();
        assert!((s.h[j] - ((1.0 - z) * h0[j] + z * h_hat)).abs() < 1e-14, "unit {j}");
    }
    assert!(s.c.is_empty(), "a GRU carries h alone");
}

#[test]
fn the_keep_bias_starts_the_forget_and_update_gates_and_survives_a_resize() {
    let sizes = Sizes { h: 2, d: 3, o: 1 };
    let mut rng = Normal::new(5, Stream::Weights);
    let p = Params::init(&lstm::PARAMS, Init::Scaled, 1.0, 3.0, sizes, &mut rng);
    assert_eq!(p.values()[2].as_slice(), [3.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], "LSTM: f at +3");
    let q = Params::init(&gru::PARAMS, Init::Scaled, 1.0, 3.0, sizes, &mut rng);
    assert_eq!(q.values()[2].as_slice(), [-3.0, -3.0, 0.0, 0.0, 0.0, 0.0], "GRU: z at −3");
    let grown = p.resized(Sizes { h: 3, ..sizes }, 3.0, &mut rng);
    assert_eq!(grown.values()[2].as_slice(), [3.0, 3.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
    let (wh, big) = (&p.values()[1], &grown.values()[1]);
    assert_eq!((big[(3, 0)], big[(4, 1)]), (wh[(2, 0)], wh[(3, 1)]), "each block keeps its overlap");
    assert_eq!(Lstm.recurrent(&p), p.values()[1].rows(2, 2).into_owned(), "the candidate's (g) block");
    assert_eq!(Gru.recurrent(&q), q.values()[1].rows(4, 2).into_owned(), "the candidate's block");
}

#[test]
fn gated_weights_draw_like_the_rnns_block_after_block_and_scale_alike() {
    let sizes = Sizes { h: 4, d: 2, o: 1 };
    let draw = |specs, init| Params::init(specs, init, 2.0, 1.0, sizes, &mut Normal::new(9, Stream::Weights));
    let (unscaled, scaled) = (draw(&lstm::PARAMS, Init::Unscaled), draw(&lstm::PARAMS, Init::Scaled));
    let mut rng = Normal::new(9, Stream::Weights);
    assert_eq!(unscaled.values()[0], rng.matrix(16, 2), "Wx first, all four blocks row by row");
    assert_eq!(unscaled.values()[1], rng.matrix(16, 4), "then Wh");
    assert_eq!(unscaled.values()[3], rng.matrix(1, 4), "then Wy");
    assert_eq!(scaled.values()[0], &unscaled.values()[0] * (1.0 / 2f64.sqrt()), "Wx by 1/√D");
    assert_eq!(scaled.values()[1], &unscaled.values()[1] * (2.0 / 2.0), "Wh by g/√H");
    assert_eq!(scaled.values()[3], &unscaled.values()[3] / 2.0, "Wy by 1/√H");
    assert_eq!((Lstm.twin_weight(), Gru.twin_weight()), ((1, 0, 0), (1, 0, 0)));
}

/// The page's ‖∂L/∂c_t‖ (the fast layer's, per backward step) is the norm of the whole gradient
/// reaching the LSTM's c_t, `ds`: checked against the readable file's backward chain, where
/// `dc_{t−1} = ds ⊙ f` gives ds back (f = σ(A_f) is never 0).
#[test]
fn the_lstms_cell_gradient_norms_are_those_of_the_readable_backward_pass() {
    use rnn_playground::model::{CellKind, Config, Session, Training};
    let config = Config {
        training: Training::Bptt,
        cell: Some(CellKind::Lstm),
        seq_length: 7,
        hidden_size: 5,
        input_size: 3,
        ..Config::default()
    };
    let mut session = Session::new(&config);
    let (p, x, y) = (session.params().clone(), session.x(), session.y().clone());
    session.finish_epoch();
    let fast = session.cell_gradient_norms().to_vec();
    let (cell, h0) = (Lstm, DVector::zeros(5));
    let s = states(&cell, &p, &x, &h0);
    let mut g = Grads::zeros(p.specs(), p.sizes());
    let mut d = State { h: (&s[7].h - &y) * (2.0 / 5.0), c: DVector::zeros(5) };
    for t in (0..7).rev() {
        let x_t = x.row(t).transpose();
        let forget = cell.step(&p, &x_t, &s[t]).0.rows(0, 5).map(lstm::sigmoid);
        d = cell.step_backward(&p, (&x_t, &s[t], &s[t + 1]), &d, &mut g);
        let ds = d.c.component_div(&forget);
        assert!((ds.norm() - fast[t]).abs() <= 1e-12 * ds.norm(), "t = {t}: {} vs {}", ds.norm(), fast[t]);
    }
}
