//! The loss curve: one point per epoch on a log scale, markers where a setting changed, the previous run faint.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

use super::{ACCENT, DrawError, FAINT, Grid, INK, MUTED, log_axis_labels, page_mesh, plot_grid, plot_root};
use crate::web::canvas::Surface;

/// What to draw.
pub struct LossCurve<'a> {
    /// Loss of each epoch, oldest first.
    pub losses: &'a [f64],
    /// The run before the last Reset, drawn faintly for comparison.
    pub previous: &'a [f64],
    /// (epoch index, label) where a setting changed, e.g. (40, "H 10→16").
    pub markers: &'a [(usize, String)],
}

/// At most about this many points per curve: longer histories are thinned to each bucket's
/// minimum and maximum, which keeps the curve's envelope.
const MAX_POINTS: usize = 1200;

fn thinned(values: &[f64]) -> Vec<(f64, f64)> {
    let ok = |v: &f64| v.is_finite() && *v > 0.0;
    if values.len() <= MAX_POINTS {
        return values.iter().enumerate().filter(|(_, v)| ok(v)).map(|(i, &v)| (i as f64 + 1.0, v)).collect();
    }
    let bucket = values.len().div_ceil(MAX_POINTS / 2);
    let mut out = Vec::with_capacity(MAX_POINTS + 2);
    for (b, chunk) in values.chunks(bucket).enumerate() {
        let base = b * bucket;
        let (mut lo, mut hi) = (None::<(usize, f64)>, None::<(usize, f64)>);
        for (i, &v) in chunk.iter().enumerate().filter(|(_, v)| ok(v)) {
            if lo.is_none_or(|(_, l)| v < l) {
                lo = Some((i, v));
            }
            if hi.is_none_or(|(_, h)| v > h) {
                hi = Some((i, v));
            }
        }
        let mut pair: Vec<(usize, f64)> = lo.into_iter().chain(hi).collect();
        pair.sort_by_key(|p| p.0);
        pair.dedup_by_key(|p| p.0);
        out.extend(pair.into_iter().map(|(i, v)| ((base + i) as f64 + 1.0, v)));
    }
    out
}

/// Draws the curve and returns the plotting area (one column per epoch) for hovering.
pub fn draw(s: &Surface, curve: &LossCurve) -> Result<Option<Grid>, DrawError> {
    let root = plot_root(s)?;
    let px = |v: f64| s.upx(v);
    let font = |size: f64| s.plot_font(size);

    let current = thinned(curve.losses);
    let previous = thinned(curve.previous);
    if current.is_empty() && previous.is_empty() {
        draw_empty_note(s, &root)?;
        return Ok(None);
    }
    let (lo, hi) = loss_range(current.iter().chain(&previous).map(|p| p.1));
    let epochs = curve.losses.len().max(curve.previous.len()).max(10) as f64;

    let mut chart = ChartBuilder::on(&root)
        .margin(px(8.0))
        .margin_top(px(if curve.previous.is_empty() { 8.0 } else { 20.0 }))
        .margin_right(px(14.0))
        .x_label_area_size(px(22.0))
        .y_label_area_size(px(46.0))
        .build_cartesian_2d(1.0..epochs, (lo..hi).log_scale())?;
    page_mesh(&mut chart, s)
        .x_labels(6)
        .y_labels(0)
        .x_label_formatter(&|x| format!("{}", x.round() as i64))
        .y_label_formatter(&|_| String::new())
        .draw()?;
    log_axis_labels(s, &root, &chart, 1.0, epochs, lo, hi)?;
    if !previous.is_empty() {
        chart.draw_series(LineSeries::new(previous, FAINT.stroke_width(px(1.5))))?;
    }
    let line_w = px(2.0);
    if current.len() == 1 {
        chart.draw_series(std::iter::once(Circle::new(current[0], px(3.0), ACCENT.filled())))?;
    } else {
        chart.draw_series(LineSeries::new(current.iter().copied(), ACCENT.stroke_width(line_w)))?;
    }
    for (epoch, label) in curve.markers {
        let x = *epoch as f64 + 1.0;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x, lo), (x, hi)],
            INK.mix(0.35).stroke_width(px(1.0)),
        )))?;
        chart.draw_series(std::iter::once(Text::new(label.clone(), (x, hi), font(10.0).color(&INK))))?;
    }
    if !curve.previous.is_empty() {
        draw_key(s, &root)?;
    }
    root.present()?;

    let grid = plot_grid(chart.plotting_area().get_pixel_range(), s.dpr, epochs as usize);
    Ok(Some(grid))
}

/// Before the first loss: a line saying when it appears.
fn draw_empty_note(s: &Surface, root: &DrawingArea<CanvasBackend, Shift>) -> Result<(), DrawError> {
    root.draw(&Text::new(
        "The loss appears after the first epoch's forward pass.",
        (s.upx(12.0) as i32, (s.height / 2.0) as i32),
        s.plot_font(12.0).color(&MUTED),
    ))?;
    root.present()?;
    Ok(())
}

/// The log-scale y range for these losses, with a margin above and below (a wider one when
/// they span less than a decade).
fn loss_range(losses: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = losses.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if hi / lo < 10.0 { (lo / 1.5, hi * 1.5) } else { (lo / 1.2, hi * 1.2) }
}

/// Which curve is which, above the plot.
fn draw_key(s: &Surface, root: &DrawingArea<CanvasBackend, Shift>) -> Result<(), DrawError> {
    let px = |v: f64| s.upx(v);
    let mut x = px(52.0) as i32;
    let y = px(6.0) as i32;
    for (label, colour) in [("this run", ACCENT), ("before Reset", FAINT)] {
        root.draw(&PathElement::new(vec![(x, y), (x + px(16.0) as i32, y)], colour.stroke_width(px(2.0))))?;
        root.draw(&Text::new(label, (x + px(20.0) as i32, y - px(6.0) as i32), s.plot_font(11.0).color(&MUTED)))?;
        x += px(30.0 + 6.5 * label.len() as f64) as i32;
    }
    Ok(())
}
