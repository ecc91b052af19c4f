//! The step-by-step session: micro-steps equal whole epochs, resizing keeps the overlap, seeds repeat.

use nalgebra::{DMatrix, DVector};
use rnn_playground::model::rnn;
use rnn_playground::model::{Config, Phase, Session, Training};

fn configs() -> Vec<Config> {
    vec![
        Config::default(),
        Config { training: Training::Bptt, ..Config::default() },
        Config {
            training: Training::Bptt,
            truncation: Some(3),
            seq_length: 7,
            hidden_size: 6,
            seed: 3,
            ..Config::default()
        },
    ]
}

#[test]
fn stepping_one_micro_step_at_a_time_matches_whole_epochs_bit_for_bit() {
    for config in configs() {
        let mut whole = Session::new(&config);
        whole.run_epochs(25);
        let mut stepped = Session::new(&config);
        let steps_per_epoch = config.seq_length + 1 + config.backprop_steps() + 1;
        for _ in 0..25 * steps_per_epoch {
            stepped.step();
        }
        assert_eq!(stepped.epoch(), 25);
        assert_eq!(stepped.losses(), whole.losses());
        assert_eq!(stepped.params(), whole.params());
        assert_eq!(stepped.hidden_states(), whole.hidden_states());
    }
}

#[test]
fn an_epoch_is_forward_loss_backward_update_in_that_order() {
    let config = Config { seq_length: 3, training: Training::Bptt, truncation: Some(2), ..Config::default() };
    let mut s = Session::new(&config);
    let ran: Vec<Phase> = (0..7).map(|_| s.step()).collect();
    use Phase::*;
    assert_eq!(
        ran,
        [Forward { t: 0 }, Forward { t: 1 }, Forward { t: 2 }, Loss, Backward { t: 2 }, Backward { t: 1 }, Update]
    );
    assert_eq!(s.phase(), Forward { t: 0 });
    assert_eq!(s.epoch(), 1);
}

#[test]
fn finishing_an_epoch_midway_matches_a_whole_epoch() {
    let config = Config { training: Training::Bptt, ..Config::default() };
    let mut a = Session::new(&config);
    a.run_epochs(3);
    let mut b = Session::new(&config);
    b.run_epochs(2);
    for _ in 0..5 {
        b.step();
    }
    b.finish_epoch();
    assert_eq!(a.params(), b.params());
    assert_eq!(a.losses(), b.losses());
}

#[test]
fn the_backward_pass_records_the_gradient_reaching_each_timestep() {
    let config = Config { training: Training::Bptt, ..Config::default() };
    let mut s = Session::new(&config);
    while s.phase() != Phase::Update {
        s.step();
    }
    assert!(s.gradient_norms().iter().all(|n| n.is_finite() && *n > 0.0));
    // Seed mode reaches only the last timestep.
    let mut seed = Session::new(&Config::default());
    while seed.phase() != Phase::Update {
        seed.step();
    }
    let norms = seed.gradient_norms();
    assert!(norms[..9].iter().all(|n| n.is_nan()) && norms[9] > 0.0);
}

#[test]
fn the_same_seed_gives_the_same_numbers_and_another_seed_does_not() {
    let config = Config { training: Training::Bptt, ..Config::default() };
    let (mut a, mut b) = (Session::new(&config), Session::new(&config));
    a.run_epochs(10);
    b.run_epochs(10);
    assert_eq!(a.losses(), b.losses());
    assert_eq!(a.x(), b.x());
    let mut c = Session::new(&Config { seed: 43, ..config });
    c.run_epochs(10);
    assert_ne!(a.losses(), c.losses());
}

#[test]
fn resizing_keeps_every_number_in_the_overlapping_block() {
    let mut s = Session::new(&Config::default());
    s.run_epochs(3);
    for _ in 0..4 {
        s.step();
    }
    let (x, y, p, h0) = (s.x(), s.y().clone(), s.params().clone(), s.hidden_states().column(0).into_owned());

    s.resize(12, 3, 16);
    assert_eq!(s.x().view((0, 0), (10, 3)), x.view((0, 0), (10, 3)));
    assert_eq!(s.y().rows(0, 10), y.rows(0, 10));
    assert_eq!(s.params().get("wx").unwrap().view((0, 0), (10, 3)), p.get("wx").unwrap().view((0, 0), (10, 3)));
    assert_eq!(s.params().get("wh").unwrap().view((0, 0), (10, 10)), *p.get("wh").unwrap());
    assert_eq!(s.params().get("b").unwrap().rows(0, 10), *p.get("b").unwrap());
    assert!(s.params().get("b").unwrap().rows(10, 6).iter().all(|&v| v == 0.0));
    assert_eq!(s.hidden_states().column(0).rows(0, 10), h0);
    assert_eq!(s.params().get("wh").unwrap().shape(), (16, 16));
    // The current epoch restarts; completed epochs keep their losses.
    assert_eq!(s.phase(), Phase::Forward { t: 0 });
    assert_eq!(s.losses().len(), 3);
    s.run_epochs(2);
    assert_eq!(s.losses().len(), 5);

    // Shrinking keeps the top-left block too.
    let before = s.params().clone();
    s.resize(2, 2, 4);
    assert_eq!(*s.params().get("wh").unwrap(), before.get("wh").unwrap().view((0, 0), (4, 4)));
    assert_eq!(s.x().shape(), (2, 2));
}

#[test]
fn resizing_draws_the_new_numbers_from_the_seed() {
    let mut a = Session::new(&Config::default());
    let mut b = Session::new(&Config::default());
    a.resize(10, 5, 12);
    b.resize(10, 5, 12);
    assert_eq!(a.params(), b.params());
    assert_eq!(a.y(), b.y());
}

#[test]
fn the_learning_rate_applies_at_the_next_update_without_a_reset() {
    let mut a = Session::new(&Config::default());
    a.run_epochs(2);
    a.set_learning_rate(0.1);
    a.run_epochs(1);
    let mut b = Session::new(&Config::default());
    b.run_epochs(2);
    let before = b.params().clone();
    b.finish_epoch();
    let g = b.grads().clone();
    assert_eq!(
        a.params().get("wx").unwrap()[(0, 0)],
        before.get("wx").unwrap()[(0, 0)] - 0.1 * g.get("wx").unwrap()[(0, 0)]
    );
    assert_eq!(a.losses().len(), 3);
}

#[test]
fn new_data_draws_new_inputs_and_keeps_the_weights() {
    let mut s = Session::new(&Config::default());
    s.run_epochs(2);
    let (x, p) = (s.x(), s.params().clone());
    s.new_data();
    assert_ne!(s.x(), x);
    assert_eq!(s.params(), &p);
    assert_eq!(s.phase(), Phase::Forward { t: 0 });
}

#[test]
fn divergence_stops_the_run_and_names_the_first_bad_number() {
    // tanh keeps a sane run bounded, so force an overflow: weights near the largest f64.
    let config = Config { seq_length: 4, input_size: 2, hidden_size: 3, training: Training::Bptt, ..Config::default() };
    let params = rnn::with_values(
        DMatrix::from_element(3, 2, 1e308),
        DMatrix::from_element(3, 3, 0.5),
        DVector::zeros(3),
        DMatrix::zeros(0, 3),
        DVector::zeros(0),
    );
    let x = DMatrix::from_row_slice(4, 2, &[0.1, 0.2, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    let mut s = Session::with_data(&config, x, DVector::zeros(3), params);
    s.run_epochs(3);
    let d = s.divergence().expect("training diverged").clone();
    assert_eq!(d.quantity, "a_2");
    assert_eq!((d.epoch, d.phase), (1, Phase::Forward { t: 1 }));
    assert_eq!(d.to_string(), "a_2 became NaN or infinite in epoch 1, forward step at t = 2");
    let phase = s.phase();
    s.step();
    assert_eq!(s.phase(), phase, "a diverged session does not step on");
}

#[test]
fn a_gradient_that_overflows_is_named_at_the_update() {
    // Every forward number is finite (a = 1e-308 · 1.5e308 = 1.5), but dWx = da · x overflows.
    let config =
        Config { seq_length: 1, input_size: 1, hidden_size: 1, training: Training::BlogLoop, ..Config::default() };
    let params = rnn::with_values(
        DMatrix::from_element(1, 1, 1e-308),
        DMatrix::from_element(1, 1, 0.0),
        DVector::zeros(1),
        DMatrix::zeros(0, 1),
        DVector::zeros(0),
    );
    let x = DMatrix::from_element(1, 1, 1.5e308);
    let mut s = Session::with_data(&config, x, DVector::from_element(1, 10.0), params);
    s.run_epochs(2);
    let d = s.divergence().expect("training diverged").clone();
    assert_eq!((d.quantity.as_str(), d.epoch, d.phase), ("dWx", 1, Phase::Update));
    assert!(s.losses()[0].is_finite(), "the forward pass and the loss were fine");
}

/// Whole epochs (one call for the forward pass; for the blog's loop on small layers, one more
/// for its loss, backward step and update) stop where micro-steps stop, with the same numbers:
/// at a forward step, at the loss (which the one-call tail leaves to the micro-steps) and at
/// the update, in both training modes.
#[test]
fn whole_epochs_diverge_where_micro_steps_do_with_the_same_numbers() {
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    // (wx, x, y): a_1 overflows; every a is finite but (h − y)² is not; or dWx = da · x overflows.
    let cases = [(1e308, 1e10, 0.0, "a_1"), (0.5, 0.1, 1e300, "the loss"), (1e-308, 1.5e308, 1e10, "dWx")];
    for training in [Training::BlogLoop, Training::Bptt] {
        for (wx, x, y, quantity) in cases {
            let config = Config { seq_length: 3, input_size: 2, hidden_size: 4, training, ..Config::default() };
            let params = rnn::with_values(
                DMatrix::from_element(4, 2, wx),
                DMatrix::from_element(4, 4, 0.0),
                DVector::zeros(4),
                DMatrix::zeros(0, 4),
                DVector::zeros(0),
            );
            let start =
                Session::with_data(&config, DMatrix::from_element(3, 2, x), DVector::from_element(4, y), params);
            let (mut whole, mut stepped) = (start.clone(), start);
            whole.run_epochs(3);
            for _ in 0..3 * config.steps_per_epoch() {
                stepped.step();
            }
            let what = format!("{training:?}, {quantity}");
            let d = whole.divergence().unwrap_or_else(|| panic!("{what}: diverged"));
            assert_eq!(d.quantity, quantity, "{what}");
            assert_eq!(whole.divergence(), stepped.divergence(), "{what}");
            assert_eq!((whole.phase(), whole.steps_run()), (stepped.phase(), stepped.steps_run()), "{what}");
            assert_eq!(bits(whole.losses()), bits(stepped.losses()), "{what}: losses");
            assert_eq!(
                bits(whole.params().get("wx").unwrap().as_slice()),
                bits(stepped.params().get("wx").unwrap().as_slice()),
                "{what}: Wx"
            );
            assert_eq!(
                bits(whole.grads().get("wx").unwrap().as_slice()),
                bits(stepped.grads().get("wx").unwrap().as_slice()),
                "{what}: dWx"
            );
            let (hw, hs) = (whole.hidden_states(), stepped.hidden_states());
            assert_eq!(bits(hw.as_slice()), bits(hs.as_slice()), "{what}: h");
        }
    }
}

#[test]
fn sane_settings_never_diverge_because_tanh_is_bounded() {
    let config =
        Config { training: Training::Bptt, learning_rate: 1.0, hidden_size: 32, seq_length: 30, ..Config::default() };
    let mut s = Session::new(&config);
    s.run_epochs(300);
    assert!(s.divergence().is_none());
    assert!(s.losses().iter().all(|l| l.is_finite()));
}

#[test]
fn the_run_file_of_a_tweaked_session_replays_to_the_same_numbers() {
    use rnn_playground::model::run_file::{self, RunFile};
    for training in [Training::BlogLoop, Training::Bptt] {
        let mut s = Session::new(&Config { training, ..Config::default() });
        s.run_epochs(4);
        s.step();
        s.set_learning_rate(0.05); // a new run begins at the start of this epoch
        s.run_epochs(6);
        for _ in 0..3 {
            s.step();
        }
        let file = RunFile::of_session(&s);
        assert_eq!(file.config.epochs, 6);
        assert_eq!(file.h0.is_some(), training == Training::BlogLoop, "seed training carries h");
        // Through JSON and back, as the page's download and the command line do.
        let replayed = run_file::parse(&file.to_json()).unwrap().complete().unwrap();
        assert_eq!(replayed.losses, file.losses);
        assert_eq!(replayed.grads, file.grads);
        assert_eq!(replayed.final_weights, file.final_weights);
        assert_eq!(file.losses.as_ref().unwrap().as_slice(), &s.losses()[4..10]);
    }
}

#[test]
fn reset_draws_the_seeds_weights_on_the_same_data_and_new_data_stays_new() {
    let mut s = Session::new(&Config::default());
    let first_x = s.x();
    s.new_data();
    s.run_epochs(3);
    let (x, y) = (s.x(), s.y().clone());
    s.reset_weights();
    assert_eq!((s.x(), s.y().clone()), (x.clone(), y), "Reset keeps the data");
    assert_eq!(s.params(), Session::new(&Config::default()).params(), "the seed's weights again");
    assert_eq!((s.epoch(), s.losses().len()), (0, 0));
    s.new_data();
    assert_ne!(s.x(), x, "New data after Reset gives new numbers");
    assert_ne!(s.x(), first_x);
}

#[test]
fn new_data_on_a_session_given_its_data_never_hands_back_the_seeds_first_draws() {
    use rnn_playground::model::run_file::RunFile;
    let seeded = Session::new(&Config::default());
    let mut loaded = RunFile::from_config(Config::default()).complete().unwrap().session();
    assert_eq!(loaded.x(), seeded.x());
    loaded.new_data();
    assert_ne!(loaded.x(), seeded.x());
}

/// Each backward micro-step adds its own share of every gradient it names, so the panels show
/// numbers computed at that step: dWx += da_t x_tᵀ, dWh += da_t h_{t-1}ᵀ, db += da_t.
#[test]
fn each_backward_step_adds_its_own_weight_gradients() {
    let config = Config { seq_length: 4, input_size: 3, hidden_size: 5, training: Training::Bptt, ..Config::default() };
    let mut s = Session::new(&config);
    while s.phase() != (Phase::Backward { t: 3 }) {
        s.step();
    }
    let mut expected = (DMatrix::<f64>::zeros(5, 3), DMatrix::<f64>::zeros(5, 5), DVector::<f64>::zeros(5));
    for t in (0..4).rev() {
        s.step();
        let da = DVector::from_column_slice(s.da_at(t));
        expected.0 += &da * s.x_columns().column(t).transpose();
        expected.1 += &da * s.hidden_states().column(t).transpose();
        expected.2 += &da;
        let g = s.grads();
        let (dwx, dwh, db) = (g.get("wx").unwrap(), g.get("wh").unwrap(), g.get("b").unwrap());
        assert_eq!(
            (dwx, dwh, &db.column(0).into_owned()),
            (&expected.0, &expected.1, &expected.2),
            "after backward t = {}",
            t + 1
        );
        assert!(g.get("wx").unwrap().iter().all(|v| *v != 0.0), "dWx has this step's share");
    }
    assert_eq!(s.phase(), Phase::Update);
}

/// The page's download of a run that began mid-way, on fresh data with a carried state,
/// clipping and truncation, replays on the command line to the same numbers.
#[test]
fn a_run_downloaded_mid_way_with_fresh_data_replays_to_the_same_numbers() {
    use rnn_playground::model::Task;
    use rnn_playground::model::run_file::{self, RunFile};
    let config = Config {
        task: Task::Adding,
        input_size: 2,
        training: Training::Bptt,
        truncation: Some(6),
        stateful: Some(true),
        clip_norm: Some(0.5),
        learning_rate: 0.1,
        ..Config::default()
    };
    let mut s = Session::new(&config);
    s.run_epochs(7);
    s.step();
    s.set_learning_rate(0.2); // a new run begins at the start of epoch 8 (e = 7)
    s.run_epochs(5);
    s.step();
    let file = RunFile::of_session(&s);
    assert_eq!((file.config.data_offset, file.config.epochs), (7, 5));
    assert!(file.x.is_none() && file.y.is_none() && file.first_epoch_data.is_some());
    assert!(file.h0.is_some(), "the carried state is written");
    let replayed = run_file::parse(&file.to_json()).unwrap().complete().unwrap();
    assert_eq!(replayed.first_epoch_data, file.first_epoch_data);
    assert_eq!(replayed.losses, file.losses);
    assert_eq!(replayed.grads, file.grads);
    assert_eq!(replayed.final_weights, file.final_weights);
}

#[test]
fn fresh_data_changes_every_epoch_and_new_data_leaves_it_alone() {
    use rnn_playground::model::Task;
    let config = Config { task: Task::SineNext, input_size: 1, training: Training::Bptt, ..Config::default() };
    let mut s = Session::new(&config);
    let first = s.x();
    s.new_data();
    assert_eq!(s.x(), first, "fresh data has no New data");
    s.finish_epoch();
    assert_ne!(s.x(), first);
    let offset = Session::new(&Config { data_offset: 1, ..config });
    assert_eq!(offset.x(), s.x(), "epoch e's data depends on (seed, e) alone");
}

/// Resizing a task's session keeps Wy's overlap and draws a new sequence of the new sizes (x
/// and y belong together); remember-first's outputs follow D.
#[test]
fn resizing_a_task_resizes_its_output_layer_and_draws_a_matching_sequence() {
    use rnn_playground::model::{DataMode, Task};
    for data in [DataMode::Fixed, DataMode::Fresh] {
        let config = Config {
            task: Task::RememberFirst,
            input_size: 3,
            training: Training::Bptt,
            data: Some(data),
            ..Config::default()
        };
        let mut s = Session::new(&config);
        s.run_epochs(2);
        let wy = s.params().get("wy").unwrap().clone();
        s.resize(12, 4, 8);
        assert_eq!(s.params().get("wy").unwrap().shape(), (4, 8));
        assert_eq!(s.params().get("wy").unwrap().view((0, 0), (3, 8)), wy.view((0, 0), (3, 8)));
        assert_eq!(s.y().len(), 4);
        assert_eq!(s.y(), &s.x().row(0).transpose(), "y = x_1 still");
        s.run_epochs(3);
        assert!(s.divergence().is_none() && s.losses().len() == 5);
    }
}

/// The page's links count micro-steps: running to a count gives the numbers of stepping there,
/// and the count goes on through restarts and resets.
#[test]
fn running_to_a_micro_step_count_matches_stepping_there() {
    for config in configs() {
        let mut stepped = Session::new(&config);
        for _ in 0..123 {
            stepped.step();
        }
        let mut run = Session::new(&config);
        run.run_until(123);
        assert_eq!(run.steps_run(), 123);
        assert_eq!((run.phase(), run.losses(), run.params()), (stepped.phase(), stepped.losses(), stepped.params()));
        run.reset_weights();
        run.resize(5, 3, 4);
        assert_eq!(run.steps_run(), 123, "a reset and a resize keep the count");
    }
}

/// Between epochs the page shows the epoch just completed: its hidden states and gradient
/// norms stay in place until the next forward step replaces them, or a change clears them.
#[test]
fn between_epochs_the_last_epoch_stays_on_show() {
    for config in configs() {
        let mut s = Session::new(&config);
        assert!(!s.shows_last_epoch(), "nothing has run yet");
        s.finish_epoch();
        assert!(s.shows_last_epoch());
        let t_len = config.seq_length;
        assert!(s.hidden_states().column(t_len).iter().all(|v| *v != 0.0), "h_T of the epoch just run");
        assert!(s.gradient_norms()[t_len - 1].is_finite());
        s.step();
        assert!(!s.shows_last_epoch(), "the new epoch's first forward step replaces it");
        s.finish_epoch();
        s.new_data();
        assert!(!s.shows_last_epoch(), "a change restarts the epoch and clears it");
    }
}

/// The page's breakdown of the gradient by source step: only for a loss at every step, only
/// once a backward pass exists, the same before and after the update (the update's weights
/// taken back), and each step's parts at least as large together as the gradient itself.
#[test]
fn the_gradient_sources_belong_to_the_epoch_on_show() {
    use rnn_playground::model::{Phase, Task};
    let config = Config {
        task: Task::SineNext,
        input_size: 1,
        seq_length: 12,
        hidden_size: 8,
        training: Training::Bptt,
        ..Config::default()
    };
    let mut s = Session::new(&config);
    s.finish_epoch();
    assert!(s.gradient_sources().is_some(), "between epochs: the last epoch's");
    s.step();
    assert!(s.gradient_sources().is_none(), "during a forward pass");
    while s.phase() != Phase::Update {
        s.step();
    }
    let before = s.gradient_sources().unwrap();
    for (t, row) in before.iter().enumerate() {
        let sum: f64 = row.iter().sum();
        assert!(
            sum >= s.gradient_norms()[t] * (1.0 - 1e-12),
            "step {t}: the parts' norms add up to at least ‖∂L/∂h_t‖"
        );
    }
    s.step();
    let after = s.gradient_sources().unwrap();
    for (a, b) in before.iter().flatten().zip(after.iter().flatten()) {
        assert!((a - b).abs() <= 1e-9 * a.abs().max(1e-300), "{a} vs {b}");
    }
    let blog = Session::new(&Config::default());
    assert!(blog.gradient_sources().is_none(), "the blog's task has one loss");
}

/// `phase_before` names the micro-step `step` ran last, at every step of a few epochs, in the
/// blog's loop, full BPTT and truncated BPTT.
#[test]
fn the_phase_before_is_the_step_just_run() {
    let configs = [
        Config::default(),
        Config { training: Training::Bptt, seq_length: 4, ..Config::default() },
        Config { training: Training::Bptt, seq_length: 6, truncation: Some(2), ..Config::default() },
    ];
    for config in configs {
        let mut session = Session::new(&config);
        assert_eq!(session.phase_before(), None, "nothing has run");
        for _ in 0..3 * config.steps_per_epoch() {
            let ran = session.step();
            assert_eq!(session.phase_before(), Some(ran), "{config:?}");
        }
    }
}

/// Changing the cell of a running session draws new weights from the seed for the new cell's
/// list, as changing the init does: the same weights as a fresh session of the new settings,
/// on the same data, the loss history and the epoch count going on. The activation keeps the
/// weights; the keep bias draws them again; the blog's loop refuses a gated cell.
#[test]
fn changing_the_cell_draws_the_seeds_weights_for_it_and_keeps_the_history() {
    use rnn_playground::model::session::starting_weights;
    use rnn_playground::model::settings::{Key, Value};
    use rnn_playground::model::{Activation, CellKind};
    let config = Config { training: Training::Bptt, ..Config::default() };
    let mut s = Session::new(&config);
    s.run_epochs(3);
    s.step();
    let x = s.x();
    s.set(&[(Key::Cell, Value::Cell(CellKind::Lstm))]);
    let lstm = Config { cell: Some(CellKind::Lstm), ..config.clone() };
    assert_eq!(s.config(), &lstm);
    assert_eq!(s.params(), &starting_weights(&lstm));
    assert_eq!(s.params().values()[0].nrows(), 4 * 10, "Wx holds the four blocks");
    assert_eq!((s.epoch(), s.losses().len(), s.phase()), (3, 3, Phase::Forward { t: 0 }));
    assert_eq!(s.x(), x, "the same data");
    assert_eq!(s.cell_states().nrows(), 10);
    s.run_epochs(2);
    s.set(&[(Key::KeepBias, Value::Number(2.5))]);
    let keep = Config { keep_bias: Some(2.5), ..lstm };
    assert_eq!(s.params(), &starting_weights(&keep));
    assert_eq!(s.params().values()[2][(0, 0)], 2.5, "the forget block starts at the keep bias");
    s.set(&[(Key::Cell, Value::Cell(CellKind::Gru))]);
    assert_eq!((s.config().cell(), s.config().keep_bias), (CellKind::Gru, Some(2.5)));
    assert_eq!(s.params().values()[2][(0, 0)], -2.5, "the update block starts at −keep bias");
    s.set(&[(Key::Cell, Value::Cell(CellKind::Rnn))]);
    assert_eq!(s.config(), &config, "back to the plain RNN: its keep bias dropped");
    assert_eq!(s.params(), &starting_weights(&config));
    s.run_epochs(1);
    let before = s.params().clone();
    s.set(&[(Key::Activation, Value::Activation(Activation::Relu))]);
    assert_eq!((s.params(), s.config().activation()), (&before, Activation::Relu), "the weights stay");
    assert_eq!(s.epoch(), 6);
    // The blog's loop is the tanh RNN's: it refuses a gated cell, and a gated run refuses it.
    let mut blog = Session::new(&Config::default());
    blog.set(&[(Key::Cell, Value::Cell(CellKind::Gru))]);
    assert_eq!(blog.config().cell(), CellKind::Rnn);
    s.set(&[(Key::Activation, Value::Activation(Activation::Tanh)), (Key::Cell, Value::Cell(CellKind::Lstm))]);
    s.set_training(Training::BlogLoop, None);
    assert_eq!(s.config().training, Training::Bptt);
}

/// A stateful LSTM's run file, downloaded mid-way, carries c0 beside h0 and replays to the same numbers.
#[test]
fn a_stateful_lstm_downloaded_mid_way_writes_c0_and_replays_to_the_same_numbers() {
    use rnn_playground::model::CellKind;
    use rnn_playground::model::run_file::{self, RunFile};
    let config = Config {
        training: Training::Bptt,
        stateful: Some(true),
        cell: Some(CellKind::Lstm),
        learning_rate: 0.05,
        ..Config::default()
    };
    let mut s = Session::new(&config);
    s.run_epochs(4);
    s.step();
    s.set_learning_rate(0.1);
    s.run_epochs(3);
    let file = RunFile::of_session(&s);
    let (h0, c0) = (file.h0.clone().expect("h0"), file.c0.clone().expect("c0"));
    assert_eq!((h0.len(), c0.len()), (10, 10));
    assert!(c0.iter().all(|&c| c != 0.0), "the carried cell state: {c0:?}");
    let replayed = run_file::parse(&file.to_json()).unwrap().complete().unwrap();
    assert_eq!(replayed.losses, file.losses);
    assert_eq!(replayed.final_weights, file.final_weights);
    let without_c0 = RunFile { c0: None, ..file.clone() }.complete().unwrap();
    assert_ne!(without_c0.losses, file.losses, "c0 is part of the run");
}
