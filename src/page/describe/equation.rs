//! The equation panel: the formula of the micro-step just run, with its live numbers for one hidden unit.

use crate::model::cell::Cell;
use crate::model::{Phase, Session, Training};
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
        Some(Phase::Forward { t }) => forward_html(s, i, t),
        Some(Phase::Loss) => loss_html(s, i),
        Some(Phase::Backward { t }) => backward_html(s, i, t),
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
    format!(
        "<p class=eq>a{t1} = W<sub>x</sub> x{t1} + W<sub>h</sub> h{t0} + b,&nbsp; h{t1} = tanh(a{t1})</p>\
         <p>{unit}: a = {} + {} + {} = {}, &nbsp;h = tanh({}) = {}</p>",
        num(terms[0]),
        num(terms[1]),
        num(terms[2]),
        num(a),
        num(a),
        num(hs[(i, t + 1)]),
        unit = unit(i),
        t1 = sub(t + 1),
        t0 = sub(t),
    )
}

/// The loss, the gradient it starts (with or without the seed's missing 1/H), and unit `i`'s share.
fn loss_html(s: &Session, i: usize) -> String {
    let c = s.config();
    let t_len = c.seq_length;
    let (h, y) = (s.hidden_states()[(i, t_len)], s.y()[i]);
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

/// Backward step `t` (0-based) for unit `i`: through tanh, into the gradients, and (BPTT) on to h_{t-1}.
fn backward_html(s: &Session, i: usize, t: usize) -> String {
    let h = s.hidden_states()[(i, t + 1)];
    let da = s.da_at(t)[i];
    format!(
        "<p class=eq>da{t1} = dh{t1} ⊙ (1 − h{t1}²);&nbsp; dW<sub>x</sub> += da{t1} x{t1}ᵀ;&nbsp; dW<sub>h</sub> += da{t1} h{t0}ᵀ;&nbsp; db += da{t1}{next}</p>\
         <p>{unit}: h = {}, 1 − h² = {}, da = {}</p>",
        num(h),
        num(1.0 - h * h),
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

/// The SGD update, shown on Wh[i, 1].
fn update_html(s: &Session, i: usize) -> String {
    // What the update did, from the change it recorded (η may have moved since).
    let cell = s.cell();
    let (change, w) = (cell.recurrent(s.last_change())[(i, 0)], cell.recurrent(s.params())[(i, 0)]);
    format!(
        "<p class=eq>W ← W − η dW {}</p>\
         <p>W<sub>h</sub>[{},1]: {} + ({}) = {}, &nbsp;{}</p>",
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
        (Some(Phase::Forward { t }), _) => fill(w.why_forward, &[("t", &(t + 1))]),
        (Some(Phase::Loss), Training::BlogLoop) => fill(w.why_loss_seed, &[("h", &c.hidden_size)]),
        (Some(Phase::Loss), Training::Bptt) => w.why_loss_bptt.into(),
        (Some(Phase::Backward { t }), Training::BlogLoop) => fill(w.why_backward_seed, &[("t", &(t + 1))]),
        (Some(Phase::Backward { t }), Training::Bptt) => fill(w.why_backward_bptt, &[("t", &(t + 1))]),
        (Some(Phase::Update), Training::BlogLoop) => w.why_update_seed.into(),
        (Some(Phase::Update), Training::Bptt) => w.why_update_bptt.into(),
    }
}
