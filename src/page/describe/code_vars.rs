//! What hovering a variable of the code panel shows: its numpy shape and its current values.

use nalgebra::{DMatrix, DVector};

use crate::model::cell::Cell;
use crate::model::lstm::sigmoid;
use crate::model::tanh::tanh;
use crate::model::{Phase, Session};
use crate::page::app::App;
use crate::page::chart_data::filled_steps;
use crate::page::text::{fill, t};

/// What hovering variable `name` in the listing shows: its numpy shape and its values now.
pub fn describe_variable(app: &App, name: &str) -> String {
    let s = app.run().session();
    let value = match name {
        "x" => Some(s.x()),
        "x_t" => step_t(app).map(|t| s.x_columns().columns(t, 1).into_owned()),
        "h0" => Some(column(&s.run_start().h0)),
        "h" => Some(s.hidden_states().columns(filled_steps(s), 1).into_owned()),
        "hs" => Some(s.hidden_states().columns(0, filled_steps(s) + 1).into_owned()),
        "a" | "A" => filled_steps(s).checked_sub(1).map(|t| s.pre_activations().columns(t, 1).into_owned()),
        "c" => (s.cell_states().nrows() > 0).then(|| s.cell_states().columns(filled_steps(s), 1).into_owned()),
        "cs" => (s.cell_states().nrows() > 0).then(|| s.cell_states().columns(0, filled_steps(s) + 1).into_owned()),
        "f" | "g" | "i" | "o" | "z" | "r" | "h_hat" => gate(s, name),
        "dA" => backward_t(app).map(|t| DMatrix::from_column_slice(s.da_at(t).len(), 1, s.da_at(t))),
        "y" => Some(column(s.y())),
        "loss" => s.loss().or_else(|| s.losses().last().copied()).map(|l| DMatrix::from_element(1, 1, l)),
        "dh" => Some(column(s.dh())),
        "da" => backward_t(app).map(|t| DMatrix::from_column_slice(s.da_at(t).len(), 1, s.da_at(t))),
        "learning_rate" => Some(DMatrix::from_element(1, 1, s.config().learning_rate)),
        _ => weights(s, name),
    };
    match value {
        Some(m) if !m.is_empty() => {
            // `hs` is a list of k + 1 arrays of shape (H, 1); everything else one array.
            let shape = if name == "hs" || name == "cs" {
                format!("{} × ({}, 1)", m.ncols(), m.nrows())
            } else {
                format!("({}, {})", m.nrows(), m.ncols())
            };
            fill(t().tip_variable, &[("name", &name), ("shape", &shape), ("values", &first_values(&m))])
        }
        _ => fill(t().tip_variable_pending, &[("name", &name)]),
    }
}

/// A gated cell's gate (or candidate) `name` at the last forward step computed: σ (tanh for
/// the LSTM's g and the GRU's h̃) of its block of the pre-activation, H×1.
fn gate(s: &Session, name: &str) -> Option<DMatrix<f64>> {
    let block = s.cell().blocks().iter().position(|b| *b == name || (name == "h_hat" && *b == "h̃"))?;
    let (t, h) = (filled_steps(s).checked_sub(1)?, s.config().hidden_size);
    let squash = if matches!(name, "g" | "h_hat") { tanh } else { sigmoid };
    Some(DMatrix::from_fn(h, 1, |i, _| squash(s.pre_activations()[(block * h + i, t)])))
}

/// A vector as an n×1 matrix.
fn column(v: &DVector<f64>) -> DMatrix<f64> {
    DMatrix::from_column_slice(v.len(), 1, v.as_slice())
}

/// The weights and their gradients by their listing names: a parameter's symbol ("Wx"), or
/// "d" and the symbol for its gradient ("dWx"), looked up in the cell's list.
fn weights(s: &Session, name: &str) -> Option<DMatrix<f64>> {
    let found = s.params().by_symbol(name).or_else(|| s.grads().by_symbol(name.strip_prefix('d')?));
    found.cloned()
}

/// The timestep of the forward step just run (0-based), if the last step was one.
fn step_t(app: &App) -> Option<usize> {
    match app.run().last_step() {
        Some(Phase::Forward { t }) => Some(t),
        _ => None,
    }
}

/// The timestep of the backward step just run (0-based), if the last step was one.
fn backward_t(app: &App) -> Option<usize> {
    match app.run().last_step() {
        Some(Phase::Backward { t }) => Some(t),
        _ => None,
    }
}

/// The first few values, row by row, as numpy prints them: "[0.123, -0.456, …]".
fn first_values(m: &DMatrix<f64>) -> String {
    const SHOWN: usize = 6;
    let values: Vec<String> = m.transpose().iter().take(SHOWN).map(|v| format!("{v:.4}")).collect();
    let more = if m.len() > SHOWN { ", …" } else { "" };
    format!("[{}{more}]", values.join(", "))
}
