//! The recorded native outputs in tests/fixtures/ are current: the wasm test compares against them.

use rnn_playground::model::run_file;

fn check(name: &str) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let spec = std::fs::read_to_string(format!("{dir}/{name}.spec.json")).unwrap();
    let recorded = std::fs::read_to_string(format!("{dir}/{name}.out.json")).unwrap();
    let out = run_file::parse(&spec).unwrap().complete().unwrap().to_json();
    assert!(
        out.trim_end() == recorded.trim_end(),
        "tests/fixtures/{name}.out.json is stale; if the change of numbers is intended, regenerate it with\n\
         cargo run -- run tests/fixtures/{name}.spec.json > tests/fixtures/{name}.out.json"
    );
}

#[test]
fn recorded_outputs_match_the_native_command_line() {
    for name in [
        "seed",
        "bptt",
        "bptt_wide",
        "chaotic",
        "sine_next",
        "remember_first_clip",
        "adding_truncated",
        "stateful_h0",
        "fresh_offset",
        "seed_h0",
        "lstm",
        "gru",
        "relu",
        "lstm_chaotic",
        "gru_chaotic",
        "series",
    ] {
        check(name);
    }
}
