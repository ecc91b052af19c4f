//! Target vs prediction: y and h_T unit by unit (the seed's second panel), with tanh's reachable band.

use plotters::prelude::*;

use super::{
    ACCENT, DrawError, Grid, KeyItem, Swatch, TARGET, draw_key, fmt_num, index_labels, key_height, page_mesh,
    plot_grid, plot_root,
};
use crate::page::chart_data::TargetVsPrediction;
use crate::page::text::t;
use crate::web::canvas::Surface;

/// Draws both series and returns the plotting area (one column per unit) for hovering.
pub fn draw(s: &Surface, d: &TargetVsPrediction) -> Result<Grid, DrawError> {
    let root = plot_root(s)?;
    let px = |v: f64| s.upx(v);
    let n = d.target.len();
    let finite = d.target.iter().chain(d.prediction).filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((-1.2f64, 1.2f64), |(lo, hi), &v| (lo.min(v - 0.1), hi.max(v + 0.1)));
    let key = [
        KeyItem { label: t().target_y, colour: TARGET, swatch: Swatch::Line },
        KeyItem { label: d.prediction_label, colour: ACCENT, swatch: Swatch::Line },
    ];
    let left = (px(8.0) + s.tpx(34.0)) as f64;
    let key_w = s.width - left - s.px(8.0);
    let key_h = key_height(s, &key, left, key_w);
    let mut chart = ChartBuilder::on(&root)
        .margin(px(8.0))
        .margin_top((s.px(6.0) + key_h) as u32)
        .margin_right(px(12.0))
        .x_label_area_size(s.tpx(22.0))
        .y_label_area_size(s.tpx(34.0))
        .build_cartesian_2d(0.5..n as f64 + 0.5, lo..hi)?;
    page_mesh(&mut chart, s).disable_x_mesh().x_labels(0).y_labels(5).y_label_formatter(&|y| fmt_num(*y)).draw()?;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    index_labels(s, (0.5, n as f64 + 0.5), xr, yr.end as f64 + s.px(4.0), n, &|i| i.to_string());
    // What h can reach (tanh's (-1, 1), ReLU's [0, ∞)): a target outside the band can never be met.
    if let Some((low, high)) = d.reachable {
        chart.draw_series(std::iter::once(Rectangle::new(
            [(0.5, low.max(lo)), (n as f64 + 0.5, high.min(hi))],
            RGBColor(0x25, 0x63, 0xeb).mix(0.06).filled(),
        )))?;
    }
    let pts = |v: &[f64]| {
        v.iter().enumerate().filter(|(_, y)| y.is_finite()).map(|(i, &y)| (i as f64 + 1.0, y)).collect::<Vec<_>>()
    };
    // Markers only while they can be told apart; beyond that the lines say it all.
    let r = if n > 32 { 0 } else { px(3.0) };
    chart.draw_series(LineSeries::new(pts(d.target), TARGET.stroke_width(px(1.5))))?;
    chart.draw_series(pts(d.target).into_iter().map(|p| Circle::new(p, r, TARGET.filled())))?;
    chart.draw_series(LineSeries::new(pts(d.prediction), ACCENT.stroke_width(px(1.5))))?;
    chart.draw_series(pts(d.prediction).into_iter().map(|p| Circle::new(p, r, ACCENT.filled())))?;
    // The key sits above the plot, where it can never hide a point.
    draw_key(s, &key, (left, s.px(3.0)), key_w);
    root.present()?;
    let grid = plot_grid(chart.plotting_area().get_pixel_range(), s.dpr, n);
    Ok(grid)
}
