//! Reads the session for the page: the panels, the status line, the equation and the tooltips.

mod code;
mod equation;
mod panels;
mod task_panels;
mod tooltips;

pub use code::code_html;
pub use equation::equation_html;
pub use panels::{PANEL_COUNT, draw_all, draw_all_timed, draw_one};
pub use tooltips::describe;

use super::app::App;
use crate::model::{Phase, Session, health};

/// Hidden states on show: columns h_1..h_k are filled. Between epochs that is the whole epoch
/// just completed (see [`Session::shows_last_epoch`]).
fn filled_steps(s: &Session) -> usize {
    match s.phase() {
        _ if s.shows_last_epoch() => s.config().seq_length,
        Phase::Forward { t } => t,
        _ => s.config().seq_length,
    }
}

/// A sign that training has gone wrong without a NaN, said calmly with what to try: a short
/// phrase for the status line, and the explanation shown on the loss chart.
pub struct HealthNote {
    pub short: &'static str,
    pub text: String,
}

/// Runaway weights or saturated tanh in the run now, if either.
pub fn health_note(app: &App) -> Option<HealthNote> {
    let s = app.session();
    if let Some((name, w)) = health::runaway(s.params()) {
        return Some(HealthNote {
            short: "weights running away",
            text: format!(
                "The weights are running away: {name} reached {w:.1e}. tanh keeps every number finite, so training goes on, \
                 but the network has stopped learning. Try a smaller learning rate or a shorter sequence \
                 (the gradient can grow at every step back), then Reset."
            ),
        });
    }
    let share = health::saturated_share(s.pre_activations(), filled_steps(s));
    (share >= health::SATURATED_SHARE).then(|| HealthNote {
        short: "tanh saturated",
        text: format!(
            "tanh is saturated: {:.0} % of the last forward pass has |a| > 10, where tanh is flat and passes almost no \
             gradient back. The blog's N(0, 1) weights do this at large sizes from the start. Try a smaller hidden or \
             input size, or a smaller learning rate, then Reset.",
            share * 100.0
        ),
    })
}

/// "Epoch 3 · forward t = 4/10 · loss 0.532".
pub fn status_line(app: &App) -> String {
    let s = app.session();
    let t_len = s.config().seq_length;
    let phase = match s.phase() {
        Phase::Forward { t } => format!("next: forward t = {}/{t_len}", t + 1),
        Phase::Loss => "next: loss".into(),
        Phase::Backward { t } => format!("next: backward t = {}/{t_len}", t + 1),
        Phase::Update => "next: update".into(),
    };
    let loss = s.loss().or_else(|| s.losses().last().copied());
    let loss = loss.map_or("—".to_string(), |l| format!("{l:.6}"));
    let state = if app.is_playing() { "playing" } else { "paused" };
    if let Some(progress) = app.replay_progress() {
        return format!("Replaying the link: {:.0} % · epoch {}", progress * 100.0, s.epoch() + 1);
    }
    let mut line = format!("Epoch {} · {phase} · loss {loss} · {state}", s.epoch() + 1);
    if let Some(note) = health_note(app) {
        line.push_str(&format!(" · {}", note.short));
    }
    if let Some(note) = app.restart_note() {
        line.push_str(&format!(" · {note}"));
    }
    line
}

/// `n` in subscript digits, for canvas labels and tooltips: 12 → "₁₂".
fn subscript(n: usize) -> String {
    n.to_string().chars().map(|c| char::from_u32(0x2080 + c.to_digit(10).unwrap_or(0)).unwrap_or(c)).collect()
}
