//! The command line as a user runs it: a good run file completes, bad ones get exit 2 and one line.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run_with_stdin(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rnn-playground"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn run_spec(spec: &str) -> Output {
    run_with_stdin(&["run", "-"], spec)
}

const GOOD: &str = r#"{
  "format": "rnn-playground.run/1",
  "config": { "seq_length": 10, "input_size": 5, "hidden_size": 10, "learning_rate": 0.01,
              "epochs": 100, "seed": 42, "task": "random-target", "training": "seed" }
}"#;

#[test]
fn the_seeds_setup_prints_a_completed_run_with_100_losses() {
    let dir = std::env::temp_dir().join(format!("rnn-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("seed.json");
    std::fs::write(&path, GOOD).unwrap();
    let out =
        Command::new(env!("CARGO_BIN_EXE_rnn-playground")).args(["run", path.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["format"], "rnn-playground.run/1");
    assert_eq!(v["losses"].as_array().unwrap().len(), 100);
    assert_eq!(v["x"].as_array().unwrap().len(), 10);
    assert_eq!(v["x"][0].as_array().unwrap().len(), 5);
    assert_eq!(v["init"]["wh"].as_array().unwrap().len(), 10);
    assert_eq!(v["grads"]["wx"][0].as_array().unwrap().len(), 5);
    assert_eq!(v["final"]["b"].as_array().unwrap().len(), 10);
    let losses: Vec<f64> = v["losses"].as_array().unwrap().iter().map(|l| l.as_f64().unwrap()).collect();
    assert!(losses.last() < losses.first(), "training lowers the loss");
}

#[test]
fn the_output_run_file_runs_again_to_the_same_numbers() {
    let first = run_spec(GOOD);
    let again = run_spec(std::str::from_utf8(&first.stdout).unwrap());
    assert!(again.status.success());
    assert_eq!(first.stdout, again.stdout);
}

#[test]
fn bptt_and_truncation_run_too() {
    let spec = GOOD.replace(r#""training": "seed""#, r#""training": "bptt", "truncation": 4"#);
    let out = run_spec(&spec);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["config"]["truncation"], 4);
}

fn assert_rejected(spec: &str, key: &str) {
    assert_fails(&["run", "-"], spec, key, 2);
}

/// `args` on `spec` exits with `code`, prints nothing on stdout and one line on stderr naming `key`.
fn assert_fails(args: &[&str], spec: &str, key: &str, code: i32) {
    let out = run_with_stdin(args, spec);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "spec {spec}\nstderr {stderr}");
    assert!(out.stdout.is_empty(), "nothing on stdout for {spec}");
    assert_eq!(stderr.lines().count(), 1, "one line on stderr: {stderr}");
    assert!(stderr.contains(key), "stderr should name `{key}`: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn malformed_run_files_get_exit_2_and_one_line_naming_the_key() {
    let with = |from: &str, to: &str| {
        assert!(GOOD.contains(from), "{from}");
        GOOD.replace(from, to)
    };
    let cases: Vec<(String, &str)> = vec![
        ("this is not json".into(), "not valid JSON"),
        ("".into(), "not valid JSON"),
        ("{\"format\": ".into(), "not valid JSON"),
        ("[1, 2, 3]".into(), "run file"),
        (with(r#""seed": 42,"#, ""), "seed"),
        (with(r#""format": "rnn-playground.run/1","#, ""), "format"),
        (with(r#""format": "rnn-playground.run/1""#, r#""format": "rnn-playground.run/9""#), "format"),
        (with(r#""epochs": 100,"#, r#""epochs": 100, "colour": "red","#), "colour"),
        (with("\n}", ", \"extra\": 1\n}"), "extra"),
        (with(r#""hidden_size": 10"#, r#""hidden_size": -3"#), "config.hidden_size"),
        (with(r#""seq_length": 10"#, r#""seq_length": 0"#), "config.seq_length"),
        (with(r#""input_size": 5"#, r#""input_size": 100000"#), "config.input_size"),
        (with(r#""input_size": 5"#, r#""input_size": 2.5"#), "config.input_size"),
        (with(r#""learning_rate": 0.01"#, r#""learning_rate": NaN"#), "config.learning_rate: not valid JSON"),
        (with(r#""learning_rate": 0.01"#, r#""learning_rate": -1"#), "config.learning_rate"),
        (
            with(r#""learning_rate": 0.01"#, r#""learning_rate": 1e999"#),
            "config.learning_rate: not valid JSON: number out of range",
        ),
        (with(r#""epochs": 100"#, r#""epochs": "many""#), "config.epochs"),
        (with(r#""task": "random-target""#, r#""task": "poetry""#), "config.task"),
        (with(r#""training": "seed""#, r#""training": "adam""#), "config.training"),
        (with(r#""training": "seed""#, r#""training": "seed", "truncation": 2"#), "config.truncation"),
        (with("\n}", ", \"y\": [1, 2, 3]\n}"), "y"),
        (with("\n}", ", \"x\": [[1, 2, 3, 4, 5]]\n}"), "x"),
        (with("\n}", ", \"y\": [1, 2, 3, 4, 5, 6, 7, 8, 9, null]\n}"), "y[9]"),
        (with("\n}", ", \"init\": {\"wx\": [], \"wh\": [], \"b\": []}\n}"), "init.wx"),
        (with("\n}", ", \"init\": {\"wx\": [[1]]}\n}"), "init"),
        (with(r#""seed": 42"#, r#""seed": -42"#), "config.seed"),
        (with("\n}", ", \"epochs_before\": 1000000001\n}"), "epochs_before: must be from 0 to 1000000000"),
        (with("\n}", ", \"epochs_before\": -1\n}"), "epochs_before"),
    ];
    assert!(cases.len() >= 12);
    for (spec, key) in &cases {
        assert_rejected(spec, key);
    }
}

const TASK: &str = r#"{
  "format": "rnn-playground.run/1",
  "config": { "seq_length": 8, "input_size": 3, "hidden_size": 6, "learning_rate": 0.05,
              "epochs": 40, "seed": 7, "task": "remember-first", "training": "bptt" }
}"#;

/// The validity table of docs/run-format.md, from the command line: each forbidden setting is
/// bad input naming its key.
#[test]
fn settings_the_validity_table_forbids_get_exit_2_naming_the_key() {
    let seed = |from: &str, to: &str| {
        assert!(GOOD.contains(from), "{from}");
        GOOD.replace(from, to)
    };
    let task = |from: &str, to: &str| {
        assert!(TASK.contains(from), "{from}");
        TASK.replace(from, to)
    };
    let training = r#""training": "bptt""#;
    let cases: Vec<(String, &str)> = vec![
        (seed(r#""task": "random-target""#, r#""task": "adding""#), "config.task"),
        (seed(r#""seed": 42"#, r#""seed": 42, "init": "scaled""#), "config.init"),
        (seed(r#""seed": 42"#, r#""seed": 42, "clip_norm": 1"#), "config.clip_norm"),
        (seed(r#""seed": 42"#, r#""seed": 42, "stateful": false"#), "config.stateful"),
        (seed(r#""seed": 42"#, r#""seed": 42, "data": "fresh""#), "config.data"),
        (seed(r#""seed": 42"#, r#""seed": 42, "init": "sideways""#), "config.init"),
        (task(training, r#""training": "bptt", "truncation": 9"#), "config.truncation"),
        (task(r#""task": "remember-first""#, r#""task": "sine-next""#), "config.input_size"),
        (task(r#""task": "remember-first""#, r#""task": "adding""#), "config.input_size"),
        (
            task(r#""task": "remember-first""#, r#""task": "sine-next", "truncation": 2"#)
                .replace(r#""input_size": 3"#, r#""input_size": 1"#),
            "config.truncation",
        ),
        (
            task(r#""task": "remember-first""#, r#""task": "adding""#)
                .replace(r#""input_size": 3"#, r#""input_size": 2"#)
                .replace(r#""seq_length": 8"#, r#""seq_length": 1"#),
            "config.seq_length",
        ),
        (task(training, r#""training": "bptt", "init_scale": 11"#), "config.init_scale"),
        (task(training, r#""training": "bptt", "init": "unscaled", "init_scale": 2"#), "config.init_scale"),
        (task(training, r#""training": "bptt", "clip_norm": -1"#), "config.clip_norm"),
        (task(training, r#""training": "bptt", "data": "sometimes""#), "config.data"),
        (task(training, r#""training": "bptt", "data": "fixed", "data_offset": 3"#), "config.data_offset"),
        (task("\n}", ", \"x\": [[1, 2, 3]]\n}"), "x"),
        (task("\n}", ", \"y\": [1, 2, 3]\n}"), "y"),
        (task("\n}", ", \"h0\": [0, 0, 0, 0, 0, 0]\n}"), "h0"),
        (task(training, r#""training": "bptt", "data": "fixed""#).replace("\n}", ", \"y\": [[1, 2, 3]]\n}"), "y"),
        (task(training, r#""training": "bptt", "data": "fixed""#).replace("\n}", ", \"y\": [1, 2]\n}"), "y"),
    ];
    for (spec, key) in &cases {
        assert_rejected(spec, key);
    }
    // A task's init must have its output layer.
    let init = format!(
        ", \"init\": {{\"wx\": {:?}, \"wh\": {:?}, \"b\": {:?}}}\n}}",
        vec![vec![0.0; 3]; 6],
        vec![vec![0.0; 6]; 6],
        vec![0.0; 6]
    );
    assert_rejected(&TASK.replace("\n}", &init), "init.wy");
}

#[test]
fn a_task_with_fresh_data_runs_prints_its_first_epochs_data_and_runs_again_to_the_same_numbers() {
    let out = run_spec(TASK);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.get("x").is_none() && v.get("y").is_none(), "fresh data is not given back as x and y");
    assert_eq!(v["first_epoch_data"]["x"].as_array().unwrap().len(), 8);
    assert_eq!(v["first_epoch_data"]["y"].as_array().unwrap().len(), 3, "y = x_1");
    assert_eq!(v["init"]["wy"].as_array().unwrap().len(), 3);
    assert_eq!(v["grads"]["by"].as_array().unwrap().len(), 3);
    assert_eq!(v["losses"].as_array().unwrap().len(), 40);
    let again = run_spec(std::str::from_utf8(&out.stdout).unwrap());
    assert_eq!(again.stdout, out.stdout);
}

#[test]
fn sine_next_writes_its_target_as_t_rows_and_fixed_data_runs_again_from_them() {
    let spec = TASK
        .replace(r#""task": "remember-first""#, r#""task": "sine-next", "data": "fixed", "clip_norm": 0.1"#)
        .replace(r#""input_size": 3"#, r#""input_size": 1"#);
    let out = run_spec(&spec);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["y"].as_array().unwrap().len(), 8);
    assert_eq!(v["y"][0].as_array().unwrap().len(), 1, "one row of O = 1 per step");
    let again = run_spec(std::str::from_utf8(&out.stdout).unwrap());
    assert_eq!(again.stdout, out.stdout);
}

#[test]
fn check_prints_a_small_relative_error_per_parameter() {
    for spec in [GOOD.to_string(), TASK.replace(r#""training": "bptt""#, r#""training": "bptt", "truncation": 3"#)] {
        let out = run_with_stdin(&["check", "-"], &spec);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        let rows: Vec<(&str, f64)> = text
            .lines()
            .filter_map(|l| {
                let mut words = l.split_whitespace();
                let name = words.next()?;
                Some((name, words.next()?.parse().ok()?))
            })
            .collect();
        let names: Vec<&str> = rows.iter().map(|r| r.0).collect();
        let expected =
            if spec.contains("remember-first") { vec!["wx", "wh", "b", "wy", "by"] } else { vec!["wx", "wh", "b"] };
        assert_eq!(names, expected, "{text}");
        assert!(rows.iter().all(|r| r.1 < 1e-4), "{text}");
    }
    assert_eq!(run_with_stdin(&["check", "-"], "{}").status.code(), Some(2));
}

/// Progress goes to a terminal only: a run of a few seconds with stderr a pipe writes nothing there.
#[test]
fn a_long_run_draws_no_progress_bar_when_stderr_is_not_a_terminal() {
    // Twice the epochs until the run outlasts the second after which a terminal gets a bar:
    // how many that takes depends on the machine (1,500 took 0.8 s on a fast day here).
    let bptt = GOOD
        .replace(
            r#""seq_length": 10, "input_size": 5, "hidden_size": 10"#,
            r#""seq_length": 100, "input_size": 32, "hidden_size": 128"#,
        )
        .replace(r#""training": "seed""#, r#""training": "bptt""#);
    let mut epochs = 1500;
    loop {
        let spec = bptt.replace(r#""epochs": 100"#, &format!(r#""epochs": {epochs}"#));
        let start = std::time::Instant::now();
        let out = run_spec(&spec);
        assert!(out.status.success());
        assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
        if start.elapsed().as_secs_f64() > 1.5 {
            return;
        }
        assert!(epochs < 100_000, "{epochs} epochs still took under 1.5 s");
        epochs *= 2;
    }
}

#[test]
fn a_ragged_x_names_the_row() {
    let x: Vec<String> = (0..10).map(|i| if i == 3 { "[1, 2]".into() } else { "[1, 2, 3, 4, 5]".into() }).collect();
    let spec = GOOD.replace("\n}", &format!(", \"x\": [{}]\n}}", x.join(", ")));
    assert_rejected(&spec, "x[3]");
}

#[test]
fn a_missing_file_and_bad_arguments_get_a_clear_line() {
    let out = Command::new(env!("CARGO_BIN_EXE_rnn-playground")).args(["run", "/no/such/file.json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1);
    assert!(stderr.contains("cannot read /no/such/file.json"), "{stderr}");
    for args in [&[][..], &["walk"][..], &["run"][..], &["run", "a", "b"][..]] {
        let out = Command::new(env!("CARGO_BIN_EXE_rnn-playground")).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("usage"));
    }
}

#[test]
fn a_diverging_run_still_prints_with_a_warning() {
    let wx = vec![vec![1e308; 5]; 10];
    let spec = GOOD.replace(
        "\n}",
        &format!(
            ", \"init\": {{\"wx\": {wx:?}, \"wh\": {:?}, \"b\": {:?}}}\n}}",
            vec![vec![0.0; 10]; 10],
            vec![0.0; 10]
        ),
    );
    let out = run_spec(&spec);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning"));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["losses"].as_array().unwrap().len() < 100);
    assert!(v.get("grads").is_none(), "epoch 1 never reached its update, so no gradient was applied");
}

/// `twin` trains the run and a copy with Wh[0][0] moved by 1e-9 in lockstep: the seed's
/// N(0, 1) weights at H = 32 are chaotic, scaled ones with g = 0.5 at H = 4 are not.
#[test]
fn twin_prints_the_distances_and_calls_the_chaotic_run_chaotic() {
    let chaotic = GOOD.replace(r#""hidden_size": 10"#, r#""hidden_size": 32"#);
    let calm = GOOD
        .replace(r#""hidden_size": 10"#, r#""hidden_size": 4"#)
        .replace(r#""training": "seed""#, r#""training": "bptt", "init": "scaled", "init_scale": 0.5"#)
        .replace(r#""epochs": 100"#, r#""epochs": 250"#);
    for (spec, expected, epochs) in [(chaotic, true, 100), (calm, false, 250)] {
        let out = run_with_stdin(&["twin", "-"], &spec);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["distances"].as_array().unwrap().len(), epochs);
        assert_eq!(v["chaotic"], expected, "{v}");
        assert_eq!(v["at_epoch"].is_u64(), expected);
        assert_eq!(v["moved"], "wh[0][0]");
        assert_eq!(v["by"], 1e-9);
    }
    assert_fails(&["twin", "-"], &GOOD.replace(r#""hidden_size": 10"#, r#""hidden_size": 0"#), "config.hidden_size", 2);
}

/// `gradient-sources` breaks each step's gradient down by the loss that sent it back: no loss
/// sends anything forward in time, the last step's gradient is all its own loss's, each bar's
/// bands add up to it, and a task with one loss at the end is told why it has no breakdown.
#[test]
fn gradient_sources_prints_where_each_steps_gradient_came_from() {
    let sine = TASK
        .replace(r#""task": "remember-first""#, r#""task": "sine-next""#)
        .replace(r#""input_size": 3"#, r#""input_size": 1"#);
    let sources = |spec: &str| -> serde_json::Value {
        let out = run_with_stdin(&["gradient-sources", "-"], spec);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let rows = |v: &serde_json::Value, key: &str| -> Vec<Vec<f64>> {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_array().unwrap().iter().map(|n| n.as_f64().unwrap()).collect())
            .collect()
    };
    let v = sources(&sine);
    assert_eq!(v["epoch"], 40);
    let (norms, shares) = (rows(&v, "norms"), rows(&v, "shares"));
    let totals: Vec<f64> = v["totals"].as_array().unwrap().iter().map(|n| n.as_f64().unwrap()).collect();
    assert_eq!((norms.len(), totals.len()), (8, 8));
    for t in 0..8 {
        assert_eq!(norms[t].len(), 8);
        assert!(norms[t][..t].iter().all(|&n| n == 0.0), "step {t} got a gradient from an earlier loss");
        assert!(norms[t][t..].iter().all(|&n| n > 0.0), "every later loss reaches step {t}");
        let sum: f64 = norms[t].iter().sum();
        assert!(totals[t] > 0.0 && totals[t] <= sum * (1.0 + 1e-12), "‖Σ parts‖ ≤ Σ ‖parts‖ at step {t}");
        assert!((shares[t].iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }
    assert!((norms[7][7] - totals[7]).abs() <= 1e-12 * totals[7], "the last step hears only its own loss");

    // epochs 0 shows epoch 1, at the starting weights, like epochs 1; training changes it.
    let first = sources(&sine.replace(r#""epochs": 40"#, r#""epochs": 1"#));
    let none = sources(&sine.replace(r#""epochs": 40"#, r#""epochs": 0"#));
    assert_eq!(first, none);
    assert_eq!(first["epoch"], 1);
    assert_ne!(first["totals"], v["totals"]);

    // One step: its gradient is all its own loss's.
    let one = sources(&sine.replace(r#""seq_length": 8"#, r#""seq_length": 1"#));
    let (norms, totals) = (rows(&one, "norms"), one["totals"].as_array().unwrap().clone());
    assert_eq!(norms, vec![vec![totals[0].as_f64().unwrap()]]);

    let refused = |spec: &str, key: &str, code: i32| assert_fails(&["gradient-sources", "-"], spec, key, code);
    refused(TASK, "config.task", 2);
    // T·H above 16,384 would take T × T vectors of H: bad input, not an exhausted memory.
    let huge = sine
        .replace(r#""seq_length": 8"#, r#""seq_length": 1000"#)
        .replace(r#""hidden_size": 6"#, r#""hidden_size": 17"#);
    refused(&huge, "config.seq_length", 2);
    // A run that diverges before the epoch shown says where, with exit code 1.
    let init = format!(
        ", \"init\": {{\"wx\": {:?}, \"wh\": {:?}, \"b\": {:?}, \"wy\": {:?}, \"by\": [0.0]}}\n}}",
        vec![vec![1e308]; 6],
        vec![vec![0.0; 6]; 6],
        vec![0.0; 6],
        vec![vec![1e308; 6]]
    );
    refused(&sine.replacen("\n}", &init, 1), "NaN or infinite", 1);
}

// --- the cells: the LSTM, the GRU, and the plain RNN's activations ---------------------------

/// TASK (remember-first, BPTT) with these keys added to its config.
fn task_with(keys: &str) -> String {
    TASK.replace(r#""training": "bptt""#, &format!(r#""training": "bptt", {keys}"#))
}

/// The sine with a loss at every step, with these keys added.
fn sine_with(keys: &str) -> String {
    task_with(keys)
        .replace(r#""task": "remember-first""#, r#""task": "sine-next""#)
        .replace(r#""input_size": 3"#, r#""input_size": 1"#)
}

const CELLS: [&str; 5] = [
    r#""cell": "lstm""#,
    r#""cell": "gru", "keep_bias": 3"#,
    r#""cell": "lstm", "keep_bias": 0"#,
    r#""activation": "relu""#,
    r#""activation": "linear""#,
];

/// Every cell runs every task; its run file writes the stacked blocks (4H or 3H rows) under the
/// same keys, and runs again to the same numbers.
#[test]
fn every_cell_runs_every_task_and_its_output_runs_again_to_the_same_numbers() {
    for keys in CELLS {
        for spec in [
            task_with(keys),
            sine_with(keys),
            task_with(&format!("{keys}, \"truncation\": 3, \"stateful\": true, \"clip_norm\": 0.5")),
        ] {
            let out = run_spec(&spec);
            assert!(out.status.success(), "{spec}: {}", String::from_utf8_lossy(&out.stderr));
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let blocks = if keys.contains("lstm") {
                4
            } else if keys.contains("gru") {
                3
            } else {
                1
            };
            for key in ["wx", "wh", "b"] {
                assert_eq!(v["init"][key].as_array().unwrap().len(), blocks * 6, "{keys}: init.{key}");
                assert_eq!(v["final"][key].as_array().unwrap().len(), blocks * 6, "{keys}: final.{key}");
            }
            let again = run_spec(std::str::from_utf8(&out.stdout).unwrap());
            assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
            assert_eq!(again.stdout, out.stdout, "{keys}: a completed file runs again to the same numbers");
        }
    }
    // The keep bias is where the gates start: the LSTM's forget block, the GRU's update block.
    let v: serde_json::Value =
        serde_json::from_slice(&run_spec(&task_with(r#""cell": "gru", "keep_bias": 3"#)).stdout).unwrap();
    let b: Vec<f64> = v["init"]["b"].as_array().unwrap().iter().map(|n| n.as_f64().unwrap()).collect();
    assert_eq!(b, [vec![-3.0; 6], vec![0.0; 12]].concat());
    let v: serde_json::Value = serde_json::from_slice(&run_spec(&task_with(r#""cell": "lstm""#)).stdout).unwrap();
    let b: Vec<f64> = v["init"]["b"].as_array().unwrap().iter().map(|n| n.as_f64().unwrap()).collect();
    assert_eq!(b, [vec![1.0; 6], vec![0.0; 18]].concat(), "keep bias 1 by default");
}

/// A stateful LSTM starts from `c0` beside `h0`; c0 anywhere else is bad input naming it.
#[test]
fn c0_sets_a_stateful_lstms_cell_state_and_is_refused_elsewhere() {
    let h0 = r#""h0": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]"#;
    let c0 = r#""c0": [0.5, -0.5, 0.5, -0.5, 0.5, -0.5]"#;
    let with = |keys: &str, top: &str| task_with(keys).replacen("\n}", &format!(",\n{top}\n}}"), 1);
    let losses = |spec: &str| -> serde_json::Value {
        let out = run_spec(spec);
        assert!(out.status.success(), "{spec}: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["losses"].clone()
    };
    let lstm = r#""cell": "lstm", "stateful": true"#;
    let given = losses(&with(lstm, &format!("{h0}, {c0}")));
    assert_ne!(given, losses(&with(lstm, h0)), "c0 is used");
    assert_rejected(&with(r#""cell": "gru", "stateful": true"#, c0), "c0");
    assert_rejected(&with(r#""cell": "lstm""#, c0), "c0");
    assert_rejected(&with(lstm, r#""c0": [1.0]"#), "c0");
}

#[test]
fn the_cells_settings_the_validity_table_forbids_get_exit_2_naming_the_key() {
    let seed = |keys: &str| GOOD.replace(r#""seed": 42"#, &format!(r#""seed": 42, {keys}"#));
    let cases = [
        (seed(r#""cell": "lstm""#), "config.cell"),
        (seed(r#""activation": "relu""#), "config.activation"),
        (seed(r#""keep_bias": 1"#), "config.keep_bias"),
        (task_with(r#""cell": "transformer""#), "config.cell"),
        (task_with(r#""activation": "sigmoid""#), "config.activation"),
        (task_with(r#""cell": "gru", "activation": "relu""#), "config.activation"),
        (task_with(r#""keep_bias": 2"#), "config.keep_bias"),
        (task_with(r#""cell": "lstm", "keep_bias": 11"#), "config.keep_bias"),
        (task_with(r#""cell": "lstm", "keep_bias": -1"#), "config.keep_bias"),
    ];
    for (spec, key) in &cases {
        assert_rejected(spec, key);
    }
    // The LSTM's init has 4H rows: an RNN-shaped one is refused naming it.
    let rnn_init = run_spec(TASK);
    let v: serde_json::Value = serde_json::from_slice(&rnn_init.stdout).unwrap();
    let spec = format!(
        r#"{{"format": "rnn-playground.run/1", "config": {}, "init": {}}}"#,
        task_with(r#""cell": "lstm""#)
            .split("\"config\": ")
            .nth(1)
            .unwrap()
            .trim_end()
            .trim_end_matches('}')
            .trim_end(),
        v["init"]
    );
    assert_rejected(&spec, "init.wx");
}

/// The command line's gradient check for every cell and activation, in every mode: the largest
/// relative error per parameter is small: below 1e-4, as for the plain RNN above (an entry whose
/// gradient is nearly 0 leaves rounding a larger share of it). A GRU that starts with keep bias 3
/// (z ≈ 0.05) has entries a thousand times smaller still, and truncated its worst is 3.5e-4: below
/// 1e-3, where the check's verdict would call it a disagreement (the whole gradient agrees to
/// 1e-6 in `tests/gradients.rs`).
#[test]
fn check_agrees_for_every_cell_in_every_mode() {
    for keys in CELLS {
        let modes = [
            task_with(keys),
            sine_with(keys),
            task_with(&format!("{keys}, \"truncation\": 3")),
            task_with(&format!("{keys}, \"stateful\": true, \"clip_norm\": 0.1")),
            GOOD.replace(r#""training": "seed""#, &format!(r#""training": "bptt", {keys}"#)),
        ];
        for spec in modes {
            let out = run_with_stdin(&["check", "-"], &spec);
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            let text = String::from_utf8(out.stdout).unwrap();
            let errors: Vec<f64> = text.lines().filter_map(|l| l.split_whitespace().nth(1)?.parse().ok()).collect();
            assert!(errors.len() >= 3, "{text}");
            let limit = if keys.contains("\"keep_bias\": 3") { 1e-3 } else { 1e-4 };
            assert!(errors.iter().all(|&e| e < limit), "{keys}: {text}");
        }
    }
}

/// The twin moves each cell's Wh[0][0] (the first block's first recurrent weight); a calm gated
/// run stays calm. gradient-sources breaks a gated cell's gradient down too, its parts carried
/// back through h and c: they add up to each step's gradient.
#[test]
fn twin_and_gradient_sources_work_with_every_cell() {
    for keys in CELLS {
        let out =
            run_with_stdin(&["twin", "-"], &task_with(&format!("{keys}, \"init\": \"scaled\", \"init_scale\": 0.5")));
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let distances = v["distances"].as_array().unwrap();
        assert_eq!(distances.len(), 40);
        // (With ReLU a unit that stays at 0 leaves its recurrent weights without effect.)
        let moved = |d: &serde_json::Value| {
            if keys.contains("relu") { d.as_f64().unwrap() >= 0.0 } else { d.as_f64().unwrap() > 0.0 }
        };
        assert!(distances.iter().all(moved), "{keys}: the moved weight matters");
        assert_eq!(v["chaotic"], false, "{keys}: {v}");

        let out = run_with_stdin(&["gradient-sources", "-"], &sine_with(keys));
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let norms: Vec<Vec<f64>> = v["norms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_array().unwrap().iter().map(|n| n.as_f64().unwrap()).collect())
            .collect();
        let totals: Vec<f64> = v["totals"].as_array().unwrap().iter().map(|n| n.as_f64().unwrap()).collect();
        for t in 0..8 {
            assert!(norms[t][..t].iter().all(|&n| n == 0.0), "{keys}: step {t} heard an earlier loss");
            let sum: f64 = norms[t].iter().sum();
            assert!(totals[t] > 0.0 && totals[t] <= sum * (1.0 + 1e-12), "{keys}: step {t}");
        }
        assert!((norms[7][7] - totals[7]).abs() <= 1e-12 * totals[7], "{keys}");
        if !keys.contains("activation") {
            assert!(norms[0][7] > 0.0, "{keys}: the last loss reaches the first step");
        }
    }
}
