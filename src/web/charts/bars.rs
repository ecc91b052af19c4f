//! Bars of the gradient reaching each timestep, ‖∂L/∂h_t‖, on a log scale: vanishing and exploding gradients made visible.

use plotters::prelude::*;

use super::{ACCENT, BLUE, DrawError, Grid, MUTED, log_axis_labels, page_mesh, plot_grid, plot_root};
use crate::web::canvas::Surface;

/// What to draw: one value per timestep, NaN where the gradient has not arrived.
pub struct GradientBars<'a> {
    pub norms: &'a [f64],
    /// The timestep the backward pass is at (lit).
    pub current: Option<usize>,
    /// Shown when no bar has a value yet.
    pub empty_note: &'a str,
}

/// Draws the bars and returns the plotting area (one column per timestep) for hovering.
pub fn draw(s: &Surface, d: &GradientBars) -> Result<Grid, DrawError> {
    let root = plot_root(s)?;
    let px = |v: f64| s.upx(v);
    let font = |size: f64| s.plot_font(size);
    let n = d.norms.len();
    let known: Vec<f64> = d.norms.iter().copied().filter(|v| v.is_finite() && *v > 0.0).collect();
    let (lo, hi) = if known.is_empty() {
        (1e-3, 1.0)
    } else {
        let (lo, hi) = known.iter().fold((f64::MAX, f64::MIN), |(l, h), &v| (l.min(v), h.max(v)));
        (lo / 3.0, hi * 2.0)
    };
    let mut chart = ChartBuilder::on(&root)
        .margin(px(8.0))
        .margin_right(px(12.0))
        .x_label_area_size(px(22.0))
        .y_label_area_size(px(46.0))
        .build_cartesian_2d(0.5..n as f64 + 0.5, (lo..hi).log_scale())?;
    page_mesh(&mut chart, s)
        .disable_x_mesh()
        .x_labels(n.min(10))
        .y_labels(0)
        .x_label_formatter(&|x| format!("t={}", x.round() as i64))
        .y_label_formatter(&|_| String::new())
        .draw()?;
    log_axis_labels(s, &root, &chart, 0.5, n as f64 + 0.5, lo, hi)?;
    let half = 0.4;
    chart.draw_series(d.norms.iter().enumerate().filter(|(_, v)| v.is_finite() && **v > 0.0).map(|(i, &v)| {
        let colour = if Some(i) == d.current { ACCENT } else { BLUE };
        let x = i as f64 + 1.0;
        Rectangle::new([(x - half, lo), (x + half, v)], colour.mix(0.85).filled())
    }))?;
    if known.is_empty() {
        root.draw(&Text::new(d.empty_note.to_string(), (px(56.0) as i32, px(14.0) as i32), font(11.0).color(&MUTED)))?;
    }
    root.present()?;
    let grid = plot_grid(chart.plotting_area().get_pixel_range(), s.dpr, n);
    Ok(grid)
}
