//! The loss curve: one point per epoch on a log scale, markers where a setting changed, the previous run faint (also the twin run's distances).

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

use super::{
    ACCENT, AXIS_TEXT, BLUE, DrawError, FAINT, Grid, INK, KEY_TEXT, KeyItem, MUTED, Swatch, css, draw_key, fmt_num,
    index_labels, key_height, log_axis_labels, page_mesh, plot_grid, plot_root, wrap,
};
use crate::page::chart_data::LossCurve;
use crate::page::text::t;
use crate::web::canvas::Surface;

/// Several markers too close to label one by one: "3 changes" (hover for each).
fn merged_label(count: usize) -> String {
    crate::page::text::fill(t().changes, &[("n", &count)])
}

/// A marker label's hover area, CSS pixels: it stands for `count` markers from index `first`.
#[derive(Clone, Copy, Debug)]
pub struct MarkerHit {
    pub first: usize,
    pub count: usize,
    pub area: Grid,
}

/// What was drawn: the plot's grid (one column per epoch) and the marker labels' areas.
pub struct Drawn {
    pub grid: Grid,
    pub markers: Vec<MarkerHit>,
}

/// Marker labels stack in at most this many lanes above the plot; past that they merge.
const MAX_LANES: usize = 3;

/// A marker label as laid out: the markers it stands for, its text, left edge, width (device
/// pixels) and lane.
struct Placed {
    first: usize,
    count: usize,
    text: String,
    x: f64,
    w: f64,
    lane: usize,
}

/// Places marker labels in lanes, each at its marker's x (`x_of`) or left of `right`; a label
/// with no free lane merges into the one before it.
fn place_markers(s: &Surface, markers: &[(usize, String)], x_of: impl Fn(usize) -> f64, right: f64) -> Vec<Placed> {
    let gap = s.text_px(AXIS_TEXT) * 0.6;
    let mut ends = [f64::MIN; MAX_LANES];
    let mut placed: Vec<Placed> = Vec::new();
    for (i, (epoch, text)) in markers.iter().enumerate() {
        let w = s.text_width(text, AXIS_TEXT);
        let x = x_of(*epoch).min(right - w);
        if let Some(lane) = (0..MAX_LANES).find(|l| ends[*l] + gap <= x) {
            ends[lane] = x + w;
            placed.push(Placed { first: i, count: 1, text: text.clone(), x, w, lane });
        } else if let Some(last) = placed.last_mut() {
            last.count += 1;
            last.text = merged_label(last.count);
            last.w = s.text_width(&last.text, AXIS_TEXT);
            last.x = last.x.min(right - last.w);
            ends[last.lane] = last.x + last.w;
        }
    }
    placed
}

/// At most about this many points per curve: longer histories are thinned to each bucket's
/// minimum and maximum, which keeps the curve's envelope.
const MAX_POINTS: usize = 1200;

/// A smooth series (the trend) at most [`MAX_POINTS`] points: every k-th value.
fn thinned_mean(values: &[f64]) -> Vec<(f64, f64)> {
    let every = values.len().div_ceil(MAX_POINTS).max(1);
    let points = values.iter().enumerate().step_by(every).chain(values.iter().enumerate().next_back());
    points.filter(|(_, v)| v.is_finite() && **v > 0.0).map(|(i, &v)| (i as f64 + 1.0, v)).collect()
}

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
        // The minimum and the maximum in the order they came (once, if they are one point).
        if let (Some(lo), Some(hi)) = (lo, hi) {
            let (first, second) = if lo.0 <= hi.0 { (lo, hi) } else { (hi, lo) };
            out.push(((base + first.0) as f64 + 1.0, first.1));
            if second.0 != first.0 {
                out.push(((base + second.0) as f64 + 1.0, second.1));
            }
        }
    }
    out
}

/// Draws the curve and returns the plotting area (one column per epoch) and the marker
/// labels' areas for hovering.
pub fn draw(s: &Surface, curve: &LossCurve) -> Result<Option<Drawn>, DrawError> {
    let root = plot_root(s)?;
    let current = thinned(curve.losses);
    let previous = thinned(curve.previous);
    if current.is_empty() && previous.is_empty() {
        draw_empty_note(s, curve.empty);
        return Ok(None);
    }
    let floor = curve.floor.filter(|f| *f > 0.0 && f.is_finite());
    let baseline = curve.baseline.filter(|b| *b > 0.0 && b.is_finite());
    let (lo, hi) = loss_range(current.iter().chain(&previous).map(|p| p.1).chain(floor).chain(baseline));
    let epochs = curve.losses.len().max(curve.previous.len()).max(10) as f64;
    let key = key_items(curve, floor, baseline);
    let (left, right) = ((s.upx(8.0) + s.tpx(46.0)) as f64, s.width - s.px(14.0));
    let key_h = key_height(s, &key, left, right - left);
    let x_of = |e: usize| left + e as f64 / (epochs - 1.0) * (right - left);
    let placed = place_markers(s, &curve.markers, x_of, right);
    let lanes = placed.iter().map(|p| p.lane + 1).max().unwrap_or(0);
    let line = s.text_px(AXIS_TEXT) * 1.4;
    let band_top = s.px(4.0) + key_h;
    let mut chart = ChartBuilder::on(&root)
        .margin(s.upx(8.0))
        .margin_top((band_top + lanes as f64 * line + s.px(4.0)) as u32)
        .margin_right(s.upx(14.0))
        .x_label_area_size(s.tpx(22.0))
        .y_label_area_size(s.tpx(46.0))
        .build_cartesian_2d(1.0..epochs, (lo..hi).log_scale())?;
    page_mesh(&mut chart, s)
        .x_labels(0)
        .y_labels(0)
        .x_label_formatter(&|_| String::new())
        .y_label_formatter(&|_| String::new())
        .draw()?;
    log_axis_labels(s, &chart, 1.0, epochs, lo, hi);
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    index_labels(s, (1.0, epochs), xr, yr.end as f64 + s.px(4.0), epochs as usize, &|i: usize| {
        (curve.first_epoch + i).to_string()
    });
    draw_curves(s, &mut chart, &current, &previous)?;
    if !curve.trend.is_empty() {
        let trend: Vec<(f64, f64)> = thinned_mean(&curve.trend);
        chart.draw_series(LineSeries::new(trend, INK.stroke_width(s.upx(2.0))))?;
    }
    if let Some(f) = floor {
        draw_level(s, &chart, epochs, f, (t().floor, BLUE));
    }
    if let Some(b) = baseline {
        draw_level(s, &chart, epochs, b, (t().baseline, MUTED));
    }
    let markers = draw_markers(s, &chart, &curve.markers, &placed, (lo, hi, band_top, line));
    draw_key(s, &key, (left, s.px(4.0)), right - left);
    root.present()?;
    let grid = plot_grid(chart.plotting_area().get_pixel_range(), s.dpr, epochs as usize);
    Ok(Some(Drawn { grid, markers }))
}

type LossChart<'a> =
    ChartContext<'a, CanvasBackend, Cartesian2d<plotters::coord::types::RangedCoordf64, LogCoord<f64>>>;

/// This run's curve over the previous run's, faint.
fn draw_curves(
    s: &Surface,
    chart: &mut LossChart,
    current: &[(f64, f64)],
    previous: &[(f64, f64)],
) -> Result<(), DrawError> {
    if !previous.is_empty() {
        chart.draw_series(LineSeries::new(previous.iter().copied(), FAINT.stroke_width(s.upx(1.5))))?;
    }
    if current.len() == 1 {
        chart.draw_series(std::iter::once(Circle::new(current[0], s.upx(3.0), ACCENT.filled())))?;
    } else {
        chart.draw_series(LineSeries::new(current.iter().copied(), ACCENT.stroke_width(s.upx(2.0))))?;
    }
    Ok(())
}

/// A level across the plot (the loss floor, a trivial answer's loss) with its name and value
/// at the right end.
fn draw_level(s: &Surface, chart: &LossChart, epochs: f64, level: f64, (name, colour): (&str, RGBColor)) {
    let (xa, y) = chart.backend_coord(&(1.0, level));
    let (xb, _) = chart.backend_coord(&(epochs, level));
    let (xa, xb, y) = (xa as f64, xb as f64, y as f64);
    let colour = css(colour);
    s.line((xa, y), (xb, y), 1.5, &colour);
    let text = format!("{name} {}", fmt_num(level));
    s.label(&text, (xb - s.px(2.0), y - s.px(2.0)), AXIS_TEXT, &colour, ("right", "bottom"));
}

/// The markers' lines in the plot and their labels in lanes above it; returns the labels'
/// hover areas (CSS pixels).
fn draw_markers(
    s: &Surface,
    chart: &LossChart,
    markers: &[(usize, String)],
    placed: &[Placed],
    (lo, hi, band_top, line): (f64, f64, f64, f64),
) -> Vec<MarkerHit> {
    let faint_ink = "rgba(31,41,55,0.35)";
    for (epoch, _) in markers {
        let x = (*epoch as f64 + 1.0).min(chart.x_range().end);
        let (xp, top) = chart.backend_coord(&(x, hi));
        let (_, bottom) = chart.backend_coord(&(x, lo));
        s.line((xp as f64 + 0.5, top as f64), (xp as f64 + 0.5, bottom as f64), 1.0, faint_ink);
    }
    let ink = css(INK);
    let mut hits = Vec::new();
    for p in placed {
        let y = band_top + p.lane as f64 * line;
        s.label(&p.text, (p.x, y), AXIS_TEXT, &ink, ("left", "top"));
        let area = Grid { x: p.x / s.dpr, y: y / s.dpr, w: p.w / s.dpr, h: line / s.dpr, rows: 1, cols: 1 };
        hits.push(MarkerHit { first: p.first, count: p.count, area });
    }
    hits
}

/// The key above the plot: the previous run and the floor, when there are any.
fn key_items(curve: &LossCurve, floor: Option<f64>, baseline: Option<f64>) -> Vec<KeyItem<'static>> {
    let mut key = Vec::new();
    if !curve.previous.is_empty() {
        key.push(KeyItem { label: t().key_this_run, colour: ACCENT, swatch: Swatch::Line });
        key.push(KeyItem { label: t().key_before_reset, colour: FAINT, swatch: Swatch::Line });
    }
    if floor.is_some() {
        key.push(KeyItem { label: t().key_floor, colour: BLUE, swatch: Swatch::Line });
    }
    if !curve.trend.is_empty() {
        key.push(KeyItem { label: t().key_trend, colour: INK, swatch: Swatch::Line });
    }
    if baseline.is_some() {
        key.push(KeyItem { label: t().key_baseline, colour: MUTED, swatch: Swatch::Line });
    }
    key
}

/// Before the first point: a line saying when it appears, wrapped to the canvas.
fn draw_empty_note(s: &Surface, note: &str) {
    let lines = wrap(s, note, KEY_TEXT + 1.0, s.width - s.px(24.0));
    let step = s.text_px(KEY_TEXT + 1.0) * 1.4;
    let top = s.height / 2.0 - step * lines.len() as f64 / 2.0;
    let muted = css(MUTED);
    for (i, text) in lines.into_iter().enumerate() {
        s.label(&text, (s.px(12.0), top + step * i as f64), KEY_TEXT + 1.0, &muted, ("left", "top"));
    }
}

/// The log-scale y range for these losses, with a margin above and below (a wider one when
/// they span less than a decade).
fn loss_range(losses: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = losses.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if hi / lo < 10.0 { (lo / 1.5, hi * 1.5) } else { (lo / 1.2, hi * 1.2) }
}
