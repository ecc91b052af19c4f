//! Tooltips: what a hovered cell of any panel holds, in words and numbers.

use nalgebra::DMatrix;

use super::{filled_steps, subscript};
use crate::web::app::{App, HoverSource, ParamName};

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

/// The tooltip for a cell of a hovered area.
pub fn describe(app: &App, source: HoverSource, row: usize, col: usize) -> Tooltip {
    let s = app.session();
    let hs = s.hidden_states();
    let f = |v: f64| format!("{v:.6}");
    let (text, unit) = match source {
        HoverSource::X => {
            let x = s.x_columns();
            if app.shows_x_as_lines() {
                let vals: Vec<String> = (0..x.nrows()).map(|k| format!("{:.3}", at(x, k, col))).collect();
                (format!("x at t = {}: [{}]", col + 1, vals.join(", ")), None)
            } else {
                (format!("x[t = {}, feature {}] = {}", row + 1, col + 1, f(at(x, col, row))), None)
            }
        }
        HoverSource::HiddenNow => {
            let k = filled_steps(s);
            (format!("h{}[unit {}] = {}", subscript(k), row + 1, f(at(hs, row, k))), Some(row))
        }
        HoverSource::HiddenHistory => {
            let filled = filled_steps(s);
            let text = if col < filled {
                format!(
                    "h{}[unit {}] = {} (a = {})",
                    subscript(col + 1),
                    row + 1,
                    f(at(hs, row, col + 1)),
                    f(at(s.pre_activations(), row, col))
                )
            } else {
                format!("h{}[unit {}]: not computed yet in this epoch", subscript(col + 1), row + 1)
            };
            (text, Some(row))
        }
        HoverSource::Output => {
            let k = filled_steps(s);
            (
                format!(
                    "unit {}: target y = {}, h{} = {}",
                    col + 1,
                    f(s.y().get(col).copied().unwrap_or(f64::NAN)),
                    subscript(k),
                    f(at(hs, col, k))
                ),
                Some(col),
            )
        }
        HoverSource::Loss => match s.losses().get(col) {
            Some(l) => (format!("epoch {}: loss {}", col + 1, f(*l)), None),
            None => match app.previous_losses().get(col) {
                Some(l) => (format!("epoch {} (previous run): loss {}", col + 1, f(*l)), None),
                None => (String::new(), None),
            },
        },
        HoverSource::Weight(which) | HoverSource::Change(which) => {
            let (p, d) = (s.params(), s.last_change());
            let (name, value, change) = match which {
                ParamName::Wx => {
                    (format!("Wx[unit {}, input {}]", row + 1, col + 1), at(&p.wx, row, col), at(&d.wx, row, col))
                }
                ParamName::Wh => {
                    (format!("Wh[unit {}, from unit {}]", row + 1, col + 1), at(&p.wh, row, col), at(&d.wh, row, col))
                }
                ParamName::B => (
                    format!("b[unit {}]", row + 1),
                    p.b.get(row).copied().unwrap_or(f64::NAN),
                    d.b.get(row).copied().unwrap_or(f64::NAN),
                ),
            };
            (format!("{name} = {}, last update changed it by {}", f(value), f(change)), Some(row))
        }
        HoverSource::Gradient => {
            let v = s.gradient_norms().get(col).copied().unwrap_or(f64::NAN);
            let text = if v.is_nan() {
                format!("‖∂L/∂h{}‖: not reached in this backward pass", subscript(col + 1))
            } else {
                format!("‖∂L/∂h{}‖ = {}", subscript(col + 1), f(v))
            };
            (text, None)
        }
    };
    Tooltip { text, unit }
}
