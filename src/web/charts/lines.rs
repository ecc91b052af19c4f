//! The seed's view of the inputs: each feature a line over time, the current timestep marked.

use plotters::prelude::*;

use super::{ACCENT, DrawError, Grid, fmt_num, index_labels, page_mesh, plot_grid, plot_root};
use crate::page::chart_data::FeatureLines;
use crate::page::text::t;
use crate::web::canvas::Surface;

/// Line colours for features (Tableau 10), repeated when there are more features.
const PALETTE: [RGBColor; 10] = [
    RGBColor(0x4e, 0x79, 0xa7),
    RGBColor(0xf2, 0x8e, 0x2b),
    RGBColor(0xe1, 0x57, 0x59),
    RGBColor(0x76, 0xb7, 0xb2),
    RGBColor(0x59, 0xa1, 0x4f),
    RGBColor(0xed, 0xc9, 0x48),
    RGBColor(0xb0, 0x7a, 0xa1),
    RGBColor(0xff, 0x9d, 0xa7),
    RGBColor(0x9c, 0x75, 0x5f),
    RGBColor(0xba, 0xb0, 0xac),
];

/// Draws the lines; returns the plotting area (one column per timestep) for hovering.
pub fn draw(s: &Surface, d: &FeatureLines) -> Result<Grid, DrawError> {
    let root = plot_root(s)?;
    let px = |v: f64| s.upx(v);
    let t_len = if d.x.nrows() > 0 { d.x.ncols() } else { 1 };
    let (lo, hi) = d.x.iter().filter(|v| v.is_finite()).fold((-1.0f64, 1.0f64), |(l, h), &v| (l.min(v), h.max(v)));
    let mut chart = ChartBuilder::on(&root)
        .margin(px(8.0))
        .margin_top(px(8.0) + s.tpx(18.0))
        .x_label_area_size(s.tpx(22.0))
        .y_label_area_size(s.tpx(34.0))
        .build_cartesian_2d(0.5..t_len as f64 + 0.5, lo * 1.05..hi * 1.05)?;
    page_mesh(&mut chart, s).disable_x_mesh().x_labels(0).y_label_formatter(&|y| fmt_num(*y)).draw()?;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    index_labels(s, (0.5, t_len as f64 + 0.5), xr, yr.end as f64 + s.px(4.0), t_len, &|i| format!("t={i}"));
    if let Some(t) = d.current {
        let x = t as f64 + 1.0;
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x - 0.5, lo * 1.05), (x + 0.5, hi * 1.05)],
            ACCENT.mix(0.12).filled(),
        )))?;
    }
    let r = if t_len > 40 { 0 } else { px(2.5) };
    for (k, series) in d.x.row_iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        let pts: Vec<(f64, f64)> = series.iter().enumerate().map(|(t, &v)| (t as f64 + 1.0, v)).collect();
        chart.draw_series(LineSeries::new(pts.iter().copied(), colour.stroke_width(px(1.5))))?;
        if r > 0 {
            chart.draw_series(pts.into_iter().map(|p| Circle::new(p, r, colour.filled())))?;
        }
    }
    s.label(t().lines_title, (s.px(2.0), s.px(4.0)), 12.0, &super::css(super::INK), ("left", "top"));
    root.present()?;
    let grid = plot_grid(chart.plotting_area().get_pixel_range(), s.dpr, t_len);
    Ok(grid)
}
