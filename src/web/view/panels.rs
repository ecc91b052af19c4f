//! The six panels: each reads the session into plain chart data, draws it and records its hover areas.

use nalgebra::DMatrix;
use web_sys::HtmlCanvasElement;

use super::{filled_steps, param_map_style, subscript};
use crate::model::params::{Dim, ParamSpec};
use crate::model::{Params, Phase, Session, Task, Training, health};
use crate::page::app::App;
use crate::page::hit::{HitArea, HoverSource};
use crate::page::text::{fill, t};
use crate::web::canvas::Surface;
use crate::web::charts::heatmap::{self, Area, Heatmap};
use crate::web::charts::{DrawError, bars, colour::limit_of, lines, loss, target};
use crate::web::dom;

/// The timestep the cursor is at, 0-based, for lighting rows and columns.
fn current_t(s: &Session) -> Option<usize> {
    match s.phase() {
        Phase::Forward { t } if t > 0 => Some(t - 1),
        Phase::Forward { .. } => None,
        Phase::Loss => Some(s.config().seq_length - 1),
        Phase::Backward { t } => Some((t + 1).min(s.config().seq_length - 1)),
        Phase::Update => None,
    }
}

fn surface(id: &str) -> Result<Surface, DrawError> {
    let canvas: HtmlCanvasElement = dom::by_id(id).map_err(DrawError)?;
    Surface::prepare(&canvas).map_err(DrawError)
}

type Panel = fn(&App, &mut Vec<HitArea>) -> Result<(), DrawError>;

/// Every panel, by name, in the order they are drawn.
const PANELS: [(&str, Panel); 7] = [
    ("inputs", draw_inputs),
    ("hidden", draw_hidden),
    ("output", draw_output),
    ("loss", draw_loss),
    ("weights", draw_weights),
    ("gradients", draw_gradients),
    ("output weights", super::task_panels::draw_output_weights),
];

/// Draws every panel and records the hoverable areas.
pub fn draw_all(app: &mut App) -> Result<(), DrawError> {
    draw_all_timed(app, |_, _| {})
}

/// How many panels there are.
pub const PANEL_COUNT: usize = PANELS.len();

/// Draws panel `index` only (in drawing order) and replaces its hover areas. The page's first
/// frames draw one panel each, so that a slow phone stays responsive while the page starts.
pub fn draw_one(app: &mut App, index: usize) -> Result<(), DrawError> {
    let mut hits = Vec::new();
    let result = PANELS.get(index).map_or(Ok(()), |(_, draw)| draw(app, &mut hits));
    app.add_hit_areas(hits);
    result
}

/// Draws every panel, telling `took` how many milliseconds each one took (for the benchmark).
pub fn draw_all_timed(app: &mut App, mut took: impl FnMut(&'static str, f64)) -> Result<(), DrawError> {
    let mut hits = Vec::new();
    let mut result = Ok(());
    for (name, draw) in PANELS {
        let start = dom::now_ms();
        // One panel failing still leaves the others drawn and their hover areas current.
        if let Err(e) = draw(app, &mut hits) {
            result = result.and(Err(e));
        }
        took(name, dom::now_ms() - start);
    }
    app.set_hit_areas(hits);
    result
}

fn draw_inputs(app: &App, hits: &mut Vec<HitArea>) -> Result<(), DrawError> {
    let s = surface("canvas-x")?;
    let session = app.run().session();
    let x = session.x();
    let lit = match session.phase() {
        Phase::Forward { t } if t > 0 => Some(t - 1),
        Phase::Backward { t } => Some(t),
        Phase::Loss => Some(x.nrows() - 1),
        _ => None,
    };
    let lit = match app.run().last_step() {
        Some(Phase::Backward { t }) => Some(t),
        _ => lit,
    };
    if app.shows_x_as_lines() {
        let series: Vec<Vec<f64>> = (0..x.ncols()).map(|k| x.column(k).iter().copied().collect()).collect();
        let grid = lines::draw(&s, &lines::FeatureLines { series: &series, current: lit })?;
        hits.push(HitArea { canvas: "canvas-x", grid, source: HoverSource::X });
    } else {
        let (w, h) = (s.width / s.dpr, s.height / s.dpr);
        let map = Heatmap {
            values: &x,
            limit: limit_of(x.iter(), 1.0),
            title: t().x_title,
            row_label: "t",
            col_label: t().axis_feature,
            lit_row: lit,
            lit_col: None,
            filled_cols: None,
            show_legend: true,
            max_cell: None,
        };
        let grid = heatmap::draw(&s, Area { x: 4.0, y: 4.0, w: w - 8.0, h: h - 8.0 }, &map)?;
        hits.push(HitArea { canvas: "canvas-x", grid, source: HoverSource::X });
    }
    Ok(())
}

fn draw_hidden(app: &App, hits: &mut Vec<HitArea>) -> Result<(), DrawError> {
    let s = surface("canvas-hidden")?;
    let session = app.run().session();
    let hs = session.hidden_states();
    let (h, cols) = hs.shape();
    let t_len = cols - 1;
    let filled = filled_steps(session);
    let now = hs.column(filled).into_owned();
    let now = DMatrix::from_column_slice(h, 1, now.as_slice());
    let history = hs.columns(1, t_len).into_owned();
    let (w, ht) = (s.width / s.dpr, s.height / s.dpr);
    let now_w = 64.0;
    let label = format!("h{}", subscript(filled));
    let title = if session.shows_last_epoch() { t().hidden_title_last } else { t().hidden_title };
    let grid_hist = heatmap::draw(
        &s,
        Area { x: now_w + 10.0, y: 4.0, w: w - now_w - 14.0, h: ht - 8.0 },
        &Heatmap {
            values: &history,
            limit: 1.0,
            title,
            row_label: t().axis_unit,
            col_label: "t",
            lit_row: None,
            lit_col: current_t(session),
            filled_cols: Some(filled),
            show_legend: true,
            max_cell: None,
        },
    )?;
    let grid_now = heatmap::draw(
        &s,
        Area { x: 4.0, y: 4.0, w: now_w, h: ht - 8.0 },
        &Heatmap {
            values: &now,
            limit: 1.0,
            title: &label,
            row_label: t().axis_unit,
            col_label: "",
            lit_row: None,
            lit_col: None,
            filled_cols: None,
            show_legend: false,
            max_cell: Some(grid_hist.h / h as f64),
        },
    )?;
    hits.push(HitArea { canvas: "canvas-hidden", grid: grid_now, source: HoverSource::HiddenNow });
    hits.push(HitArea { canvas: "canvas-hidden", grid: grid_hist, source: HoverSource::HiddenHistory });
    Ok(())
}

fn draw_output(app: &App, hits: &mut Vec<HitArea>) -> Result<(), DrawError> {
    let s = surface("canvas-output")?;
    if let Some(drawn) = super::task_panels::draw_prediction(app, &s, hits) {
        return drawn; // a task with an output layer
    }
    let session = app.run().session();
    let t_len = session.config().seq_length;
    // Only h_T is the prediction: during the forward pass there is none yet (never a state
    // that is not one), and between epochs it is the last epoch's.
    let (prediction, label): (Vec<f64>, &str) = if filled_steps(session) < t_len {
        (Vec::new(), t().prediction_pending)
    } else {
        let label = if session.shows_last_epoch() { t().prediction_last } else { t().prediction };
        (session.hidden_states().column(t_len).iter().copied().collect(), label)
    };
    let y: Vec<f64> = session.y().iter().copied().collect();
    let grid =
        target::draw(&s, &target::TargetVsPrediction { target: &y, prediction: &prediction, prediction_label: label })?;
    hits.push(HitArea { canvas: "canvas-output", grid, source: HoverSource::Output });
    Ok(())
}

fn draw_loss(app: &App, hits: &mut Vec<HitArea>) -> Result<(), DrawError> {
    let s = surface("canvas-loss")?;
    let session = app.run().session();
    let seed_mode = session.config().training == Training::BlogLoop;
    if let Ok(caption) = dom::by_id::<web_sys::Element>("loss-caption") {
        dom::set_text("loss-caption", t().seed_loss_caption);
        // The twin's verdict, once it shows, takes this caption's room.
        let verdict = app.run().twin().and_then(|twin| twin.chaotic_at()).is_some();
        dom::set_hidden(&caption, !seed_mode || verdict);
    }
    // The floor belongs to the seed's task, where y is compared with h_T itself.
    let random_target = session.config().task == Task::RandomTarget;
    let floor = Some(health::loss_floor(session.y().as_slice())).filter(|f| random_target && *f > 0.0);
    let (losses, empty) = (session.losses(), t().loss_empty);
    let markers = app.run().marker_labels();
    let curve = loss::LossCurve { losses, previous: app.run().previous_losses(), markers: &markers, floor, empty };
    if let Some(drawn) = loss::draw(&s, &curve)? {
        // Marker labels first: hovering one tells its whole text.
        for m in drawn.markers {
            let source = HoverSource::Markers(m.first, m.count);
            hits.push(HitArea { canvas: "canvas-loss", grid: m.area, source });
        }
        hits.push(HitArea { canvas: "canvas-loss", grid: drawn.grid, source: HoverSource::Loss });
    }
    draw_twin(app, hits)
}

/// The twin run's distance per epoch under the loss curve (log scale), and the verdict once
/// the distance shows the run chaotic; all hidden while the twin run is off.
fn draw_twin(app: &App, hits: &mut Vec<HitArea>) -> Result<(), DrawError> {
    let twin = app.run().twin();
    for id in ["twin-caption", "canvas-twin"] {
        if let Ok(el) = dom::by_id::<web_sys::Element>(id) {
            dom::set_hidden(&el, twin.is_none());
        }
    }
    let chaotic = twin.and_then(|twin| twin.chaotic_at());
    if let Ok(el) = dom::by_id::<web_sys::Element>("twin-verdict") {
        let text = chaotic.map_or(String::new(), |at| fill(t().twin_chaotic, &[("epochs", &at)]));
        dom::set_text("twin-verdict", &text);
        dom::set_hidden(&el, chaotic.is_none());
    }
    let Some(twin) = twin else { return Ok(()) };
    let curve =
        loss::LossCurve { losses: twin.distances(), previous: &[], markers: &[], floor: None, empty: t().twin_empty };
    if let Some(drawn) = loss::draw(&surface("canvas-twin")?, &curve)? {
        hits.push(HitArea { canvas: "canvas-twin", grid: drawn.grid, source: HoverSource::Twin });
    }
    Ok(())
}

/// How the six weight maps share the panel: side by side or stacked, each row's height, one
/// cell size for all, and the width of each of the cell's maps (Wx, Wh, b; CSS pixels).
struct WeightsLayout {
    side_by_side: bool,
    row_h: f64,
    cell: f64,
    widths: Vec<f64>,
}

/// The largest cell with which both groups of maps fit a `w` × `h` panel, each map (given as
/// its columns and its least width before the text scale) keeping its labels' room (which
/// grows with the text scale `ui`); `hd` is the maps' rows.
fn weights_layout((w, h): (f64, f64), maps: &[(usize, f64)], hd: usize, ui: f64) -> WeightsLayout {
    let (frame_w, frame_h) = heatmap::frame_size(ui);
    let (extra_w, extra_h) = (frame_w + 14.0, 4.0 + frame_h);
    let widths = |cell: f64| -> Vec<f64> {
        maps.iter().map(|&(cols, least_w)| (cell * cols as f64 + extra_w).max(least_w * ui)).collect()
    };
    let fits = |cell: f64, groups: f64| groups * (widths(cell).iter().sum::<f64>() + 16.0) - 16.0 <= w;
    let cell_for = |groups: f64, row_h: f64| {
        let (mut lo, mut hi) = (0.0, ((row_h - extra_h) / hd as f64).max(0.0));
        if fits(hi, groups) {
            return hi;
        }
        for _ in 0..24 {
            let mid = (lo + hi) / 2.0;
            if fits(mid, groups) { lo = mid } else { hi = mid }
        }
        lo
    };
    let side_by_side = cell_for(2.0, h) > cell_for(1.0, h / 2.0);
    let row_h = if side_by_side { h } else { h / 2.0 };
    let cell = cell_for(if side_by_side { 2.0 } else { 1.0 }, row_h).max(0.5);
    WeightsLayout { side_by_side, row_h, cell, widths: widths(cell) }
}

/// The cell's own parameters (not the output layer's), each with its index in the list.
fn cell_params(p: &Params) -> Vec<(usize, &'static ParamSpec)> {
    p.specs().iter().enumerate().filter(|(_, spec)| !spec.is_output()).collect()
}

/// Every entry of the cell's own parameters in `list` (the weights or a change), in order.
fn cell_entries(list: &Params) -> impl Iterator<Item = &f64> {
    list.iter().filter(|(spec, _)| !spec.is_output()).flat_map(|(_, m)| m.iter())
}

/// Wx, Wh and b and, beside or under them, the change the last update made to each: the cell's
/// own parameters of the list, in its order.
fn draw_weights(app: &App, hits: &mut Vec<HitArea>) -> Result<(), DrawError> {
    let s = surface("canvas-weights")?;
    let (w, h) = (s.width / s.dpr, s.height / s.dpr);
    let p = app.run().session().params();
    let c = app.run().session().last_change();
    let maps = cell_params(p);
    let weights_limit = limit_of(cell_entries(p), 1e-9);
    let change_limit = limit_of(cell_entries(c), 1e-12);
    let hd = maps.iter().map(|&(i, _)| p.values()[i].nrows()).max().unwrap_or(0);
    let shapes: Vec<_> = maps.iter().map(|&(i, spec)| (p.values()[i].ncols(), param_map_style(spec).1)).collect();
    // One cell size for all six maps, so a weight of Wx and one of Wh look alike. Weights
    // and changes go side by side when the panel is wide, one above the other when not.
    let WeightsLayout { side_by_side, row_h, cell, widths } = weights_layout((w, h), &shapes, hd, s.ui);
    let group_w = widths.iter().sum::<f64>() + 16.0;
    let rows = [(0.0, p, weights_limit, ""), (row_h, c, change_limit, "Δ")];
    for (row, (top, list, limit, prefix)) in rows.into_iter().enumerate() {
        let (top, mut x) = if side_by_side { (0.0, row as f64 * group_w) } else { (top, 0.0) };
        for (k, &(index, spec)) in maps.iter().enumerate() {
            let title = format!("{prefix}{}", spec.symbol);
            let grid = heatmap::draw(
                &s,
                Area { x, y: top + 2.0, w: widths[k], h: row_h - 4.0 },
                &Heatmap {
                    values: &list.values()[index],
                    limit,
                    title: &title,
                    row_label: t().axis_unit,
                    col_label: param_map_style(spec).0,
                    lit_row: None,
                    lit_col: None,
                    filled_cols: None,
                    // The recurrent weight's map carries the legend.
                    show_legend: spec.cols == Dim::Hidden,
                    max_cell: Some(cell),
                },
            )?;
            let source = if row == 0 { HoverSource::Weight(index) } else { HoverSource::Change(index) };
            hits.push(HitArea { canvas: "canvas-weights", grid, source });
            x += widths[k];
        }
    }
    Ok(())
}

fn draw_gradients(app: &App, hits: &mut Vec<HitArea>) -> Result<(), DrawError> {
    let s = surface("canvas-grad")?;
    let current = match app.run().last_step() {
        Some(Phase::Backward { t }) => Some(t),
        _ => None,
    };
    let note = match app.run().session().config().training {
        Training::BlogLoop => t().gradient_note_seed,
        Training::Bptt => t().gradient_note_bptt,
    };
    let bars = bars::GradientBars {
        norms: app.run().session().gradient_norms(),
        current,
        empty_note: note,
        sources: app.run().gradient_sources(),
        traced: app.traced_source(),
    };
    let grid = bars::draw(&s, &bars)?;
    hits.push(HitArea { canvas: "canvas-grad", grid, source: HoverSource::Gradient });
    Ok(())
}
