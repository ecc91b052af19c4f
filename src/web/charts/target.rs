//! Target vs prediction: y and h_T unit by unit (the seed's second panel), with tanh's reachable band.

use plotters::prelude::*;

use super::{ACCENT, DrawError, Grid, MUTED, TARGET, fmt_num, page_mesh, plot_grid, plot_root};
use crate::web::canvas::Surface;

/// What to draw: both of length H.
pub struct TargetVsPrediction<'a> {
    pub target: &'a [f64],
    /// The latest hidden state (h_T once the forward pass is complete).
    pub prediction: &'a [f64],
    pub prediction_label: &'a str,
}

/// Draws both series and returns the plotting area (one column per unit) for hovering.
pub fn draw(s: &Surface, d: &TargetVsPrediction) -> Result<Grid, DrawError> {
    let root = plot_root(s)?;
    let px = |v: f64| s.upx(v);
    let font = |size: f64| s.plot_font(size);
    let n = d.target.len();
    let finite = d.target.iter().chain(d.prediction).filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((-1.2f64, 1.2f64), |(lo, hi), &v| (lo.min(v - 0.1), hi.max(v + 0.1)));

    let mut chart = ChartBuilder::on(&root)
        .margin(px(8.0))
        .margin_top(px(22.0))
        .margin_right(px(12.0))
        .x_label_area_size(px(22.0))
        .y_label_area_size(px(34.0))
        .build_cartesian_2d(0.5..n as f64 + 0.5, lo..hi)?;
    page_mesh(&mut chart, s)
        .disable_x_mesh()
        .x_labels(n.min(10))
        .y_labels(5)
        .x_label_formatter(&|x| format!("{}", x.round() as i64))
        .y_label_formatter(&|y| fmt_num(*y))
        .draw()?;
    // tanh can only reach (-1, 1): a target outside the band can never be met.
    chart.draw_series(std::iter::once(Rectangle::new(
        [(0.5, -1.0), (n as f64 + 0.5, 1.0)],
        RGBColor(0x25, 0x63, 0xeb).mix(0.06).filled(),
    )))?;
    let pts = |v: &[f64]| {
        v.iter().enumerate().filter(|(_, y)| y.is_finite()).map(|(i, &y)| (i as f64 + 1.0, y)).collect::<Vec<_>>()
    };
    // Markers only while they can be told apart; beyond that the lines say it all.
    let r = if n > 32 { 0 } else { px(3.0) };
    chart.draw_series(LineSeries::new(pts(d.target), TARGET.stroke_width(px(1.5))))?;
    chart.draw_series(pts(d.target).into_iter().map(|p| Circle::new(p, r, TARGET.filled())))?;
    chart
        .draw_series(LineSeries::new(pts(d.prediction), ACCENT.stroke_width(px(1.5))))?
        .label(d.prediction_label)
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], ACCENT.stroke_width(2)));
    chart.draw_series(pts(d.prediction).into_iter().map(|p| Circle::new(p, r, ACCENT.filled())))?;
    // The legend sits above the plot, where it can never hide a point.
    let mut x = px(40.0) as i32;
    let y = px(9.0) as i32;
    for (label, colour) in [("target y", TARGET), (d.prediction_label, ACCENT)] {
        root.draw(&PathElement::new(vec![(x, y), (x + px(16.0) as i32, y)], colour.stroke_width(px(2.0))))?;
        root.draw(&Text::new(label.to_string(), (x + px(20.0) as i32, y - px(6.0) as i32), font(11.0).color(&MUTED)))?;
        x += px(30.0 + 6.5 * label.chars().count() as f64) as i32;
    }
    root.present()?;
    let grid = plot_grid(chart.plotting_area().get_pixel_range(), s.dpr, n);
    Ok(grid)
}
