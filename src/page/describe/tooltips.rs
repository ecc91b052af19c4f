//! Tooltips: what a hovered cell of any panel holds, in words and numbers.

use nalgebra::DMatrix;

use crate::model::Session;
use crate::model::cell::Cell;
use crate::model::lstm::sigmoid;
use crate::model::params::ParamSpec;
use crate::page::app::App;
use crate::page::chart_data::{filled_steps, gate_blocks, sine_run, subscript};
use crate::page::hit::HoverSource;
use crate::page::numbers::{self, sci};
use crate::page::run::Run;
use crate::page::text::{fill, t};

/// `m[(i, j)]`, or NaN when the cell is outside the matrix (a hover from before a resize).
fn at(m: &DMatrix<f64>, i: usize, j: usize) -> f64 {
    m.get((i, j)).copied().unwrap_or(f64::NAN)
}

/// What hovering a cell found: the tooltip's text, and the hidden unit the cell belongs to (the
/// equation panel then follows that unit).
#[derive(Clone, Debug, PartialEq)]
pub struct Tooltip {
    pub text: String,
    pub unit: Option<usize>,
}

impl Tooltip {
    /// A tooltip about no one hidden unit.
    fn plain(text: String) -> Tooltip {
        Tooltip { text, unit: None }
    }

    /// A tooltip about hidden unit `unit` (0-based).
    fn of_unit(text: String, unit: usize) -> Tooltip {
        Tooltip { text, unit: Some(unit) }
    }
}

/// The tooltip for a cell of a hovered area.
pub fn describe(app: &App, source: HoverSource, row: usize, col: usize) -> Tooltip {
    let s = app.run().session();
    match source {
        HoverSource::X => Tooltip::plain(x_text(s.x_columns(), app.shows_x_as_lines(), row, col)),
        HoverSource::HiddenNow => Tooltip::of_unit(hidden_now_text(s, row), row),
        HoverSource::HiddenHistory => Tooltip::of_unit(hidden_history_text(s, row, col), row),
        HoverSource::CellStates => Tooltip::of_unit(cell_state_text(s, row, col), row),
        HoverSource::Gates => {
            let h = s.config().hidden_size;
            Tooltip::of_unit(gate_text(s, row, col), row % h)
        }
        HoverSource::Output => Tooltip::of_unit(output_text(s, col), col),
        HoverSource::Loss => Tooltip::plain(loss_text(app.run(), col)),
        HoverSource::Weight(index) | HoverSource::Change(index) => {
            Tooltip::of_unit(parameter_text(s, index, row, col), row % s.config().hidden_size)
        }
        HoverSource::Gradient => {
            let text = gradient_text(s, col);
            match app.run().gradient_sources() {
                Some(_) => Tooltip::plain(format!("{text} · {}", fill(t().tip_trace, &[("t", &(col + 1))]))),
                None => Tooltip::plain(text),
            }
        }
        HoverSource::Markers(first, count) => Tooltip::plain(markers_text(&app.run().marker_labels(), first, count)),
        HoverSource::Sequence => Tooltip::plain(sequence_text(app, col)),
        // by is about no one hidden unit; Wy's column is the hidden unit it reads.
        HoverSource::OutputWeights(index) if s.params().specs().get(index).is_some_and(ParamSpec::is_vector) => {
            Tooltip::plain(parameter_text(s, index, row, col))
        }
        HoverSource::OutputWeights(index) => Tooltip::of_unit(parameter_text(s, index, row, col), col),
        HoverSource::Twin => {
            let d = app.run().twin().and_then(|twin| twin.distances().get(col).copied());
            Tooltip::plain(d.map_or(String::new(), |d| fill(t().tip_twin, &[("epoch", &(col + 1)), ("v", &sci(d))])))
        }
    }
}

/// A number in a tooltip: six decimals, or three significant figures in scientific notation
/// when six decimals would hide it (|v| < 0.001) or it is huge: "0.532114", "4.56e-21".
fn six(v: f64) -> String {
    numbers::fixed_or_sci(v, 6)
}

/// What a change marker label stands for, in full: "changed at epoch 4: H 10→15; at epoch 5: full BPTT".
fn markers_text(markers: &[(usize, String)], first: usize, count: usize) -> String {
    let at_epoch =
        |(epoch, label): &(usize, String)| fill(t().tip_marker, &[("epoch", &(epoch + 1)), ("change", label)]);
    let each: Vec<String> = markers.iter().skip(first).take(count).map(at_epoch).collect();
    if each.is_empty() { String::new() } else { fill(t().tip_markers, &[("list", &each.join("; "))]) }
}

/// One input, or in the line view (one column per timestep) every feature at that timestep.
/// `x` is D×T (one column per timestep).
fn x_text(x: &DMatrix<f64>, as_lines: bool, row: usize, col: usize) -> String {
    if as_lines {
        let vals: Vec<String> = (0..x.nrows()).map(|k| format!("{:.3}", at(x, k, col))).collect();
        fill(t().tip_x_line, &[("t", &(col + 1)), ("values", &vals.join(", "))])
    } else {
        fill(t().tip_x, &[("t", &(row + 1)), ("k", &(col + 1)), ("v", &six(at(x, col, row)))])
    }
}

/// The newest hidden state's unit `row`.
fn hidden_now_text(s: &Session, row: usize) -> String {
    let k = filled_steps(s);
    let h = fill(t().tip_h, &[("sub", &subscript(k)), ("unit", &(row + 1))]);
    format!("{h} = {}", six(at(s.hidden_states(), row, k)))
}

/// Unit `row` of h at timestep `col` (0-based), with its pre-activation once computed.
fn hidden_history_text(s: &Session, row: usize, col: usize) -> String {
    let h = fill(t().tip_h, &[("sub", &subscript(col + 1)), ("unit", &(row + 1))]);
    if col >= filled_steps(s) {
        return fill(t().tip_h_pending, &[("h", &h)]);
    }
    let v = six(at(s.hidden_states(), row, col + 1));
    let last = if s.shows_last_epoch() { t().tip_last_epoch } else { "" };
    // A gated cell's pre-activation is its gates' (hovered in their own map).
    if s.cell().blocks().is_empty() {
        format!("{h} = {v} (a = {}){last}", six(at(s.pre_activations(), row, col)))
    } else {
        format!("{h} = {v}{last}")
    }
}

/// Unit `row` of the LSTM's cell state at timestep `col` (0-based).
fn cell_state_text(s: &Session, row: usize, col: usize) -> String {
    let c = format!("c{}[{}]", subscript(col + 1), fill(t().unit, &[("unit", &(row + 1))]));
    if col >= filled_steps(s) {
        return fill(t().tip_h_pending, &[("h", &c)]);
    }
    format!("{c} = {}", six(at(s.cell_states(), row, col + 1)))
}

/// Row `row` of the gates' map (block `row / H`, unit `row % H`) at timestep `col` (0-based).
fn gate_text(s: &Session, row: usize, col: usize) -> String {
    let h = s.config().hidden_size;
    let (blocks, names) = gate_blocks(s.config().cell());
    let (Some(&block), Some(name)) = (blocks.get(row / h), names.get(row / h)) else { return String::new() };
    let gate = format!("{name}{}[{}]", subscript(col + 1), fill(t().unit, &[("unit", &(row % h + 1))]));
    if col >= filled_steps(s) {
        return fill(t().tip_h_pending, &[("h", &gate)]);
    }
    format!(
        "{gate} = σ({}) = {}",
        six(at(s.pre_activations(), block * h + row % h, col)),
        six(sigmoid(at(s.pre_activations(), block * h + row % h, col)))
    )
}

/// Unit `unit`'s target beside its newest hidden state.
fn output_text(s: &Session, unit: usize) -> String {
    let t_len = s.config().seq_length;
    let y = six(s.y().get(unit).copied().unwrap_or(f64::NAN));
    if filled_steps(s) < t_len {
        return fill(t().tip_output_pending, &[("unit", &(unit + 1)), ("y", &y)]);
    }
    let template = if s.shows_last_epoch() { t().tip_output_last } else { t().tip_output };
    let v = six(at(s.hidden_states(), unit, t_len));
    fill(template, &[("unit", &(unit + 1)), ("y", &y), ("v", &v)])
}

/// The loss of epoch `col` (0-based), from this run or else the previous one; empty past both.
fn loss_text(run: &Run, col: usize) -> String {
    let epoch = run.epochs_before() + col + 1;
    match (run.curve().get(col), run.previous_losses().get(col)) {
        (Some(l), _) => fill(t().tip_loss, &[("epoch", &epoch), ("v", &six(*l))]),
        (None, Some(l)) => fill(t().tip_loss_previous, &[("epoch", &(col + 1)), ("v", &six(*l))]),
        (None, None) => String::new(),
    }
}

/// The parameter at `index` in the list (a weight or a bias, of the cell or of the output
/// layer) at (`row`, `col`), with the change the last update made to it.
fn parameter_text(s: &Session, index: usize, row: usize, col: usize) -> String {
    let (p, d) = (s.params(), s.last_change());
    let Some(spec) = p.specs().get(index) else { return String::new() };
    // A vector's hover is always in its one column.
    let (i, j) = (row, if spec.is_vector() { 0 } else { col });
    let value = p.values().get(index).map_or(f64::NAN, |m| at(m, i, j));
    let change = d.values().get(index).map_or(f64::NAN, |m| at(m, i, j));
    let blocks = s.cell().blocks();
    let h = s.config().hidden_size;
    let label = match blocks.get(row / h) {
        Some(block) if spec.blocks > 1 => format!("{} ({block})", parameter_label(spec, row % h, col)),
        _ => parameter_label(spec, row, col),
    };
    fill(t().tip_parameter, &[("name", &label), ("v", &six(value)), ("change", &six(change))])
}

/// How a tooltip names one entry of a parameter: "Wx[unit 3, input 2]", "by[out 1]", 1-based.
fn parameter_label(spec: &ParamSpec, row: usize, col: usize) -> String {
    match spec.name {
        "wx" => cell(t().tip_wx, row, col),
        "wh" => cell(t().tip_wh, row, col),
        "b" => cell(t().tip_b, row, col),
        "wy" => fill(t().tip_wy, &[("o", &(row + 1)), ("k", &(col + 1))]),
        "by" => fill(t().tip_by, &[("o", &(row + 1))]),
        _ => spec.symbol.to_string(),
    }
}

/// "Wx[unit 3, input 2]": one entry of a weight matrix, 1-based.
fn cell(template: &str, row: usize, col: usize) -> String {
    fill(template, &[("unit", &(row + 1)), ("k", &(col + 1))])
}

/// The next-value task at step `col` (0-based): what was read, the target and the prediction;
/// past T, the prediction fed back, and what the learner's series really does there.
fn sequence_text(app: &App, col: usize) -> String {
    let run = sine_run(app.run(), ["", "", "", ""]);
    let v = |values: &[f64], i: usize| values.get(i).map_or("—".to_string(), |v| six(*v));
    let t_len = run.input.len();
    if col < t_len {
        let (x, y, y_hat) = (v(&run.input, col), v(&run.target, col), v(&run.prediction, col));
        let args: [(&str, &dyn std::fmt::Display); 4] = [("t", &(col + 1)), ("x", &x), ("y", &y), ("y_hat", &y_hat)];
        fill(t().tip_sequence, &args)
    } else if col - t_len < run.after.len() {
        let (y, y_hat) = (v(&run.after, col - t_len), v(&run.prediction, col));
        fill(t().tip_free_run_series, &[("t", &(col + 1)), ("y_hat", &y_hat), ("y", &y)])
    } else {
        fill(t().tip_free_run, &[("t", &(col + 1)), ("y_hat", &v(&run.prediction, col))])
    }
}

/// The gradient's size at timestep `col` (0-based), or that the backward pass has not reached it.
fn gradient_text(s: &Session, col: usize) -> String {
    let v = s.gradient_norms().get(col).copied().unwrap_or(f64::NAN);
    if v.is_nan() {
        fill(t().tip_gradient_pending, &[("sub", &subscript(col + 1))])
    } else {
        let h = format!("‖∂L/∂h{}‖ = {}", subscript(col + 1), sci(v));
        // The LSTM's bar beside it: the gradient that reached its cell state.
        match s.cell_gradient_norms().get(col).filter(|c| c.is_finite()) {
            Some(c) => format!("{h} · ‖∂L/∂c{}‖ = {}", subscript(col + 1), sci(*c)),
            None => h,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_merged_marker_tells_every_change_it_stands_for() {
        let markers = vec![(3, "H 10→15".to_string()), (4, "full BPTT".to_string()), (9, "new data".to_string())];
        assert_eq!(markers_text(&markers, 0, 2), "Changed at epoch 4: H 10→15; epoch 5: full BPTT");
        assert_eq!(markers_text(&markers, 5, 1), "");
    }
}
