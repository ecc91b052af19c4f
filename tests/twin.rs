//! The twin run: a copy one weight apart, trained in lockstep; chaos read from how far apart the twins drift.

use rnn_playground::model::twin::{TWIN_SHIFT, Twin, run_twins};
use rnn_playground::model::{Config, DataMode, Init, Session, Task, Training};

/// The blog's N(0, 1) weights at H = 32 (gain σ√H ≈ 5.7): a 1e-9 nudge to one weight grows
/// into a different run within a few epochs.
#[test]
fn the_seeds_weights_at_h_32_make_the_twins_diverge() {
    let mut s = Session::new(&Config { hidden_size: 32, ..Config::default() });
    let twin = run_twins(&mut s, 200, TWIN_SHIFT);
    let d = twin.distances();
    assert_eq!(d.len(), 200);
    let at = twin.chaotic_at().expect("chaotic");
    assert!(at <= 20, "chaotic at epoch {at}: {:?}", &d[..20]);
    assert!(d[0] < 1e-6 && d[199] > 0.1, "from {:e} to {:e}", d[0], d[199]);
}

/// Scaled init with g = 0.5 at H = 4: the difference stays about the size of the nudge.
#[test]
fn scaled_weights_with_g_one_half_at_h_4_keep_the_twins_together() {
    let config = Config {
        hidden_size: 4,
        training: Training::Bptt,
        init: Some(Init::Scaled),
        init_scale: Some(0.5),
        ..Config::default()
    };
    let mut s = Session::new(&config);
    let twin = run_twins(&mut s, 300, TWIN_SHIFT);
    assert_eq!(twin.chaotic_at(), None);
    assert!(twin.distances().iter().all(|d| *d < 1e-8), "{:?}", twin.distances());
}

/// The twin follows micro-steps too, and with a shift of 0 it is the main run bit for bit:
/// same data (fresh data included), same steps, same numbers.
#[test]
fn a_twin_moved_by_zero_equals_the_main_run_bit_for_bit() {
    let sine = Config {
        seq_length: 12,
        input_size: 1,
        hidden_size: 16,
        task: Task::SineNext,
        training: Training::Bptt,
        data: Some(DataMode::Fresh),
        init: Some(Init::Scaled),
        init_scale: Some(3.0),
        ..Config::default()
    };
    for config in [Config { hidden_size: 32, ..Config::default() }, sine] {
        let mut main = Session::new(&config);
        main.step();
        let mut twin = Twin::new(&main, 0.0);
        for i in 0..2000 {
            if i % 3 == 0 {
                main.finish_epoch()
            } else {
                main.step();
            }
            twin.follow(&main);
        }
        let other = twin.session();
        assert_eq!(other.steps_run(), main.steps_run());
        assert_eq!(other.losses(), main.losses());
        assert_eq!(other.params().get("wh").unwrap(), main.params().get("wh").unwrap());
        assert_eq!(other.hidden_states(), main.hidden_states());
        assert!(!twin.distances().is_empty() && twin.distances().iter().all(|d| *d == 0.0));
    }
}

/// The twin starts where the main session is, with only Wh[0, 0] moved.
#[test]
fn the_twin_moves_only_the_first_recurrent_weight() {
    let main = Session::new(&Config::default());
    let twin = Twin::new(&main, TWIN_SHIFT);
    let mut moved = twin.session().params().get("wh").unwrap().clone();
    assert!((moved[(0, 0)] - main.params().get("wh").unwrap()[(0, 0)] - TWIN_SHIFT).abs() < 1e-15);
    moved[(0, 0)] = main.params().get("wh").unwrap()[(0, 0)];
    assert_eq!(&moved, main.params().get("wh").unwrap());
    assert_eq!(twin.session().params().get("wx").unwrap(), main.params().get("wx").unwrap());
}

/// The gated cells' chaotic fixtures (tests/fixtures/lstm_chaotic and gru_chaotic: H = 32,
/// N(0, 1) weights, the state carried) are chaotic by the twin's measure, so the browser's
/// agreement with them (tests/web.rs) is a test one differing bit would fail; the same cells
/// with scaled weights and g = 0.5 stay calm.
#[test]
fn the_gated_cells_chaotic_fixtures_are_chaotic_and_scaled_ones_calm() {
    use rnn_playground::model::run_file;
    for name in ["lstm_chaotic", "gru_chaotic"] {
        let path = format!("{}/tests/fixtures/{name}.spec.json", env!("CARGO_MANIFEST_DIR"));
        let spec = run_file::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut s = spec.session();
        let twin = run_twins(&mut s, 100, TWIN_SHIFT);
        assert!(twin.chaotic_at().is_some_and(|at| at <= 30), "{name}: {:?}", twin.chaotic_at());
        let calm = Config { init: Some(Init::Scaled), init_scale: Some(0.5), ..spec.config.clone() };
        let twin = run_twins(&mut Session::new(&calm), 100, TWIN_SHIFT);
        assert_eq!(twin.chaotic_at(), None, "{name} scaled with g = 0.5");
    }
}
