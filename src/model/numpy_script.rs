//! A run as a standalone numpy script: its numbers, then the training loop written the way a learner writes it.
//!
//! The script needs numpy only. Run with `python3 run.py`, it prints one loss per epoch with
//! `repr` (no digit lost), for the run's epochs (100 if it has none). numpy sums in its own
//! order and uses its own tanh, so its losses agree with ours to about 1e-12 relative on runs
//! that are not chaotic, not to the bit.
//!
//! The listing covers every task and option: the blog's loop; BPTT with the output layer
//! (`ŷ_t = Wy h_t + by`) and a loss at the last hidden state, the last output or every output;
//! truncation, clipping (as `rnn::clip`), the carried state and fresh data. It is assembled
//! from a few parts, each line with the micro-step that runs it, so the page can light it.
//! Fresh data cannot be drawn again in numpy (our random streams are not numpy's), so the
//! script holds each epoch's sequence, for at most [`FRESH_EPOCHS_CAP`] epochs: a run with
//! more epochs is written for the first [`FRESH_EPOCHS_CAP`], and the script says so.
//!
//! Comments come in English or Japanese ([`CommentLang`], tables in `numpy_comments.rs`); the
//! code lines are the same in both.

use nalgebra::{DMatrix, DVector};

use super::config::{Activation, CellKind, Config, DataMode, Init, Invalid, LossAt, Task, Training};
use super::numpy_comments::{self, Comments};
use super::run_file::RunFile;
use super::session::{Phase, RunStart};
use super::tasks;

/// The most epochs of fresh data a script holds: 500 sequences keep a script of the page's
/// usual sizes (T ≤ 50, D ≤ 2) under about 2 MB.
pub const FRESH_EPOCHS_CAP: usize = 500;

/// The language of the script's comments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CommentLang {
    #[default]
    En,
    Ja,
}

impl CommentLang {
    /// `"en"` or `"ja"`.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "en" => Some(Self::En),
            "ja" => Some(Self::Ja),
            _ => None,
        }
    }

    /// This language's comments.
    pub fn comments(self) -> &'static Comments {
        match self {
            Self::En => &numpy_comments::EN,
            Self::Ja => &numpy_comments::JA,
        }
    }
}

/// The micro-step that runs a line of the listing (`Setup`: none; loop headers and the
/// start of an epoch are not lit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Runs {
    Setup,
    Forward,
    Loss,
    Backward,
    /// Run by the first backward step (t = T) only: the output layer's share of a loss at the last output.
    FirstBackward,
    Update,
}

type Say = fn(&Comments) -> &'static str;

/// One line of the listing: its code (the same in every language), the step that runs it,
/// and its comment. A line whose code is only indentation is a comment on a line of its own.
#[derive(Clone, Copy)]
struct Line {
    code: &'static str,
    runs: Runs,
    say: Option<Say>,
}

fn code(code: &'static str, runs: Runs) -> Line {
    Line { code, runs, say: None }
}

fn said(code: &'static str, runs: Runs, say: Say) -> Line {
    Line { code, runs, say: Some(say) }
}

/// A comment on a line of its own, at `indent`.
fn heading(indent: &'static str, say: Say) -> Line {
    Line { code: indent, runs: Runs::Setup, say: Some(say) }
}

use Runs::{Backward, FirstBackward, Forward, Loss, Setup, Update};

/// The listing's lines for these settings: the blog's loop, or BPTT from its parts.
fn lines(c: &Config) -> Vec<Line> {
    let mut out = match c.training {
        Training::BlogLoop => blog_loop_start(),
        Training::Bptt => epoch_start(c),
    };
    out.extend(forward(c));
    out.extend(loss(c));
    match c.training {
        Training::BlogLoop => out.extend(blog_loop_backward()),
        Training::Bptt => out.extend(backward(c)),
    }
    if c.clip_norm.is_some() {
        out.extend(clipping(c));
    }
    out.extend(update(c));
    out
}

/// The blog's start: h = h0 once, never reset.
fn blog_loop_start() -> Vec<Line> {
    vec![
        said("h = h0.copy()", Setup, |s| s.h_set_once),
        code("for epoch in range(epochs):", Setup),
        heading("    ", |s| s.forward),
        code("    hs = [h]", Setup),
    ]
}

/// BPTT's start of an epoch: the carried state or h_0 = 0, fresh data, the lists it keeps.
fn epoch_start(c: &Config) -> Vec<Line> {
    let mut out = Vec::new();
    let lstm = c.cell() == CellKind::Lstm;
    if c.stateful() {
        out.push(said("h = h0.copy()", Setup, |s| s.h_carried));
        if lstm {
            out.push(said("c = c0.copy()", Setup, |s| s.c_carried));
        }
    }
    out.push(code("for epoch in range(epochs):", Setup));
    if c.data() == DataMode::Fresh {
        out.push(said("    x, y = xs[epoch], ys[epoch]", Setup, |s| s.fresh_data));
    }
    if c.stateful() {
        out.push(heading("    ", |s| s.forward_carried));
    } else {
        out.push(heading("    ", |s| s.forward_from_zero));
        out.push(code("    h = np.zeros((H, 1))", Setup));
        if lstm {
            out.push(code("    c = np.zeros((H, 1))", Setup));
        }
    }
    out.push(code("    hs = [h]", Setup));
    if lstm {
        out.push(code("    cs = [c]", Setup));
    }
    if c.cell() != CellKind::Rnn {
        out.push(said("    gates = []", Setup, |s| s.gates_kept));
    }
    if c.loss_at() == LossAt::EveryOutput {
        out.push(said("    ys_hat = []", Setup, |s| s.outputs_kept));
    }
    out
}

/// The loop over timesteps, with the output layer where the task has one.
fn forward(c: &Config) -> Vec<Line> {
    let mut out = vec![code("    for t in range(T):", Setup), code("        x_t = x[t].reshape(D, 1)", Forward)];
    out.extend(match c.cell() {
        CellKind::Rnn => vec![
            said("        a = np.dot(Wx, x_t) + np.dot(Wh, h) + b", Forward, |s| s.a_t),
            match c.activation() {
                Activation::Tanh => said("        h = np.tanh(a)", Forward, |s| s.h_t),
                Activation::Relu => said("        h = np.maximum(a, 0)", Forward, |s| s.h_relu),
                Activation::Linear => said("        h = a", Forward, |s| s.h_linear),
            },
            code("        hs.append(h)", Forward),
        ],
        CellKind::Lstm => vec![
            said("        A = np.dot(Wx, x_t) + np.dot(Wh, h) + b", Forward, |s| s.a_lstm),
            said("        f = sigmoid(A[:H])", Forward, |s| s.f_gate),
            said("        g = np.tanh(A[H:2 * H])", Forward, |s| s.g_gate),
            said("        i = sigmoid(A[2 * H:3 * H])", Forward, |s| s.i_gate),
            said("        o = sigmoid(A[3 * H:])", Forward, |s| s.o_gate),
            said("        c = f * c + g * i", Forward, |s| s.c_t),
            said("        h = o * np.tanh(c)", Forward, |s| s.h_lstm),
            code("        hs.append(h)", Forward),
            code("        cs.append(c)", Forward),
            code("        gates.append((f, g, i, o))", Forward),
        ],
        CellKind::Gru => vec![
            said("        z = sigmoid(np.dot(Wx[:H], x_t) + np.dot(Wh[:H], h) + b[:H])", Forward, |s| s.z_gate),
            said("        r = sigmoid(np.dot(Wx[H:2 * H], x_t) + np.dot(Wh[H:2 * H], h) + b[H:2 * H])", Forward, |s| {
                s.r_gate
            }),
            said(
                "        h_hat = np.tanh(np.dot(Wx[2 * H:], x_t) + np.dot(Wh[2 * H:], r * h) + b[2 * H:])",
                Forward,
                |s| s.h_hat,
            ),
            said("        h = (1 - z) * h + z * h_hat", Forward, |s| s.h_gru),
            code("        hs.append(h)", Forward),
            code("        gates.append((z, r, h_hat))", Forward),
        ],
    });
    if c.output_size() > 0 {
        out.push(said("        y_hat = np.dot(Wy, h) + by", Forward, |s| s.y_hat_t));
    }
    if c.loss_at() == LossAt::EveryOutput {
        out.push(code("        ys_hat.append(y_hat)", Forward));
    }
    out
}

/// The loss where the task reads it, printed.
fn loss(c: &Config) -> Vec<Line> {
    let mut out = match c.loss_at() {
        LossAt::LastHidden => {
            vec![heading("    ", |s| s.loss_hidden), code("    loss = np.mean((h - y) ** 2)", Loss)]
        }
        LossAt::LastOutput => {
            vec![heading("    ", |s| s.loss_last), code("    loss = np.mean((y_hat - y) ** 2)", Loss)]
        }
        LossAt::EveryOutput => {
            vec![heading("    ", |s| s.loss_every), code("    loss = np.mean((np.hstack(ys_hat) - y.T) ** 2)", Loss)]
        }
    };
    out.push(code("    print(repr(loss))", Loss));
    out
}

/// The blog's backward: the gradient of the sum of squares, through the last step only.
fn blog_loop_backward() -> Vec<Line> {
    vec![
        heading("    ", |s| s.backward_blog),
        code("    dh = 2 * (h - y)", Loss),
        said("    da = dh * (1 - h ** 2)", Backward, |s| s.through_tanh),
        said("    dWx = np.dot(da, x[T - 1].reshape(1, D))", Backward, |s| s.dwx_last),
        said("    dWh = np.dot(da, hs[T - 1].T)", Backward, |s| s.dwh_last),
        said("    db = da", Backward, |s| s.db_last),
    ]
}

/// BPTT's backward: where the gradient starts (the loss's reading of h_T, ŷ_T or every ŷ_t),
/// then back through the last k timesteps.
fn backward(c: &Config) -> Vec<Line> {
    let every = c.loss_at() == LossAt::EveryOutput;
    let mut out = vec![
        heading("    ", if every { |s: &Comments| s.backward_every } else { |s: &Comments| s.backward_k }),
        code("    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)", Loss),
    ];
    if c.cell() == CellKind::Lstm {
        out.push(said("    dc = np.zeros((H, 1))", Loss, |s| s.dc_start));
    }
    match c.loss_at() {
        LossAt::LastHidden => out.push(said("    dh = 2 * (h - y) / H", Loss, |s| s.dh_mean)),
        LossAt::LastOutput => out.extend([
            said("    dy_hat = 2 * (y_hat - y) / O", Loss, |s| s.dy_last),
            said("    dWy = np.dot(dy_hat, h.T)", FirstBackward, |s| s.dwy_last),
            said("    dby = dy_hat", FirstBackward, |s| s.dby_last),
            said("    dh = np.dot(Wy.T, dy_hat)", FirstBackward, |s| s.dh_from_output),
        ]),
        LossAt::EveryOutput => out.extend([
            code("    dWy, dby = np.zeros_like(Wy), np.zeros_like(by)", Loss),
            said("    dh = np.zeros((H, 1))", Loss, |s| s.dh_nothing_after),
            code("    for t in reversed(range(T)):", Setup),
            said("        dy_hat = 2 * (ys_hat[t] - y[t].reshape(O, 1)) / (T * O)", Backward, |s| s.dy_every),
            said("        dWy += np.dot(dy_hat, hs[t + 1].T)", Backward, |s| s.dwy_t),
            said("        dby += dy_hat", Backward, |s| s.dby_t),
            said("        dh += np.dot(Wy.T, dy_hat)", Backward, |s| s.dh_also_output),
        ]),
    }
    if !every {
        out.push(code("    for t in reversed(range(T - k, T)):", Setup));
    }
    out.extend(cell_backward(c));
    out
}

/// The cell's own backward step, inside the loop over t: from dh (and the LSTM's dc) to the
/// step's share of dWx, dWh and db, and what goes on to step t − 1.
fn cell_backward(c: &Config) -> Vec<Line> {
    match c.cell() {
        CellKind::Rnn => vec![
            match c.activation() {
                Activation::Tanh => said("        da = dh * (1 - hs[t + 1] ** 2)", Backward, |s| s.through_tanh),
                Activation::Relu => said("        da = dh * (hs[t + 1] > 0)", Backward, |s| s.through_relu),
                Activation::Linear => said("        da = dh", Backward, |s| s.through_linear),
            },
            said("        dWx += np.dot(da, x[t].reshape(1, D))", Backward, |s| s.dwx_t),
            said("        dWh += np.dot(da, hs[t].T)", Backward, |s| s.dwh_t),
            said("        db += da", Backward, |s| s.db_t),
            said("        dh = np.dot(Wh.T, da)", Backward, |s| s.dh_prev),
        ],
        CellKind::Lstm => vec![
            said("        f, g, i, o = gates[t]", Backward, |s| s.gates_back),
            code("        tanh_c = np.tanh(cs[t + 1])", Backward),
            said("        ds = dc + dh * o * (1 - tanh_c ** 2)", Backward, |s| s.lstm_ds),
            said("        dc = ds * f", Backward, |s| s.lstm_dc),
            said("        df = ds * cs[t] * f * (1 - f)", Backward, |s| s.lstm_df),
            said("        dg = ds * i * (1 - g ** 2)", Backward, |s| s.lstm_dg),
            said("        di = ds * g * i * (1 - i)", Backward, |s| s.lstm_di),
            said("        do = dh * tanh_c * o * (1 - o)", Backward, |s| s.lstm_do),
            said("        dA = np.vstack((df, dg, di, do))", Backward, |s| s.lstm_da),
            said("        dWx += np.dot(dA, x[t].reshape(1, D))", Backward, |s| s.gated_dwx),
            said("        dWh += np.dot(dA, hs[t].T)", Backward, |s| s.gated_dwh),
            said("        db += dA", Backward, |s| s.gated_db),
            said("        dh = np.dot(Wh.T, dA)", Backward, |s| s.lstm_dh),
        ],
        CellKind::Gru => vec![
            said("        z, r, h_hat = gates[t]", Backward, |s| s.gates_back),
            said("        dh_hat = dh * z", Backward, |s| s.gru_dh_hat),
            said("        dt = dh_hat * (1 - h_hat ** 2)", Backward, |s| s.gru_dt),
            said("        d_rh = np.dot(Wh[2 * H:].T, dt)", Backward, |s| s.gru_d_rh),
            said("        dz = dh * (h_hat - hs[t]) * z * (1 - z)", Backward, |s| s.gru_dz),
            said("        dr = d_rh * hs[t] * r * (1 - r)", Backward, |s| s.gru_dr),
            said("        dA = np.vstack((dz, dr, dt))", Backward, |s| s.gru_da),
            said("        dWx += np.dot(dA, x[t].reshape(1, D))", Backward, |s| s.gated_dwx),
            said("        dWh[:2 * H] += np.dot(dA[:2 * H], hs[t].T)", Backward, |s| s.gru_dwh_zr),
            said("        dWh[2 * H:] += np.dot(dt, (r * hs[t]).T)", Backward, |s| s.gru_dwh_h),
            said("        db += dA", Backward, |s| s.gated_db),
            said("        dh = dh * (1 - z) + d_rh * r + np.dot(Wh[:2 * H].T, dA[:2 * H])", Backward, |s| s.gru_dh),
        ],
    }
}

/// Clipping as `rnn::clip`: all the gradients as one vector, scaled down to `clip_norm`.
fn clipping(c: &Config) -> Vec<Line> {
    let grads = if c.output_size() > 0 { "    grads = [dWx, dWh, db, dWy, dby]" } else { "    grads = [dWx, dWh, db]" };
    vec![
        heading("    ", |s| s.clipping),
        code(grads, Update),
        code("    norm = np.sqrt(sum(np.sum(g ** 2) for g in grads))", Update),
        code("    if norm > clip_norm:", Update),
        code("        for g in grads:", Update),
        said("            g *= clip_norm / norm", Update, |s| s.clip_in_place),
    ]
}

/// Plain SGD on every parameter.
fn update(c: &Config) -> Vec<Line> {
    let mut out = vec![
        heading("    ", |s| s.update),
        code("    Wx -= learning_rate * dWx", Update),
        code("    Wh -= learning_rate * dWh", Update),
        code("    b -= learning_rate * db", Update),
    ];
    if c.output_size() > 0 {
        out.push(code("    Wy -= learning_rate * dWy", Update));
        out.push(code("    by -= learning_rate * dby", Update));
    }
    out
}

/// The shape of the listing: the loop as one block (the default), or for the blog's loop the
/// same arithmetic as a cell class with `forward`, `backward` and `update` and a training loop
/// calling them, in the shape of the blog's code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Style {
    #[default]
    Loop,
    Class,
}

impl Style {
    /// The style a listing of `config` takes: the class is the blog's loop's only.
    fn for_config(self, config: &Config) -> Style {
        if config.training == Training::BlogLoop { self } else { Style::Loop }
    }
}

/// The lines of a listing in `style`.
fn lines_in(config: &Config, style: Style) -> Vec<Line> {
    match style.for_config(config) {
        Style::Loop => lines(config),
        Style::Class => class_lines(),
    }
}

/// A blank line, between a class's methods.
const BLANK: Line = Line { code: "", runs: Setup, say: None };

/// The blog's loop as a cell class and a loop calling it: the same arithmetic in the same order
/// as [`lines`] gives for it (so the same losses), each quirk said where it happens.
fn class_lines() -> Vec<Line> {
    vec![
        said("class RNNCell:", Setup, |s| s.class_cell),
        code("    def __init__(self, Wx, Wh, b):", Setup),
        code("        self.Wx, self.Wh, self.b = Wx, Wh, b", Setup),
        BLANK,
        code("    def forward(self, x_t, h_prev):", Setup),
        said("        a = np.dot(self.Wx, x_t) + np.dot(self.Wh, h_prev) + self.b", Forward, |s| s.a_t),
        said("        h = np.tanh(a)", Forward, |s| s.h_t),
        said("        self.x_t, self.h_prev, self.h = x_t, h_prev, h", Forward, |s| s.class_cache),
        code("        return h", Forward),
        BLANK,
        code("    def backward(self, dh):", Setup),
        said("        da = dh * (1 - self.h ** 2)", Backward, |s| s.through_tanh),
        said("        self.dWx = np.dot(da, self.x_t.T)", Backward, |s| s.dwx_last),
        said("        self.dWh = np.dot(da, self.h_prev.T)", Backward, |s| s.dwh_last),
        said("        self.db = da", Backward, |s| s.db_last),
        said("        return np.dot(self.Wh.T, da), np.dot(self.Wx.T, da)", Backward, |s| s.class_swapped),
        BLANK,
        code("    def update(self, learning_rate):", Setup),
        code("        self.Wx -= learning_rate * self.dWx", Update),
        code("        self.Wh -= learning_rate * self.dWh", Update),
        code("        self.b -= learning_rate * self.db", Update),
        BLANK,
        BLANK,
        code("cell = RNNCell(Wx, Wh, b)", Setup),
        said("h = h0.copy()", Setup, |s| s.h_set_once),
        code("for epoch in range(epochs):", Setup),
        code("    for t in range(T):", Setup),
        code("        h = cell.forward(x[t].reshape(D, 1), h)", Forward),
        heading("    ", |s| s.loss_hidden),
        code("    loss = np.mean((h - y) ** 2)", Loss),
        code("    print(repr(loss))", Loss),
        said("    dh = 2 * (h - y)", Loss, |s| s.class_sum),
        said("    cell.backward(dh)", Backward, |s| s.class_last_only),
        code("    cell.update(learning_rate)", Update),
    ]
}

/// The listing the code panel shows for these settings, with comments in `lang`: the same text
/// the script runs after its numbers. The trailing comments of a block of lines (same
/// indentation, no comment line between) line up.
pub fn listing(config: &Config, lang: CommentLang) -> String {
    listing_in(config, Style::Loop, lang)
}

/// [`listing`] in `style`.
pub fn listing_in(config: &Config, style: Style, lang: CommentLang) -> String {
    let say = lang.comments();
    let lines = lines_in(config, style);
    let comment = |l: &Line| l.say.map_or("", |f| f(say));
    let is_heading = |l: &Line| l.code.trim().is_empty();
    let indent = |l: &Line| l.code.len() - l.code.trim_start().len();
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].code.is_empty() && lines[i].say.is_none() {
            out.push('\n');
            i += 1;
            continue;
        }
        if is_heading(&lines[i]) {
            out += format!("{}# {}", lines[i].code, comment(&lines[i])).trim_end();
            out.push('\n');
            i += 1;
            continue;
        }
        let block = lines[i..].iter().take_while(|l| !is_heading(l) && indent(l) == indent(&lines[i])).count();
        let block = &lines[i..i + block];
        let width = block.iter().filter(|l| !comment(l).is_empty()).map(|l| l.code.len()).max().unwrap_or(0);
        for l in block {
            out += &match comment(l) {
                "" => format!("{}\n", l.code),
                text => format!("{:<width$}  # {text}\n", l.code),
            };
        }
        i += block.len();
    }
    out
}

/// The 0-based lines of [`listing`] (in either language) that micro-step `phase` runs: what
/// the code panel lights before that step.
pub fn lines_run_by(phase: Phase, config: &Config) -> Vec<usize> {
    lines_run_by_in(phase, config, Style::Loop)
}

/// [`lines_run_by`] for the listing in `style`.
pub fn lines_run_by_in(phase: Phase, config: &Config, style: Style) -> Vec<usize> {
    let last = config.seq_length.saturating_sub(1);
    let lit = |runs: Runs| match phase {
        Phase::Forward { .. } => runs == Forward,
        Phase::Loss => runs == Loss,
        Phase::Backward { t } => runs == Backward || (runs == FirstBackward && t == last),
        Phase::Update => runs == Update,
    };
    lines_in(config, style).iter().enumerate().filter(|(_, l)| lit(l.runs)).map(|(i, _)| i).collect()
}

/// The script of a run, with comments in `lang`: its sizes, settings, data, starting weights
/// and h0 (stateful runs), then [`listing`]. Fresh data holds each epoch's sequence, for at
/// most [`FRESH_EPOCHS_CAP`] epochs. The error names what is wrong with the run file.
pub fn script(run: &RunFile, lang: CommentLang) -> Result<String, Invalid> {
    script_in(run, Style::Loop, lang)
}

/// [`script`] with its listing in `style`.
pub fn script_in(run: &RunFile, style: Style, lang: CommentLang) -> Result<String, Invalid> {
    run.validate()?;
    let c = &run.config;
    let say = lang.comments();
    let session = run.session();
    let start = session.run_start();
    let asked = if c.epochs == 0 { 100 } else { c.epochs };
    let epochs = if c.data() == DataMode::Fresh { asked.min(FRESH_EPOCHS_CAP) } else { asked };
    let mut out = header(c, say, asked, epochs);
    out += "\n";
    out += &data(c, start, say, epochs);
    out += &weights(c, start, say);
    out += "\n";
    out += &listing_in(c, style, lang);
    Ok(out)
}

/// The title, the sizes and every setting the listing reads.
fn header(c: &Config, say: &Comments, asked: usize, epochs: usize) -> String {
    let mut out = format!("# {}\n# {}\nimport numpy as np\n\n", say.title, say.prints);
    if c.cell() != CellKind::Rnn {
        out += &format!("\ndef sigmoid(a):  # {}\n    return 1 / (1 + np.exp(-a))\n\n\n", say.sigmoid);
    }
    let (t_len, d, h, o) = (c.seq_length, c.input_size, c.hidden_size, c.output_size());
    out += &if o > 0 {
        commented(&format!("T, D, H, O = {t_len}, {d}, {h}, {o}"), say.sizes_with_outputs)
    } else {
        commented(&format!("T, D, H = {t_len}, {d}, {h}"), say.sizes)
    };
    out += &commented(&format!("learning_rate = {}", py_float(c.learning_rate)), say.learning_rate);
    out += &commented(&format!("epochs = {epochs}"), say.epochs);
    if epochs < asked {
        let note = say.epochs_capped.replace("{n}", &asked.to_string()).replace("{cap}", &epochs.to_string());
        out += &format!("# {note}\n");
    }
    out += &format!("# {}\n", if c.training == Training::BlogLoop { say.training_seed } else { say.training_bptt });
    let task = match c.task {
        Task::RandomTarget => say.task_random_target,
        Task::SineNext => say.task_sine_next,
        Task::RememberFirst => say.task_remember_first,
        Task::Adding => say.task_adding,
    };
    out += &format!("# {task}\n");
    let keep = py_float(c.keep_bias());
    match (c.cell(), c.activation()) {
        (CellKind::Rnn, Activation::Tanh) => {}
        (CellKind::Rnn, Activation::Relu) => out += &format!("# {}\n", say.cell_rnn_relu),
        (CellKind::Rnn, Activation::Linear) => out += &format!("# {}\n", say.cell_rnn_linear),
        (CellKind::Lstm, _) => {
            out += &format!("# {}\n# {}\n", say.cell_lstm, say.keep_bias_lstm.replace("{k}", &keep));
        }
        (CellKind::Gru, _) => {
            out += &format!("# {}\n# {}\n", say.cell_gru, say.keep_bias_gru.replace("{k}", &keep));
            out += &format!("# {}\n", say.gru_pytorch);
        }
    }
    out += &match c.init() {
        Init::Unscaled => format!("# {}\n", say.init_unscaled),
        Init::Scaled => format!("# {}\n", say.init_scaled.replace("{g}", &py_float(c.init_scale()))),
    };
    if c.training == Training::Bptt && c.loss_at() != LossAt::EveryOutput {
        out += &commented(&format!("k = {}", c.backprop_steps()), say.k);
    }
    if let Some(clip) = c.clip_norm {
        out += &commented(&format!("clip_norm = {}", py_float(clip)), say.clip_norm);
    }
    if c.data() == DataMode::Fresh {
        out += &format!("# {}\n", say.fresh_cap.replace("{cap}", &FRESH_EPOCHS_CAP.to_string()));
    }
    out
}

/// x and y, or with fresh data every epoch's (xs, ys) from the run's first.
fn data(c: &Config, start: &RunStart, say: &Comments, epochs: usize) -> String {
    let target = |y: &DVector<f64>| match c.loss_at() {
        LossAt::LastHidden | LossAt::LastOutput => DMatrix::from_column_slice(y.len(), 1, y.as_slice()),
        LossAt::EveryOutput => DMatrix::from_row_slice(c.seq_length, c.output_size(), y.as_slice()),
    };
    let mut out = String::new();
    if let Some(series) = c.series.as_ref().filter(|_| c.task == Task::SineNext) {
        let values: Vec<String> = series.values().iter().map(|v| py_float(*v)).collect();
        let about = say.series.replace("{n}", &series.len().to_string());
        out = format!("series = np.array([{}])  # {about}\n", values.join(", "));
    }
    if c.data() == DataMode::Fresh {
        let sequences: Vec<_> = (0..epochs).map(|e| tasks::fresh(c, c.data_offset + e as u64)).collect();
        let xs: Vec<DMatrix<f64>> = sequences.iter().map(|(x, _)| x.clone()).collect();
        let ys: Vec<DMatrix<f64>> = sequences.iter().map(|(_, y)| target(y)).collect();
        let about = if c.loss_at() == LossAt::EveryOutput { say.ys_every } else { say.ys_last };
        return out + &stack("xs", &xs, say.xs) + &stack("ys", &ys, about);
    }
    let y = match c.loss_at() {
        LossAt::LastHidden => column("y", &start.y, say.y_hidden),
        LossAt::LastOutput => column("y", &start.y, say.y_last),
        LossAt::EveryOutput => array("y", &target(&start.y), say.y_every),
    };
    out + &array("x", &start.x, say.x) + &y
}

/// The starting weights, the output layer's where the task has one, and h0 when the state is carried.
fn weights(c: &Config, start: &RunStart, say: &Comments) -> String {
    let mut out = String::new();
    for (spec, m) in start.params.iter().filter(|(spec, _)| !spec.is_output() || c.output_size() > 0) {
        out += &if spec.is_vector() {
            column(spec.symbol, &m.column(0).into_owned(), say.about_param_of(c.cell(), spec.name))
        } else {
            array(spec.symbol, m, say.about_param_of(c.cell(), spec.name))
        };
    }
    if c.stateful() {
        out += &column("h0", &start.h0, say.h0);
        if c.cell() == CellKind::Lstm {
            out += &column("c0", &start.c0, say.c0);
        }
    }
    out
}

/// `code  # text`, or `code` alone when the text is empty.
fn commented(code: &str, text: &str) -> String {
    if text.is_empty() { format!("{code}\n") } else { format!("{code}  # {text}\n") }
}

/// A float as Python reads it back exactly (Rust's shortest round-trip form).
fn py_float(v: f64) -> String {
    if v.is_finite() {
        format!("{v:?}")
    } else if v.is_nan() {
        "float('nan')".into()
    } else {
        format!("float('{}inf')", if v < 0.0 { "-" } else { "" })
    }
}

/// `[a, b, ...]` of one row of m.
fn py_rows(m: &DMatrix<f64>) -> Vec<String> {
    m.row_iter().map(|r| format!("[{}]", r.iter().map(|v| py_float(*v)).collect::<Vec<_>>().join(", "))).collect()
}

fn array(name: &str, m: &DMatrix<f64>, about: &str) -> String {
    format!("{name} = np.array([\n    {},\n])  # {about}\n", py_rows(m).join(",\n    "))
}

/// Matrices of one shape as one array, one matrix a line.
fn stack(name: &str, ms: &[DMatrix<f64>], about: &str) -> String {
    let items: Vec<String> = ms.iter().map(|m| format!("[{}]", py_rows(m).join(", "))).collect();
    format!("{name} = np.array([\n    {},\n])  # {about}\n", items.join(",\n    "))
}

fn column(name: &str, v: &DVector<f64>, about: &str) -> String {
    let values: Vec<String> = v.iter().map(|v| py_float(*v)).collect();
    format!("{name} = np.array([[{}]]).T  # {about}\n", values.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bptt(task: Task, input_size: usize) -> Config {
        Config { task, input_size, training: Training::Bptt, seq_length: 6, hidden_size: 4, ..Config::default() }
    }

    /// One config of each listing's parts: the blog's loop, each loss placement, truncation,
    /// clipping, the carried state, fixed and fresh data.
    fn every_listing() -> Vec<Config> {
        vec![
            Config::default(),
            bptt(Task::RandomTarget, 5),
            Config { truncation: Some(2), clip_norm: Some(0.5), stateful: Some(true), ..bptt(Task::RandomTarget, 5) },
            bptt(Task::SineNext, 1),
            Config { clip_norm: Some(1.0), stateful: Some(true), ..bptt(Task::SineNext, 1) },
            Config { truncation: Some(3), data: Some(DataMode::Fixed), ..bptt(Task::RememberFirst, 3) },
            Config { clip_norm: Some(0.1), ..bptt(Task::Adding, 2) },
        ]
    }

    /// The code of a listing's line: what is left without its comment.
    fn code_of(line: &str) -> &str {
        line.split('#').next().unwrap_or("").trim_end()
    }

    #[test]
    fn the_script_holds_the_runs_numbers_exactly_and_the_listing() {
        let run = RunFile::from_config(Config { seq_length: 3, input_size: 2, hidden_size: 2, ..Config::default() });
        let text = script(&run, CommentLang::En).unwrap();
        let session = run.session();
        let w = session.params().values()[0][(1, 0)];
        assert!(text.contains(&format!("{w:?}")), "Wx[1,0] written to the last digit");
        assert!(text.contains("T, D, H = 3, 2, 2"));
        assert!(text.ends_with(&listing(&run.config, CommentLang::En)));
        assert!(text.contains("for t in range(T):") && text.contains("np.tanh") && text.contains("h0 = "));
        let bptt = RunFile::from_config(Config { training: Training::Bptt, truncation: Some(2), ..run.config.clone() });
        let text = script(&bptt, CommentLang::En).unwrap();
        assert!(text.contains("k = 2") && text.ends_with(&listing(&bptt.config, CommentLang::En)));
        assert!(!text.contains("h0 ="), "BPTT from h = 0 needs no h0");
    }

    #[test]
    fn the_output_layer_and_each_option_appear_only_where_the_settings_ask() {
        let has = |c: &Config, code: &str| listing(c, CommentLang::En).lines().any(|l| code_of(l).trim() == code);
        for c in every_listing() {
            let outputs = c.output_size() > 0;
            assert_eq!(has(&c, "y_hat = np.dot(Wy, h) + by"), outputs, "{c:?}");
            assert_eq!(has(&c, "Wy -= learning_rate * dWy"), outputs, "{c:?}");
            assert_eq!(has(&c, "g *= clip_norm / norm"), c.clip_norm.is_some(), "{c:?}");
            assert_eq!(has(&c, "h = h0.copy()"), c.stateful(), "{c:?}");
            assert_eq!(has(&c, "h = np.zeros((H, 1))"), !c.stateful(), "{c:?}");
            assert_eq!(has(&c, "x, y = xs[epoch], ys[epoch]"), c.data() == DataMode::Fresh, "{c:?}");
            let truncatable = c.training == Training::Bptt && c.loss_at() != LossAt::EveryOutput;
            assert_eq!(has(&c, "for t in reversed(range(T - k, T)):"), truncatable, "{c:?}");
        }
    }

    #[test]
    fn every_micro_step_lights_the_lines_it_runs_in_every_listing() {
        for c in every_listing() {
            let text = listing(&c, CommentLang::En);
            let lines: Vec<&str> = text.lines().collect();
            let lit = |phase| lines_run_by(phase, &c).into_iter().map(|i| code_of(lines[i]).trim()).collect::<Vec<_>>();
            let forward = lit(Phase::Forward { t: 0 });
            assert!(forward.contains(&"h = np.tanh(a)"), "{c:?}");
            assert_eq!(forward.contains(&"y_hat = np.dot(Wy, h) + by"), c.output_size() > 0, "{c:?}");
            assert!(lit(Phase::Loss)[0].starts_with("loss = np.mean"), "{c:?}");
            let (body, first_only) = match (c.training, c.loss_at()) {
                (Training::BlogLoop, _) => (4, 0),
                (_, LossAt::LastHidden) => (5, 0),
                (_, LossAt::LastOutput) => (5, 3),
                (_, LossAt::EveryOutput) => (9, 0),
            };
            assert_eq!(lit(Phase::Backward { t: 0 }).len(), body, "{c:?}");
            assert_eq!(lit(Phase::Backward { t: c.seq_length - 1 }).len(), body + first_only, "{c:?}");
            let clip = if c.clip_norm.is_some() { 5 } else { 0 };
            let update = lit(Phase::Update);
            assert_eq!(update.len(), if c.output_size() > 0 { 5 } else { 3 } + clip, "{c:?}");
            assert!(update.contains(&"Wx -= learning_rate * dWx"));
            for phase in [Phase::Forward { t: 0 }, Phase::Loss, Phase::Backward { t: 0 }, Phase::Update] {
                assert!(lit(phase).iter().all(|l| !l.is_empty() && !l.starts_with("for t in")), "{c:?}: {phase:?}");
            }
        }
    }

    #[test]
    fn the_japanese_listing_has_the_same_code_and_other_comments() {
        for c in every_listing() {
            let (en, ja) = (listing(&c, CommentLang::En), listing(&c, CommentLang::Ja));
            assert_eq!(en.lines().count(), ja.lines().count(), "{c:?}");
            for (e, j) in en.lines().zip(ja.lines()) {
                assert_eq!(code_of(e).trim_end(), code_of(j).trim_end(), "{c:?}");
            }
            assert_ne!(en, ja);
            assert!(ja.contains("順伝播") && ja.contains("逆伝播") && ja.contains("損失"), "{c:?}");
        }
        let header = script(&RunFile::from_config(Config::default()), CommentLang::Ja).unwrap();
        assert!(header.contains("# 学習率") && header.contains("隠れ状態"));
    }

    #[test]
    fn fresh_data_is_written_for_at_most_the_cap_of_epochs_and_the_script_says_so() {
        let sine = Config { epochs: FRESH_EPOCHS_CAP + 7, ..bptt(Task::SineNext, 1) };
        let text = script(&RunFile::from_config(sine.clone()), CommentLang::En).unwrap();
        assert!(text.contains(&format!("epochs = {FRESH_EPOCHS_CAP}\n")));
        assert!(text.contains(&format!("the run has {} epochs", FRESH_EPOCHS_CAP + 7)));
        let (x_last, _) = tasks::fresh(&sine, FRESH_EPOCHS_CAP as u64 - 1);
        assert!(text.contains(&format!("[[{:?}], ", x_last[(0, 0)])), "the last epoch held is the cap's");
        let (x_next, _) = tasks::fresh(&sine, FRESH_EPOCHS_CAP as u64);
        assert!(!text.contains(&format!("[[{:?}], ", x_next[(0, 0)])), "no epoch past the cap");
        let short = script(&RunFile::from_config(Config { epochs: 20, ..sine }), CommentLang::En).unwrap();
        assert!(short.contains("epochs = 20\n") && !short.contains("the run has"));
    }

    #[test]
    fn a_bad_run_file_is_named_not_written() {
        let run = RunFile::from_config(Config { hidden_size: 0, ..Config::default() });
        assert_eq!(script(&run, CommentLang::En).unwrap_err().key, "config.hidden_size");
        let run = RunFile::from_config(Config { truncation: Some(2), ..bptt(Task::SineNext, 1) });
        assert_eq!(script(&run, CommentLang::Ja).unwrap_err().key, "config.truncation");
    }

    /// The other cells' listings: DL2's names, the same code in both languages with every
    /// line commented in each where the English one is, and each micro-step lighting lines.
    #[test]
    fn the_gated_cells_and_the_activations_have_their_own_lines_in_both_languages() {
        let cells = [
            (Some(CellKind::Lstm), None, ["c = f * c + g * i", "ds = dc + dh * o * (1 - tanh_c ** 2)"]),
            (Some(CellKind::Gru), None, ["h = (1 - z) * h + z * h_hat", "dz = dh * (h_hat - hs[t]) * z * (1 - z)"]),
            (None, Some(Activation::Relu), ["h = np.maximum(a, 0)", "da = dh * (hs[t + 1] > 0)"]),
            (None, Some(Activation::Linear), ["h = a", "da = dh"]),
        ];
        for (cell, activation, [forward, backward]) in cells {
            for base in every_listing().into_iter().filter(|c| c.training == Training::Bptt) {
                let c = Config { cell, activation, stateful: Some(true), ..base };
                let (en, ja) = (listing(&c, CommentLang::En), listing(&c, CommentLang::Ja));
                let lines: Vec<&str> = en.lines().collect();
                let lit =
                    |phase| lines_run_by(phase, &c).into_iter().map(|i| code_of(lines[i]).trim()).collect::<Vec<_>>();
                assert!(lit(Phase::Forward { t: 0 }).contains(&forward), "{c:?}");
                assert!(lit(Phase::Backward { t: 0 }).contains(&backward), "{c:?}");
                assert_eq!(en.lines().count(), ja.lines().count(), "{c:?}");
                for (e, j) in en.lines().zip(ja.lines()) {
                    assert_eq!(code_of(e).trim_end(), code_of(j).trim_end(), "{c:?}");
                    assert_eq!(e.contains('#'), j.contains('#'), "{c:?}: {e} / {j}");
                }
                assert_eq!(en.contains("c = c0.copy()"), cell == Some(CellKind::Lstm), "{c:?}");
            }
        }
        let gru = Config { cell: Some(CellKind::Gru), ..bptt(Task::SineNext, 1) };
        let text = script(&RunFile::from_config(gru), CommentLang::Ja).unwrap();
        assert_eq!(text.matches("PyTorch").count(), 1, "the listing says once that PyTorch differs");
        assert!(text.contains("def sigmoid(a):") && text.contains("更新ゲート"));
    }

    #[test]
    fn comment_languages_are_named_by_their_codes() {
        assert_eq!(CommentLang::from_code("ja"), Some(CommentLang::Ja));
        assert_eq!(CommentLang::from_code("en"), Some(CommentLang::En));
        assert_eq!(CommentLang::from_code("fr"), None);
    }
}
