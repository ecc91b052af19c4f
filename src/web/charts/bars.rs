//! Bars of the gradient reaching each timestep, ‖∂L/∂h_t‖, on a log scale: vanishing and exploding gradients made visible.

use plotters::prelude::*;

use super::{
    ACCENT, BLUE, DrawError, GREEN, Grid, KEY_TEXT, KeyItem, MUTED, Swatch, css, draw_key, index_labels, key_height,
    log_axis_labels, page_mesh, plot_grid, plot_root, wrap,
};
use crate::page::chart_data::GradientBars;
use crate::page::text::t;
use crate::web::canvas::Surface;

/// Draws the bars and returns the plotting area (one column per timestep) for hovering.
pub fn draw(s: &Surface, d: &GradientBars) -> Result<Grid, DrawError> {
    let root = plot_root(s)?;
    let n = d.norms.len();
    let cell = d.cell.unwrap_or_default();
    let known: Vec<f64> = d.norms.iter().chain(cell).copied().filter(|v| v.is_finite() && *v > 0.0).collect();
    let (lo, hi) = if known.is_empty() {
        (1e-3, 1.0)
    } else {
        let (lo, hi) = known.iter().fold((f64::MAX, f64::MIN), |(l, h), &v| (l.min(v), h.max(v)));
        (lo / 3.0, hi * 2.0)
    };
    let earlier = match (d.sources, d.cell) {
        (Some(_), _) => KeyItem { label: t().key_sources, colour: source_colour(n / 2, n), swatch: Swatch::Square },
        // Beside the cell state's bars, the blue ones need their name.
        (None, Some(_)) => KeyItem { label: t().key_dh, colour: BLUE, swatch: Swatch::Square },
        (None, None) => KeyItem { label: t().key_earlier, colour: BLUE, swatch: Swatch::Square },
    };
    let mut key = vec![KeyItem { label: t().key_current, colour: ACCENT, swatch: Swatch::Square }, earlier];
    if d.cell.is_some() {
        key.push(KeyItem { label: t().key_dc, colour: GREEN, swatch: Swatch::Square });
    }
    let left = s.upx(8.0) + s.tpx(46.0);
    let key_w = s.width - left as f64 - s.px(8.0);
    let key_h = key_height(s, &key, left as f64, key_w);
    let mut chart = ChartBuilder::on(&root)
        .margin(s.upx(8.0))
        .margin_top(s.upx(8.0) + key_h as u32)
        .margin_right(s.upx(12.0))
        .x_label_area_size(s.tpx(22.0))
        .y_label_area_size(s.tpx(46.0))
        .build_cartesian_2d(0.5..n as f64 + 0.5, (lo..hi).log_scale())?;
    page_mesh(&mut chart, s)
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(0)
        .x_label_formatter(&|_| String::new())
        .y_label_formatter(&|_| String::new())
        .draw()?;
    log_axis_labels(s, &chart, 0.5, n as f64 + 0.5, lo, hi);
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    index_labels(s, (0.5, n as f64 + 0.5), xr, yr.end as f64 + s.px(4.0), n, &|i| format!("t={i}"));
    chart.draw_series(bar_rects(d, lo, n))?;
    if let Some(cell) = d.cell {
        chart.draw_series(cell_rects(cell, d.current, lo))?;
    }
    if known.is_empty() {
        draw_note(s, d.empty_note, left as f64);
    } else {
        draw_key(s, &key, (left as f64, s.px(4.0)), key_w);
    }
    root.present()?;
    let grid = plot_grid(chart.plotting_area().get_pixel_range(), s.dpr, n);
    Ok(grid)
}

/// The bars, each one rectangle or (with sources) a stack of bands: the traced source's lit,
/// the others faded while one is traced.
fn bar_rects(d: &GradientBars, lo: f64, n: usize) -> Vec<Rectangle<(f64, f64)>> {
    // Beside the cell state's bars, each bar takes the left half of its step.
    let (left, right) = if d.cell.is_some() { (0.42, 0.0) } else { (0.4, 0.4) };
    let mut rects = Vec::new();
    for (i, &v) in d.norms.iter().enumerate().filter(|(_, v)| v.is_finite() && **v > 0.0) {
        let x = i as f64 + 1.0;
        let parts = d.sources.and_then(|rows| rows.get(i)).filter(|_| Some(i) != d.current);
        match parts {
            Some(parts) => {
                for (s_step, (from, to)) in bands(parts, lo, v) {
                    let colour = match d.traced {
                        Some(traced) if traced == s_step => ACCENT.mix(0.95),
                        Some(_) => source_colour(s_step, n).mix(0.3),
                        None => source_colour(s_step, n).mix(0.9),
                    };
                    rects.push(Rectangle::new([(x - left, from), (x + right, to)], colour.filled()));
                }
            }
            None => {
                let colour = if Some(i) == d.current { ACCENT } else { BLUE };
                rects.push(Rectangle::new([(x - left, lo), (x + right, v)], colour.mix(0.85).filled()));
            }
        }
    }
    rects
}

/// The LSTM's ‖∂L/∂c_t‖ as bars in the right half of each step (the step just run darker).
fn cell_rects(cell: &[f64], current: Option<usize>, lo: f64) -> Vec<Rectangle<(f64, f64)>> {
    let known = cell.iter().enumerate().filter(|(_, v)| v.is_finite() && **v > 0.0);
    known
        .map(|(i, &v)| {
            let x = i as f64 + 1.0;
            let alpha = if Some(i) == current { 1.0 } else { 0.75 };
            Rectangle::new([(x, lo), (x + 0.42, v)], GREEN.mix(alpha).filled())
        })
        .collect()
}

/// A bar from `lo` to `v` (log scale) cut into one band per source step, each band's height
/// (on screen) in proportion to that source's part: (source, (bottom, top)) in data units.
fn bands(parts: &[f64], lo: f64, v: f64) -> Vec<(usize, (f64, f64))> {
    let total: f64 = parts.iter().sum();
    let mut below = 0.0;
    let mut out = Vec::new();
    for (s, &part) in parts.iter().enumerate().filter(|(_, p)| **p > 0.0 && total > 0.0) {
        let above = below + part / total;
        // On a log axis the height from lo to y is ln(y / lo): a share f of it ends at lo (v/lo)^f.
        let at = |f: f64| lo * (v / lo).powf(f);
        out.push((s, (at(below), at(above))));
        below = above;
    }
    out
}

/// The colour of source step `s` of `n`: pale blue for the first step's loss, dark for the last.
fn source_colour(s: usize, n: usize) -> RGBColor {
    let f = if n > 1 { s as f64 / (n - 1) as f64 } else { 1.0 };
    let mix = |pale: u8, dark: u8| (pale as f64 + (dark as f64 - pale as f64) * f).round() as u8;
    RGBColor(mix(0xbf, 0x1e), mix(0xdb, 0x3a), mix(0xfe, 0x8a))
}

/// A note in the plot, wrapped to its width.
fn draw_note(s: &Surface, note: &str, left: f64) {
    let x = left + s.px(8.0);
    let line = s.text_px(KEY_TEXT) * 1.35;
    let muted = css(MUTED);
    for (i, text) in wrap(s, note, KEY_TEXT, s.width - x - s.px(14.0)).into_iter().enumerate() {
        let y = s.px(8.0) + line * (i as f64 + 0.2);
        s.label(&text, (x, y), KEY_TEXT, &muted, ("left", "top"));
    }
}
