//! Canvas set-up: backing store = CSS size × devicePixelRatio, so every chart is crisp.

use std::cell::Cell;

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
    /// How much larger than its base size chart text is drawn: 1 on a laptop, more on a
    /// large panel (projected at 1920×1080), so a class can read it from the back.
    pub ui: f64,
    /// The smallest text drawn so far, in CSS pixels: written on the canvas as `data-text-px`
    /// when the surface is dropped, so that a test can read what it cannot see in the pixels.
    smallest_text: Cell<f64>,
}

/// The font family of every chart label (the page's own, with common Japanese fonts).
pub const FONT_FAMILY: &str = "system-ui, -apple-system, 'Segoe UI', 'Hiragino Sans', 'Hiragino Kaku Gothic ProN', \
     'Noto Sans JP', 'Noto Sans CJK JP', 'Yu Gothic UI', Meiryo, sans-serif";

/// Chart text grows with the panel: 1 up to this many CSS pixels of width (or 1.4 × height)…
const UI_BASE_PX: f64 = 290.0;
/// …and at most this much larger.
const UI_MAX: f64 = 1.6;

/// In Present mode chart text is this much larger at least (10 px ticks become 18 px)…
const PRESENT_MIN: f64 = 1.8;
/// …and at most this much, on a large panel.
const PRESENT_MAX: f64 = 2.6;

/// The text scale of a canvas of `w` × `h` CSS pixels: `present` for Present mode's large type.
pub fn ui_scale(w: f64, h: f64, present: bool) -> f64 {
    let (least, most) = if present { (PRESENT_MIN, PRESENT_MAX) } else { (1.0, UI_MAX) };
    (w.min(1.4 * h) / UI_BASE_PX).clamp(least, most)
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
        // A panel spanning two columns reads like its neighbours: no wider than a quarter of the
        // window counts (the desktop grid has four columns).
        // In Present mode every chart has room of its own: its own width counts.
        let present = dom::document().body().is_some_and(|b| b.class_list().contains("present"));
        let quarter = dom::window().inner_width().ok().and_then(|v| v.as_f64()).map_or(f64::MAX, |vw| vw / 4.0);
        let ui = ui_scale(if present { w } else { w.min(quarter) }, h, present);
        let smallest_text = Cell::new(f64::INFINITY);
        Ok(Surface { canvas: canvas.clone(), ctx, dpr, width: pw as f64, height: ph as f64, ui, smallest_text })
    }

    /// CSS pixels to device pixels.
    pub fn px(&self, css: f64) -> f64 {
        css * self.dpr
    }

    /// CSS pixels to whole device pixels, for plotters' sizes.
    pub fn upx(&self, css: f64) -> u32 {
        (css * self.dpr) as u32
    }

    /// Text-sized CSS pixels (scaled with the text, see [`Surface::ui`]) to whole device pixels:
    /// room kept for labels.
    pub fn tpx(&self, css: f64) -> u32 {
        (css * self.dpr * self.ui) as u32
    }

    /// A plotters font at `css_px` base size (scaled with the panel).
    pub fn plot_font(&self, css_px: f64) -> plotters::style::FontDesc<'static> {
        use plotters::style::{FontFamily, FontStyle};
        // FontFamily::Name directly: plotters' From<&str> lowercases the name first, which
        // brings Unicode's case tables into the wasm.
        plotters::style::FontDesc::new(FontFamily::Name(FONT_FAMILY), self.text_px(css_px), FontStyle::Normal)
    }

    /// A canvas font string at `css_px` base size (scaled with the panel).
    pub fn font(&self, css_px: f64) -> String {
        format!("{}px {FONT_FAMILY}", self.text_px(css_px))
    }

    /// The device-pixel size of text of base size `css_px`, whole pixels (as plotters uses it).
    pub fn text_px(&self, css_px: f64) -> f64 {
        let px = (css_px * self.dpr * self.ui).round();
        self.smallest_text.set(self.smallest_text.get().min(px / self.dpr));
        px
    }

    /// Writes `text` at `at` (device pixels) at base size `size` in `colour` (CSS), anchored by
    /// `(align, baseline)`: ("left" | "center" | "right", "top" | "middle" | "bottom").
    pub fn label(&self, text: &str, at: (f64, f64), size: f64, colour: &str, (align, baseline): (&str, &str)) {
        let ctx = &self.ctx;
        ctx.set_font(&self.font(size));
        ctx.set_fill_style_str(colour);
        ctx.set_text_align(align);
        ctx.set_text_baseline(baseline);
        let _ = ctx.fill_text(text, at.0, at.1);
    }

    /// A straight line between two points (device pixels), `width` CSS pixels wide.
    pub fn line(&self, from: (f64, f64), to: (f64, f64), width: f64, colour: &str) {
        let ctx = &self.ctx;
        ctx.set_stroke_style_str(colour);
        ctx.set_line_width(self.px(width));
        ctx.begin_path();
        ctx.move_to(from.0, from.1);
        ctx.line_to(to.0, to.1);
        ctx.stroke();
    }

    /// The width in device pixels of `text` at base size `css_px`.
    pub fn text_width(&self, text: &str, css_px: f64) -> f64 {
        self.ctx.set_font(&self.font(css_px));
        self.ctx.measure_text(text).map(|m| m.width()).unwrap_or(css_px * self.dpr * text.len() as f64)
    }
}

impl Drop for Surface {
    /// Says on the canvas how small its text was drawn (`data-text-px`, CSS pixels).
    fn drop(&mut self) {
        let smallest = self.smallest_text.get();
        if smallest.is_finite() {
            dom::set_attr(&self.canvas, "data-text-px", &format!("{smallest:.1}"));
        }
    }
}
