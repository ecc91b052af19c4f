//! Reads the session for the page: the panels, the status line, the equation and the tooltips.

mod equation;
mod panels;
mod tooltips;

pub use equation::equation_html;
pub use panels::{draw_all, draw_all_timed};
pub use tooltips::describe;

use super::app::App;
use crate::model::{Phase, Session};

/// Hidden states computed so far this epoch: columns h_1..h_k are filled.
fn filled_steps(s: &Session) -> usize {
    match s.phase() {
        Phase::Forward { t } => t,
        _ => s.config().seq_length,
    }
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
    format!("Epoch {} · {phase} · loss {loss} · {state}", s.epoch() + 1)
}

/// `n` in subscript digits, for canvas labels and tooltips: 12 → "₁₂".
fn subscript(n: usize) -> String {
    n.to_string().chars().map(|c| char::from_u32(0x2080 + c.to_digit(10).unwrap_or(0)).unwrap_or(c)).collect()
}
