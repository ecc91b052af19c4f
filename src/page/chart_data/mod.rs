//! Each chart's plain data (no plotters, no web types), the page's view settings they depend on, and the canvases a run is drawn into.
//!
//! The functions of `panels.rs` and `task_panels.rs` build a panel's data from a
//! [`Run`](crate::page::run::Run); `src/web/charts/` draws it. The numbers are borrowed from
//! the run (x by rows from the caller, who keeps the copy); what is computed for the chart
//! (a free run, the answers, the markers' words) is owned. The builders are `#[inline]`: each
//! has one caller, the page's view, and inlined there the page's wasm stays nearly as small as
//! when the view built the data itself.

mod panels;
mod task_panels;

use std::borrow::Cow;

use nalgebra::DMatrix;

use crate::model::params::ParamSpec;
use crate::page::hit::HoverSource;

pub use panels::{
    Gates, Hidden, Inputs, Loss, TwinChart, Weights, column_label, filled_steps, gate_blocks, gradients, hidden,
    inputs, loss, output_weights, subscript, twin, weights,
};
pub use task_panels::{ADDING_TOLERANCE, Output, output, sine_run, success_note};

/// The page's choices that change what a run's charts show (one for every run on show).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct View {
    /// x as the seed's line view instead of a heatmap.
    pub x_as_lines: bool,
    /// The loss step whose gradient the gradient panel traces (hovered).
    pub traced_source: Option<usize>,
}

/// The element ids a run's panels are drawn into: its canvases and the captions beside them.
/// A second run beside the first would have its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Canvases {
    /// Panel 1, the inputs.
    pub x: &'static str,
    /// Panel 2, the hidden states.
    pub hidden: &'static str,
    /// Panel 3, target against prediction (or a task's predictions).
    pub output: &'static str,
    /// Panel 4, the loss curve.
    pub loss: &'static str,
    /// Under the loss curve, the twin run's distances.
    pub twin: &'static str,
    /// Panel 5, the cell's weights and their change.
    pub weights: &'static str,
    /// Under the weights, the output layer's (Wy, by).
    pub output_weights: &'static str,
    /// Panel 6, the gradient reaching each timestep.
    pub gradients: &'static str,
    /// The seed's caption under the loss curve.
    pub loss_caption: &'static str,
    /// The twin run's caption and its verdict.
    pub twin_caption: &'static str,
    pub twin_verdict: &'static str,
    /// The running measure of success of the tasks with a loss at the last step.
    pub task_score: &'static str,
}

impl Canvases {
    /// The page's one run (www/index.html).
    pub const MAIN: Canvases = Canvases {
        x: "canvas-x",
        hidden: "canvas-hidden",
        output: "canvas-output",
        loss: "canvas-loss",
        twin: "canvas-twin",
        weights: "canvas-weights",
        output_weights: "canvas-wy",
        gradients: "canvas-grad",
        loss_caption: "loss-caption",
        twin_caption: "twin-caption",
        twin_verdict: "twin-verdict",
        task_score: "task-score",
    };

    /// The ids of the canvases (not the captions), in drawing order.
    pub fn canvas_ids(&self) -> [&'static str; 8] {
        [self.x, self.hidden, self.output, self.loss, self.twin, self.weights, self.output_weights, self.gradients]
    }
}

/// A matrix as coloured cells.
#[derive(Clone, Debug, PartialEq)]
pub struct Heatmap<'a> {
    /// The cells column by column (as nalgebra stores a matrix), `shape.0 * shape.1` of them.
    pub values: &'a [f64],
    /// (rows, columns) as drawn: x T×D, the hidden history H×T, Wh H×H.
    pub shape: (usize, usize),
    /// The colour scale runs from -limit to +limit.
    pub limit: f64,
    /// Title above the cells, e.g. "Wh (H×H)".
    pub title: Cow<'a, str>,
    /// Labels of the axes, e.g. "t" and "feature".
    pub row_label: &'a str,
    pub col_label: &'a str,
    /// The names of equal blocks of rows stacked in it (a gated cell's gates: "f", "g", "i",
    /// "o"), written beside them instead of the row numbers; empty for one block.
    pub blocks: &'a [&'a str],
    /// The scale runs from 0 (white) to 1 (red) instead (a gate's values).
    pub unit_scale: bool,
    /// A row or column to outline (the current timestep).
    pub lit_row: Option<usize>,
    pub lit_col: Option<usize>,
    /// Columns from this one on are not computed yet: drawn blank.
    pub filled_cols: Option<usize>,
    pub show_legend: bool,
    /// The largest cell side in CSS pixels (so maps side by side share one cell size); the
    /// view sets it from its layout.
    pub max_cell: Option<f64>,
}

/// One parameter's heatmap, with what hovering its cells shows.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamMap<'a> {
    pub spec: &'static ParamSpec,
    pub map: Heatmap<'a>,
    pub source: HoverSource,
}

/// The seed's view of the inputs: row k of `x` (D×T, one column per timestep) is feature k
/// over time.
#[derive(Clone, Debug, PartialEq)]
pub struct FeatureLines<'a> {
    pub x: &'a DMatrix<f64>,
    /// The timestep marked (0-based).
    pub current: Option<usize>,
}

/// The loss curve (or the twin run's distances): one value per epoch, on a log scale.
#[derive(Clone, Debug, PartialEq)]
pub struct LossCurve<'a> {
    /// Loss of each epoch, oldest first.
    pub losses: &'a [f64],
    /// The epochs before the first of `losses` (its axis counts on from there).
    pub first_epoch: usize,
    /// The run before the last Reset, drawn faintly for comparison.
    pub previous: &'a [f64],
    /// (epoch index, label) where a setting changed, e.g. (40, "H 10→16").
    pub markers: Vec<(usize, String)>,
    /// The loss the task can never go below (tanh cannot reach targets beyond ±1), if above 0.
    pub floor: Option<f64>,
    /// The loss a trivial answer scores (remember-first answering 0, adding always 1), the line
    /// to get below, where the task has one.
    pub baseline: Option<f64>,
    /// At each epoch, the mean loss of the last [`TREND_EPOCHS`] (fewer at the start), where a
    /// noisy curve (fresh data) needs it: from [`TREND_FROM`] epochs on, else empty.
    pub trend: Vec<f64>,
    /// What to say before the first point.
    pub empty: &'static str,
}

/// The gradient reaching each timestep, ‖∂L/∂h_t‖: one value per timestep (T), NaN where the
/// gradient has not arrived.
#[derive(Clone, Debug, PartialEq)]
pub struct GradientBars<'a> {
    pub norms: &'a [f64],
    /// The timestep the backward pass is at (lit).
    pub current: Option<usize>,
    /// Shown when no bar has a value yet.
    pub empty_note: &'a str,
    /// For a loss at every step: `sources[t][s]`, the part of bar t sent back by the loss at
    /// step s (norms, T×T). Each bar is then cut into bands in proportion to them.
    pub sources: Option<&'a [Vec<f64>]>,
    /// The loss step whose bands are lit in every bar (hovered).
    pub traced: Option<usize>,
    /// The LSTM's ‖∂L/∂c_t‖ per timestep (NaN where it has not arrived), drawn beside each bar.
    pub cell: Option<&'a [f64]>,
}

/// The seed's target against its prediction, unit by unit: both of length H.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetVsPrediction<'a> {
    pub target: &'a [f64],
    /// h_T once the forward pass is complete; empty before.
    pub prediction: &'a [f64],
    pub prediction_label: &'a str,
    /// The values h can take, shaded: (−1, 1) for tanh and the gated cells, [0, ∞) for ReLU;
    /// `None` without an activation (h reaches anything).
    pub reachable: Option<(f64, f64)>,
}

/// A sequence over t = 1 … T, then `prediction` goes on past T on its own (drawn dashed).
#[derive(Clone, Debug, PartialEq)]
pub struct Sequence<'a> {
    /// x_t, T.
    pub input: Vec<f64>,
    /// y_t, T.
    pub target: Vec<f64>,
    /// ŷ_t, T + the free-running steps.
    pub prediction: Vec<f64>,
    /// The learner's series past the target, as far as the free run goes and it has values:
    /// what the free run should follow (empty for the built-in waves).
    pub after: Vec<f64>,
    /// [input, target, prediction, free run] legend labels.
    pub labels: [&'a str; 4],
}

/// Recent answers (target, prediction), oldest first; the last `latest` are the current epoch's.
#[derive(Clone, Debug, PartialEq)]
pub struct Answers<'a> {
    pub pairs: Vec<(f64, f64)>,
    pub latest: usize,
    /// Answers within ±band of their target count as right (a band around the diagonal).
    pub band: Option<f64>,
    /// [x axis, y axis, latest answers, earlier answers] labels.
    pub labels: [&'a str; 4],
}

/// The epochs the loss curve's trend averages over (those a lesson's claim compares).
pub const TREND_EPOCHS: usize = 100;
/// The trend is drawn once the curve has this many epochs.
pub const TREND_FROM: usize = 200;

/// The running mean of `losses` over the last [`TREND_EPOCHS`] at each epoch (over all of them
/// before the first hundred); NaN once a loss is not finite.
pub fn trend(losses: &[f64]) -> Vec<f64> {
    let mut sum = 0.0;
    let mut out = Vec::with_capacity(losses.len());
    for (i, &l) in losses.iter().enumerate() {
        sum += l;
        if i >= TREND_EPOCHS {
            sum -= losses[i - TREND_EPOCHS];
        }
        out.push(sum / (i + 1).min(TREND_EPOCHS) as f64);
    }
    out
}

/// The largest |v| (at least `floor`), a symmetric scale limit.
pub fn limit_of<'a>(values: impl IntoIterator<Item = &'a f64>, floor: f64) -> f64 {
    values.into_iter().filter(|v| v.is_finite()).fold(floor, |m, v| m.max(v.abs()))
}
