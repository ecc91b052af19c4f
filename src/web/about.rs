//! The ⓘ of each panel: a short explanation beside it, in the language in use; one open at a time, closed by Escape or a second press.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlElement, KeyboardEvent, MouseEvent, ScrollIntoViewOptions, ScrollLogicalPosition};

use super::dom::{self, by_id, listen};
use crate::model::{Activation, CellKind, LossAt};
use crate::page::app::App;
use crate::page::text::t;

/// The panels with an ⓘ (and the data selector of the next-value task), by the end of their ids: the button `btn-about-…` opens `about-…`.
const PANELS: [&str; 8] = ["x", "hidden", "output", "loss", "weights", "grad", "eq", "series"];

thread_local! {
    /// The panel whose explanation is open, if any.
    static OPEN: Cell<Option<&'static str>> = const { Cell::new(None) };
}

/// The explanation of `panel` for the run now: the output panel has one for the blog's task
/// (h_T against y) and one for the tasks with an output layer.
fn text_of(panel: &str, app: &App) -> &'static str {
    let (w, c) = (t(), app.run().config());
    match panel {
        "x" => w.about_x_text,
        "hidden" => match (c.cell(), c.activation()) {
            (CellKind::Lstm, _) => w.about_hidden_lstm_text,
            (CellKind::Gru, _) => w.about_hidden_gru_text,
            (CellKind::Rnn, Activation::Tanh) => w.about_hidden_text,
            (CellKind::Rnn, _) => w.about_hidden_free_text,
        },
        "output"
            if c.loss_at() == LossAt::LastHidden && c.cell() == CellKind::Rnn && c.activation() != Activation::Tanh =>
        {
            w.about_output_free_text
        }
        "output" if c.loss_at() == LossAt::LastHidden => w.about_output_text,
        "output" => w.about_output_task_text,
        "loss" => w.about_loss_text,
        "weights" if c.cell() != CellKind::Rnn => w.about_weights_gated_text,
        "weights" => w.about_weights_text,
        "grad" if c.cell() == CellKind::Lstm => w.about_grad_lstm_text,
        "grad" => w.about_grad_text,
        "series" => w.about_series_text,
        _ => w.about_eq_text,
    }
}

/// Shows or hides `panel`'s explanation and says so on its button.
fn set_open(panel: &'static str, open: bool) {
    if let (Ok(button), Ok(text)) =
        (by_id::<Element>(&format!("btn-about-{panel}")), by_id::<Element>(&format!("about-{panel}")))
    {
        dom::set_attr(&button, "aria-expanded", if open { "true" } else { "false" });
        dom::set_hidden(&text, !open);
    }
    OPEN.with(|o| o.set(if open { Some(panel) } else { o.get().filter(|p| *p != panel) }));
}

/// Writes `panel`'s explanation for the run now, when it changed, and places it again.
fn show_text(panel: &str, app: &App) {
    let Ok(el) = by_id::<HtmlElement>(&format!("about-{panel}")) else {
        return;
    };
    let text = text_of(panel, app);
    if el.text_content().as_deref() != Some(text) {
        el.set_text_content(Some(text));
        place(&el);
    }
}

/// Puts an explanation just under its panel's caption, which wraps to two lines in a narrow
/// panel, and lets it reach no lower than the screen's bottom edge: a longer text scrolls
/// inside it (at 1280×720 the lower panels leave it about 240 px). On a phone CSS puts it in
/// the flow of its panel instead, and it keeps its full height.
fn place(el: &HtmlElement) {
    let style = el.style();
    if let Some(caption) = el.previous_element_sibling().and_then(|c| c.dyn_into::<HtmlElement>().ok()) {
        let top = caption.offset_top() + caption.offset_height() + 3;
        let _ = style.set_property("top", &format!("{top}px"));
    }
    let in_flow = dom::window()
        .get_computed_style(el)
        .ok()
        .flatten()
        .and_then(|s| s.get_property_value("position").ok())
        .is_none_or(|p| p == "static");
    if in_flow {
        let _ = style.remove_property("max-height");
        return;
    }
    let screen = dom::window().inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(0.0);
    let room = screen - el.get_bounding_client_rect().top() - BELOW_IT;
    let _ = style.set_property("max-height", &format!("{}px", room.max(MIN_HEIGHT).floor()));
}

/// The gap an explanation keeps to the screen's bottom edge, in CSS pixels.
const BELOW_IT: f64 = 8.0;
/// The least height an explanation is given, however low its panel: it scrolls inside.
const MIN_HEIGHT: f64 = 120.0;

/// Opens `panel`'s explanation (closing any other) or, when it is open, closes it.
fn toggle(panel: &'static str, app: &App) {
    let was_open = OPEN.with(Cell::get);
    if let Some(other) = was_open {
        set_open(other, false);
    }
    if was_open == Some(panel) {
        return;
    }
    show_text(panel, app);
    set_open(panel, true);
    if let Ok(el) = by_id::<HtmlElement>(&format!("about-{panel}")) {
        place(&el);
        // On a phone the text may reach below the screen: bring it into view (CSS keeps it
        // clear of the step bar with scroll-margin).
        let options = ScrollIntoViewOptions::new();
        options.set_block(ScrollLogicalPosition::Nearest);
        el.scroll_into_view_with_scroll_into_view_options(&options);
        // Scrolled: the room below it changed.
        place(&el);
    }
}

/// The ⓘ buttons, and Escape to close the open explanation (focus stays on, or returns to, its button).
pub fn wire(app: &Rc<RefCell<App>>) -> Result<(), String> {
    for panel in PANELS {
        let button: Element = by_id(&format!("btn-about-{panel}"))?;
        let app = app.clone();
        listen::<MouseEvent>(&button, "click", move |_| {
            let mut app = app.borrow_mut();
            toggle(panel, &app);
            // On a phone the explanation takes room in its panel: the charts redraw at their new size.
            app.request_redraw();
        })?;
    }
    // A new window size moves the panels: the open explanation follows, and keeps on the screen.
    listen::<Event>(&dom::window(), "resize", |_| {
        if let Some(el) = OPEN.with(Cell::get).and_then(|panel| by_id::<HtmlElement>(&format!("about-{panel}")).ok()) {
            place(&el);
        }
    })?;
    let app = app.clone();
    listen::<KeyboardEvent>(&dom::document(), "keydown", move |e| {
        let Some(panel) = OPEN.with(Cell::get).filter(|_| e.key() == "Escape") else {
            return;
        };
        set_open(panel, false);
        app.borrow_mut().request_redraw();
        let focus_is_lost = dom::document().active_element().is_none_or(|el| el.tag_name() == "BODY");
        if let (true, Ok(button)) = (focus_is_lost, by_id::<HtmlElement>(&format!("btn-about-{panel}"))) {
            let _ = button.focus();
        }
    })
}

/// Keeps the open explanation in the language and for the task now in use.
pub fn refresh(app: &App) {
    if let Some(panel) = OPEN.with(Cell::get) {
        show_text(panel, app);
    }
}
