//! The equation panel: the formula of the micro-step just run, with its live numbers for one hidden unit.

use crate::model::cell::Cell;
use crate::model::lstm::sigmoid;
use crate::model::tanh::tanh;
use crate::model::{Activation, CellKind, LossAt, Phase, Session, Training};
use crate::page::app::App;
use crate::page::numbers::compact as fmt_num;
use crate::page::text::{fill, t as text};

fn sub(t: usize) -> String {
    format!("<sub>{t}</sub>")
}

/// A live number in the equation panel.
fn num(v: f64) -> String {
    format!("<span class=num>{}</span>", fmt_num(v))
}

/// The equation of the step just run, with its live numbers for one hidden unit.
pub fn equation_html(app: &App) -> String {
    let s = app.run().session();
    let c = s.config();
    let i = app.followed_unit().min(c.hidden_size - 1);
    let body = match app.run().last_step() {
        None => format!("<p>{}</p>", text().press_step_html),
        Some(Phase::Forward { t }) => match c.cell() {
            CellKind::Rnn => forward_html(s, i, t),
            CellKind::Lstm => lstm_forward_html(s, i, t),
            CellKind::Gru => gru_forward_html(s, i, t),
        },
        Some(Phase::Loss) => loss_html(s, i),
        Some(Phase::Backward { t }) => match c.cell() {
            CellKind::Rnn => backward_html(s, i, t),
            cell => gated_backward_html(s, cell, i, t),
        },
        Some(Phase::Update) => update_html(s, i),
    };
    format!("{body}<p class=why>{}</p>", caption(app))
}

/// Forward step `t` (0-based) for unit `i`: the three terms of a, and h = tanh(a).
fn forward_html(s: &Session, i: usize, t: usize) -> String {
    let hs = s.hidden_states();
    let (x_t, h_prev) = (s.x_columns().column(t), hs.column(t));
    let terms = s.cell().forward_terms(s.params(), x_t.as_slice(), h_prev.as_slice(), i);
    let a = s.pre_activations()[(i, t)];
    let template = "<p class=eq>a{t1} = W<sub>x</sub> x{t1} + W<sub>h</sub> h{t0} + b,&nbsp; h{t1} = φ(a{t1})</p>\
         <p>{unit}: a = {} + {} + {} = {}, &nbsp;h = φ({}) = {}</p>";
    let template = match s.config().activation() {
        Activation::Tanh => template.replace('φ', "tanh"),
        Activation::Relu => template.replace('φ', "ReLU"),
        // No activation: h = a.
        Activation::Linear => template.replace("φ(a{t1})", "a{t1}").replace("φ({})", "{}"),
    };
    live(&template, (t, i), &[terms[0], terms[1], terms[2], a, a, hs[(i, t + 1)]])
}

/// The loss, the gradient it starts (with or without the seed's missing 1/H), and unit `i`'s share.
fn loss_html(s: &Session, i: usize) -> String {
    let c = s.config();
    if c.loss_at() != LossAt::LastHidden {
        return output_loss_html(s, i);
    }
    let t_len = c.seq_length;
    let (h, y) = (s.hidden_states()[(i, t_len)], s.y().get(i).copied().unwrap_or(f64::NAN));
    let grad = match c.training {
        Training::BlogLoop => {
            format!(
                "∂L/∂h<sub>T</sub> = 2 (h<sub>T</sub> − y) {}",
                fill(text().eq_seed_gradient, &[("h", &c.hidden_size)])
            )
        }
        Training::Bptt => format!("∂L/∂h<sub>T</sub> = 2 (h<sub>T</sub> − y) / H, H = {}", c.hidden_size),
    };
    format!(
        "<p class=eq>L = mean((h<sub>T</sub> − y)²) = {}</p><p>{grad}</p><p>{}: h<sub>T</sub> = {}, y = {}, ∂L/∂h<sub>T</sub> = {}</p>",
        num(s.loss().unwrap_or(f64::NAN)),
        unit(i),
        num(h),
        num(y),
        num(s.dh()[i]),
    )
}

/// The loss of a task with an output layer (ŷ_t = Wy h_t + by against y, O outputs) and the
/// gradient it sends into unit `i` of the last hidden state.
fn output_loss_html(s: &Session, i: usize) -> String {
    let formula = match s.config().loss_at() {
        LossAt::EveryOutput => "L = mean<sub>t</sub> mean((ŷ<sub>t</sub> − y<sub>t</sub>)²)",
        _ => "L = mean((ŷ<sub>T</sub> − y)²)",
    };
    format!(
        "<p class=eq>{formula} = {},&nbsp; ŷ<sub>t</sub> = W<sub>y</sub> h<sub>t</sub> + b<sub>y</sub></p>\
         <p>∂L/∂h<sub>T</sub> = W<sub>y</sub>ᵀ ∂L/∂ŷ<sub>T</sub>;&nbsp; {}: ∂L/∂h<sub>T</sub> = {}</p>",
        num(s.loss().unwrap_or(f64::NAN)),
        unit(i),
        num(s.dh().get(i).copied().unwrap_or(f64::NAN)),
    )
}

/// Backward step `t` (0-based) for unit `i`: through tanh, into the gradients, and (BPTT) on to h_{t-1}.
fn backward_html(s: &Session, i: usize, t: usize) -> String {
    let h = s.hidden_states()[(i, t + 1)];
    let da = s.da_at(t)[i];
    // φ′ as the model takes it: from h_t for tanh (1 − h²), ReLU (1 where h > 0) and none (1).
    let (slope_html, slope) = match s.config().activation() {
        Activation::Tanh => (format!("(1 − h{}²)", sub(t + 1)), 1.0 - h * h),
        Activation::Relu => (format!("[h{} > 0]", sub(t + 1)), if h > 0.0 { 1.0 } else { 0.0 }),
        Activation::Linear => ("1".to_string(), 1.0),
    };
    format!(
        "<p class=eq>da{t1} = dh{t1} ⊙ {slope_html};&nbsp; dW<sub>x</sub> += da{t1} x{t1}ᵀ;&nbsp; dW<sub>h</sub> += da{t1} h{t0}ᵀ;&nbsp; db += da{t1}{next}</p>\
         <p>{unit}: h = {}, φ′ = {}, da = {}</p>",
        num(h),
        num(slope),
        num(da),
        unit = unit(i),
        t1 = sub(t + 1),
        t0 = sub(t),
        next = if s.config().training == Training::Bptt {
            format!(";&nbsp; dh{} = W<sub>h</sub>ᵀ da{}", sub(t), sub(t + 1))
        } else {
            String::new()
        },
    )
}

/// Block `block`'s pre-activation of unit `i` at step `t` (0-based).
fn pre(s: &Session, block: usize, i: usize, t: usize) -> f64 {
    s.pre_activations()[(block * s.config().hidden_size + i, t)]
}

/// `template` with `{t1}`, `{t0}` and `{unit}` written for step `t` (0-based) and unit `i`,
/// and each `{}` in turn one of `values` as a live number.
fn live(template: &str, (t, i): (usize, usize), values: &[f64]) -> String {
    let mut out = fill(template, &[("t1", &sub(t + 1)), ("t0", &sub(t)), ("unit", &unit(i))]);
    for v in values {
        out = out.replacen("{}", &num(*v), 1);
    }
    out
}

/// The LSTM's forward step `t` (0-based) for unit `i`: its four gates, c and h.
fn lstm_forward_html(s: &Session, i: usize, t: usize) -> String {
    let [f, g, ig, o] = [0, 1, 2, 3].map(|b| pre(s, b, i, t));
    let [f, g, ig, o] = [sigmoid(f), tanh(g), sigmoid(ig), sigmoid(o)];
    let (cs, hs) = (s.cell_states(), s.hidden_states());
    let (c_prev, c) = (cs[(i, t)], cs[(i, t + 1)]);
    live(
        "<p class=eq>A = W<sub>x</sub> x{t1} + W<sub>h</sub> h{t0} + b;&nbsp; f = σ(A<sub>f</sub>), g = tanh(A<sub>g</sub>), i = σ(A<sub>i</sub>), o = σ(A<sub>o</sub>)</p>\
         <p class=eq>c{t1} = f ⊙ c{t0} + g ⊙ i,&nbsp; h{t1} = o ⊙ tanh(c{t1})</p>\
         <p>{unit}: f = {}, g = {}, i = {}, o = {};&nbsp; c = {} · {} + {} · {} = {};&nbsp; h = {} · tanh({}) = {}</p>",
        (t, i),
        &[f, g, ig, o, f, c_prev, g, ig, c, o, c, hs[(i, t + 1)]],
    )
}

/// The GRU's forward step `t` (0-based) for unit `i`: z, r, the candidate and the mix.
fn gru_forward_html(s: &Session, i: usize, t: usize) -> String {
    let [z, r, cand] = [0, 1, 2].map(|b| pre(s, b, i, t));
    let [z, r, cand] = [sigmoid(z), sigmoid(r), tanh(cand)];
    let hs = s.hidden_states();
    live(
        "<p class=eq>z = σ(W<sub>x,z</sub> x{t1} + W<sub>h,z</sub> h{t0} + b<sub>z</sub>),&nbsp; r = σ(W<sub>x,r</sub> x{t1} + W<sub>h,r</sub> h{t0} + b<sub>r</sub>)</p>\
         <p class=eq>h̃ = tanh(W<sub>x,h̃</sub> x{t1} + W<sub>h,h̃</sub> (r ⊙ h{t0}) + b<sub>h̃</sub>),&nbsp; h{t1} = (1 − z) ⊙ h{t0} + z ⊙ h̃</p>\
         <p>{unit}: z = {}, r = {}, h̃ = {};&nbsp; h = (1 − {}) · {} + {} · {} = {}</p>",
        (t, i),
        &[z, r, cand, z, hs[(i, t)], z, cand, hs[(i, t + 1)]],
    )
}

/// A gated cell's backward step `t` (0-based) for unit `i`: how ∂L reaches each gate's
/// pre-activation, and (LSTM) the cell state's own path back.
fn gated_backward_html(s: &Session, cell: CellKind, i: usize, t: usize) -> String {
    let h = s.config().hidden_size;
    let da = s.da_at(t);
    let (t1, t0) = (sub(t + 1), sub(t));
    let eq = match cell {
        CellKind::Lstm => format!(
            "ds = dc{t1} + dh{t1} ⊙ o ⊙ (1 − tanh²(c{t1}));&nbsp; dc{t0} = ds ⊙ f;&nbsp; \
             dA = (ds ⊙ c{t0} ⊙ f(1 − f), ds ⊙ i ⊙ (1 − g²), ds ⊙ g ⊙ i(1 − i), dh{t1} ⊙ tanh(c{t1}) ⊙ o(1 − o));&nbsp; dh{t0} = W<sub>h</sub>ᵀ dA"
        ),
        _ => format!(
            "dA<sub>h̃</sub> = dh{t1} ⊙ z ⊙ (1 − h̃²);&nbsp; dA<sub>z</sub> = dh{t1} ⊙ (h̃ − h{t0}) ⊙ z(1 − z);&nbsp; \
             dr = (W<sub>h,h̃</sub>ᵀ dA<sub>h̃</sub>) ⊙ h{t0},&nbsp; dA<sub>r</sub> = dr ⊙ r(1 − r);&nbsp; \
             dh{t0} = (1 − z) ⊙ dh{t1} + (W<sub>h,h̃</sub>ᵀ dA<sub>h̃</sub>) ⊙ r + W<sub>h,z</sub>ᵀ dA<sub>z</sub> + W<sub>h,r</sub>ᵀ dA<sub>r</sub>"
        ),
    };
    // The GRU's candidate reads r ⊙ h_{t−1}: its block of dWh takes that, not h_{t−1}.
    let dwh = match cell {
        CellKind::Gru => {
            format!("dW<sub>h,zr</sub> += dA<sub>zr</sub> h{t0}ᵀ, dW<sub>h,h̃</sub> += dA<sub>h̃</sub> (r ⊙ h{t0})ᵀ")
        }
        _ => format!("dW<sub>h</sub> += dA h{t0}ᵀ"),
    };
    let parts: Vec<String> = s
        .cell()
        .blocks()
        .iter()
        .enumerate()
        .map(|(b, name)| format!("dA<sub>{name}</sub> = {}", num(da.get(b * h + i).copied().unwrap_or(f64::NAN))))
        .collect();
    format!(
        "<p class=eq>{eq};&nbsp; dW<sub>x</sub> += dA x{t1}ᵀ;&nbsp; {dwh};&nbsp; db += dA</p><p>{}: {}</p>",
        unit(i),
        parts.join(", ")
    )
}

/// The SGD update, shown on Wh[i, 1].
fn update_html(s: &Session, i: usize) -> String {
    // What the update did, from the change it recorded (η may have moved since).
    let cell = s.cell();
    let (change, w) = (cell.recurrent(s.last_change())[(i, 0)], cell.recurrent(s.params())[(i, 0)]);
    // A gated cell's recurrent matrix is one block of Wh: its candidate's.
    let block = match s.config().cell() {
        CellKind::Rnn => "",
        CellKind::Lstm => ",g",
        CellKind::Gru => ",h̃",
    };
    format!(
        "<p class=eq>W ← W − η dW {}</p>\
         <p>W<sub>h{block}</sub>[{},1]: {} + ({}) = {}, &nbsp;{}</p>",
        text().eq_update_for_html,
        i + 1,
        num(w - change),
        num(change),
        num(w),
        text().eq_change,
    )
}

/// "unit 3", for the line of live numbers.
fn unit(i: usize) -> String {
    fill(text().unit, &[("unit", &(i + 1))])
}

/// The caption of the step just run: what was computed and why it matters, for each step and
/// training mode (in Seed code, the seed's quirks where they show). The code panel shows it too.
pub fn caption(app: &App) -> String {
    let w = text();
    let c = app.run().session().config();
    match (app.run().last_step(), c.training) {
        (None, _) => w.why_start.into(),
        (Some(Phase::Forward { t }), _) => {
            let why = match c.cell() {
                CellKind::Rnn if c.activation() == Activation::Tanh => w.why_forward,
                CellKind::Rnn => w.why_forward_free,
                CellKind::Lstm => w.why_forward_lstm,
                CellKind::Gru => w.why_forward_gru,
            };
            fill(why, &[("t", &(t + 1))])
        }
        (Some(Phase::Backward { t }), Training::Bptt) if c.cell() != CellKind::Rnn => {
            let why = if c.cell() == CellKind::Lstm { w.why_backward_lstm } else { w.why_backward_gru };
            fill(why, &[("t", &(t + 1))])
        }
        (Some(Phase::Loss), Training::BlogLoop) => fill(w.why_loss_seed, &[("h", &c.hidden_size)]),
        (Some(Phase::Loss), Training::Bptt) => w.why_loss_bptt.into(),
        (Some(Phase::Backward { t }), Training::BlogLoop) => fill(w.why_backward_seed, &[("t", &(t + 1))]),
        (Some(Phase::Backward { t }), Training::Bptt) if c.activation() != Activation::Tanh => {
            fill(w.why_backward_free, &[("t", &(t + 1))])
        }
        (Some(Phase::Backward { t }), Training::Bptt) => fill(w.why_backward_bptt, &[("t", &(t + 1))]),
        (Some(Phase::Update), Training::BlogLoop) => w.why_update_seed.into(),
        (Some(Phase::Update), Training::Bptt) => w.why_update_bptt.into(),
    }
}
