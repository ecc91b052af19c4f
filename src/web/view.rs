//! Reads the session into plain chart data, draws every panel, and writes the status, equation and tooltips.

use nalgebra::DMatrix;
use web_sys::HtmlCanvasElement;

use super::app::{App, HitArea, HoverSource, ParamName};
use super::canvas::Surface;
use super::charts::heatmap::{self, Area, Heatmap};
use super::charts::{DrawError, bars, colour::limit_of, fmt_num, lines, loss, target};
use super::dom;
use crate::model::{Phase, Session, Training};

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

/// Hidden states computed so far this epoch: columns h_1..h_k are filled.
fn filled_steps(s: &Session) -> usize {
    match s.phase() {
        Phase::Forward { t } => t,
        _ => s.config().seq_length,
    }
}

fn surface(id: &str) -> Result<Surface, DrawError> {
    let canvas: HtmlCanvasElement = dom::by_id(id).map_err(DrawError)?;
    Surface::prepare(&canvas).map_err(DrawError)
}

type Panel = fn(&App, &mut Vec<HitArea>) -> Result<(), DrawError>;

/// Every panel, by name, in the order they are drawn.
const PANELS: [(&str, Panel); 6] = [
    ("inputs", draw_inputs),
    ("hidden", draw_hidden),
    ("output", draw_output),
    ("loss", draw_loss),
    ("weights", draw_weights),
    ("gradients", draw_gradients),
];

/// Draws every panel and records the hoverable areas.
pub fn draw_all(app: &mut App) -> Result<(), DrawError> {
    draw_all_timed(app, |_, _| {})
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
    let session = app.session();
    let x = session.x();
    let lit = match session.phase() {
        Phase::Forward { t } if t > 0 => Some(t - 1),
        Phase::Backward { t } => Some(t),
        Phase::Loss => Some(x.nrows() - 1),
        _ => None,
    };
    let lit = match app.last_step() {
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
            title: "x: T timesteps × D features",
            row_label: "t",
            col_label: "feature",
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
    let session = app.session();
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
    let grid_hist = heatmap::draw(
        &s,
        Area { x: now_w + 10.0, y: 4.0, w: w - now_w - 14.0, h: ht - 8.0 },
        &Heatmap {
            values: &history,
            limit: 1.0,
            title: "h₁ … h_T: H units × T steps",
            row_label: "unit",
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
            row_label: "unit",
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
    let session = app.session();
    let filled = filled_steps(session);
    let prediction: Vec<f64> = session.hidden_states().column(filled).iter().copied().collect();
    let y: Vec<f64> = session.y().iter().copied().collect();
    let t_len = session.config().seq_length;
    let label = if filled == t_len { "prediction h_T".to_string() } else { format!("h{} (so far)", subscript(filled)) };
    let grid = target::draw(
        &s,
        &target::TargetVsPrediction { target: &y, prediction: &prediction, prediction_label: &label },
    )?;
    hits.push(HitArea { canvas: "canvas-output", grid, source: HoverSource::Output });
    Ok(())
}

fn draw_loss(app: &App, hits: &mut Vec<HitArea>) -> Result<(), DrawError> {
    let s = surface("canvas-loss")?;
    let curve =
        loss::LossCurve { losses: app.session().losses(), previous: app.previous_losses(), markers: app.markers() };
    if let Some(grid) = loss::draw(&s, &curve)? {
        hits.push(HitArea { canvas: "canvas-loss", grid, source: HoverSource::Loss });
    }
    Ok(())
}

fn draw_weights(app: &App, hits: &mut Vec<HitArea>) -> Result<(), DrawError> {
    let s = surface("canvas-weights")?;
    let (w, h) = (s.width / s.dpr, s.height / s.dpr);
    let p = app.session().params();
    let c = app.session().last_change();
    let b = DMatrix::from_column_slice(p.b.len(), 1, p.b.as_slice());
    let db = DMatrix::from_column_slice(c.b.len(), 1, c.b.as_slice());
    let weights_limit = limit_of(p.wx.iter().chain(p.wh.iter()).chain(p.b.iter()), 1e-9);
    let change_limit = limit_of(c.wx.iter().chain(c.wh.iter()).chain(c.b.iter()), 1e-12);
    let (hd, d) = p.wx.shape();
    // One cell size for all six maps, so a weight of Wx and one of Wh look alike. Weights
    // and changes go side by side when the panel is wide, one above the other when not.
    let (extra_w, extra_h) = (14.0 + 14.0, 4.0 + 16.0 + 12.0 + 22.0);
    let cols = [d, hd, 1];
    let cell_for = |groups: f64, row_h: f64| {
        ((row_h - extra_h) / hd as f64)
            .min((w - 3.0 * groups * extra_w - 16.0 * (groups - 1.0)) / (groups * (d + hd + 1) as f64))
    };
    let side_by_side = cell_for(2.0, h) > cell_for(1.0, h / 2.0);
    let row_h = if side_by_side { h } else { h / 2.0 };
    let cell = cell_for(if side_by_side { 2.0 } else { 1.0 }, row_h).max(0.5);
    let widths = cols.map(|k| cell * k as f64 + extra_w);
    let widths = [widths[0].max(44.0), widths[1].max(104.0), widths[2].max(34.0)];
    let group_w = widths.iter().sum::<f64>() + 16.0;
    let rows = [
        (0.0, [&p.wx, &p.wh, &b], weights_limit, ["Wx", "Wh", "b"]),
        (row_h, [&c.wx, &c.wh, &db], change_limit, ["ΔWx", "ΔWh", "Δb"]),
    ];
    for (row, (top, values, limit, names)) in rows.into_iter().enumerate() {
        let (top, mut x) = if side_by_side { (0.0, row as f64 * group_w) } else { (top, 0.0) };
        for (k, which) in [ParamName::Wx, ParamName::Wh, ParamName::B].into_iter().enumerate() {
            let grid = heatmap::draw(
                &s,
                Area { x, y: top + 2.0, w: widths[k], h: row_h - 4.0 },
                &Heatmap {
                    values: values[k],
                    limit,
                    title: names[k],
                    row_label: "unit",
                    col_label: match which {
                        ParamName::Wx => "input",
                        ParamName::Wh => "from",
                        ParamName::B => "",
                    },
                    lit_row: None,
                    lit_col: None,
                    filled_cols: None,
                    show_legend: which == ParamName::Wh,
                    max_cell: Some(cell),
                },
            )?;
            let source = if row == 0 { HoverSource::Weight(which) } else { HoverSource::Change(which) };
            hits.push(HitArea { canvas: "canvas-weights", grid, source });
            x += widths[k];
        }
    }
    Ok(())
}

fn draw_gradients(app: &App, hits: &mut Vec<HitArea>) -> Result<(), DrawError> {
    let s = surface("canvas-grad")?;
    let current = match app.last_step() {
        Some(Phase::Backward { t }) => Some(t),
        _ => None,
    };
    let note = match app.session().config().training {
        Training::BlogLoop => "Seed code: the gradient reaches only the last step.",
        Training::Bptt => "Step through the backward pass to see ‖∂L/∂hₜ‖ arrive.",
    };
    let grid =
        bars::draw(&s, &bars::GradientBars { norms: app.session().gradient_norms(), current, empty_note: note })?;
    hits.push(HitArea { canvas: "canvas-grad", grid, source: HoverSource::Gradient });
    Ok(())
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

fn sub(t: usize) -> String {
    format!("<sub>{t}</sub>")
}

/// The equation of the step just run, with its live numbers for one hidden unit.
pub fn equation_html(app: &App) -> String {
    let s = app.session();
    let c = s.config();
    let i = app.followed_unit().min(c.hidden_size - 1);
    let p = s.params();
    let hs = s.hidden_states();
    let n = |v: f64| format!("<span class=num>{}</span>", fmt_num(v));
    let unit = format!("unit {}", i + 1);
    let body = match app.last_step() {
        None => "<p>Press <b>Step</b> (→) to run the first forward step, or <b>Play</b> (Space).</p>".to_string(),
        Some(Phase::Forward { t }) => {
            let x_t = s.x_columns().column(t);
            let h_prev = hs.column(t);
            let wx_x: f64 = p.wx.row(i).iter().zip(x_t.iter()).map(|(a, b)| a * b).sum();
            let wh_h: f64 = p.wh.row(i).iter().zip(h_prev.iter()).map(|(a, b)| a * b).sum();
            let a = s.pre_activations()[(i, t)];
            format!(
                "<p class=eq>a{t1} = W<sub>x</sub> x{t1} + W<sub>h</sub> h{t0} + b,&nbsp; h{t1} = tanh(a{t1})</p>\
                 <p>{unit}: a = {} + {} + {} = {}, &nbsp;h = tanh({}) = {}</p>",
                n(wx_x),
                n(wh_h),
                n(p.b[i]),
                n(a),
                n(a),
                n(hs[(i, t + 1)]),
                t1 = sub(t + 1),
                t0 = sub(t),
            )
        }
        Some(Phase::Loss) => {
            let t_len = c.seq_length;
            let (h, y) = (hs[(i, t_len)], s.y()[i]);
            let grad = match c.training {
                Training::BlogLoop => format!(
                    "∂L/∂h<sub>T</sub> = 2 (h<sub>T</sub> − y) (the seed's gradient, not divided by H = {})",
                    c.hidden_size
                ),
                Training::Bptt => format!("∂L/∂h<sub>T</sub> = 2 (h<sub>T</sub> − y) / H, H = {}", c.hidden_size),
            };
            format!(
                "<p class=eq>L = mean((h<sub>T</sub> − y)²) = {}</p><p>{grad}</p><p>{unit}: h<sub>T</sub> = {}, y = {}, ∂L/∂h<sub>T</sub> = {}</p>",
                n(s.loss().unwrap_or(f64::NAN)),
                n(h),
                n(y),
                n(s.dh()[i]),
            )
        }
        Some(Phase::Backward { t }) => {
            let h = hs[(i, t + 1)];
            let da = s.da_at(t)[i];
            format!(
                "<p class=eq>da{t1} = dh{t1} ⊙ (1 − h{t1}²);&nbsp; dW<sub>x</sub> += da{t1} x{t1}ᵀ;&nbsp; dW<sub>h</sub> += da{t1} h{t0}ᵀ;&nbsp; db += da{t1}{next}</p>\
                 <p>{unit}: h = {}, 1 − h² = {}, da = {}</p>",
                n(h),
                n(1.0 - h * h),
                n(da),
                t1 = sub(t + 1),
                t0 = sub(t),
                next = if c.training == Training::Bptt {
                    format!(";&nbsp; dh{} = W<sub>h</sub>ᵀ da{}", sub(t), sub(t + 1))
                } else {
                    String::new()
                },
            )
        }
        Some(Phase::Update) => {
            // What the update did, from the change it recorded (η may have moved since).
            let change = s.last_change().wh[(i, 0)];
            let w = p.wh[(i, 0)];
            format!(
                "<p class=eq>W ← W − η dW for W<sub>x</sub>, W<sub>h</sub>, b</p>\
                 <p>W<sub>h</sub>[{},1]: {} + ({}) = {}, &nbsp;the change being −η dW</p>",
                i + 1,
                n(w - change),
                n(change),
                n(w),
            )
        }
    };
    let why = match (app.last_step(), c.training) {
        (None, _) => "Each press of Step runs one arrow of the epoch: forward t = 1…T → loss → backward → update.",
        (Some(Phase::Forward { .. }), _) => {
            "The cell mixes the new input with what it remembers, and tanh squashes the sum into (−1, 1)."
        }
        (Some(Phase::Loss), Training::BlogLoop) => {
            "The seed compares the last hidden state itself with y (no output layer). A target outside (−1, 1) can never be reached."
        }
        (Some(Phase::Loss), Training::Bptt) => {
            "The exact gradient of the mean squared error starts here and flows back through every step."
        }
        (Some(Phase::Backward { .. }), Training::BlogLoop) => {
            "The seed's backward goes through the last step only (truncated BPTT, k = 1): earlier steps get no gradient."
        }
        (Some(Phase::Backward { .. }), Training::Bptt) => {
            "Each step back multiplies the gradient by Whᵀ and by 1 − h²: watch it shrink (vanish) or grow (explode) in panel 6."
        }
        (Some(Phase::Update), Training::BlogLoop) => {
            "Plain SGD. The seed does not reset h: the next epoch starts from this epoch's last hidden state."
        }
        (Some(Phase::Update), Training::Bptt) => "Plain SGD; the next epoch starts again from h₀ = 0.",
    };
    format!("{body}<p class=why>{why}</p>")
}

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
