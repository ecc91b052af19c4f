//! The speed layer equals the readable model, bit for bit: the second link of the chain.
//!
//! central differences → readable (`gradients.rs`, `seed_loop.rs`) → fast (here). A session is
//! driven both ways the page and the command line drive it, one micro-step at a time (each
//! backward step adding its own dWx and dWh) and in whole epochs (one summed sweep for the
//! weight gradients), and every number of every epoch is compared with `rnn.rs`.
//!
//! The tasks with an output layer are driven the same way, with every control of the validity
//! table: both loss placements, truncation, clipping, a carried state, fixed and fresh data,
//! scaled init (`the_tasks_with_an_output_layer_equal_the_readable_model_bit_for_bit`).
//!
//! Every quantity agrees to the bit, ŷ_t and the output layer's gradients included. (Clipping
//! is the one step the speed layer does not write again: it calls `rnn::clip` itself, an
//! O(parameters) step once per epoch, so its global norm is summed in the same order by
//! construction.) The fast layer sums each product and each gradient in the
//! order nalgebra's operators in `rnn.rs` sum them, so none is left to agree only to 1e-12.
//! (The one possible difference is the sign of an exact zero: the fast kernels start each sum
//! from +0, nalgebra from its first product, so a sum of nothing but −0 products would differ.
//! Random weights never produce one; `fast/kernels.rs` tests its own zero signs.) The weights are
//! still scaled so that runs are not chaotic, so that a future change of summation order would
//! show as a small difference rather than a different run.

use nalgebra::{DMatrix, DVector};
use rnn_playground::model::rng::{Normal, Stream};
use rnn_playground::model::rnn::{self, Bptt, Epoch, Grads, Params};
use rnn_playground::model::{Config, DataMode, Init, Phase, Session, Task, Training, tasks};

fn bits<'a>(values: impl IntoIterator<Item = &'a f64>) -> Vec<u64> {
    values.into_iter().map(|v| v.to_bits()).collect()
}

/// Every entry of every parameter, in the list's order.
fn params_bits(p: &Params) -> Vec<u64> {
    bits(p.values().iter().flat_map(|m| m.iter()))
}

fn grads_bits(g: &Grads) -> Vec<u64> {
    params_bits(g)
}

/// Starting weights that keep the run out of chaos: Wx ~ N(0, 1/D), Wh ~ N(0, 0.8²/H),
/// Wy ~ N(0, 1/H), biases small; for random-target x and y from the same stream, for the
/// other tasks their own data (the first epoch's, with fresh data).
fn calm_start(config: &Config) -> (DMatrix<f64>, DVector<f64>, Params) {
    let (t_len, d, h, o) = (config.seq_length, config.input_size, config.hidden_size, config.output_size());
    let mut rng = Normal::new(config.seed, Stream::Weights);
    if config.task == Task::RandomTarget {
        let mut p = rnn::unscaled(h, d, &mut rng);
        let [wx, wh, b, ..] = p.as_array_mut::<5>();
        *wx /= (d as f64).sqrt();
        *wh *= 0.8 / (h as f64).sqrt();
        *b = rng.matrix(h, 1) * 0.1;
        return (rng.matrix(t_len, d), rng.vector(h) * 0.7, p);
    }
    let mut p = rnn::init(Init::Scaled, 0.8, (h, d, o), &mut rng);
    let [_, _, b, _, by] = p.as_array_mut::<5>();
    *b = rng.matrix(h, 1) * 0.1;
    *by = rng.matrix(o, 1) * 0.1;
    let (x, y) = match config.data() {
        DataMode::Fixed => {
            let sized = Config { seq_length: t_len, input_size: d, hidden_size: h, ..config.clone() };
            tasks::draw(&sized, &mut Normal::new(config.seed, Stream::Data))
        }
        DataMode::Fresh => tasks::fresh(config, config.data_offset),
    };
    (x, y, p)
}

/// The readable model's epoch for this config.
fn readable_epoch(c: &Config, p: &mut Params, x: &DMatrix<f64>, y: &DVector<f64>, h: &mut DVector<f64>) -> Epoch {
    match c.training {
        Training::BlogLoop => rnn::blog_loop_epoch(p, x, y, h, c.learning_rate),
        Training::Bptt => {
            let s = Bptt {
                k: c.backprop_steps(),
                learning_rate: c.learning_rate,
                clip_norm: c.clip_norm,
                stateful: c.stateful(),
            };
            rnn::bptt_epoch(p, x, &tasks::target(c.loss_at(), y, c.output_size()), h, &s)
        }
    }
}

/// Everything the session shows of the epoch it has just run up to its update, against `rnn.rs`.
fn assert_epoch_equal(s: &Session, e: &Epoch, what: &str) {
    let t_len = s.config().seq_length;
    for t in 0..t_len {
        assert_eq!(
            bits(s.hidden_states().column(t + 1).iter()),
            bits(e.forward.h[t + 1].iter()),
            "{what}: h_{}",
            t + 1
        );
        assert_eq!(bits(s.pre_activations().column(t).iter()), bits(e.forward.a[t].iter()), "{what}: a_{}", t + 1);
        if let Some(y_hat) = s.y_hat() {
            assert_eq!(bits(y_hat.column(t).iter()), bits(e.forward.y_hat[t].iter()), "{what}: ŷ_{}", t + 1);
        }
    }
    assert_eq!(s.loss().map(f64::to_bits), Some(e.loss.to_bits()), "{what}: loss");
    assert_eq!(bits(s.gradient_norms()), bits(&e.backward.dh_norms), "{what}: ‖∂L/∂h_t‖");
    assert_eq!(grads_bits(s.grads()), grads_bits(&e.backward.grads), "{what}: dWx, dWh, db");
}

fn check(config: &Config, epochs: usize) {
    let (x, y, start) = calm_start(config);
    let mut stepped = Session::with_data(config, x.clone(), y.clone(), start.clone());
    let mut whole = stepped.clone();
    let (mut p, mut h) = (start, DVector::zeros(config.hidden_size));
    let (mut x, mut y) = (x, y);
    for epoch in 1..=epochs {
        let what = format!("{config:?}, epoch {epoch}");
        if config.data() == DataMode::Fresh {
            (x, y) = tasks::fresh(config, config.data_offset + epoch as u64 - 1);
            assert_eq!((stepped.x(), stepped.y()), (x.clone(), &y), "{what}: this epoch's fresh data");
        }
        let e = readable_epoch(config, &mut p, &x, &y, &mut h);
        while stepped.phase() != Phase::Update {
            stepped.step();
        }
        assert_epoch_equal(&stepped, &e, &format!("{what}, stepped"));
        stepped.step();
        whole.finish_epoch();
        // After its update the whole-epoch session still shows the epoch (and its gradients).
        let loss_of_whole = whole.losses().last().copied();
        assert_eq!(loss_of_whole.map(f64::to_bits), Some(e.loss.to_bits()), "{what}: loss, whole");
        assert_eq!(grads_bits(whole.grads()), grads_bits(&e.applied), "{what}: gradients applied, whole epochs");
        assert_eq!(grads_bits(stepped.grads()), grads_bits(&e.applied), "{what}: gradients applied, stepped");
        assert_eq!(bits(stepped.hidden_states().column(0).iter()), bits(h.iter()), "{what}: the next h_0");
        assert_eq!(params_bits(stepped.params()), params_bits(&p), "{what}: weights after the update, stepped");
        assert_eq!(params_bits(whole.params()), params_bits(&p), "{what}: weights after the update, whole");
        assert!(stepped.divergence().is_none() && whole.divergence().is_none());
    }
}

/// Sizes from a seeded generator: T 1–12, D 1–9, H 1–40 (so both the register-held kernels,
/// H ≤ 16, and the general ones), every training mode, truncations from 1 to T.
fn random_configs(n: usize) -> Vec<Config> {
    let mut rng = Normal::new(2026, Stream::Data);
    let mut pick = |lo: usize, hi: usize| lo + (rng.draw().abs() * 1e6) as usize % (hi - lo + 1);
    (0..n)
        .map(|i| {
            let (t_len, d, h) = (pick(1, 12), pick(1, 9), if i % 2 == 0 { pick(1, 16) } else { pick(17, 40) });
            let training = if i % 3 == 0 { Training::BlogLoop } else { Training::Bptt };
            let truncation = (training == Training::Bptt && i % 3 == 2).then(|| pick(1, t_len));
            let learning_rate = [0.01, 0.1, 0.3][i % 3];
            let seed = 7 + i as u64;
            Config {
                seq_length: t_len,
                input_size: d,
                hidden_size: h,
                training,
                truncation,
                learning_rate,
                seed,
                ..Config::default()
            }
        })
        .collect()
}

#[test]
fn the_fast_layer_equals_the_readable_model_bit_for_bit_on_random_sizes_and_every_mode() {
    let configs = random_configs(24);
    assert!(configs.iter().any(|c| c.hidden_size > 16) && configs.iter().any(|c| c.truncation.is_some()));
    assert!(configs.iter().any(|c| c.training == Training::BlogLoop));
    for config in &configs {
        check(config, 6);
    }
}

/// Configs of the tasks with an output layer from a seeded generator: every task, H on both
/// sides of 16, truncation (last-step losses), clipping (some tight enough to act), a carried
/// state, fixed and fresh data (some starting at a later epoch), init scales from 0.5 to 1.2.
fn task_configs(n: usize) -> Vec<Config> {
    let mut rng = Normal::new(2027, Stream::Data);
    let mut pick = |lo: usize, hi: usize| lo + (rng.draw().abs() * 1e6) as usize % (hi - lo + 1);
    let all = [Task::SineNext, Task::RememberFirst, Task::Adding];
    (0..n)
        .map(|i| {
            let task = all[i % 3];
            let t_len = pick(2, 12);
            let d = task.input_size().unwrap_or(pick(1, 5));
            let h = if i % 2 == 0 { pick(1, 16) } else { pick(17, 40) };
            let last_step = task != Task::SineNext;
            Config {
                seq_length: t_len,
                input_size: d,
                hidden_size: h,
                task,
                training: Training::Bptt,
                truncation: (last_step && i % 4 == 1).then(|| pick(1, t_len)),
                clip_norm: [None, Some(0.05), Some(1.0)][i % 3 / 2 + (i / 3) % 2],
                stateful: Some(i % 5 < 2),
                data: Some(if i % 7 < 4 { DataMode::Fresh } else { DataMode::Fixed }),
                data_offset: if i % 7 == 1 { 1000 + i as u64 } else { 0 },
                init: Some(Init::Scaled),
                init_scale: Some([0.5, 1.0, 1.2][i % 3]),
                learning_rate: [0.01, 0.1, 0.3][(i / 3) % 3],
                seed: 70 + i as u64,
                ..Config::default()
            }
        })
        .collect()
}

#[test]
fn the_tasks_with_an_output_layer_equal_the_readable_model_bit_for_bit() {
    let configs = task_configs(36);
    for config in &configs {
        config.validate().unwrap_or_else(|e| panic!("{config:?}: {e}"));
    }
    assert!(configs.iter().any(|c| c.truncation.is_some()) && configs.iter().any(|c| c.clip_norm.is_some()));
    assert!(configs.iter().any(|c| c.stateful()) && configs.iter().any(|c| c.data_offset > 0));
    for config in &configs {
        check(config, 6);
    }
}

#[test]
fn the_fast_layer_equals_the_readable_model_at_the_pages_largest_sizes() {
    let big =
        Config { seq_length: 40, input_size: 32, hidden_size: 128, training: Training::Bptt, ..Config::default() };
    check(&big, 2);
    check(&Config { truncation: Some(9), ..big.clone() }, 2);
    check(&Config { training: Training::BlogLoop, ..big }, 3);
}

/// The blog's own setup, unscaled N(0, 1) weights and all, through the run file: the command
/// line's numbers are the readable model's.
#[test]
fn the_blogs_default_run_is_the_readable_models_run() {
    let config = Config::default();
    let mut session = Session::new(&config);
    let (x, y) = (session.x(), session.y().clone());
    let (mut p, mut h) = (session.params().clone(), DVector::zeros(config.hidden_size));
    for epoch in 1..=config.epochs {
        let e = readable_epoch(&config, &mut p, &x, &y, &mut h);
        session.finish_epoch();
        assert_eq!(session.losses()[epoch - 1].to_bits(), e.loss.to_bits(), "loss of epoch {epoch}");
    }
    assert_eq!(params_bits(session.params()), params_bits(&p));
}

// --- the other cells: the LSTM, the GRU and the plain RNN's other activations ---------------

use rnn_playground::model::cell::{AnyCell, Cell, State};
use rnn_playground::model::unrolled;
use rnn_playground::model::{Activation, CellKind};

/// What the readable files compute for one BPTT epoch of `cell`: the unrolled forward pass, the
/// loss, the backward pass, clipping and SGD (`unrolled::bptt_epoch`, spelled out to keep every part).
struct CellEpoch {
    un: unrolled::Unrolled,
    loss: f64,
    back: rnn::Backward,
    applied: Grads,
}

fn readable_cell_epoch(
    c: &Config,
    cell: &AnyCell,
    p: &mut Params,
    x: &DMatrix<f64>,
    y: &DVector<f64>,
    s: &mut State,
) -> CellEpoch {
    let target = tasks::target(c.loss_at(), y, c.output_size());
    let un = unrolled::forward(cell, p, x, s);
    let loss = rnn::loss(&un.forward, &target);
    let back = unrolled::backward(cell, p, x, &un, rnn::loss_gradient(&un.forward, &target), c.backprop_steps());
    let mut applied = back.grads.clone();
    if let Some(clip) = c.clip_norm {
        rnn::clip(&mut applied, clip);
    }
    rnn::sgd(p, &applied, c.learning_rate);
    if c.stateful() {
        *s = un.state(c.seq_length);
    }
    CellEpoch { un, loss, back, applied }
}

/// A session of `config` stepped one micro-step at a time (h_t, c_t and a_t compared after each
/// forward step, ‖∂L/∂h_t‖ after each backward step) and another run in whole epochs, against
/// the readable cell, every number to the bit.
fn check_cell(config: &Config, epochs: usize) {
    let cell = AnyCell::of(config);
    let mut stepped = Session::new(config);
    let mut whole = stepped.clone();
    // Stepped into the backward pass, then finished as a whole epoch: the steps taken add their
    // own weight gradients, the summed sweep the rest.
    let mut mixed = stepped.clone();
    let mut p = stepped.params().clone();
    let mut s = cell.initial_state(&DVector::zeros(config.hidden_size));
    let t_len = config.seq_length;
    for epoch in 1..=epochs {
        let what = format!("{config:?}, epoch {epoch}");
        let (x, y) = (stepped.x(), stepped.y().clone());
        let e = readable_cell_epoch(config, &cell, &mut p, &x, &y, &mut s);
        for t in 0..t_len {
            assert_eq!(stepped.phase(), Phase::Forward { t });
            stepped.step();
            let h_t = stepped.hidden_states().column(t + 1);
            assert_eq!(bits(h_t.iter()), bits(e.un.forward.h[t + 1].iter()), "{what}: h_{}", t + 1);
            let c_t = stepped.cell_states().column(t + 1);
            assert_eq!(bits(c_t.iter()), bits(e.un.c[t + 1].iter()), "{what}: c_{}", t + 1);
            let a_t = stepped.pre_activations().column(t);
            assert_eq!(bits(a_t.iter()), bits(e.un.forward.a[t].iter()), "{what}: a_{}", t + 1);
            if let Some(y_hat) = stepped.y_hat() {
                assert_eq!(bits(y_hat.column(t).iter()), bits(e.un.forward.y_hat[t].iter()), "{what}: ŷ_{}", t + 1);
            }
        }
        stepped.step();
        assert_eq!(stepped.loss().map(f64::to_bits), Some(e.loss.to_bits()), "{what}: loss");
        while let Phase::Backward { t } = stepped.phase() {
            stepped.step();
            let (got, want) = (stepped.gradient_norms()[t], e.back.dh_norms[t]);
            assert_eq!(got.to_bits(), want.to_bits(), "{what}: ‖∂L/∂h_{}‖", t + 1);
        }
        assert_eq!(bits(stepped.gradient_norms()), bits(&e.back.dh_norms), "{what}: ‖∂L/∂h_t‖");
        assert_eq!(grads_bits(stepped.grads()), grads_bits(&e.back.grads), "{what}: the gradients, stepped");
        stepped.step();
        whole.finish_epoch();
        for _ in 0..t_len + 1 + (epoch % 3).min(config.backprop_steps()) {
            mixed.step();
        }
        mixed.finish_epoch();
        assert_eq!(params_bits(mixed.params()), params_bits(&p), "{what}: weights after the update, mixed");
        assert_eq!(whole.losses().last().map(|l| l.to_bits()), Some(e.loss.to_bits()), "{what}: loss, whole");
        assert_eq!(grads_bits(whole.grads()), grads_bits(&e.applied), "{what}: gradients applied, whole epochs");
        assert_eq!(grads_bits(stepped.grads()), grads_bits(&e.applied), "{what}: gradients applied, stepped");
        assert_eq!(bits(stepped.hidden_states().column(0).iter()), bits(s.h.iter()), "{what}: the next h_0");
        assert_eq!(bits(stepped.cell_states().column(0).iter()), bits(s.c.iter()), "{what}: the next c_0");
        assert_eq!(params_bits(stepped.params()), params_bits(&p), "{what}: weights after the update, stepped");
        assert_eq!(params_bits(whole.params()), params_bits(&p), "{what}: weights after the update, whole");
        assert!(stepped.divergence().is_none() && whole.divergence().is_none(), "{what}: diverged");
        if !config.stateful() {
            s = cell.initial_state(&DVector::zeros(config.hidden_size));
        }
    }
}

/// Configs of every cell other than the tanh RNN (the LSTM, the GRU, the RNN with ReLU or
/// linear) from a seeded generator: every task, H on both sides of 16 and up to 128, truncation,
/// clipping, a carried state (h and c), fixed and fresh data, keep biases from 0 to 3.
fn cell_configs(n: usize) -> Vec<Config> {
    let mut rng = Normal::new(2028, Stream::Data);
    let mut pick = |lo: usize, hi: usize| lo + (rng.draw().abs() * 1e6) as usize % (hi - lo + 1);
    let tasks = [Task::RandomTarget, Task::SineNext, Task::RememberFirst, Task::Adding];
    let cells = [(CellKind::Lstm, None), (CellKind::Gru, None), (CellKind::Rnn, Some(Activation::Relu))];
    (0..n)
        .map(|i| {
            let task = tasks[i % 4];
            let (cell, activation) = if i % 7 == 3 { (CellKind::Rnn, Some(Activation::Linear)) } else { cells[i % 3] };
            let t_len = pick(2, 10);
            let d = task.input_size().unwrap_or(pick(1, 6));
            let h = match (i / 3) % 3 {
                0 => pick(1, 16),
                1 => pick(17, 48),
                _ => pick(49, 128),
            };
            let last_step = task != Task::SineNext;
            Config {
                seq_length: t_len,
                input_size: d,
                hidden_size: h,
                task,
                training: Training::Bptt,
                truncation: (last_step && (i / 4) % 2 == 1).then(|| pick(1, t_len)),
                clip_norm: [None, Some(0.05), Some(1.0)][i % 3 / 2 + (i / 3) % 2],
                stateful: Some(i % 5 < 2),
                data: Some(if task != Task::RandomTarget && i % 7 < 4 { DataMode::Fresh } else { DataMode::Fixed }),
                init: Some(Init::Scaled),
                init_scale: Some([0.5, 0.8, 1.0][i % 3]),
                learning_rate: [0.01, 0.05, 0.1][(i / 2) % 3],
                seed: 90 + i as u64,
                cell: (cell != CellKind::Rnn).then_some(cell),
                activation,
                keep_bias: (cell != CellKind::Rnn && i % 2 == 0).then(|| [0.0, 2.0, 3.0][i % 3]),
                ..Config::default()
            }
        })
        .collect()
}

#[test]
fn the_gated_cells_and_the_other_activations_equal_the_readable_files_bit_for_bit() {
    let configs = cell_configs(42);
    for config in &configs {
        config.validate().unwrap_or_else(|e| panic!("{config:?}: {e}"));
    }
    for kind in [CellKind::Lstm, CellKind::Gru] {
        let of_kind: Vec<&Config> = configs.iter().filter(|c| c.cell() == kind).collect();
        assert!(of_kind.iter().any(|c| c.hidden_size < 16) && of_kind.iter().any(|c| c.hidden_size > 64));
        assert!(of_kind.iter().any(|c| c.stateful()) && of_kind.iter().any(|c| c.truncation.is_some()));
    }
    assert!(configs.iter().any(|c| c.activation == Some(Activation::Linear)));
    for config in &configs {
        check_cell(config, 4);
    }
}

/// The tanh RNN through the same comparison: `unrolled` gives `rnn.rs`'s bits, so the chain
/// central differences → readable → fast holds for it through either.
#[test]
fn the_tanh_rnn_unrolled_is_the_readable_rnn() {
    let config = Config { training: Training::Bptt, hidden_size: 20, init: Some(Init::Scaled), ..Config::default() };
    check_cell(&config, 3);
    check_cell(&Config { truncation: Some(4), stateful: Some(true), ..config }, 3);
}
