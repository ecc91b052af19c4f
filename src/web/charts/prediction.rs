//! Predictions of the tasks with an output layer: a sequence read then run free (dashed), and recent answers against their targets.

use plotters::prelude::*;

use super::{
    ACCENT, BLUE, DrawError, FAINT, Grid, KeyItem, Swatch, TARGET, draw_key, fmt_num, key_height, page_mesh, plot_grid,
    plot_root,
};
use crate::page::chart_data::{Answers, Sequence};
use crate::web::canvas::Surface;

/// The earlier answers' dots: ACCENT at 35 % on white, as a key's swatch.
const EARLIER: RGBColor = RGBColor(248, 197, 170);

/// The key above a chart, measured and wrapped to the panel's width (a long Japanese label
/// takes a second row instead of running off the edge): where it goes, and the chart's top
/// margin that leaves it room, in device pixels.
fn key_place(s: &Surface, items: &[KeyItem]) -> ((f64, f64), f64, u32) {
    let (x0, max_w) = (s.px(40.0), s.width - s.px(48.0));
    ((x0, s.px(2.0)), max_w, (key_height(s, items, x0, max_w) + s.px(6.0)) as u32)
}

/// The value axis: the data's range (at least −1.2…1.2), then the predictions' within half as
/// much again (a learner's series may span thousands, while a run gone wild should not squash
/// the data).
fn value_range(d: &Sequence) -> (f64, f64) {
    let span = |values: &mut dyn Iterator<Item = &f64>, (lo, hi): (f64, f64)| {
        values.filter(|v| v.is_finite()).fold((lo, hi), |(lo, hi), &v| (lo.min(v), hi.max(v)))
    };
    let (lo, hi) = span(&mut d.input.iter().chain(&d.target).chain(&d.after), (-1.2, 1.2));
    let (wide_lo, wide_hi) = (lo - (hi - lo) / 2.0, hi + (hi - lo) / 2.0);
    let (lo, hi) = span(&mut d.prediction.iter(), (lo, hi));
    let pad = (hi - lo) * 0.04;
    ((lo - pad).max(wide_lo), (hi + pad).min(wide_hi))
}

/// Draws the sequence and returns the plot area, one column per step, for hovering.
pub fn draw_sequence(s: &Surface, d: &Sequence) -> Result<Grid, DrawError> {
    let root = plot_root(s)?;
    let px = |v: f64| s.upx(v);
    let (t_len, n) = (d.target.len(), d.prediction.len().max(d.target.len()));
    let (lo, hi) = value_range(d);
    let [input, target, prediction, free_run] = d.labels;
    let item = |label, colour, swatch| KeyItem { label, colour, swatch };
    let key = [
        item(input, BLUE, Swatch::Line),
        item(target, TARGET, Swatch::Line),
        item(prediction, ACCENT, Swatch::Line),
        item(free_run, ACCENT, Swatch::Dashed),
    ];
    let (key_at, key_w, key_margin) = key_place(s, &key);
    let mut chart = ChartBuilder::on(&root)
        .margin(px(8.0))
        .margin_top(key_margin)
        .margin_right(px(12.0))
        .x_label_area_size(s.tpx(22.0))
        .y_label_area_size(s.tpx(34.0))
        .build_cartesian_2d(0.5..n as f64 + 0.5, lo..hi)?;
    page_mesh(&mut chart, s)
        .disable_x_mesh()
        .x_labels(10)
        .y_labels(5)
        .x_label_formatter(&|x| format!("{}", x.round() as i64))
        .y_label_formatter(&|y| fmt_num(*y))
        .draw()?;
    // Where reading ends and the network runs on its own predictions.
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(t_len as f64 + 0.5, lo), (t_len as f64 + 0.5, hi)],
        FAINT.stroke_width(px(1.0)),
    )))?;
    let pts = |v: &[f64], from: usize| {
        v.iter()
            .enumerate()
            .skip(from)
            .filter(|(_, y)| y.is_finite())
            .map(|(i, &y)| (i as f64 + 1.0, y.clamp(lo, hi)))
            .collect::<Vec<_>>()
    };
    chart.draw_series(LineSeries::new(pts(&d.input, 0), BLUE.mix(0.6).stroke_width(px(1.2))))?;
    chart.draw_series(LineSeries::new(pts(&d.target, 0), TARGET.stroke_width(px(1.5))))?;
    // What the learner's series really does next, faintly, from the target's last value on.
    let after = d.target.last().into_iter().chain(&d.after).enumerate();
    let after = after.filter(|(_, y)| y.is_finite()).map(|(i, &y)| ((t_len + i) as f64, y.clamp(lo, hi)));
    chart.draw_series(LineSeries::new(after, TARGET.mix(0.4).stroke_width(px(1.5))))?;
    let read: Vec<_> = pts(&d.prediction, 0).into_iter().filter(|(t, _)| *t <= t_len as f64).collect();
    chart.draw_series(LineSeries::new(read, ACCENT.stroke_width(px(2.0))))?;
    let free: Vec<_> = pts(&d.prediction, t_len.saturating_sub(1));
    chart.draw_series(DashedLineSeries::new(free, px(6.0), px(4.0), ACCENT.stroke_width(px(2.0))))?;
    root.present()?;
    draw_key(s, &key, key_at, key_w);
    Ok(plot_grid(chart.plotting_area().get_pixel_range(), s.dpr, n))
}

/// Draws each answer as a point at (target, prediction): right answers sit on the diagonal.
pub fn draw_answers(s: &Surface, d: &Answers) -> Result<(), DrawError> {
    let root = plot_root(s)?;
    let px = |v: f64| s.upx(v);
    let finite = d.pairs.iter().flat_map(|(a, b)| [*a, *b]).filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (lo, hi) = if lo < hi { (lo.max(-5.0) - 0.1, hi.min(5.0) + 0.1) } else { (-1.0, 1.0) };
    let key = [
        KeyItem { label: d.labels[2], colour: ACCENT, swatch: Swatch::Square },
        KeyItem { label: d.labels[3], colour: EARLIER, swatch: Swatch::Square },
    ];
    let (key_at, key_w, key_margin) = key_place(s, &key);
    let mut chart = ChartBuilder::on(&root)
        .margin(px(8.0))
        .margin_top(key_margin)
        .margin_right(px(12.0))
        .x_label_area_size(s.tpx(28.0))
        .y_label_area_size(s.tpx(46.0))
        .build_cartesian_2d(lo..hi, lo..hi)?;
    page_mesh(&mut chart, s)
        .x_labels(5)
        .y_labels(5)
        .x_desc(d.labels[0])
        .y_desc(d.labels[1])
        .x_label_formatter(&|x| fmt_num(*x))
        .y_label_formatter(&|y| fmt_num(*y))
        .draw()?;
    if let Some(band) = d.band {
        let area = vec![(lo, lo - band), (hi, hi - band), (hi, hi + band), (lo, lo + band)];
        chart.draw_series(std::iter::once(Polygon::new(area, BLUE.mix(0.1).filled())))?;
    }
    chart.draw_series(std::iter::once(PathElement::new(vec![(lo, lo), (hi, hi)], FAINT.stroke_width(px(1.0)))))?;
    let old = d.pairs.len().saturating_sub(d.latest);
    let clamp = |(a, b): (f64, f64)| (a.clamp(lo, hi), b.clamp(lo, hi));
    let dots = d.pairs[..old].iter().filter(|(a, b)| a.is_finite() && b.is_finite());
    chart.draw_series(dots.map(|p| Circle::new(clamp(*p), px(2.0), ACCENT.mix(0.35).filled())))?;
    let latest = d.pairs[old..].iter().filter(|(a, b)| a.is_finite() && b.is_finite());
    chart.draw_series(latest.map(|p| Circle::new(clamp(*p), px(4.0), ACCENT.filled())))?;
    root.present()?;
    draw_key(s, &key, key_at, key_w);
    Ok(())
}
