//! Canvas set-up: backing store = CSS size × devicePixelRatio, so every chart is crisp.

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::dom;

/// A canvas ready to draw on, in device pixels.
pub struct Surface {
    pub canvas: HtmlCanvasElement,
    pub ctx: CanvasRenderingContext2d,
    /// Device pixels per CSS pixel.
    pub dpr: f64,
    /// Size in device pixels.
    pub width: f64,
    pub height: f64,
}

impl Surface {
    /// Matches the canvas's backing store to its CSS box and clears it.
    pub fn prepare(canvas: &HtmlCanvasElement) -> Result<Surface, String> {
        let dpr = dom::window().device_pixel_ratio().max(1.0);
        let (w, h) = (canvas.client_width().max(1) as f64, canvas.client_height().max(1) as f64);
        let (pw, ph) = ((w * dpr).round() as u32, (h * dpr).round() as u32);
        if canvas.width() != pw {
            canvas.set_width(pw);
        }
        if canvas.height() != ph {
            canvas.set_height(ph);
        }
        let ctx = canvas
            .get_context("2d")
            .map_err(|e| format!("{e:?}"))?
            .ok_or("no 2d context")?
            .dyn_into::<CanvasRenderingContext2d>()
            .map_err(|_| "not a 2d context")?;
        ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0).map_err(|e| format!("{e:?}"))?;
        ctx.clear_rect(0.0, 0.0, pw as f64, ph as f64);
        Ok(Surface { canvas: canvas.clone(), ctx, dpr, width: pw as f64, height: ph as f64 })
    }

    /// CSS pixels to device pixels.
    pub fn px(&self, css: f64) -> f64 {
        css * self.dpr
    }

    /// CSS pixels to whole device pixels, for plotters' sizes.
    pub fn upx(&self, css: f64) -> u32 {
        (css * self.dpr) as u32
    }

    /// A plotters font at `css_px` size.
    pub fn plot_font(&self, css_px: f64) -> plotters::style::FontDesc<'static> {
        use plotters::style::IntoFont;
        ("sans-serif", css_px * self.dpr).into_font()
    }

    /// A canvas font string at `css_px` size.
    pub fn font(&self, css_px: f64) -> String {
        format!("{}px system-ui, -apple-system, 'Segoe UI', 'Noto Sans JP', sans-serif", (css_px * self.dpr).round())
    }
}
