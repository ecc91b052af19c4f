//! `cargo bench`: epochs per second of seed and BPTT training (the plain RNN, the LSTM, the GRU), and the time to write a long run file.
//!
//! A plain harness: each case runs for about a second, five times (`-- --rounds N`: N times),
//! and the median is reported, one JSON object per line (scripts/bench.sh compares them with
//! numpy and the page). With `RNN_PLAYGROUND_NO_AVX2=1` the model's AVX2 paths are off: the
//! SSE2 build, the vector width of the page's wasm simd128.
//! `-- --epochs N` instead runs each case once for 5 + N epochs, for counting instructions under
//! callgrind (`scripts/bench.sh --instructions` subtracts a run of N from one of 2N), a count
//! no other load on the machine moves.

use std::hint::black_box;
use std::time::Instant;

use rnn_playground::model::run_file::RunFile;
use rnn_playground::model::{CellKind, Config, Session, Training};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Median epochs per second over `rounds` ~1 s rounds.
fn epochs_per_second(config: &Config, rounds: usize) -> f64 {
    let rounds = (0..rounds)
        .map(|_| {
            let mut session = Session::new(config);
            session.run_epochs(5);
            let start = Instant::now();
            let mut epochs = 0;
            while start.elapsed().as_secs_f64() < 1.0 {
                session.run_epochs(10);
                epochs += 10;
            }
            black_box(session.losses().last());
            epochs as f64 / start.elapsed().as_secs_f64()
        })
        .collect();
    median(rounds)
}

/// `epochs` epochs after five to warm up.
fn run_exactly(config: &Config, epochs: usize) {
    let mut session = Session::new(config);
    session.run_epochs(5 + epochs);
    black_box(session.losses().last());
}

/// The whole number after `flag`, if the flag is given; exits with a message if it has none.
fn number_after(args: &[String], flag: &str) -> Option<usize> {
    let i = args.iter().position(|a| a == flag)?;
    match args.get(i + 1).and_then(|n| n.parse().ok()) {
        Some(n) => Some(n),
        None => {
            eprintln!("{flag} needs a whole number");
            std::process::exit(2);
        }
    }
}

fn main() {
    // `cargo bench -- <filter>…` and `cargo test --benches` pass arguments; filters select the
    // cases whose names contain any of them.
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--test" || a == "--list") {
        return;
    }
    let fixed_epochs = number_after(&args, "--epochs");
    let rounds = number_after(&args, "--rounds").unwrap_or(5).max(1);
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with('-') && a.parse::<usize>().is_err()).collect();
    let selected = |name: &str| filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()));
    // The gated cells' BPTT on random-target at (100, 32, 128): 22,937,600 multiply-adds per
    // epoch for the LSTM, 17,203,200 for the GRU (4 and 3 blocks of the plain RNN's 5,734,400).
    for (name, t_len, d, h, training, cell) in [
        ("seed_10_5_10", 10, 5, 10, Training::BlogLoop, None),
        ("bptt_10_5_10", 10, 5, 10, Training::Bptt, None),
        ("seed_100_32_128", 100, 32, 128, Training::BlogLoop, None),
        ("bptt_100_32_128", 100, 32, 128, Training::Bptt, None),
        ("lstm_100_32_128", 100, 32, 128, Training::Bptt, Some(CellKind::Lstm)),
        ("gru_100_32_128", 100, 32, 128, Training::Bptt, Some(CellKind::Gru)),
    ] {
        if !selected(name) {
            continue;
        }
        let config = Config { seq_length: t_len, input_size: d, hidden_size: h, training, cell, ..Config::default() };
        if let Some(n) = fixed_epochs {
            run_exactly(&config, n);
            continue;
        }
        let eps = epochs_per_second(&config, rounds);
        println!("{{\"case\": \"{name}\", \"epochs_per_s\": {eps:.1}}}");
    }
    if fixed_epochs.is_none() && selected("write_100k") {
        // The seed's setup for 100,000 epochs: training, then writing the completed run file.
        let spec = RunFile::from_config(Config { epochs: 100_000, ..Config::default() });
        let start = Instant::now();
        let done = spec.complete().expect("the seed's setup does not diverge");
        let train_s = start.elapsed().as_secs_f64();
        let start = Instant::now();
        let json = done.to_json();
        let write_s = start.elapsed().as_secs_f64();
        println!(
            "{{\"case\": \"write_100k\", \"train_s\": {train_s:.3}, \"write_s\": {write_s:.4}, \"bytes\": {}}}",
            json.len()
        );
    }
}
