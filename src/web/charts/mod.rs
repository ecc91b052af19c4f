//! Charts: each draws plain data (slices, matrices) on a canvas and knows nothing of the model.

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
use plotters::drawing::DrawingAreaErrorKind;
use plotters::prelude::*;
use plotters::style::RGBColor;
use plotters_canvas::CanvasBackend;

use crate::web::canvas::Surface;

/// A grid of cells in CSS pixels, returned by a chart so the page can tell which cell the
/// pointer is over.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Grid {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub rows: usize,
    pub cols: usize,
}

impl Grid {
    /// The (row, column) under the point (CSS pixels in the canvas), if any.
    pub fn cell_at(&self, px: f64, py: f64) -> Option<(usize, usize)> {
        if px < self.x || py < self.y || px >= self.x + self.w || py >= self.y + self.h {
            return None;
        }
        let col = ((px - self.x) / self.w * self.cols as f64) as usize;
        let row = ((py - self.y) / self.h * self.rows as f64) as usize;
        Some((row.min(self.rows - 1), col.min(self.cols - 1)))
    }
}

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
/// 10 px muted labels. Callers add their own labels and ranges, then draw it.
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
        .label_style(s.plot_font(10.0).color(&MUTED));
    mesh
}

/// Tick values for a log axis over [lo, hi]: 1, 2, 5 × 10^k, thinned to 1 × 10^k when there
/// would be too many, and filled in with every mantissa when there would be too few.
fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let ticks = |mantissas: &[f64]| -> Vec<f64> {
        let (k0, k1) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
        (k0..=k1)
            .flat_map(|k| mantissas.iter().map(move |m| m * 10f64.powi(k)))
            .filter(|v| (lo..=hi).contains(v))
            .collect()
    };
    let standard = ticks(&[1.0, 2.0, 5.0]);
    if standard.len() > 8 {
        ticks(&[1.0])
    } else if standard.len() < 3 {
        ticks(&[1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0])
    } else {
        standard
    }
}

/// A tick value as written by hand: "0.5", "2", "0.00001", "3e-7".
fn tick_label(v: f64) -> String {
    if v < 1e-5 {
        return format!("{v:e}");
    }
    let fixed = format!("{v:.6}");
    fixed.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Labels a log-scale y axis with [`log_ticks`] and draws their grid lines across
/// x = x0..x1 (plotters' own log axis labels only powers of ten here).
pub fn log_axis_labels<DB: DrawingBackend, X: Ranged<ValueType = f64>>(
    s: &Surface,
    root: &DrawingArea<DB, Shift>,
    chart: &ChartContext<DB, Cartesian2d<X, LogCoord<f64>>>,
    x0: f64,
    x1: f64,
    lo: f64,
    hi: f64,
) -> Result<(), DrawError>
where
    DrawError: From<DrawingAreaErrorKind<DB::ErrorType>>,
{
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    let label_font = s.plot_font(10.0).color(&MUTED).pos(Pos::new(HPos::Right, VPos::Center));
    for v in log_ticks(lo, hi) {
        let (xa, y) = chart.backend_coord(&(x0, v));
        let (xb, _) = chart.backend_coord(&(x1, v));
        root.draw(&PathElement::new(vec![(xa, y), (xb, y)], GRID_LINE.stroke_width(1)))?;
        root.draw(&Text::new(tick_label(v), (xa - s.upx(9.0) as i32, y), label_font.clone()))?;
    }
    Ok(())
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
pub const FAINT: RGBColor = RGBColor(0xc4, 0xc9, 0xd4);

/// `rgb(...)` for the canvas API.
pub fn css(c: RGBColor) -> String {
    format!("rgb({},{},{})", c.0, c.1, c.2)
}

/// A compact number for labels: 3 significant digits, exponent when very small or large.
pub fn fmt_num(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if !v.is_finite() {
        format!("{v}")
    } else if v.abs() >= 1e4 || v.abs() < 1e-3 {
        format!("{v:.2e}")
    } else {
        let digits = (2 - v.abs().log10().floor() as i32).clamp(0, 6) as usize;
        format!("{v:.digits$}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_found_under_the_pointer() {
        let g = Grid { x: 10.0, y: 20.0, w: 100.0, h: 50.0, rows: 5, cols: 10 };
        assert_eq!(g.cell_at(10.0, 20.0), Some((0, 0)));
        assert_eq!(g.cell_at(109.9, 69.9), Some((4, 9)));
        assert_eq!(g.cell_at(9.0, 30.0), None);
    }
}
