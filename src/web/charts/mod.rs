//! Charts: each draws its plain data (the types of src/page/chart_data/) on a canvas and knows nothing of the model.

pub mod bars;
pub mod colour;
pub mod heatmap;
pub mod lines;
pub mod loss;
pub mod prediction;
pub mod target;

use std::ops::Range;

use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::coord::ranged1d::ValueFormatter;
use plotters::prelude::*;
use plotters::style::RGBColor;
use plotters_canvas::CanvasBackend;

pub use crate::page::hit::Grid;
use crate::web::canvas::Surface;

/// A plotters drawing area over the whole canvas of `s`, in device pixels.
pub fn plot_root(s: &Surface) -> Result<DrawingArea<CanvasBackend, Shift>, DrawError> {
    let backend = CanvasBackend::with_canvas_object(s.canvas.clone()).ok_or("no canvas backend")?;
    Ok(backend.into_drawing_area())
}

/// The one-row grid of a plot's area (one column per x position), in CSS pixels, from the
/// device-pixel range plotters reports.
pub fn plot_grid(pixels: (Range<i32>, Range<i32>), dpr: f64, cols: usize) -> Grid {
    let (xr, yr) = pixels;
    Grid {
        x: xr.start as f64 / dpr,
        y: yr.start as f64 / dpr,
        w: (xr.end - xr.start) as f64 / dpr,
        h: (yr.end - yr.start) as f64 / dpr,
        rows: 1,
        cols,
    }
}

/// The mesh every plot on the page shares: grid lines at the labelled ticks only, muted axes and
/// muted labels of [`AXIS_TEXT`] size. Callers add their own labels and ranges, then draw it.
pub fn page_mesh<'a, 'b, X, Y, DB>(
    chart: &'b mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    s: &Surface,
) -> MeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged + ValueFormatter<X::ValueType>,
    Y: Ranged + ValueFormatter<Y::ValueType>,
    DB: DrawingBackend,
{
    let mut mesh = chart.configure_mesh();
    mesh.bold_line_style(GRID_LINE)
        .light_line_style(GRID_LINE.mix(0.0))
        .axis_style(MUTED)
        .label_style(s.plot_font(AXIS_TEXT).color(&MUTED));
    mesh
}

/// A tick of a log axis: mantissa × 10^exponent, kept as integers so labels are exact
/// ("1e-20", never "9999e-26").
#[derive(Clone, Copy, Debug, PartialEq)]
struct LogTick {
    mantissa: u32,
    exponent: i32,
}

impl LogTick {
    fn value(self) -> f64 {
        self.mantissa as f64 * 10f64.powi(self.exponent)
    }
}

/// Steps between labelled decades, smallest first.
const DECADE_STEPS: [i32; 9] = [1, 2, 3, 5, 10, 20, 50, 100, 200];

/// Tick values for a log axis over [lo, hi], at most `most` of them: a few decades when the
/// range spans several (every 1st, 2nd, 5th, 10th… power of ten), else 1, 2, 5 × 10^k, else
/// every mantissa.
fn log_ticks(lo: f64, hi: f64, most: usize) -> Vec<LogTick> {
    let most = most.max(2);
    let (k0, k1) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
    let inside = |t: &LogTick| (lo..=hi).contains(&t.value());
    let with = |mantissas: &[u32]| -> Vec<LogTick> {
        (k0..=k1)
            .flat_map(|exponent| mantissas.iter().map(move |&mantissa| LogTick { mantissa, exponent }))
            .filter(inside)
            .collect()
    };
    let decades = with(&[1]);
    if decades.len() >= 2 {
        let step = DECADE_STEPS.iter().copied().find(|s| decades.len().div_ceil(*s as usize) <= most).unwrap_or(500);
        let picked: Vec<LogTick> = decades.iter().copied().filter(|t| t.exponent.rem_euclid(step) == 0).collect();
        return if picked.len() >= 2 { picked } else { vec![decades[0], decades[decades.len() - 1]] };
    }
    let standard = with(&[1, 2, 5]);
    let ticks = if standard.len() >= 3 { standard } else { with(&[1, 2, 3, 4, 5, 6, 7, 8, 9]) };
    let every = ticks.len().div_ceil(most);
    ticks.into_iter().step_by(every.max(1)).collect()
}

/// The labels of log ticks: plain ("0.05", "2") when every tick lies in [0.01, 1000),
/// else exponent notation for all of them ("1e-20", "5e-3", "1e0").
fn log_tick_labels(ticks: &[LogTick]) -> Vec<String> {
    let plain = ticks.iter().all(|t| (-2..3).contains(&t.exponent));
    ticks
        .iter()
        .map(|t| {
            if plain {
                let fixed = format!("{:.2}", t.value());
                fixed.trim_end_matches('0').trim_end_matches('.').to_string()
            } else {
                format!("{}e{}", t.mantissa, t.exponent)
            }
        })
        .collect()
}

/// Base size of axis labels, CSS pixels (scaled with the panel).
pub const AXIS_TEXT: f64 = 10.0;
/// Base size of keys and notes.
pub const KEY_TEXT: f64 = 11.0;

/// Labels a log-scale y axis with a few [`log_ticks`], as many as fit the plot's height
/// without touching, and draws their grid lines across x = x0..x1 (plotters' own log axis
/// labels every power of ten, piling up over a wide range).
pub fn log_axis_labels<X: Ranged<ValueType = f64>>(
    s: &Surface,
    chart: &ChartContext<CanvasBackend, Cartesian2d<X, LogCoord<f64>>>,
    x0: f64,
    x1: f64,
    lo: f64,
    hi: f64,
) {
    let line = s.text_px(AXIS_TEXT) * 1.8;
    let (_, top) = chart.backend_coord(&(x0, hi));
    let (_, bottom) = chart.backend_coord(&(x0, lo));
    let most = (((bottom - top) as f64 / line) as usize + 1).min(6);
    let ticks = log_ticks(lo, hi, most);
    let (grid, muted) = (css(GRID_LINE), css(MUTED));
    let mut last_y = f64::MIN;
    for (t, label) in ticks.iter().zip(log_tick_labels(&ticks)) {
        let (xa, y) = chart.backend_coord(&(x0, t.value()));
        let (xb, _) = chart.backend_coord(&(x1, t.value()));
        let (xa, xb, y) = (xa as f64, xb as f64, y as f64);
        s.line((xa, y + 0.5), (xb, y + 0.5), 1.0 / s.dpr, &grid);
        // Never two labels closer than a line, nor one cut at the canvas's edge.
        let half = s.text_px(AXIS_TEXT) * 0.6;
        if (y - last_y).abs() < line * 0.75 || y < half || y + half > s.height {
            continue;
        }
        last_y = y;
        s.label(&label, (xa - s.px(6.0), y), AXIS_TEXT, &muted, ("right", "middle"));
    }
}

/// Labels of the positions 1..=n of an x axis that runs from `x0` to `x1` over the device
/// pixels `xr`, written at `top` as `label` words them: as many as fit without touching (every
/// 1st, 2nd, 5th, 10th… position, and the first), none cut at the canvas's edge.
pub fn index_labels(
    s: &Surface,
    (x0, x1): (f64, f64),
    xr: Range<i32>,
    top: f64,
    n: usize,
    label: &dyn Fn(usize) -> String,
) {
    let per = (xr.end - xr.start) as f64 / (x1 - x0).max(1e-9);
    let at = |i: usize| xr.start as f64 + (i as f64 - x0) * per;
    let gap = s.text_px(AXIS_TEXT) * 0.8;
    let widest = s.text_width(&label(n.max(1)), AXIS_TEXT);
    let step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000]
        .into_iter()
        .find(|k| *k as f64 * per >= widest + gap)
        .unwrap_or(100_000);
    let muted = css(MUTED);
    let mut right_of_last = f64::MIN;
    for i in std::iter::once(1).chain((step..=n).step_by(step)).filter(|i| *i <= n) {
        let text = label(i);
        let w = s.text_width(&text, AXIS_TEXT);
        let left = (at(i) - w / 2.0).clamp(0.0, (s.width - w).max(0.0));
        if left < right_of_last + gap {
            continue;
        }
        right_of_last = left + w;
        s.label(&text, (left, top), AXIS_TEXT, &muted, ("left", "top"));
    }
}

/// `text` broken into lines no wider than `max_w` device pixels at base size `size`: at spaces,
/// and (Japanese has none) before any CJK character but closing punctuation.
pub fn wrap(s: &Surface, text: &str, size: f64, max_w: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for (piece, spaced) in break_pieces(text) {
        let joined = |line: &String| if spaced { format!("{line} {piece}") } else { format!("{line}{piece}") };
        match lines.last_mut() {
            Some(line) if s.text_width(&joined(line), size) <= max_w => *line = joined(line),
            _ => lines.push(piece),
        }
    }
    lines
}

/// The pieces a line may break between, each with whether a space comes before it.
fn break_pieces(text: &str) -> Vec<(String, bool)> {
    let cjk = is_cjk;
    let closing = |c: char| "。、）」』！？：".contains(c);
    let mut pieces: Vec<(String, bool)> = Vec::new();
    let (mut spaced, mut after_cjk) = (false, false);
    for c in text.chars() {
        if c == ' ' {
            spaced = true;
            continue;
        }
        let starts = spaced || ((cjk(c) || after_cjk) && !closing(c));
        match pieces.last_mut() {
            Some((piece, _)) if !starts => piece.push(c),
            last => {
                let space_before = spaced && last.is_some();
                pieces.push((c.to_string(), space_before));
            }
        }
        (spaced, after_cjk) = (false, cjk(c));
    }
    pieces
}

/// Whether `c` is Japanese (or Chinese) script or full-width punctuation: written without
/// spaces between words, and upright in a vertical line.
pub fn is_cjk(c: char) -> bool {
    ('\u{3000}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c)
}

/// One entry of a chart's key: a swatch and what it means.
pub struct KeyItem<'a> {
    pub label: &'a str,
    pub colour: RGBColor,
    pub swatch: Swatch,
}

/// How a key shows what it names: a short line, a dashed one, or a square (bars, dots).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Swatch {
    Line,
    Dashed,
    Square,
}

/// One key item laid out: its left edge (device pixels), its first row and its label's lines.
struct Placed {
    x: f64,
    row: usize,
    lines: Vec<String>,
}

/// Where each key item goes, from `x0`, wrapping before `x0 + max_w` (device pixels): items
/// side by side while they fit, and an item wider than a whole row on lines of its own (a long
/// label is never cut off); and the number of rows.
fn key_places(s: &Surface, items: &[KeyItem], x0: f64, max_w: f64) -> (Vec<Placed>, usize) {
    let swatch = s.text_px(KEY_TEXT) * 1.9;
    let gap = s.text_px(KEY_TEXT) * 1.2;
    let (mut x, mut row, mut places) = (x0, 0, Vec::new());
    for item in items {
        let w = swatch + s.text_width(item.label, KEY_TEXT);
        if x > x0 && x + w > x0 + max_w {
            x = x0;
            row += 1;
        }
        let lines =
            if w > max_w { wrap(s, item.label, KEY_TEXT, max_w - swatch) } else { vec![item.label.to_string()] };
        let taken = lines.len();
        places.push(Placed { x, row, lines });
        if taken > 1 {
            (x, row) = (x0, row + taken);
        } else {
            x += w + gap;
        }
    }
    let rows = match places.last() {
        None => 0,
        Some(_) if x == x0 => row,
        Some(_) => row + 1,
    };
    (places, rows)
}

/// The height in device pixels of a key drawn from `x0`, wrapped before `x0 + max_w` (device
/// pixels): the room a chart leaves above its plot for [`draw_key`].
pub fn key_height(s: &Surface, items: &[KeyItem], x0: f64, max_w: f64) -> f64 {
    key_places(s, items, x0, max_w).1 as f64 * s.text_px(KEY_TEXT) * 1.5
}

/// Draws a key from (x0, top) device pixels, wrapping before `x0 + max_w`.
pub fn draw_key(s: &Surface, items: &[KeyItem], (x0, top): (f64, f64), max_w: f64) {
    let size = s.text_px(KEY_TEXT);
    let muted = css(MUTED);
    let (places, _) = key_places(s, items, x0, max_w);
    for (item, Placed { x, row, lines }) in items.iter().zip(places) {
        let y = top + (row as f64 + 0.5) * size * 1.5;
        let d = size * 0.35;
        let colour = css(item.colour);
        match item.swatch {
            Swatch::Square => {
                s.ctx.set_fill_style_str(&colour);
                s.ctx.fill_rect(x + d / 2.0, y - d, 2.5 * d, 2.0 * d);
            }
            Swatch::Line => s.line((x, y), (x + 4.0 * d, y), 2.0, &colour),
            Swatch::Dashed => {
                s.line((x, y), (x + 1.6 * d, y), 2.0, &colour);
                s.line((x + 2.4 * d, y), (x + 4.0 * d, y), 2.0, &colour);
            }
        }
        for (i, line) in lines.iter().enumerate() {
            s.label(line, (x + size * 1.9, y + i as f64 * size * 1.5), KEY_TEXT, &muted, ("left", "middle"));
        }
    }
}

/// A drawing failed (the canvas went away, plotters could not lay out).
#[derive(Debug)]
pub struct DrawError(pub String);

impl std::fmt::Display for DrawError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "drawing failed: {}", self.0)
    }
}

impl From<wasm_bindgen::JsValue> for DrawError {
    fn from(e: wasm_bindgen::JsValue) -> Self {
        DrawError(format!("{e:?}"))
    }
}

impl From<&str> for DrawError {
    fn from(e: &str) -> Self {
        DrawError(e.to_string())
    }
}

impl<E: std::error::Error + Send + Sync> From<plotters::drawing::DrawingAreaErrorKind<E>> for DrawError {
    fn from(e: plotters::drawing::DrawingAreaErrorKind<E>) -> Self {
        DrawError(e.to_string())
    }
}

/// The page's palette (matches www/style.css).
pub const INK: RGBColor = RGBColor(0x1f, 0x29, 0x37);
pub const MUTED: RGBColor = RGBColor(0x6b, 0x72, 0x80);
pub const GRID_LINE: RGBColor = RGBColor(0xe5, 0xe7, 0xeb);
pub const ACCENT: RGBColor = RGBColor(0xea, 0x58, 0x0c);
pub const TARGET: RGBColor = RGBColor(0x1f, 0x29, 0x37);
pub const BLUE: RGBColor = RGBColor(0x25, 0x63, 0xeb);
/// The LSTM's cell state (its gradient bars).
pub const GREEN: RGBColor = RGBColor(0x05, 0x96, 0x69);
pub const FAINT: RGBColor = RGBColor(0xc4, 0xc9, 0xd4);

/// `rgb(...)` for the canvas API.
pub fn css(c: RGBColor) -> String {
    format!("rgb({},{},{})", c.0, c.1, c.2)
}

pub use crate::page::numbers::compact as fmt_num;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_axis_over_twenty_decades_labels_a_few_in_exponent_notation() {
        let ticks = log_ticks(3e-26, 2.0, 6);
        let labels = log_tick_labels(&ticks);
        assert!(labels.len() <= 6 && labels.len() >= 2, "{labels:?}");
        assert!(labels.iter().all(|l| l.starts_with("1e")), "{labels:?}");
        assert!(labels.contains(&"1e-20".to_string()), "{labels:?}");
    }

    #[test]
    fn a_log_axis_within_a_decade_labels_mantissas_plainly() {
        let labels = log_tick_labels(&log_ticks(0.08, 0.7, 6));
        assert_eq!(labels, ["0.1", "0.2", "0.5"]);
        let labels = log_tick_labels(&log_ticks(2e-6, 9e-6, 3));
        assert!(labels.len() <= 3 && labels.iter().all(|l| l.ends_with("e-6")), "{labels:?}");
    }
}
