//! The run as a numpy script: run with Debian's numpy (/usr/bin/python3), it prints the losses the command line computes, to 1e-12.

use std::process::Command;

use rnn_playground::model::numpy_script::{
    CommentLang, FRESH_EPOCHS_CAP, Style, lines_run_by_in, listing_in, script, script_in,
};
use rnn_playground::model::run_file::{RunFile, WeightsJson};
use rnn_playground::model::{Config, DataMode, Init, Phase, Task, Training};

/// The script's printed losses. `/usr/bin/python3` is Debian's, which sees Debian's
/// python3-numpy (scripts/test.sh installs it); another python3 may come first on PATH.
/// Without it the test fails: it never skips.
fn python_losses(text: &str) -> Vec<f64> {
    let dir = std::env::temp_dir().join(format!("rnn-playground-numpy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("run-{:x}.py", fxhash(text)));
    std::fs::write(&file, text).unwrap();
    let out = Command::new("/usr/bin/python3")
        .arg(&file)
        .output()
        .expect("/usr/bin/python3 with numpy is needed: ./scripts/test.sh installs Debian's python3 and python3-numpy");
    assert!(out.status.success(), "the script failed:\n{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().map(|l| l.parse().expect("a loss per line")).collect()
}

/// A name for a script's file, different for different scripts (tests run in parallel).
fn fxhash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// Runs `config` here and as a numpy script; the printed losses equal ours to 1e-12 relative,
/// one per epoch (at most `expected` of them). Returns the completed run and the largest
/// relative difference.
fn check(config: Config, lang: CommentLang, expected: usize) -> (RunFile, f64) {
    let run = RunFile::from_config(config.clone());
    let done = run.complete().expect("no divergence");
    let ours = done.losses.clone().unwrap();
    let theirs = python_losses(&script(&run, lang).unwrap());
    assert_eq!(theirs.len(), expected, "one loss per epoch");
    let mut worst = 0.0f64;
    for (e, (a, b)) in ours.iter().zip(&theirs).enumerate() {
        let rel = (a - b).abs() / a.abs().max(1e-300);
        assert!(rel <= 1e-12, "{config:?}: epoch {}: ours {a:?}, numpy {b:?} ({rel:e} relative)", e + 1);
        worst = worst.max(rel);
    }
    eprintln!("{:?} {:?}: worst relative difference {worst:e}", config.task, lang);
    (done, worst)
}

fn same_losses(config: Config) -> RunFile {
    let epochs = config.epochs;
    check(config, CommentLang::En, epochs).0
}

/// The named setting: (T, D, H) = (10, 5, 5) in the blog's loop, 100 epochs. (With H = 10 the
/// blog's N(0, 1) weights are already chaotic enough that rounding alone breaks 1e-12.)
#[test]
fn the_blogs_loop_as_a_numpy_script_prints_the_same_losses() {
    same_losses(Config { seq_length: 10, input_size: 5, hidden_size: 5, epochs: 100, ..Config::default() });
}

/// The blog's loop written as a cell class (forward, backward, update and a loop calling them):
/// the same arithmetic as the loop listing, so the same losses, in either language; and the
/// same lines as the loop's are lit at each micro-step, in the class's own places.
#[test]
fn the_blogs_loop_as_a_cell_class_prints_the_same_losses_and_lights_its_methods() {
    let config = Config { seq_length: 10, input_size: 5, hidden_size: 5, epochs: 100, ..Config::default() };
    let run = RunFile::from_config(config.clone());
    let ours = run.complete().expect("no divergence").losses.unwrap();
    for lang in [CommentLang::En, CommentLang::Ja] {
        let text = script_in(&run, Style::Class, lang).unwrap();
        assert!(text.contains("class RNNCell:") && text.contains("    def backward(self, dh):"), "{text}");
        let theirs = python_losses(&text);
        assert_eq!(theirs.len(), 100);
        for (e, (a, b)) in ours.iter().zip(&theirs).enumerate() {
            assert!((a - b).abs() <= 1e-12 * a.abs(), "epoch {}: ours {a:?}, the class's {b:?}", e + 1);
        }
    }
    let listing = listing_in(&config, Style::Class, CommentLang::En);
    let lines: Vec<&str> = listing.lines().collect();
    let lit =
        |phase| lines_run_by_in(phase, &config, Style::Class).iter().map(|&i| lines[i].trim()).collect::<Vec<_>>();
    let forward = lit(Phase::Forward { t: 3 });
    assert!(forward.iter().any(|l| l.starts_with("a = np.dot(self.Wx, x_t)")), "{forward:?}");
    assert!(forward.iter().any(|l| l.starts_with("h = cell.forward(")), "the call as well as the method: {forward:?}");
    assert!(lit(Phase::Loss).iter().any(|l| l.starts_with("loss = np.mean")));
    let backward = lit(Phase::Backward { t: 9 });
    assert!(
        backward.iter().any(|l| l.starts_with("da = dh * (1 - self.h ** 2)"))
            && backward.iter().any(|l| l.starts_with("cell.backward(dh)"))
    );
    assert!(lit(Phase::Update).iter().any(|l| l.starts_with("self.Wx -= learning_rate * self.dWx")));
    // Full BPTT has no class view: its listing stays the loop.
    let bptt = Config { training: Training::Bptt, ..config };
    assert_eq!(listing_in(&bptt, Style::Class, CommentLang::En), listing_in(&bptt, Style::Loop, CommentLang::En));
}

#[test]
fn full_and_truncated_bptt_as_a_numpy_script_print_the_same_losses() {
    let bptt = Config {
        seq_length: 10,
        input_size: 5,
        hidden_size: 5,
        epochs: 100,
        training: Training::Bptt,
        ..Config::default()
    };
    same_losses(bptt.clone());
    same_losses(Config { truncation: Some(3), learning_rate: 0.1, ..bptt });
}

/// The named setting for the tasks: H = 16, scaled init g = 0.9, 100 epochs of BPTT, at a
/// learning rate of 0.05 (0.01 for remember-first, whose three outputs at the last step make
/// training sensitive enough at 0.05 that rounding grows past 1e-12 within 100 epochs).
fn task(task: Task, input_size: usize) -> Config {
    Config {
        task,
        input_size,
        hidden_size: 16,
        seq_length: 12,
        learning_rate: if task == Task::RememberFirst { 0.01 } else { 0.05 },
        epochs: 100,
        training: Training::Bptt,
        init: Some(Init::Scaled),
        init_scale: Some(0.9),
        ..Config::default()
    }
}

fn all_tasks() -> [Config; 4] {
    [task(Task::RandomTarget, 5), task(Task::SineNext, 1), task(Task::RememberFirst, 3), task(Task::Adding, 2)]
}

#[test]
fn every_task_as_a_numpy_script_prints_the_same_losses() {
    for config in all_tasks() {
        same_losses(config);
    }
}

/// Fixed data for the tasks that default to fresh. Adding's one target on one fixed sequence
/// is fitted fast at 0.05: its loss, the square of the difference of two nearby numbers, falls
/// to 1e-9 and below, where rounding alone is more than 1e-12 of it. So it trains slower here.
#[test]
fn every_task_with_fixed_or_fresh_data_and_the_carried_state_prints_the_same_losses() {
    for config in all_tasks() {
        same_losses(Config { stateful: Some(true), ..config.clone() });
        if config.task != Task::RandomTarget {
            assert_eq!(config.data(), DataMode::Fresh);
            let slower = if config.task == Task::Adding { 0.002 } else { config.learning_rate };
            same_losses(Config { data: Some(DataMode::Fixed), learning_rate: slower, ..config });
        }
    }
}

#[test]
fn truncated_tasks_as_numpy_scripts_print_the_same_losses() {
    for config in all_tasks().into_iter().filter(|c| c.task != Task::SineNext) {
        same_losses(Config { truncation: Some(4), ..config });
    }
}

/// The global norm of every number the run file writes for these weights.
fn norm(w: &WeightsJson) -> f64 {
    fn squares(v: &serde_json::Value) -> f64 {
        match v {
            serde_json::Value::Number(n) => n.as_f64().unwrap().powi(2),
            serde_json::Value::Array(items) => items.iter().map(squares).sum(),
            serde_json::Value::Object(entries) => entries.values().map(squares).sum(),
            _ => 0.0,
        }
    }
    squares(&serde_json::to_value(w).unwrap()).sqrt()
}

/// A clip norm small enough that the first epoch is clipped (its applied gradients have that
/// norm), so the script's clipping is exercised, not only written.
#[test]
fn clipped_tasks_as_numpy_scripts_print_the_same_losses() {
    for config in all_tasks() {
        let clip = 0.05;
        let done = same_losses(Config { clip_norm: Some(clip), stateful: Some(true), ..config });
        let applied = norm(done.grads.as_ref().unwrap());
        assert!((applied - clip).abs() <= 1e-12, "{:?}: epoch 1 clipped to {applied}", done.config.task);
    }
}

/// More epochs of fresh data than the script holds: it runs the first FRESH_EPOCHS_CAP, the
/// same losses as ours.
#[test]
fn fresh_data_past_the_cap_runs_the_capped_epochs_with_the_same_losses() {
    let config = Config { epochs: FRESH_EPOCHS_CAP + 40, seq_length: 8, hidden_size: 8, ..task(Task::SineNext, 1) };
    let text = script(&RunFile::from_config(config.clone()), CommentLang::En).unwrap();
    assert!(text.contains(&format!("the run has {} epochs", FRESH_EPOCHS_CAP + 40)));
    check(config, CommentLang::En, FRESH_EPOCHS_CAP);
}

#[test]
fn the_japanese_script_runs_and_prints_the_same_losses_as_the_english_one() {
    for config in [Config { epochs: 30, hidden_size: 5, ..Config::default() }, task(Task::RememberFirst, 3)] {
        let run = RunFile::from_config(config.clone());
        let en = python_losses(&script(&run, CommentLang::En).unwrap());
        let ja_text = script(&run, CommentLang::Ja).unwrap();
        assert!(ja_text.contains("逆伝播") && ja_text.contains("学習率"));
        assert_eq!(python_losses(&ja_text), en, "{config:?}");
        check(config.clone(), CommentLang::Ja, config.epochs);
    }
}

#[test]
fn the_command_line_writes_the_same_script() {
    let bin = env!("CARGO_BIN_EXE_rnn-playground");
    let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/seed.spec.json");
    let run = rnn_playground::model::run_file::parse(&std::fs::read_to_string(spec).unwrap()).unwrap();
    for (args, lang) in [(vec![spec], CommentLang::En), (vec!["--lang", "ja", spec], CommentLang::Ja)] {
        let out = Command::new(bin).arg("export-numpy").args(&args).output().unwrap();
        assert!(out.status.success());
        assert_eq!(String::from_utf8(out.stdout).unwrap().trim_end(), script(&run, lang).unwrap().trim_end());
    }
    // --class: the blog's loop as a cell class, as the code panel's "As a class" shows it.
    let out = Command::new(bin).args(["export-numpy", "--class", "--lang", "ja", spec]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim_end(),
        script_in(&run, Style::Class, CommentLang::Ja).unwrap().trim_end()
    );
    let out = Command::new(bin).args(["export-numpy", "--lang", "fr", spec]).output().unwrap();
    assert_eq!((out.status.code(), out.stdout.is_empty()), (Some(2), true));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--lang must be en or ja"));
}

use rnn_playground::model::{Activation, CellKind};

/// Every cell, and the plain RNN's other activations, in the tasks' named setting (the linear
/// RNN at a tenth of the rate and clipped to 1: without, its gradient explodes on random-target
/// within 3 epochs, as exploding gradients do when nothing bounds h).
fn cells(config: &Config) -> Vec<Config> {
    let with = |cell: CellKind, activation: Option<Activation>, keep_bias: Option<f64>| Config {
        cell: Some(cell),
        activation,
        keep_bias,
        ..config.clone()
    };
    vec![
        with(CellKind::Lstm, None, None),
        with(CellKind::Gru, None, Some(2.0)),
        with(CellKind::Rnn, Some(Activation::Relu), None),
        Config {
            learning_rate: config.learning_rate / 10.0,
            clip_norm: Some(config.clip_norm.unwrap_or(1.0)),
            ..with(CellKind::Rnn, Some(Activation::Linear), None)
        },
    ]
}

/// The LSTM's and the GRU's listings (DL2's names: f, g, i, o, c; z, r, h_hat), and the RNN with
/// ReLU or no activation, on every task: the same losses as ours to 1e-12.
#[test]
fn every_cell_and_activation_on_every_task_as_a_numpy_script_prints_the_same_losses() {
    for config in all_tasks() {
        for config in cells(&config) {
            let text = script(&RunFile::from_config(config.clone()), CommentLang::En).unwrap();
            match config.cell() {
                CellKind::Lstm => assert!(text.contains("c = f * c + g * i") && text.contains("h = o * np.tanh(c)")),
                CellKind::Gru => assert!(text.contains("h = (1 - z) * h + z * h_hat") && text.contains("PyTorch")),
                CellKind::Rnn => assert!(!text.contains("np.tanh")),
            }
            same_losses(config);
        }
    }
}

/// The cells with a carried state (the LSTM's c too), truncation and clipping that acts.
#[test]
fn every_cell_with_the_carried_state_truncation_and_clipping_prints_the_same_losses() {
    for config in [task(Task::RememberFirst, 3), task(Task::SineNext, 1)] {
        for config in cells(&config) {
            let truncation = (config.task != Task::SineNext).then_some(4);
            // A carried state with no activation to bound it grows without limit (its loss
            // passes 1e12 on the sine): such a run is not one to compare to 1e-12.
            if config.activation != Some(Activation::Linear) {
                same_losses(Config { stateful: Some(true), truncation, ..config.clone() });
            }
            let done = same_losses(Config { clip_norm: Some(0.05), ..config });
            assert!((norm(done.grads.as_ref().unwrap()) - 0.05).abs() <= 1e-12, "clipped");
        }
    }
}

/// A stateful LSTM run that starts mid-way: the script writes c0 beside h0 and starts from both.
#[test]
fn a_stateful_lstm_from_a_given_state_writes_c0_and_prints_the_same_losses() {
    let config = Config { cell: Some(CellKind::Lstm), stateful: Some(true), ..task(Task::SineNext, 1) };
    let mut run = RunFile::from_config(config.clone());
    run.h0 = Some((0..16).map(|i| 0.05 * i as f64 - 0.4).collect());
    run.c0 = Some((0..16).map(|i| 0.8 - 0.1 * i as f64).collect());
    let text = script(&run, CommentLang::Ja).unwrap();
    assert!(text.contains("c0 = np.array([[0.8, 0.7") && text.contains("c = c0.copy()"), "{text}");
    let ours = run.complete().unwrap().losses.unwrap();
    let theirs = python_losses(&text);
    assert_eq!(ours.len(), theirs.len());
    for (a, b) in ours.iter().zip(&theirs) {
        assert!((a - b).abs() <= 1e-12 * a.abs(), "ours {a:?}, numpy {b:?}");
    }
    let from_zero = RunFile::from_config(config).complete().unwrap().losses.unwrap();
    assert_ne!(from_zero[0], ours[0], "the given state is used");
}

/// A learner's own series, with fresh and fixed data: the script holds the series and every
/// window it trains on, and prints the same losses.
#[test]
fn a_learners_series_as_a_numpy_script_holds_it_and_prints_the_same_losses() {
    let spec = include_str!("fixtures/series.spec.json");
    let fresh = rnn_playground::model::run_file::parse(spec).unwrap().config;
    let text = script(&RunFile::from_config(fresh.clone()), CommentLang::Ja).unwrap();
    assert!(text.contains("series = np.array([0.337, 0.802, 1.223,"), "the series is in the script");
    same_losses(fresh.clone());
    same_losses(Config { data: Some(DataMode::Fixed), ..fresh });
}
