//! In the browser (wasm-bindgen-test, headless Chromium): training gives the same numbers as natively, bit for bit.
#![cfg(target_arch = "wasm32")]

use rnn_playground::model::run_file;
use rnn_playground::model::{Config, Session, Training};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The run file this build computes for a spec, as text.
fn complete(spec: &str) -> String {
    run_file::parse(spec).expect("the fixture spec is valid").complete().expect("no divergence").to_json()
}

fn assert_same(name: &str, spec: &str, native: &str) {
    let wasm = complete(spec);
    if wasm.trim_end() != native.trim_end() {
        let first = wasm.lines().zip(native.lines()).position(|(a, b)| a != b);
        panic!("{name}: wasm differs from native from line {first:?}");
    }
}

#[wasm_bindgen_test]
fn seed_training_in_the_browser_matches_native_bit_for_bit() {
    assert_same("seed", include_str!("fixtures/seed.spec.json"), include_str!("fixtures/seed.out.json"));
}

#[wasm_bindgen_test]
fn bptt_training_in_the_browser_matches_native_bit_for_bit() {
    assert_same("bptt", include_str!("fixtures/bptt.spec.json"), include_str!("fixtures/bptt.out.json"));
}

/// H = 24 takes the kernels' general paths (more than 16 rows), truncated BPTT their
/// timestep sums of four and of the rest.
#[wasm_bindgen_test]
fn wide_truncated_bptt_in_the_browser_matches_native_bit_for_bit() {
    assert_same("bptt_wide", include_str!("fixtures/bptt_wide.spec.json"), include_str!("fixtures/bptt_wide.out.json"));
}

/// H = 64 with N(0, 1) weights is chaotic: one differing last bit would grow into a different run.
#[wasm_bindgen_test]
fn a_chaotic_network_in_the_browser_matches_native_bit_for_bit() {
    assert_same("chaotic", include_str!("fixtures/chaotic.spec.json"), include_str!("fixtures/chaotic.out.json"));
}

#[wasm_bindgen_test]
fn stepping_in_the_browser_matches_whole_epochs() {
    let config = Config { training: Training::Bptt, ..Config::default() };
    let mut whole = Session::new(&config);
    whole.run_epochs(5);
    let mut stepped = Session::new(&config);
    for _ in 0..5 * (10 + 1 + 10 + 1) {
        stepped.step();
    }
    assert_eq!(whole.params(), stepped.params());
    assert_eq!(whole.losses(), stepped.losses());
}

/// The tasks with an output layer, clipping, truncation, a carried h0 and fresh data from an
/// offset, a learner's own series: the same bits in the browser as natively.
#[wasm_bindgen_test]
fn every_task_and_option_in_the_browser_matches_native_bit_for_bit() {
    let fixtures = [
        ("sine_next", include_str!("fixtures/sine_next.spec.json"), include_str!("fixtures/sine_next.out.json")),
        (
            "remember_first_clip",
            include_str!("fixtures/remember_first_clip.spec.json"),
            include_str!("fixtures/remember_first_clip.out.json"),
        ),
        (
            "adding_truncated",
            include_str!("fixtures/adding_truncated.spec.json"),
            include_str!("fixtures/adding_truncated.out.json"),
        ),
        ("stateful_h0", include_str!("fixtures/stateful_h0.spec.json"), include_str!("fixtures/stateful_h0.out.json")),
        (
            "fresh_offset",
            include_str!("fixtures/fresh_offset.spec.json"),
            include_str!("fixtures/fresh_offset.out.json"),
        ),
        ("seed_h0", include_str!("fixtures/seed_h0.spec.json"), include_str!("fixtures/seed_h0.out.json")),
        ("series", include_str!("fixtures/series.spec.json"), include_str!("fixtures/series.out.json")),
    ];
    for (name, spec, out) in fixtures {
        assert_same(name, spec, out);
    }
}

/// Each cell (the LSTM carrying h and c, clipped; the GRU truncated; the RNN with ReLU), and a
/// chaotic LSTM and GRU (H = 32, N(0, 1) weights: their twins part a millionfold within 15 and 5
/// epochs): the same bits in the browser as natively.
#[wasm_bindgen_test]
fn every_cell_in_the_browser_matches_native_bit_for_bit() {
    let fixtures = [
        ("lstm", include_str!("fixtures/lstm.spec.json"), include_str!("fixtures/lstm.out.json")),
        ("gru", include_str!("fixtures/gru.spec.json"), include_str!("fixtures/gru.out.json")),
        ("relu", include_str!("fixtures/relu.spec.json"), include_str!("fixtures/relu.out.json")),
        (
            "lstm_chaotic",
            include_str!("fixtures/lstm_chaotic.spec.json"),
            include_str!("fixtures/lstm_chaotic.out.json"),
        ),
        ("gru_chaotic", include_str!("fixtures/gru_chaotic.spec.json"), include_str!("fixtures/gru_chaotic.out.json")),
    ];
    for (name, spec, out) in fixtures {
        assert_same(name, spec, out);
    }
}
