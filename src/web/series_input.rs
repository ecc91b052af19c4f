//! The learner's own sequence: the data selector, the drawing pad (mouse, pen or finger) and the box of pasted numbers, wired to the page's state.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, Element, HtmlCanvasElement, HtmlSelectElement, HtmlTextAreaElement};
use web_sys::{MouseEvent, PointerEvent};

use super::dom::{self, by_id, listen};
use crate::model::Task;
use crate::page::app::App;
use crate::page::own_series::{self, Source};
use crate::page::text::{fill, t};

type Shared = Rc<RefCell<App>>;
/// The stroke being drawn, in CSS pixels of the pad, while the pointer is down.
type Stroke = Rc<RefCell<Option<Vec<(f64, f64)>>>>;

/// The pad's stroke colour (the target's dark line) and its zero line's.
const INK: &str = "#111827";
const ZERO: &str = "#cbd5e1";

/// Wires the selector, the pad and the paste box to `app`.
pub fn wire(app: &Shared) -> Result<(), String> {
    let select: HtmlSelectElement = by_id("sel-series")?;
    let (shared, sel) = (app.clone(), select.clone());
    listen::<web_sys::Event>(&select, "change", move |_| {
        if let Some(source) = Source::from_name(&sel.value()) {
            shared.borrow_mut().set_series_source(source);
        }
    })?;
    wire_pad(app)?;
    // Clear and Use, heard by one listener on their common box.
    let group = by_id::<Element>("field-series")?.parent_element().ok_or("#field-series has no parent")?;
    let shared = app.clone();
    listen::<MouseEvent>(&group, "click", move |e| {
        let id = e.target().and_then(|t| t.dyn_into::<Element>().ok()).map(|el| el.id()).unwrap_or_default();
        let mut app = shared.borrow_mut();
        match id.as_str() {
            "btn-series-clear" => app.set_series(None),
            "btn-series-use" => {
                if let Ok(text) = by_id::<HtmlTextAreaElement>("in-series") {
                    app.use_pasted(&text.value());
                }
            }
            _ => {}
        }
    })
}

/// The pad: a stroke is drawn as the pointer moves, and becomes the series when it lifts (one
/// listener for the four pointer events).
fn wire_pad(app: &Shared) -> Result<(), String> {
    let pad: HtmlCanvasElement = by_id("canvas-draw")?;
    let stroke: Stroke = Rc::new(RefCell::new(None));
    for event in ["pointerdown", "pointermove", "pointerup", "pointercancel"] {
        let (stroke, p, app) = (stroke.clone(), pad.clone(), app.clone());
        listen::<PointerEvent>(&pad, event, move |e| on_pointer(&e, &p, &stroke, &app))?;
    }
    Ok(())
}

/// One pointer event on the pad: down starts a stroke (the pointer captured, the pad cleared),
/// move draws it on, up or cancel hands it to the page.
fn on_pointer(e: &PointerEvent, pad: &HtmlCanvasElement, stroke: &Stroke, app: &Shared) {
    let point = (f64::from(e.offset_x()), f64::from(e.offset_y()));
    match e.type_().as_str() {
        "pointerdown" => {
            e.prevent_default();
            let _ = pad.set_pointer_capture(e.pointer_id());
            if let Some(ctx) = prepare(pad) {
                ctx.begin_path();
                ctx.move_to(point.0, point.1);
            }
            *stroke.borrow_mut() = Some(vec![point]);
        }
        "pointermove" => {
            if let (Some(points), Some(ctx)) = (stroke.borrow_mut().as_mut(), context(pad)) {
                points.push(point);
                ctx.line_to(point.0, point.1);
                ctx.stroke();
            }
        }
        _ => {
            // Canvas y grows downward; the series' values grow upward.
            let Some(points) = stroke.borrow_mut().take() else { return };
            let upward: Vec<(f64, f64)> = points.iter().map(|&(x, y)| (x, -y)).collect();
            app.borrow_mut().use_drawing(&upward);
        }
    }
}

/// The pad's 2-D context, scaled to CSS pixels.
fn context(pad: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    pad.get_context("2d").ok().flatten()?.dyn_into::<CanvasRenderingContext2d>().ok()
}

/// Sizes the pad's backing store to its box (× devicePixelRatio), clears it, draws the zero
/// line and readies the pen: the context then draws in CSS pixels.
fn prepare(pad: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    let dpr = dom::window().device_pixel_ratio().max(1.0);
    let (w, h) = (f64::from(pad.client_width().max(1)), f64::from(pad.client_height().max(1)));
    pad.set_width((w * dpr).round() as u32);
    pad.set_height((h * dpr).round() as u32);
    let ctx = context(pad)?;
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, w, h);
    ctx.set_line_width(1.0);
    ctx.set_stroke_style_str(ZERO);
    ctx.begin_path();
    ctx.move_to(0.0, h / 2.0);
    ctx.line_to(w, h / 2.0);
    ctx.stroke();
    ctx.set_line_width(2.5);
    ctx.set_line_cap("round");
    ctx.set_line_join("round");
    ctx.set_stroke_style_str(INK);
    Some(ctx)
}

/// Draws `values` across the pad, −1 at the bottom and +1 at the top (a pasted series on its
/// own range), or only the zero line when there are none.
fn draw_values(pad: &HtmlCanvasElement, values: &[f64]) {
    let Some(ctx) = prepare(pad) else { return };
    let (w, h) = (f64::from(pad.client_width().max(1)), f64::from(pad.client_height().max(1)));
    let lo = values.iter().copied().fold(-1.0, f64::min);
    let hi = values.iter().copied().fold(1.0, f64::max);
    let (x_of, y_of) = (
        |i: usize| 4.0 + (w - 8.0) * i as f64 / (values.len().max(2) - 1) as f64,
        |v: f64| 4.0 + (h - 8.0) * (hi - v) / (hi - lo),
    );
    ctx.begin_path();
    for (i, &v) in values.iter().enumerate() {
        if i == 0 { ctx.move_to(x_of(i), y_of(v)) } else { ctx.line_to(x_of(i), y_of(v)) }
    }
    ctx.stroke();
}

/// Shows the data controls for the next-value task only, the source in use and its status;
/// the pad draws the series, and an empty paste box is filled with it.
pub fn sync(app: &App) {
    let c = app.run().config();
    let next_value = c.task == Task::SineNext;
    let source = app.series_source();
    let show = |id: &str, on: bool| {
        if let Ok(el) = by_id::<Element>(id) {
            dom::set_hidden(&el, !on);
        }
    };
    show("field-series", next_value);
    show("series-draw", next_value && source == Source::Draw);
    show("series-paste", next_value && source == Source::Paste);
    show("series-status", next_value && source != Source::Builtin);
    if let Ok(sel) = by_id::<HtmlSelectElement>("sel-series")
        && sel.value() != source.name()
    {
        sel.set_value(source.name());
    }
    let status = match &c.series {
        Some(series) => fill(t().series_in_use, &[("n", &series.len())]),
        None => t().series_nothing_yet.to_string(),
    };
    dom::set_text("series-status", &status);
    if !next_value {
        return;
    }
    if let (Source::Draw, Ok(pad)) = (source, by_id::<HtmlCanvasElement>("canvas-draw")) {
        draw_values(&pad, c.series.as_ref().map_or(&[], |s| s.values()));
    }
    if let (Some(series), Ok(text)) = (&c.series, by_id::<HtmlTextAreaElement>("in-series"))
        && text.value().trim().is_empty()
    {
        text.set_value(&own_series::as_text(series));
    }
}
