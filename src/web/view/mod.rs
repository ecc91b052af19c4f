//! Draws a run for the page: its panels into their canvases, the code listing; what the page says in words comes from `page::describe`.

mod code;
mod panels;

pub use crate::page::describe::{describe, describe_variable, divergence_text, equation_html};
pub use crate::page::describe::{health_note, status_line};
pub use code::{code_html, show_caption as show_code_caption};
pub use panels::{PANEL_COUNT, draw_all, draw_all_timed, draw_one};

use crate::model::params::{Dim, ParamSpec};

/// A parameter map's least width in CSS pixels before the text scale, from what its columns
/// are: room for its labels.
fn least_width(spec: &ParamSpec) -> f64 {
    match spec.cols {
        Dim::Input => 44.0,
        Dim::Hidden => 104.0,
        Dim::One | Dim::Output => 34.0,
    }
}
