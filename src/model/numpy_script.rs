//! A run as a standalone numpy script: its numbers, then the training loop written the way a learner writes it.
//!
//! The script needs numpy only. Run with `python3 run.py`, it prints one loss per epoch with
//! `repr` (no digit lost), for the run's epochs (100 if it has none). numpy sums in its own
//! order and uses its own tanh, so its losses agree with ours to about 1e-12 relative on runs
//! that are not chaotic, not to the bit. The listings are the blog's loop and full or
//! truncated BPTT on the blog's task; the tasks with an output layer are not written yet.

use nalgebra::{DMatrix, DVector};

use super::config::{Config, Invalid, Task, Training};
use super::run_file::RunFile;
use super::session::Phase;

/// The blog's loop: the hidden state carried across epochs, the gradient of the sum of
/// squares, backward through the last timestep only.
pub const BLOG_LOOP: &str = r#"h = h0.copy()  # the blog sets h = 0 once, before the first epoch, and never resets it
for epoch in range(epochs):
    # forward: one timestep at a time
    hs = [h]
    for t in range(T):
        x_t = x[t].reshape(D, 1)
        a = np.dot(Wx, x_t) + np.dot(Wh, h) + b  # a_t = Wx x_t + Wh h_{t-1} + b
        h = np.tanh(a)                             # h_t = tanh(a_t)
        hs.append(h)
    # loss: the last hidden state itself against the target
    loss = np.mean((h - y) ** 2)
    print(repr(loss))
    # backward: the gradient of the *sum* of squares (not divided by H), through the last step only
    dh = 2 * (h - y)
    da = dh * (1 - h ** 2)                       # through tanh
    dWx = np.dot(da, x[T - 1].reshape(1, D))     # a_T = Wx x_T + ...
    dWh = np.dot(da, hs[T - 1].T)                # a_T = ... + Wh h_{T-1} + ...
    db = da                                      # a_T = ... + b
    # update: plain SGD
    Wx -= learning_rate * dWx
    Wh -= learning_rate * dWh
    b -= learning_rate * db
"#;

/// Backpropagation through time: h = 0 at every epoch's start, the exact gradient of the
/// loss, back through the last k timesteps (all T unless truncated).
pub const BPTT: &str = r#"for epoch in range(epochs):
    # forward: one timestep at a time, from h_0 = 0
    h = np.zeros((H, 1))
    hs = [h]
    for t in range(T):
        x_t = x[t].reshape(D, 1)
        a = np.dot(Wx, x_t) + np.dot(Wh, h) + b  # a_t = Wx x_t + Wh h_{t-1} + b
        h = np.tanh(a)                             # h_t = tanh(a_t)
        hs.append(h)
    # loss: the last hidden state itself against the target
    loss = np.mean((h - y) ** 2)
    print(repr(loss))
    # backward: the exact gradient of the mean, back through the last k timesteps
    dh = 2 * (h - y) / H
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    for t in reversed(range(T - k, T)):
        da = dh * (1 - hs[t + 1] ** 2)               # through tanh
        dWx += np.dot(da, x[t].reshape(1, D))        # a_t = Wx x_t + ...
        dWh += np.dot(da, hs[t].T)                   # a_t = ... + Wh h_{t-1} + ...
        db += da                                     # a_t = ... + b
        dh = np.dot(Wh.T, da)                        # to h_{t-1}
    # update: plain SGD
    Wx -= learning_rate * dWx
    Wh -= learning_rate * dWh
    b -= learning_rate * db
"#;

/// The listing the code panel shows for these settings (the same text the script runs).
pub fn listing(config: &Config) -> &'static str {
    match config.training {
        Training::BlogLoop => BLOG_LOOP,
        Training::Bptt => BPTT,
    }
}

/// The 0-based lines of [`listing`] that micro-step `phase` runs: what the code panel lights
/// before that step.
pub fn lines_run_by(phase: Phase, training: Training) -> Vec<usize> {
    let starts: &[&str] = match (phase, training) {
        (Phase::Forward { .. }, _) => &["x_t = ", "a = ", "h = np.tanh", "hs.append"],
        (Phase::Loss, Training::BlogLoop) => &["loss = ", "print(", "dh = 2"],
        (Phase::Loss, Training::Bptt) => &["loss = ", "print(", "dh = 2", "dWx, dWh, db = "],
        (Phase::Backward { .. }, _) => &["da = ", "dWx ", "dWh ", "db ", "dh = np.dot"],
        (Phase::Update, _) => &["Wx -= ", "Wh -= ", "b -= "],
    };
    let listing = match training {
        Training::BlogLoop => BLOG_LOOP,
        Training::Bptt => BPTT,
    };
    let lit = |line: &str| starts.iter().any(|s| line.trim_start().starts_with(s));
    listing.lines().enumerate().filter(|(_, l)| lit(l)).map(|(i, _)| i).collect()
}

/// The script of a run: its sizes, learning rate, training, data, starting weights and h0,
/// then [`listing`]. The error names what it does not cover yet.
pub fn script(run: &RunFile) -> Result<String, Invalid> {
    let c = &run.config;
    if c.task != Task::RandomTarget {
        return Err(Invalid::new("config.task", "export-numpy writes the blog's task (random-target) only, so far"));
    }
    if c.training == Training::Bptt && c.stateful() {
        return Err(Invalid::new("config.stateful", "export-numpy writes BPTT from h = 0 each epoch only, so far"));
    }
    if c.clip_norm.is_some() {
        return Err(Invalid::new("config.clip_norm", "export-numpy does not write clipping yet"));
    }
    let session = run.session();
    let start = session.run_start();
    let epochs = if c.epochs == 0 { 100 } else { c.epochs };
    let training = match c.training {
        Training::BlogLoop => "the blog's loop (\"seed\")",
        Training::Bptt => "backpropagation through time (\"bptt\")",
    };
    let mut out = String::from(
        "# An RNN Playground run as a numpy script. Run it with: python3 run.py\n\
         # It prints one loss per epoch; they match the page's and the command line's to about 1e-12.\n\
         import numpy as np\n\n",
    );
    out += &format!(
        "T, D, H = {}, {}, {}  # timesteps, features per step, hidden units\n",
        c.seq_length, c.input_size, c.hidden_size
    );
    out += &format!("learning_rate = {}\nepochs = {epochs}\n", py_float(c.learning_rate));
    out += &format!("# training: {training}\n");
    if c.training == Training::Bptt {
        out += &format!("k = {}  # timesteps the gradient goes back through\n", c.backprop_steps());
    }
    out += "\n";
    out += &array("x", &start.x, "T×D: row t is the input at timestep t + 1");
    out += &column("y", &start.y, "H×1: the target for the last hidden state");
    out += &array("Wx", &start.params.wx, "H×D, input → hidden");
    out += &array("Wh", &start.params.wh, "H×H, hidden → hidden");
    out += &column("b", &start.params.b, "H×1");
    if c.training == Training::BlogLoop {
        out += &column("h0", &start.h0, "H×1: the hidden state the run starts from");
    }
    out += "\n";
    out += listing(c);
    Ok(out)
}

/// A float as Python reads it back exactly (Rust's shortest round-trip form).
fn py_float(v: f64) -> String {
    if v.is_finite() { format!("{v:?}") } else { "float('nan')".into() }
}

fn array(name: &str, m: &DMatrix<f64>, about: &str) -> String {
    let rows: Vec<String> =
        m.row_iter().map(|r| format!("[{}]", r.iter().map(|v| py_float(*v)).collect::<Vec<_>>().join(", "))).collect();
    format!("{name} = np.array([\n    {},\n])  # {about}\n", rows.join(",\n    "))
}

fn column(name: &str, v: &DVector<f64>, about: &str) -> String {
    let values: Vec<String> = v.iter().map(|v| py_float(*v)).collect();
    format!("{name} = np.array([[{}]]).T  # {about}\n", values.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_holds_the_runs_numbers_exactly_and_the_listing() {
        let run = RunFile::from_config(Config { seq_length: 3, input_size: 2, hidden_size: 2, ..Config::default() });
        let text = script(&run).unwrap();
        let session = run.session();
        let w = session.params().wx[(1, 0)];
        assert!(text.contains(&format!("{w:?}")), "Wx[1,0] written to the last digit");
        assert!(text.contains("T, D, H = 3, 2, 2"));
        assert!(text.ends_with(BLOG_LOOP));
        assert!(text.contains("for t in range(T):") && text.contains("np.tanh"));
        let bptt = RunFile::from_config(Config { training: Training::Bptt, truncation: Some(2), ..run.config.clone() });
        let text = script(&bptt).unwrap();
        assert!(text.contains("k = 2") && text.ends_with(BPTT) && !text.contains("h0 ="));
    }

    #[test]
    fn every_micro_step_lights_the_lines_it_runs() {
        for training in [Training::BlogLoop, Training::Bptt] {
            let lines: Vec<&str> = listing(&Config { training, ..Config::default() }).lines().collect();
            let lit = |phase| lines_run_by(phase, training).into_iter().map(|i| lines[i].trim()).collect::<Vec<_>>();
            assert!(lit(Phase::Forward { t: 0 }).iter().any(|l| l.starts_with("h = np.tanh(a)")));
            assert!(lit(Phase::Loss)[0].starts_with("loss = np.mean"));
            assert_eq!(lit(Phase::Backward { t: 0 }).len(), if training == Training::Bptt { 5 } else { 4 });
            assert_eq!(lit(Phase::Update).len(), 3);
        }
    }

    #[test]
    fn tasks_not_written_yet_are_named() {
        let run = RunFile::from_config(Config {
            task: Task::SineNext,
            input_size: 1,
            training: Training::Bptt,
            ..Config::default()
        });
        assert_eq!(script(&run).unwrap_err().key, "config.task");
    }
}
