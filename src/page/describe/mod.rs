//! What the page says about a run in words: the status line, the health note, the divergence message, the equation of the step just run, the tooltips and the code's variables.

mod code_vars;
mod equation;
mod tooltips;

pub use code_vars::describe_variable;
pub use equation::{caption, equation_html};
pub use tooltips::describe;

use crate::model::session::{A_WEIGHT, Divergence, THE_LOSS};
use crate::model::{Activation, CellKind, Phase, health};
use crate::page::app::App;
use crate::page::chart_data::filled_steps;
use crate::page::numbers;
use crate::page::text::{fill, t};

/// A sign that training has gone wrong without a NaN, said calmly with what to try: a short
/// phrase for the status line, and the explanation shown on the loss chart.
pub struct HealthNote {
    pub short: &'static str,
    pub text: String,
}

/// Runaway weights, saturated tanh or a vanished gradient in the run now, the first that holds.
pub fn health_note(app: &App) -> Option<HealthNote> {
    let s = app.run().session();
    if let Some((name, w)) = health::runaway(s.params()) {
        // "by reached 1e6" reads as English: the output bias is named as one.
        let name = if name == "by" { t().output_bias_by } else { name };
        return Some(HealthNote {
            short: t().runaway_short,
            text: fill(t().runaway, &[("name", &name), ("w", &format!("{w:.1e}"))]),
        });
    }
    let share = health::saturated_share(s.pre_activations(), filled_steps(s));
    if share >= health::SATURATED_SHARE && health::can_saturate(&s.cell()) {
        return Some(HealthNote {
            short: t().saturated_short,
            text: fill(t().saturated, &[("share", &format!("{:.0}", share * 100.0))]),
        });
    }
    let c = s.config();
    let tanh_rnn = c.cell() == CellKind::Rnn && c.activation() == Activation::Tanh;
    health::vanished(s.gradient_norms()).map(|ratio| HealthNote {
        short: t().vanished_short,
        // Through 1 − h² only for the tanh RNN; the other cells' factors are their own.
        text: fill(if tanh_rnn { t().vanished } else { t().vanished_free }, &[("ratio", &numbers::sci(ratio))]),
    })
}

/// The message when training stops on a NaN or an infinity: what went bad, where, and what to try.
pub fn divergence_text(d: &Divergence) -> String {
    let w = t();
    let step = match d.phase {
        Phase::Forward { t } => fill(w.step_forward_at, &[("t", &(t + 1))]),
        Phase::Backward { t } => fill(w.step_backward_at, &[("t", &(t + 1))]),
        Phase::Loss => w.step_loss.into(),
        Phase::Update => w.step_update.into(),
    };
    // The model names the loss and a weight in English; the page says them in its language.
    let quantity = match d.quantity.as_str() {
        THE_LOSS => w.quantity_loss,
        A_WEIGHT => w.quantity_weight,
        other => other,
    };
    fill(w.diverged, &[("quantity", &quantity), ("epoch", &d.epoch), ("step", &step)])
}

/// "Epoch 3 · next: forward t = 4/10 · loss 0.532000 · paused" (a huge or tiny loss in scientific notation).
pub fn status_line(app: &App) -> String {
    let s = app.run().session();
    let t_len = s.config().seq_length;
    let w = t();
    let phase = match s.phase() {
        Phase::Forward { t } => fill(w.next_forward, &[("t", &(t + 1)), ("T", &t_len)]),
        Phase::Loss => w.next_loss.into(),
        Phase::Backward { t } => fill(w.next_backward, &[("t", &(t + 1)), ("T", &t_len)]),
        Phase::Update => w.next_update.into(),
    };
    let loss = s.loss().or_else(|| app.run().curve().last().copied());
    let loss = loss.map_or("—".to_string(), |l| numbers::fixed_or_sci(l, 6));
    let state = if app.is_playing() { w.playing } else { w.paused };
    let epoch = app.run().epochs_shown() + 1;
    if let Some(progress) = app.run().replay_progress() {
        return fill(w.replaying, &[("percent", &format!("{:.0}", progress * 100.0)), ("epoch", &epoch)]);
    }
    let mut line = fill(w.status, &[("epoch", &epoch), ("phase", &phase), ("loss", &loss), ("state", &state)]);
    if let Some(note) = health_note(app) {
        line.push_str(&format!(" · {}", note.short));
    }
    if let Some(note) = app.run().restart_note() {
        line.push_str(&format!(" · {note}"));
    }
    line
}
