//! The lessons of the tasks hold at the exact settings: sine-next learns; remember-first learns at T = 5 and hardly at T = 20, because the gradient reaching h_1 vanishes.
//!
//! All with scaled init g = 1, H = 16, learning rate 0.05, 3,000 epochs of full BPTT on fresh
//! data, seed 42, comparing the mean loss of the first 100 epochs with that of the last 100.

use rnn_playground::model::run_file::{self, RunFile};
use rnn_playground::model::{Config, Init, Session, Task, Training};

fn lesson(task: Task, seq_length: usize, input_size: usize) -> Config {
    Config {
        seq_length,
        input_size,
        hidden_size: 16,
        learning_rate: 0.05,
        epochs: 3000,
        seed: 42,
        task,
        training: Training::Bptt,
        init: Some(Init::Scaled),
        init_scale: Some(1.0),
        ..Config::default()
    }
}

/// (mean of the first 100 losses, mean of the last 100), through the run file as the command
/// line runs it.
fn first_and_last_100(config: Config) -> (f64, f64) {
    let text = RunFile::from_config(config).to_json();
    let losses = run_file::parse(&text).unwrap().complete().unwrap().losses.unwrap();
    assert_eq!(losses.len(), 3000);
    let mean = |l: &[f64]| l.iter().sum::<f64>() / l.len() as f64;
    (mean(&losses[..100]), mean(&losses[2900..]))
}

#[test]
fn sine_next_learns_the_wave() {
    let (first, last) = first_and_last_100(lesson(Task::SineNext, 20, 1));
    assert!(last <= 0.4 * first && last < 0.02, "first 100: {first}, last 100: {last}");
}

#[test]
fn remember_first_learns_over_5_steps_and_far_more_slowly_over_20() {
    let (first, last) = first_and_last_100(lesson(Task::RememberFirst, 5, 3));
    assert!(last <= 0.3 * first, "T = 5: first 100: {first}, last 100: {last}");
    let (first, last) = first_and_last_100(lesson(Task::RememberFirst, 20, 3));
    assert!(last >= 0.5 * first, "T = 20: first 100: {first}, last 100: {last}");
}

/// Mean ‖∂L/∂h_1‖ (the gradient that reaches x_1's step) over the last 100 of the 3,000 epochs.
fn gradient_at_h1(seq_length: usize) -> f64 {
    let mut s = Session::new(&lesson(Task::RememberFirst, seq_length, 3));
    s.run_epochs(2900);
    (0..100)
        .map(|_| {
            s.finish_epoch();
            s.gradient_norms()[0]
        })
        .sum::<f64>()
        / 100.0
}

/// Why T = 20 learns so slowly: by the end, the gradient reaching h_1 has faded by orders of
/// magnitude (about 0.45 at T = 5, about 2e-4 at T = 20; at the start both are about 0.5).
#[test]
fn the_gradient_reaching_the_first_step_vanishes_at_t_20() {
    let (short, long) = (gradient_at_h1(5), gradient_at_h1(20));
    assert!(long < short / 100.0, "‖∂L/∂h_1‖: T = 5 {short:e}, T = 20 {long:e}");
}

/// The first fact of the gated cells' lessons: remember-first over T = 50 (D = 3, H = 16),
/// learning rate 0.2, clipping at 1, scaled init g = 1, fresh data, 5,000 epochs, seed 42. The
/// plain RNN hardly learns (about 1.26 → 0.78, first 100 epochs' mean loss → last 100's); a GRU
/// that starts with keep bias 3 (z ≈ σ(−3): h carried almost unchanged) gets far below it
/// (about 1.14 → 0.027; a numpy run of the same equations gave 1.14 → 0.029).
#[test]
fn over_50_steps_a_gru_with_keep_bias_3_remembers_where_the_plain_rnn_does_not() {
    use rnn_playground::model::CellKind;
    let remember = |cell: Option<CellKind>, keep_bias: Option<f64>| {
        let config = Config {
            learning_rate: 0.2,
            epochs: 5000,
            clip_norm: Some(1.0),
            cell,
            keep_bias,
            ..lesson(Task::RememberFirst, 50, 3)
        };
        let losses = RunFile::from_config(config).complete().unwrap().losses.unwrap();
        let mean = |l: &[f64]| l.iter().sum::<f64>() / l.len() as f64;
        (mean(&losses[..100]), mean(&losses[4900..]))
    };
    let (rnn_first, rnn_last) = remember(None, None);
    let (gru_first, gru_last) = remember(Some(CellKind::Gru), Some(3.0));
    assert!(rnn_first > 1.0 && gru_first > 1.0, "both start near chance: {rnn_first}, {gru_first}");
    assert!(rnn_last > 0.5, "the plain RNN: {rnn_first} → {rnn_last}");
    assert!(gru_last < 0.1 && gru_last < rnn_last / 10.0, "the GRU: {gru_first} → {gru_last}, the RNN's {rnn_last}");
}
