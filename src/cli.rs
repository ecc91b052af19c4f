//! The command line: `run SPEC.json` prints the completed run file as JSON; `check` checks its gradient; `twin` measures chaos; `gradient-sources` breaks the gradient down by the loss that sent it; `export-numpy` writes a numpy script.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::model::numpy_script::{self, CommentLang, Style};
use crate::model::run_file::{self, RunFile};
use crate::model::twin::{self, TWIN_SHIFT};
use crate::model::{LossAt, Phase, check, health};

const USAGE: &str =
    "usage: rnn-playground run SPEC.json     print the completed run (SPEC.json is a run file; - reads standard input)
       rnn-playground check SPEC.json   compare backprop with central differences at the run's start
       rnn-playground twin SPEC.json    train the run and a twin with Wh[0][0] moved by 1e-9 in lockstep;
                                        print the distance between their last hidden states after
                                        each epoch and whether it grew a millionfold within 200
                                        epochs (chaotic), as JSON
       rnn-playground gradient-sources SPEC.json
                                        for a loss at every step (sine-next): how much of
                                        ∂L/∂h_t each step's loss sent back, in the backward
                                        pass of the run's last epoch, as JSON
       rnn-playground export-numpy [--class] [--lang en|ja] SPEC.json > run.py
                                        the run as a standalone numpy script, its comments in
                                        English (the default) or Japanese";

/// What went wrong, as the one line printed on stderr, and the exit code.
#[derive(Debug, PartialEq, Eq)]
pub struct Failure {
    pub message: String,
    pub code: i32,
}

impl Failure {
    fn bad_input(message: impl Into<String>) -> Self {
        Self { message: message.into(), code: 2 }
    }
}

/// Runs the command line on `args` (without the program name) and returns what to print on
/// stdout, or the failure. Never panics on any input.
pub fn run(args: &[String], read_stdin: impl FnOnce() -> std::io::Result<String>) -> Result<String, Failure> {
    match args {
        [cmd, path] if cmd == "run" => {
            let spec = read_spec(path, read_stdin)?;
            let mut progress = Progress::new(spec.config.epochs);
            let result = spec.complete_with_progress(|done| progress.update(done));
            progress.finish();
            match result {
                Ok(done) => Ok(done.to_json()),
                // A run that diverged is still printed (non-finite numbers as null), with a warning.
                Err((done, why)) => {
                    eprintln!("rnn-playground: warning: {why}; training stopped there");
                    Ok(done.to_json())
                }
            }
        }
        [cmd, path] if cmd == "check" => Ok(gradient_check(&read_spec(path, read_stdin)?)),
        [cmd, path] if cmd == "twin" => Ok(twin_run(&read_spec(path, read_stdin)?)),
        [cmd, path] if cmd == "gradient-sources" => gradient_sources(&read_spec(path, read_stdin)?),
        [cmd, rest @ ..] if cmd == "export-numpy" => {
            // --class: the blog's loop as a cell class (the code panel's "As a class").
            let (style, rest) = match rest {
                [flag, rest @ ..] if flag == "--class" => (Style::Class, rest),
                _ => (Style::Loop, rest),
            };
            let (lang, path) = match rest {
                [path] => (CommentLang::En, path),
                [flag, code, path] if flag == "--lang" => match CommentLang::from_code(code) {
                    Some(lang) => (lang, path),
                    None => return Err(Failure::bad_input(format!("--lang must be en or ja, got {code:?}"))),
                },
                _ => return Err(Failure::bad_input(USAGE)),
            };
            numpy_script::script_in(&read_spec(path, read_stdin)?, style, lang)
                .map_err(|e| Failure::bad_input(e.to_string()))
        }
        [flag] if flag == "--help" || flag == "-h" => Ok(format!("{USAGE}\n")),
        _ => Err(Failure::bad_input(USAGE)),
    }
}

/// Reads and validates the run file at `path` (`-`: standard input).
fn read_spec(path: &str, read_stdin: impl FnOnce() -> std::io::Result<String>) -> Result<RunFile, Failure> {
    let text = if path == "-" {
        read_stdin().map_err(|e| Failure::bad_input(format!("cannot read standard input: {e}")))?
    } else {
        std::fs::read_to_string(path).map_err(|e| Failure::bad_input(format!("cannot read {path}: {e}")))?
    };
    run_file::parse(&text).map_err(|e| Failure::bad_input(e.to_string()))
}

/// The gradient check at the spec's starting point, one line per parameter.
fn gradient_check(spec: &RunFile) -> String {
    let session = spec.session();
    let mut out = format!(
        "gradient check at the run's start: backprop (before clipping) against central differences (step {:e}),\n\
         largest relative error |a - b| / max(|a| + |b|, 1e-8) over a fixed sample of at most {} entries per parameter\n",
        check::EPSILON,
        check::MAX_ENTRIES
    );
    for c in check::check(&session).iter().filter(|c| c.entries > 0) {
        let name = c.name;
        out += &format!("{name:<3} {:>9.2e}   ({} of {} entries)\n", c.max_relative_error, c.checked, c.entries);
    }
    out
}

/// The run and its twin (Wh[0][0] moved by [`TWIN_SHIFT`]) for `config.epochs` epochs in
/// lockstep: the distance ‖h_T − h_T'‖ after each epoch (null once a twin has diverged) and
/// the verdict read from it (see [`health::chaotic_at`]).
fn twin_run(spec: &RunFile) -> String {
    let mut session = spec.session();
    let twin = twin::run_twins(&mut session, spec.config.epochs, TWIN_SHIFT);
    if let Some(why) = session.divergence().or(twin.session().divergence()) {
        eprintln!("rnn-playground: warning: {why}; training stopped there");
    }
    let at_epoch = twin.chaotic_at();
    let out = serde_json::json!({
        "moved": "wh[0][0]",
        "by": TWIN_SHIFT,
        "distances": twin.distances(),
        "chaotic": at_epoch.is_some(),
        "at_epoch": at_epoch,
        "growth": health::CHAOS_GROWTH,
        "within_epochs": health::CHAOS_WITHIN,
    });
    serde_json::to_string_pretty(&out).expect("plain numbers always serialise")
}

/// The largest T·H `gradient-sources` takes: its parts are T × T vectors of H (at most 128 MB
/// at T = 1,000) and cost (T·H)² multiply-adds (about a second here).
const MOST_SOURCE_SIZE: usize = 16_384;

/// Where the gradient came from (as the page's RNNbow bars draw it), for a loss at every step:
/// trains `config.epochs − 1` epochs, runs the next one's forward and backward passes, and
/// prints, for that backward pass (at its own weights, before the update):
/// - `norms[t][s]` = ‖the part of ∂L/∂h_{t+1} that the loss at step s + 1 sent back‖ (0-based
///   rows t and columns s for the page's steps 1 … T, T×T, zero for s < t: no loss sends a
///   gradient forward in time);
/// - `totals[t]` = ‖∂L/∂h_t‖, the bar heights (‖Σ_s part‖, at most Σ_s norms[t][s]);
/// - `shares[t][s]` = norms[t][s] / Σ_s norms[t][s], the bands the page cuts bar t into.
///
/// With `epochs` 0 it shows epoch 1, at the starting weights.
fn gradient_sources(spec: &RunFile) -> Result<String, Failure> {
    let c = &spec.config;
    if c.seq_length * c.hidden_size > MOST_SOURCE_SIZE {
        return Err(Failure::bad_input(format!(
            "config.seq_length: gradient-sources keeps T × T vectors of H, so T·H must be at most {MOST_SOURCE_SIZE}, \
             got {} × {}",
            c.seq_length, c.hidden_size
        )));
    }
    if c.loss_at() != LossAt::EveryOutput {
        return Err(Failure::bad_input(
            "config.task: gradient-sources needs a loss at every step (sine-next); with one loss at the \
             last step, all of each step's gradient comes from that loss",
        ));
    }
    let mut session = spec.session();
    let epoch = spec.config.epochs.max(1);
    session.run_epochs(epoch - 1);
    while session.divergence().is_none() && session.phase() != Phase::Update {
        session.step();
    }
    if let Some(why) = session.divergence() {
        return Err(Failure { message: format!("{why}, before epoch {epoch}'s backward pass ended"), code: 1 });
    }
    let norms = session.gradient_sources().expect("a loss at every step, after its backward pass");
    let shares: Vec<Vec<f64>> = norms
        .iter()
        .map(|row| {
            let sum: f64 = row.iter().sum();
            row.iter().map(|n| if sum > 0.0 { n / sum } else { 0.0 }).collect()
        })
        .collect();
    let out = serde_json::json!({
        "epoch": epoch,
        "norms": norms,
        "totals": session.gradient_norms(),
        "shares": shares,
    });
    Ok(serde_json::to_string_pretty(&out).expect("plain numbers always serialise"))
}

/// A progress bar on stderr for runs longer than about a second, drawn only when stderr is a
/// terminal.
struct Progress {
    epochs: usize,
    start: Instant,
    bar: Option<ProgressBar>,
}

impl Progress {
    fn new(epochs: usize) -> Self {
        Self { epochs, start: Instant::now(), bar: None }
    }

    fn update(&mut self, done: usize) {
        if self.bar.is_none() && self.start.elapsed() > Duration::from_secs(1) && std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(self.epochs as u64);
            if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} epochs, {eta} left") {
                bar.set_style(style);
            }
            self.bar = Some(bar);
        }
        if let Some(bar) = &self.bar {
            bar.set_position(done as u64);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The binary's entry point natively: prints and exits.
pub fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let read_stdin = || std::io::read_to_string(std::io::stdin());
    match run(&args, read_stdin) {
        Ok(out) => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth a message.
            let _ = stdout
                .write_all(out.as_bytes())
                .and_then(|_| if out.ends_with('\n') { Ok(()) } else { stdout.write_all(b"\n") });
        }
        Err(f) => {
            eprintln!("rnn-playground: {}", f.message);
            std::process::exit(f.code);
        }
    }
}
