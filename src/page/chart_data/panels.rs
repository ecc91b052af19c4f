//! The six panels' data from a run: which row or column is lit, how much is filled, the titles, the floor, the markers.

use std::borrow::Cow;

use nalgebra::DMatrix;

use super::{
    FeatureLines, GradientBars, Heatmap, LossCurve, ParamMap, TREND_FROM, TargetVsPrediction, View, limit_of, trend,
};
use crate::model::cell::Cell;
use crate::model::lstm::sigmoid;
use crate::model::params::{Dim, ParamSpec};
use crate::model::{Activation, CellKind, DataMode, Params, Phase, Session, Task, Training, health, tasks};
use crate::page::hit::HoverSource;
use crate::page::run::Run;
use crate::page::text::{fill, t};

impl<'a> Heatmap<'a> {
    /// `values` (column by column, `shape` rows × columns) on the scale ±`limit` under `title`,
    /// with the labels of (rows, columns): nothing lit, every column filled, no legend, no
    /// largest cell.
    pub fn new(
        (values, shape): (&'a [f64], (usize, usize)),
        limit: f64,
        title: Cow<'a, str>,
        (row_label, col_label): (&'a str, &'a str),
    ) -> Heatmap<'a> {
        Heatmap {
            values,
            shape,
            limit,
            title,
            row_label,
            col_label,
            blocks: &[],
            unit_scale: false,
            lit_row: None,
            lit_col: None,
            filled_cols: None,
            show_legend: false,
            max_cell: None,
        }
    }
}

/// A matrix's cells and shape, for [`Heatmap::new`].
fn cells(m: &DMatrix<f64>) -> (&[f64], (usize, usize)) {
    (m.as_slice(), m.shape())
}

/// Hidden states on show: columns h_1..h_k are filled. Between epochs that is the whole epoch
/// just completed (see [`Session::shows_last_epoch`]).
pub fn filled_steps(s: &Session) -> usize {
    match s.phase() {
        _ if s.shows_last_epoch() => s.config().seq_length,
        Phase::Forward { t } => t,
        _ => s.config().seq_length,
    }
}

/// The timestep the cursor is at, 0-based, for lighting a column of the hidden states: the
/// one the last forward step computed, h_T at the loss, the one the backward pass has just left.
fn current_t(s: &Session) -> Option<usize> {
    match s.phase() {
        Phase::Forward { t } if t > 0 => Some(t - 1),
        Phase::Forward { .. } => None,
        Phase::Loss => Some(s.config().seq_length - 1),
        Phase::Backward { t } => Some((t + 1).min(s.config().seq_length - 1)),
        Phase::Update => None,
    }
}

/// The row of x lit (0-based): the one the backward step just run went through, else the one
/// the last forward step read, or the last at the loss.
fn lit_input(run: &Run) -> Option<usize> {
    if let Some(Phase::Backward { t }) = run.last_step() {
        return Some(t);
    }
    match run.session().phase() {
        Phase::Forward { t } if t > 0 => Some(t - 1),
        Phase::Backward { t } => Some(t),
        Phase::Loss => Some(run.session().x_columns().ncols() - 1),
        _ => None,
    }
}

/// `n` in subscript digits, for canvas labels and tooltips: 12 → "₁₂".
pub fn subscript(n: usize) -> String {
    n.to_string().chars().map(|c| char::from_u32(0x2080 + c.to_digit(10).unwrap_or(0)).unwrap_or(c)).collect()
}

/// The label of a parameter map's columns, from what they are (inputs, hidden units, none):
/// the cell's recurrent weights read h_{t−1}, the output layer reads h_t.
pub fn column_label(spec: &ParamSpec) -> &'static str {
    match spec.cols {
        Dim::Input => t().axis_input,
        Dim::Hidden if spec.is_output() => t().axis_from_output,
        Dim::Hidden => t().axis_from,
        Dim::One | Dim::Output => "",
    }
}

/// Panel 1: x as a heatmap, T×D, or in the seed's line view one line per feature; either way
/// with its timestep lit.
#[derive(Clone, Debug, PartialEq)]
pub enum Inputs<'a> {
    Map(Heatmap<'a>),
    Lines(FeatureLines<'a>),
}

/// The inputs panel of `run`, in the view chosen; the heatmap draws `x`, the run's inputs by
/// rows (T×D, [`Session::x`]), which the caller keeps.
#[inline]
pub fn inputs<'a>(run: &'a Run, view: &View, x: &'a DMatrix<f64>) -> Inputs<'a> {
    let lit = lit_input(run);
    if view.x_as_lines {
        return Inputs::Lines(FeatureLines { x: run.session().x_columns(), current: lit });
    }
    let map = Heatmap::new(cells(x), limit_of(x.iter(), 1.0), t().x_title.into(), ("t", t().axis_feature));
    Inputs::Map(Heatmap { lit_row: lit, show_legend: true, ..map })
}

/// Panel 2: h_k, the newest hidden state (H×1), beside the history h_1 … h_T (H×T), filled up
/// to k with the current timestep lit; for the LSTM its cell states c_1 … c_T too, and for a
/// gated cell its gates.
#[derive(Clone, Debug, PartialEq)]
pub struct Hidden<'a> {
    pub now: Heatmap<'a>,
    pub history: Heatmap<'a>,
    pub cell_states: Option<Heatmap<'a>>,
    pub gates: Option<Gates>,
}

/// A gated cell's gates per timestep on a 0-to-1 scale (the LSTM's f, i, o; the GRU's z, r),
/// their blocks stacked in the rows: (blocks·H)×T, column by column.
#[derive(Clone, Debug, PartialEq)]
pub struct Gates {
    pub values: Vec<f64>,
    pub names: &'static [&'static str],
    pub shape: (usize, usize),
    pub filled: usize,
    pub lit_col: Option<usize>,
}

impl Gates {
    /// The gates as a heatmap from 0 (shut, white) to 1 (open, red), each block named.
    pub fn map(&self) -> Heatmap<'_> {
        let map = Heatmap::new((&self.values, self.shape), 1.0, t().gates_title.into(), ("", "t"));
        let unit_scale = true;
        Heatmap {
            blocks: self.names,
            unit_scale,
            lit_col: self.lit_col,
            filled_cols: Some(self.filled),
            show_legend: true,
            ..map
        }
    }
}

/// The gates shown for `cell` (by their blocks in its pre-activation) and their names.
pub fn gate_blocks(cell: CellKind) -> (&'static [usize], &'static [&'static str]) {
    match cell {
        CellKind::Rnn => (&[], &[]),
        CellKind::Lstm => (&[0, 2, 3], &["f", "i", "o"]),
        CellKind::Gru => (&[0, 1], &["z", "r"]),
    }
}

/// σ of the gate blocks of a gated cell's pre-activations (blocks·H × T), the first `filled`
/// columns; `None` for the plain RNN.
fn gates(session: &Session, filled: usize, lit_col: Option<usize>) -> Option<Gates> {
    let (blocks, names) = gate_blocks(session.config().cell());
    if blocks.is_empty() {
        return None;
    }
    let (pre, h) = (session.pre_activations(), session.config().hidden_size);
    let t_len = pre.ncols();
    let rows = blocks.len() * h;
    let mut values = vec![0.0; rows * t_len];
    for t in 0..filled.min(t_len) {
        for (k, &block) in blocks.iter().enumerate() {
            for i in 0..h {
                values[t * rows + k * h + i] = sigmoid(pre[(block * h + i, t)]);
            }
        }
    }
    Some(Gates { values, names, shape: (rows, t_len), filled, lit_col })
}

/// The colour scale of the states h (or c) of this run: ±1 where they cannot leave (−1, 1)
/// (tanh, the LSTM's h = o ⊙ tanh(c), the GRU's mix of h and a tanh), otherwise the largest
/// value shown (a ReLU or linear RNN's h, the LSTM's c).
fn state_limit(bounded: bool, shown: &[f64]) -> f64 {
    if bounded { 1.0 } else { limit_of(shown.iter(), 1e-9) }
}

/// The hidden-state panel of `run`, both maps columns of the session's h_0 … h_T (and c).
#[inline]
pub fn hidden(run: &Run) -> Hidden<'_> {
    let session = run.session();
    let c = session.config();
    let hs = session.hidden_states();
    let (h, t_len) = (hs.nrows(), hs.ncols() - 1);
    let filled = filled_steps(session);
    let lit = current_t(session);
    let title = if session.shows_last_epoch() { t().hidden_title_last } else { t().hidden_title };
    let shown = &hs.as_slice()[h..][..filled * h];
    let bounded = c.cell() != CellKind::Rnn || c.activation() == Activation::Tanh;
    let limit = state_limit(bounded, shown);
    let history = Heatmap::new((&hs.as_slice()[h..], (h, t_len)), limit, title.into(), (t().axis_unit, "t"));
    let history = Heatmap { lit_col: lit, filled_cols: Some(filled), show_legend: true, ..history };
    let label = format!("h{}", subscript(filled)).into();
    let now = Heatmap::new((&hs.as_slice()[filled * h..][..h], (h, 1)), limit, label, (t().axis_unit, ""));
    let cs = session.cell_states();
    let cell_states = (cs.nrows() == h).then(|| {
        let limit = state_limit(false, &cs.as_slice()[h..][..filled * h]);
        let map =
            Heatmap::new((&cs.as_slice()[h..], (h, t_len)), limit, t().cell_states_title.into(), (t().axis_unit, "t"));
        Heatmap { lit_col: lit, filled_cols: Some(filled), show_legend: true, ..map }
    });
    Hidden { now, history, cell_states, gates: gates(session, filled, lit) }
}

/// Panel 3 for the seed's task: y against h_T, unit by unit. Only h_T is the prediction:
/// during the forward pass there is none yet (never a state that is not one), and between
/// epochs it is the last epoch's.
#[inline]
pub fn target_vs_prediction(run: &Run) -> TargetVsPrediction<'_> {
    let session = run.session();
    let t_len = session.config().seq_length;
    let (prediction, prediction_label): (&[f64], &str) = if filled_steps(session) < t_len {
        (&[], t().prediction_pending)
    } else {
        let label = if session.shows_last_epoch() { t().prediction_last } else { t().prediction };
        let hs = session.hidden_states();
        (&hs.as_slice()[t_len * hs.nrows()..][..hs.nrows()], label)
    };
    let c = session.config();
    let reachable = match (c.cell(), c.activation()) {
        (CellKind::Rnn, Activation::Linear) => None,
        (CellKind::Rnn, Activation::Relu) => Some((0.0, f64::INFINITY)),
        _ => Some((-1.0, 1.0)),
    };
    TargetVsPrediction { target: session.y().as_slice(), prediction, prediction_label, reachable }
}

/// Panel 4: the loss curve, and whether the seed's caption shows under it.
#[derive(Clone, Debug, PartialEq)]
pub struct Loss<'a> {
    pub curve: LossCurve<'a>,
    /// In seed mode, until the twin's verdict takes the caption's room.
    pub seed_caption: bool,
}

/// The loss panel of `run`: its losses, the previous run's, its markers in the language on
/// show, and the floor of the seed's task (where y is compared with h_T itself).
#[inline]
pub fn loss(run: &Run) -> Loss<'_> {
    let session = run.session();
    let c = session.config();
    let verdict = run.twin().and_then(|twin| twin.chaotic_at()).is_some();
    let floor = health::loss_floor_of(&session.cell(), session.y().as_slice());
    let floor = Some(floor).filter(|f| c.task == Task::RandomTarget && *f > 0.0);
    let curve = LossCurve {
        losses: run.curve(),
        first_epoch: run.epochs_before(),
        previous: run.previous_losses(),
        markers: run.marker_labels(),
        floor,
        // Its expected loss over fresh draws; one fixed draw scores its own.
        baseline: tasks::baseline_loss(c).filter(|_| c.data() == DataMode::Fresh),
        trend: if run.curve().len() >= TREND_FROM && c.data() == DataMode::Fresh {
            trend(run.curve())
        } else {
            Vec::new()
        },
        empty: t().loss_empty,
    };
    Loss { curve, seed_caption: c.training == Training::BlogLoop && !verdict }
}

/// Under the loss curve while the twin run is on: the twins' distance per epoch (log scale),
/// and the verdict once the distance shows the run chaotic.
#[derive(Clone, Debug, PartialEq)]
pub struct TwinChart<'a> {
    pub curve: LossCurve<'a>,
    pub verdict: Option<String>,
}

/// The twin run's chart, while it is on.
#[inline]
pub fn twin(run: &Run) -> Option<TwinChart<'_>> {
    let twin = run.twin()?;
    let verdict = twin.chaotic_at().map(|at| fill(t().twin_chaotic, &[("epochs", &at)]));
    let curve = LossCurve {
        losses: twin.distances(),
        first_epoch: 0,
        previous: &[],
        markers: Vec::new(),
        floor: None,
        baseline: None,
        trend: Vec::new(),
        empty: t().twin_empty,
    };
    Some(TwinChart { curve, verdict })
}

/// The maps of the parameters in `list` (the weights or a change) of the cell, or with
/// `output` of the output layer, in the list's order on one colour scale (at least ±`floor`):
/// each titled `prefix` and its symbol, its rows hidden units (or outputs), hovered as `source`
/// of its index in the list; the recurrent weight's maps carry the legend.
fn param_maps<'a>(
    (list, blocks): (&'a Params, &'static [&'static str]),
    output: bool,
    floor: f64,
    prefix: &str,
    source: fn(usize) -> HoverSource,
) -> Vec<ParamMap<'a>> {
    let part = || list.iter().enumerate().filter(move |(_, (spec, _))| spec.is_output() == output);
    let limit = limit_of(part().flat_map(|(_, (_, m))| m.iter()), floor);
    let row_label = if output { t().axis_out } else { t().axis_unit };
    part()
        .map(|(index, (spec, values))| {
            let title = format!("{prefix}{}", spec.symbol).into();
            let map = Heatmap::new(cells(values), limit, title, (row_label, column_label(spec)));
            let show_legend = !output && spec.cols == Dim::Hidden;
            let blocks = if spec.blocks > 1 { blocks } else { &[] };
            ParamMap { spec, map: Heatmap { show_legend, blocks, ..map }, source: source(index) }
        })
        .collect()
}

/// Panel 5: the cell's own parameters (not the output layer's), in the list's order (Wx, Wh,
/// b), and beside or under them the change the last update made to each.
#[derive(Clone, Debug, PartialEq)]
pub struct Weights<'a> {
    pub weights: Vec<ParamMap<'a>>,
    pub changes: Vec<ParamMap<'a>>,
}

/// The weights panel of `run`, borrowing the session's matrices: the weights on one colour
/// scale, the changes on another.
#[inline]
pub fn weights(run: &Run) -> Weights<'_> {
    let (p, c) = (run.session().params(), run.session().last_change());
    let blocks = run.session().cell().blocks();
    Weights {
        weights: param_maps((p, blocks), false, 1e-9, "", HoverSource::Weight),
        changes: param_maps((c, blocks), false, 1e-12, "Δ", HoverSource::Change),
    }
}

/// Under the weights, for the tasks with an output layer: Wy (O×H) and by (O) side by side on
/// one colour scale; `None` for the seed's task.
#[inline]
pub fn output_weights(run: &Run) -> Option<Vec<ParamMap<'_>>> {
    let p = run.session().params();
    (p.output_size() > 0).then(|| param_maps((p, &[]), true, 1e-9, "", HoverSource::OutputWeights))
}

/// Panel 6: ‖∂L/∂h_t‖ per timestep, the backward step just run lit, the gradient's sources
/// (when on show) and the one traced.
#[inline]
pub fn gradients<'a>(run: &'a Run, view: &View) -> GradientBars<'a> {
    let current = match run.last_step() {
        Some(Phase::Backward { t }) => Some(t),
        _ => None,
    };
    let empty_note = match run.config().training {
        Training::BlogLoop => t().gradient_note_seed,
        Training::Bptt => t().gradient_note_bptt,
    };
    let norms = run.session().gradient_norms();
    let cell = Some(run.session().cell_gradient_norms()).filter(|n| !n.is_empty());
    GradientBars { norms, current, empty_note, sources: run.gradient_sources(), traced: view.traced_source, cell }
}
