//! The command line: `rnn-playground run SPEC.json` prints the completed run file as JSON.

use std::io::Write;

use crate::model::run_file;

const USAGE: &str = "usage: rnn-playground run SPEC.json   (SPEC.json is a run file; - reads standard input)";

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
            let text = if path == "-" {
                read_stdin().map_err(|e| Failure::bad_input(format!("cannot read standard input: {e}")))?
            } else {
                std::fs::read_to_string(path).map_err(|e| Failure::bad_input(format!("cannot read {path}: {e}")))?
            };
            let spec = run_file::parse(&text).map_err(|e| Failure::bad_input(e.to_string()))?;
            match spec.complete() {
                Ok(done) => Ok(done.to_json()),
                // A run that diverged is still printed (non-finite numbers as null), with a warning.
                Err((done, why)) => {
                    eprintln!("rnn-playground: warning: {why}; training stopped there");
                    Ok(done.to_json())
                }
            }
        }
        [flag] if flag == "--help" || flag == "-h" => Ok(format!("{USAGE}\n")),
        _ => Err(Failure::bad_input(USAGE)),
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
