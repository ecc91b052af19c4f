//! The six panels: each takes its plain chart data from the run (src/page/chart_data/), draws it into its canvas and records its hover areas.

use super::least_width;
use crate::page::app::App;
use crate::page::chart_data::{self, Canvases, Heatmap, Hidden, Inputs, Loss, Output, View, Weights};
use crate::page::hit::{HitArea, HoverSource};
use crate::page::run::Run;
use crate::page::text::t;
use crate::web::canvas::Surface;
use crate::web::charts::heatmap::{self, Area};
use crate::web::charts::{DrawError, bars, lines, loss, prediction, target};
use crate::web::dom;

fn surface(id: &str) -> Result<Surface, DrawError> {
    let canvas: web_sys::HtmlCanvasElement = dom::by_id(id).map_err(DrawError)?;
    Surface::prepare(&canvas).map_err(DrawError)
}

/// One run drawn with the page's view settings into a set of canvases.
struct Drawing<'a> {
    run: &'a Run,
    view: View,
    canvases: &'a Canvases,
}

impl<'a> Drawing<'a> {
    /// The page's run, in its view, into the page's canvases.
    fn main(app: &'a App) -> Self {
        Drawing { run: app.run(), view: app.view(), canvases: &Canvases::MAIN }
    }
}

type Panel = fn(&Drawing, &mut Vec<HitArea>) -> Result<(), DrawError>;

/// Every panel, by name, in the order they are drawn.
const PANELS: [(&str, Panel); 7] = [
    ("inputs", draw_inputs),
    ("hidden", draw_hidden),
    ("output", draw_output),
    ("loss", draw_loss),
    ("weights", draw_weights),
    ("gradients", draw_gradients),
    ("output weights", draw_output_weights),
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
    let drawing = Drawing::main(app);
    let draw = |(_, draw): &(&str, Panel)| draw(&drawing, &mut hits);
    let result = PANELS.get(index).map_or(Ok(()), draw);
    app.add_hit_areas(hits);
    result
}

/// Draws every panel, telling `took` how many milliseconds each one took (for the benchmark).
pub fn draw_all_timed(app: &mut App, took: impl FnMut(&'static str, f64)) -> Result<(), DrawError> {
    let (hits, result) = draw_run(&Drawing::main(app), took);
    app.set_hit_areas(hits);
    result
}

/// Draws every panel of a run into its canvases, telling `took` how many milliseconds each one
/// took: the hover areas drawn, and whether every panel was.
fn draw_run(drawing: &Drawing, mut took: impl FnMut(&'static str, f64)) -> (Vec<HitArea>, Result<(), DrawError>) {
    let mut hits = Vec::new();
    let mut result = Ok(());
    for (name, draw) in PANELS {
        let start = dom::now_ms();
        // One panel failing still leaves the others drawn and their hover areas current.
        if let Err(e) = draw(drawing, &mut hits) {
            result = result.and(Err(e));
        }
        took(name, dom::now_ms() - start);
    }
    (hits, result)
}

fn draw_inputs(&Drawing { run, view, canvases: c, .. }: &Drawing, hits: &mut Vec<HitArea>) -> Result<(), DrawError> {
    let s = surface(c.x)?;
    let x = run.session().x();
    let grid = match chart_data::inputs(run, &view, &x) {
        Inputs::Lines(lines) => lines::draw(&s, &lines)?,
        Inputs::Map(map) => {
            let (w, h) = (s.width / s.dpr, s.height / s.dpr);
            heatmap::draw(&s, Area { x: 4.0, y: 4.0, w: w - 8.0, h: h - 8.0 }, &map)?
        }
    };
    hits.push(HitArea { canvas: c.x, grid, source: HoverSource::X });
    Ok(())
}

fn draw_hidden(&Drawing { run, canvases: c, .. }: &Drawing, hits: &mut Vec<HitArea>) -> Result<(), DrawError> {
    let s = surface(c.hidden)?;
    let Hidden { now, history, cell_states, gates } = chart_data::hidden(run);
    let (w, ht) = (s.width / s.dpr, s.height / s.dpr);
    let gates_map = gates.as_ref().map(chart_data::Gates::map);
    // A gated cell's maps take the room of h_k's column (h_k is the lit column).
    let now_w = if gates_map.is_some() { -6.0 } else { 64.0 };
    let right = Area { x: now_w + 10.0, y: 4.0, w: w - now_w - 14.0, h: ht - 8.0 };
    // A gated cell: h (over c, for the LSTM) on the left, the gates on the right, one cell size.
    let (states_area, gates_area) = match &gates_map {
        Some(_) => {
            let half = right.w / 2.0;
            (Area { w: half - 6.0, ..right }, Some(Area { x: right.x + half + 6.0, w: half - 6.0, ..right }))
        }
        None => (right, None),
    };
    // Maps stacked keep a gap, so that the upper one's legend never meets the lower one's title.
    let (stacked, gap) = if cell_states.is_some() { (2.0, 10.0) } else { (1.0, 0.0) };
    let state_h = (states_area.h - gap) / stacked;
    let (fw, fh) = heatmap::frame_size(s.ui);
    let fit =
        |area: &Area, (rows, cols): (usize, usize)| ((area.w - fw) / cols as f64).min((area.h - fh) / rows as f64);
    let mut cell = fit(&Area { h: state_h, ..states_area }, history.shape);
    if let (Some(map), Some(area)) = (&gates_map, &gates_area) {
        cell = cell.min(fit(area, map.shape));
    }
    let cell = Some(cell.max(0.5));
    let history = Heatmap { max_cell: cell, ..history };
    let grid_hist = heatmap::draw(&s, Area { h: state_h, ..states_area }, &history)?;
    hits.push(HitArea { canvas: c.hidden, grid: grid_hist, source: HoverSource::HiddenHistory });
    if let Some(map) = cell_states {
        let area = Area { y: states_area.y + state_h + gap, h: state_h, ..states_area };
        let grid = heatmap::draw(&s, area, &Heatmap { max_cell: cell, ..map })?;
        hits.push(HitArea { canvas: c.hidden, grid, source: HoverSource::CellStates });
    }
    if let (Some(map), Some(area)) = (gates_map, gates_area) {
        let grid = heatmap::draw(&s, area, &Heatmap { max_cell: cell, ..map })?;
        hits.push(HitArea { canvas: c.hidden, grid, source: HoverSource::Gates });
    }
    if now_w < 0.0 {
        return Ok(());
    }
    // h_k's cells as large as the history's.
    let now = Heatmap { max_cell: Some(grid_hist.h / now.shape.0 as f64), ..now };
    let grid_now = heatmap::draw(&s, Area { x: 4.0, y: 4.0, w: now_w, h: state_h }, &now)?;
    hits.push(HitArea { canvas: c.hidden, grid: grid_now, source: HoverSource::HiddenNow });
    Ok(())
}

fn draw_output(&Drawing { run, canvases: c, .. }: &Drawing, hits: &mut Vec<HitArea>) -> Result<(), DrawError> {
    let s = surface(c.output)?;
    dom::set_text(c.task_score, &chart_data::success_note(run).unwrap_or_default());
    let (grid, source) = match chart_data::output(run) {
        Output::Target(data) => (target::draw(&s, &data)?, HoverSource::Output),
        Output::Sequence(data) => (prediction::draw_sequence(&s, &data)?, HoverSource::Sequence),
        // The answers are not hoverable.
        Output::Answers(data) => return prediction::draw_answers(&s, &data),
    };
    hits.push(HitArea { canvas: c.output, grid, source });
    Ok(())
}

fn draw_loss(&Drawing { run, canvases: c, .. }: &Drawing, hits: &mut Vec<HitArea>) -> Result<(), DrawError> {
    let s = surface(c.loss)?;
    let Loss { curve, seed_caption } = chart_data::loss(run);
    if let Ok(caption) = dom::by_id::<web_sys::Element>(c.loss_caption) {
        dom::set_text(c.loss_caption, t().seed_loss_caption);
        dom::set_hidden(&caption, !seed_caption);
    }
    if let Some(drawn) = loss::draw(&s, &curve)? {
        // Marker labels first: hovering one tells its whole text.
        for m in drawn.markers {
            let source = HoverSource::Markers(m.first, m.count);
            hits.push(HitArea { canvas: c.loss, grid: m.area, source });
        }
        hits.push(HitArea { canvas: c.loss, grid: drawn.grid, source: HoverSource::Loss });
    }
    draw_twin(run, c, hits)
}

/// The twin run's distance per epoch under the loss curve (log scale), and the verdict once
/// the distance shows the run chaotic; all hidden while the twin run is off.
fn draw_twin(run: &Run, c: &Canvases, hits: &mut Vec<HitArea>) -> Result<(), DrawError> {
    let twin = chart_data::twin(run);
    for id in [c.twin_caption, c.twin] {
        if let Ok(el) = dom::by_id::<web_sys::Element>(id) {
            dom::set_hidden(&el, twin.is_none());
        }
    }
    let verdict = twin.as_ref().and_then(|twin| twin.verdict.as_deref());
    if let Ok(el) = dom::by_id::<web_sys::Element>(c.twin_verdict) {
        dom::set_text(c.twin_verdict, verdict.unwrap_or_default());
        dom::set_hidden(&el, verdict.is_none());
    }
    let Some(twin) = twin else { return Ok(()) };
    if let Some(drawn) = loss::draw(&surface(c.twin)?, &twin.curve)? {
        hits.push(HitArea { canvas: c.twin, grid: drawn.grid, source: HoverSource::Twin });
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

/// Wx, Wh and b and, beside or under them, the change the last update made to each: the cell's
/// own parameters of the list, in its order.
fn draw_weights(&Drawing { run, canvases: c, .. }: &Drawing, hits: &mut Vec<HitArea>) -> Result<(), DrawError> {
    let s = surface(c.weights)?;
    let (w, h) = (s.width / s.dpr, s.height / s.dpr);
    let Weights { weights, changes } = chart_data::weights(run);
    let hd = weights.iter().map(|m| m.map.shape.0).max().unwrap_or(0);
    let shapes: Vec<_> = weights.iter().map(|m| (m.map.shape.1, least_width(m.spec))).collect();
    // One cell size for all six maps, so a weight of Wx and one of Wh look alike. Weights
    // and changes go side by side when the panel is wide, one above the other when not.
    let WeightsLayout { side_by_side, row_h, cell, widths } = weights_layout((w, h), &shapes, hd, s.ui);
    let group_w = widths.iter().sum::<f64>() + 16.0;
    for (row, maps) in [weights, changes].into_iter().enumerate() {
        let (top, mut x) = if side_by_side { (0.0, row as f64 * group_w) } else { (row as f64 * row_h, 0.0) };
        for (m, width) in maps.into_iter().zip(&widths) {
            let map = Heatmap { max_cell: Some(cell), ..m.map };
            let grid = heatmap::draw(&s, Area { x, y: top + 2.0, w: *width, h: row_h - 4.0 }, &map)?;
            hits.push(HitArea { canvas: c.weights, grid, source: m.source });
            x += width;
        }
    }
    Ok(())
}

fn draw_gradients(&Drawing { run, view, canvases: c, .. }: &Drawing, hits: &mut Vec<HitArea>) -> Result<(), DrawError> {
    let s = surface(c.gradients)?;
    let grid = bars::draw(&s, &chart_data::gradients(run, &view))?;
    hits.push(HitArea { canvas: c.gradients, grid, source: HoverSource::Gradient });
    Ok(())
}

/// Wy (O×H) and by (O) under the weights, for the tasks that have them, side by side.
fn draw_output_weights(&Drawing { run, canvases: c, .. }: &Drawing, hits: &mut Vec<HitArea>) -> Result<(), DrawError> {
    let Some(maps) = chart_data::output_weights(run) else { return Ok(()) };
    let s = surface(c.output_weights)?;
    let (w, h) = (s.width / s.dpr, s.height / s.dpr);
    let o = maps.iter().map(|m| m.map.shape.0).max().unwrap_or(0);
    let cols: usize = maps.iter().map(|m| m.map.shape.1).sum();
    let cell = ((h - 34.0) / o as f64).min((w - 120.0) / cols as f64).clamp(0.5, 18.0);
    let mut x = 0.0;
    for m in maps {
        let width = (cell * m.map.shape.1 as f64 + 28.0).max(least_width(m.spec));
        let map = Heatmap { max_cell: Some(cell), ..m.map };
        let grid = heatmap::draw(&s, Area { x, y: 2.0, w: width, h: h - 4.0 }, &map)?;
        hits.push(HitArea { canvas: c.output_weights, grid, source: m.source });
        x += width;
    }
    Ok(())
}
