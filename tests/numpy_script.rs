//! The run as a numpy script: run with Debian's numpy (/usr/bin/python3), it prints the losses the command line computes, to 1e-12.

use std::process::Command;

use rnn_playground::model::numpy_script::script;
use rnn_playground::model::run_file::RunFile;
use rnn_playground::model::{Config, Training};

/// The script's printed losses. `/usr/bin/python3` is Debian's, which sees Debian's
/// python3-numpy (scripts/test.sh installs it); another python3 may come first on PATH.
fn python_losses(text: &str) -> Vec<f64> {
    let dir = std::env::temp_dir().join(format!("rnn-playground-numpy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("run-{}.py", text.len()));
    std::fs::write(&file, text).unwrap();
    let out = Command::new("/usr/bin/python3")
        .arg(&file)
        .output()
        .expect("/usr/bin/python3 with numpy is needed: ./scripts/test.sh installs Debian's python3 and python3-numpy");
    assert!(out.status.success(), "the script failed:\n{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().map(|l| l.parse().expect("a loss per line")).collect()
}

fn check(config: Config) {
    let run = RunFile::from_config(config.clone());
    let ours = run.complete().expect("no divergence").losses.unwrap();
    let theirs = python_losses(&script(&run).unwrap());
    assert_eq!(theirs.len(), config.epochs, "one loss per epoch");
    for (e, (a, b)) in ours.iter().zip(&theirs).enumerate() {
        let rel = (a - b).abs() / a.abs().max(1e-300);
        assert!(rel <= 1e-12, "{config:?}: epoch {}: ours {a:?}, numpy {b:?} ({rel:e} relative)", e + 1);
    }
}

/// The named setting: (T, D, H) = (10, 5, 5) in the blog's loop, 100 epochs. (With H = 10 the
/// blog's N(0, 1) weights are already chaotic enough that rounding alone breaks 1e-12.)
#[test]
fn the_blogs_loop_as_a_numpy_script_prints_the_same_losses() {
    check(Config { seq_length: 10, input_size: 5, hidden_size: 5, epochs: 100, ..Config::default() });
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
    check(bptt.clone());
    check(Config { truncation: Some(3), learning_rate: 0.1, ..bptt });
}

#[test]
fn the_command_line_writes_the_same_script() {
    let bin = env!("CARGO_BIN_EXE_rnn-playground");
    let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/seed.spec.json");
    let out = Command::new(bin).args(["export-numpy", spec]).output().unwrap();
    assert!(out.status.success());
    let run = rnn_playground::model::run_file::parse(&std::fs::read_to_string(spec).unwrap()).unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim_end(), script(&run).unwrap().trim_end());
}
