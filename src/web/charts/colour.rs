//! Colour scales: a diverging blue–white–red scale for signed values, and its legend.

use web_sys::CanvasRenderingContext2d;

use super::{MUTED, css, fmt_num};
use crate::web::canvas::Surface;

/// Stops of the diverging scale from -1 to 1 (blue, white, red; ColorBrewer RdBu).
const STOPS: [(f64, [u8; 3]); 5] = [
    (-1.0, [0x21, 0x66, 0xac]),
    (-0.5, [0x92, 0xc5, 0xde]),
    (0.0, [0xf7, 0xf7, 0xf7]),
    (0.5, [0xf4, 0xa5, 0x82]),
    (1.0, [0xb2, 0x18, 0x2b]),
];

/// The colour of `v` on a scale from `-limit` (blue) through 0 (white) to `limit` (red).
/// NaN is grey.
pub fn diverging(v: f64, limit: f64) -> [u8; 3] {
    if v.is_nan() {
        return [0x9c, 0xa3, 0xaf];
    }
    let s = if limit > 0.0 { (v / limit).clamp(-1.0, 1.0) } else { 0.0 };
    for pair in STOPS.windows(2) {
        let ((a, ca), (b, cb)) = (pair[0], pair[1]);
        if s <= b {
            let f = (s - a) / (b - a);
            return [0, 1, 2].map(|k| (ca[k] as f64 + (cb[k] as f64 - ca[k] as f64) * f).round() as u8);
        }
    }
    STOPS[4].1
}

/// Entries of the lookup table: the scale from -1 to 1 in this many steps.
const LUT_SIZE: usize = 512;

thread_local! {
    static LUT: Vec<[u8; 3]> = (0..LUT_SIZE).map(|k| diverging(k as f64 / (LUT_SIZE - 1) as f64 * 2.0 - 1.0, 1.0)).collect();
}

/// Fills `rgba` (4 bytes per cell, row-major) with the diverging colours of the column-major
/// `rows`×`cols` matrix `values`, columns from `filled` on as 0 (white): one table lookup per
/// cell (heatmaps colour tens of thousands of cells a frame). Plain indexed loops, which stay
/// fast in the page's size-optimised build.
pub fn fill_rgba(values: &[f64], (rows, cols): (usize, usize), filled: usize, limit: f64, rgba: &mut [u8]) {
    let scale = if limit > 0.0 { (LUT_SIZE - 1) as f64 / (2.0 * limit) } else { 0.0 };
    let top = (LUT_SIZE - 1) as f64;
    LUT.with(|lut| {
        for i in 0..rows {
            for j in 0..cols {
                let v = if j < filled { values[i + j * rows] } else { 0.0 };
                let [r, g, b] = if v.is_nan() {
                    [0x9c, 0xa3, 0xaf]
                } else {
                    lut[((v + limit) * scale).round().clamp(0.0, top) as usize]
                };
                let k = 4 * (i * cols + j);
                rgba[k..k + 4].copy_from_slice(&[r, g, b, 0xff]);
            }
        }
    });
}

/// What a legend shows: the diverging scale from −limit to +limit, or its upper half from 0
/// to 1 (a gate: shut to open).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scale {
    Symmetric(f64),
    Unit,
}

/// A horizontal legend at (x, y) device pixels: the scale with its ends (and 0) below it.
/// The bar is one linear gradient through the scale's stops, which interpolates between them
/// exactly as [`diverging`] does (one fill instead of dozens of small ones per frame).
pub fn legend(s: &Surface, x: f64, y: f64, w: f64, scale: Scale) {
    let ctx: &CanvasRenderingContext2d = &s.ctx;
    let h = s.px(6.0) * s.ui;
    let bar = ctx.create_linear_gradient(x, 0.0, x + w, 0.0);
    let (stops, limit) = match scale {
        Scale::Symmetric(limit) => (&STOPS[..], limit),
        Scale::Unit => (&STOPS[2..], 1.0),
    };
    let first = stops[0].0;
    for &(stop, [r, g, b]) in stops {
        let _ = bar.add_color_stop(((stop - first) / (1.0 - first)) as f32, &format!("rgb({r},{g},{b})"));
    }
    ctx.set_fill_style_canvas_gradient(&bar);
    ctx.fill_rect(x, y, w, h);
    ctx.set_fill_style_str(&css(MUTED));
    ctx.set_font(&s.font(10.0));
    ctx.set_text_baseline("top");
    let ty = y + h + s.px(2.0);
    if scale == Scale::Unit {
        ctx.set_text_align("left");
        let _ = ctx.fill_text("0", x, ty);
        ctx.set_text_align("right");
        let _ = ctx.fill_text("1", x + w, ty);
        return;
    }
    let (low, high) = (fmt_num(-limit), fmt_num(limit));
    let (end_w, zero_w, gap) = (s.text_width(&low, 10.0), s.text_width("0", 10.0), s.px(4.0));
    ctx.set_font(&s.font(10.0));
    ctx.set_text_align("center");
    if 2.0 * end_w + gap > w {
        // Too narrow for both ends apart: the scale is symmetric, so one label says it.
        let _ = ctx.fill_text(&format!("±{high}"), x + w / 2.0, ty);
        return;
    }
    // "0" only where it clears both ends' numbers.
    if w / 2.0 - end_w > zero_w / 2.0 + gap {
        let _ = ctx.fill_text("0", x + w / 2.0, ty);
    }
    ctx.set_text_align("left");
    let _ = ctx.fill_text(&low, x, ty);
    ctx.set_text_align("right");
    let _ = ctx.fill_text(&high, x + w, ty);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_is_white_and_the_ends_are_blue_and_red() {
        assert_eq!(diverging(0.0, 1.0), [0xf7, 0xf7, 0xf7]);
        assert_eq!(diverging(-5.0, 1.0), [0x21, 0x66, 0xac]);
        assert_eq!(diverging(2.0, 2.0), [0xb2, 0x18, 0x2b]);
    }
}
