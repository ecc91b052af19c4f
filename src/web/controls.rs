//! Wires the controls, keyboard, hover and URL hash to the app. Handlers only call App's methods, which mark what to redraw.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement, KeyboardEvent, MouseEvent, PointerEvent};

use super::dom::{self, by_id, listen};
use super::view;
use crate::model::numpy_script::{self, Style};
use crate::model::run_file::RunFile;
use crate::model::{Config, Training};
use crate::page::app::App;
use crate::page::chart_data;
use crate::page::controls::{lr_from_slider, slider_from_lr, value_labels};
use crate::page::hit::HoverSource;
use crate::page::notice::Notice;
use crate::page::text::t;
use crate::page::url_hash;

type Shared = Rc<RefCell<App>>;

fn input(id: &str) -> Result<HtmlInputElement, String> {
    by_id(id)
}

/// `f` when the button `id` is pressed. A plain function, not a closure: one copy of the
/// listener serves every button (each closure type would be a copy in the wasm).
pub(super) fn on_click(app: &Shared, id: &str, f: fn(&mut App)) -> Result<(), String> {
    let button: Element = by_id(id)?;
    let app = app.clone();
    listen::<MouseEvent>(&button, "click", move |_| f(&mut app.borrow_mut()))
}

/// Calls `f` with the slider's value on every movement (for a page setting such as the speed,
/// which is no change to the run).
fn on_slide(app: &Shared, id: &str, f: impl Fn(&mut App, f64) + 'static) -> Result<(), String> {
    let el = input(id)?;
    let app = app.clone();
    let el2 = el.clone();
    listen::<web_sys::Event>(&el, "input", move |_| {
        let v = el2.value_as_number();
        if v.is_finite() {
            f(&mut app.borrow_mut(), v);
        }
    })
}

/// A slider of a setting of the run: one drag is one change. While it moves, only the words
/// beside it follow (`preview` sets the setting in a copy of the settings, whose label is
/// shown); when it is let go (or moved by a key), `commit` changes the run once, from the
/// state before the drag to the value it was let go at, in the run, the log, the link and
/// the markers alike.
/// (Plain functions, not closures: one copy of this code serves every slider.)
pub(super) fn on_setting_slider(
    app: &Shared,
    id: &str,
    commit: fn(&mut App, f64),
    preview: fn(&mut Config, f64),
) -> Result<(), String> {
    let el = input(id)?;
    let label = el.next_element_sibling().map(|o| o.id()).unwrap_or_default();
    let (shared, slider, out) = (app.clone(), el.clone(), label.clone());
    listen::<web_sys::Event>(&el, "input", move |_| {
        let v = slider.value_as_number();
        if v.is_finite() {
            let mut c = shared.borrow().run().config().clone();
            preview(&mut c, v);
            if let Some((_, text)) = value_labels(&c, t()).into_iter().find(|(id, _)| *id == out) {
                dom::set_text(&out, &text);
                DRAGGED.with(|d| *d.borrow_mut() = Some((slider.id(), out.clone(), text)));
            }
        }
    })?;
    let (app, slider) = (app.clone(), el.clone());
    listen::<web_sys::Event>(&el, "change", move |_| {
        DRAGGED.with(|d| d.borrow_mut().take());
        let v = slider.value_as_number();
        if v.is_finite() {
            commit(&mut app.borrow_mut(), v);
        }
    })
}

thread_local! {
    /// The slider being dragged, its label and the words the label shows meanwhile (the value
    /// it would be let go at): the controls and labels written from the run leave them be.
    static DRAGGED: RefCell<Option<(String, String, String)>> = const { RefCell::new(None) };
}

/// What the label `id` shows while its slider is dragged, if it is.
pub(super) fn dragged_label(id: &str) -> Option<String> {
    DRAGGED.with(|d| d.borrow().as_ref().filter(|(_, label, _)| label == id).map(|(_, _, text)| text.clone()))
}

/// Whether the slider `id` is being dragged.
pub(super) fn is_dragged(id: &str) -> bool {
    DRAGGED.with(|d| d.borrow().as_ref().is_some_and(|(slider, _, _)| slider == id))
}

/// Wires every control, the keyboard, hovering and the URL hash to `app`.
pub fn wire(app: &Shared) -> Result<(), String> {
    wire_buttons(app)?;
    wire_sliders(app)?;
    wire_training(app)?;
    wire_seed(app)?;
    wire_open(app)?;
    wire_keys(app)?;
    wire_hover(app)?;
    super::task_controls::wire(app)?;
    wire_hash(app)
}

/// The buttons: play, step, epoch, reset, new data, download, x view, notices and open.
fn wire_buttons(app: &Shared) -> Result<(), String> {
    on_click(app, "btn-play", App::toggle_play)?;
    on_click(app, "btn-step", |a| {
        a.pause();
        a.step();
    })?;
    on_click(app, "btn-epoch", |a| {
        a.pause();
        a.step_epoch();
    })?;
    on_click(app, "btn-reset", App::reset)?;
    on_click(app, "btn-diverge-reset", App::reset)?;
    on_click(app, "btn-newdata", App::new_data)?;
    on_click(app, "btn-copy-link", |a| copy_link(a))?;
    on_click(app, "btn-download", |a| download(a))?;
    on_click(app, "btn-python", download_python)?;
    on_click(app, "btn-xview", App::toggle_x_view)?;
    on_click(app, "btn-code", |a| {
        a.toggle_code();
        if !a.shows_code() {
            expand_code(false);
        }
    })?;
    on_click(app, "btn-code-class", App::toggle_code_style)?;
    on_click(app, "btn-code-expand", |_| {
        expand_code(by_id::<Element>("panel-eq").is_ok_and(|p| !p.class_list().contains("expanded")));
    })?;
    // Escape puts the expanded code back (an open ⓘ closes first).
    listen::<KeyboardEvent>(&dom::document(), "keydown", |e| {
        let about_open = dom::document().query_selector(".about:not([hidden])").ok().flatten().is_some();
        let expanded = by_id::<Element>("panel-eq").is_ok_and(|p| p.class_list().contains("expanded"));
        if e.key() == "Escape" && expanded && !about_open {
            expand_code(false);
            // Only this: Present mode, say, stays on.
            e.stop_immediate_propagation();
        }
    })?;
    on_click(app, "btn-random-seed", |a| match random_seed() {
        Ok(seed) => a.set_seed(seed),
        Err(e) => a.add_notice(Notice::NoRandomSeed { error: e.to_string() }),
    })?;
    on_click(app, "btn-notices-close", App::clear_notices)?;
    on_click(app, "btn-settings", |_| {
        show_settings(by_id::<Element>("controls").is_ok_and(|c| !c.class_list().contains("open")));
    })?;
    wire_steppers()?;
    on_click(app, "btn-open", |_| {
        if let Ok(file) = input("file-open") {
            file.click();
        }
    })
}

/// Lays the code panel over the page (`open`), below the controls so that Step stays at hand,
/// or back in its place.
fn expand_code(open: bool) {
    if let (Ok(panel), Ok(button)) = (by_id::<HtmlElement>("panel-eq"), by_id::<Element>("btn-code-expand")) {
        if open && let Ok(controls) = by_id::<Element>("controls") {
            let top = (controls.get_bounding_client_rect().bottom() + 8.0).max(8.0);
            let _ = panel.style().set_property("--expanded-top", &format!("{top:.0}px"));
        }
        let _ = panel.class_list().toggle_with_force("expanded", open);
        dom::set_attr(&button, "aria-pressed", if open { "true" } else { "false" });
    }
}

/// Opens or folds the controls behind the phone's Settings button (elsewhere they are always
/// open and the button is not shown).
pub(super) fn show_settings(open: bool) {
    if let (Ok(controls), Ok(button)) = (by_id::<Element>("controls"), by_id::<Element>("btn-settings")) {
        let _ = controls.class_list().toggle_with_force("open", open);
        dom::set_attr(&button, "aria-expanded", if open { "true" } else { "false" });
    }
}

/// The − and + beside each size slider (on a touch screen): one unit each press, made as the
/// slider's own change is.
fn wire_steppers() -> Result<(), String> {
    let steppers = dom::document().query_selector_all(".stepper").map_err(|e| format!("{e:?}"))?;
    for i in 0..steppers.length() {
        let Some(button) = steppers.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
        let slider = input(&button.get_attribute("data-for").unwrap_or_default())?;
        let by: f64 = button.get_attribute("data-by").and_then(|b| b.parse().ok()).unwrap_or(0.0);
        listen::<MouseEvent>(&button, "click", move |_| {
            let (v, lo, hi) =
                (slider.value_as_number(), slider.min().parse().unwrap_or(1.0), slider.max().parse().unwrap_or(1.0));
            let next = (v + by).clamp(lo, hi);
            if next != v {
                slider.set_value_as_number(next);
                if let Ok(change) = web_sys::Event::new("change") {
                    let _ = slider.dispatch_event(&change);
                }
            }
        })?;
    }
    Ok(())
}

/// Sizes and the learning rate change once per drag, when let go; the speed follows its
/// slider while it moves.
fn wire_sliders(app: &Shared) -> Result<(), String> {
    on_setting_slider(
        app,
        "in-seq",
        |a, v| {
            let c = a.run().config().clone();
            a.set_sizes(v as usize, c.input_size, c.hidden_size);
        },
        |c, v| c.seq_length = v as usize,
    )?;
    on_setting_slider(
        app,
        "in-input",
        |a, v| {
            let c = a.run().config().clone();
            a.set_sizes(c.seq_length, v as usize, c.hidden_size);
        },
        |c, v| c.input_size = v as usize,
    )?;
    on_setting_slider(
        app,
        "in-hidden",
        |a, v| {
            let c = a.run().config().clone();
            a.set_sizes(c.seq_length, c.input_size, v as usize);
        },
        |c, v| c.hidden_size = v as usize,
    )?;
    on_setting_slider(
        app,
        "in-lr",
        |a, v| a.set_learning_rate(lr_from_slider(v)),
        |c, v| c.learning_rate = lr_from_slider(v),
    )?;
    on_slide(app, "in-speed", |a, v| a.set_speed_index(v as usize))
}

/// The training mode: the seed's code or full BPTT.
fn wire_training(app: &Shared) -> Result<(), String> {
    let select: HtmlSelectElement = by_id("sel-training")?;
    let app = app.clone();
    let sel = select.clone();
    listen::<web_sys::Event>(&select, "change", move |_| {
        let training = if sel.value() == "bptt" { Training::Bptt } else { Training::BlogLoop };
        app.borrow_mut().set_training(training);
    })
}

/// A new seed when the field is changed; anything but a whole number is refused with a notice.
fn wire_seed(app: &Shared) -> Result<(), String> {
    let seed = input("in-seed")?;
    let app = app.clone();
    let el = seed.clone();
    listen::<web_sys::Event>(&seed, "change", move |_| {
        let mut a = app.borrow_mut();
        match el.value().trim().parse::<u64>() {
            Ok(s) => a.set_seed(s),
            Err(_) => a.refuse_seed(&el.value()),
        }
    })
}

/// Space = Play/Pause, → = Step, Shift+→ = Step epoch, R = Reset (not while typing in a field).
fn wire_keys(app: &Shared) -> Result<(), String> {
    // Whether the focus came from a click (a pointer) rather than from Tab.
    let clicked = Rc::new(std::cell::Cell::new(false));
    let on_pointer = clicked.clone();
    listen::<PointerEvent>(&dom::document(), "pointerdown", move |_| on_pointer.set(true))?;
    let app = app.clone();
    listen::<KeyboardEvent>(&dom::document(), "keydown", move |e| {
        if e.key() == "Tab" {
            clicked.set(false);
        }
        if e.ctrl_key() || e.meta_key() || e.alt_key() {
            return;
        }
        let typing = e
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
        // A button reached with the keyboard (Tab) is pressed by Space, as everywhere; after a
        // click, Space still means Play/Pause.
        let on_button =
            e.target().and_then(|t| t.dyn_into::<Element>().ok()).is_some_and(|el| el.tag_name() == "BUTTON");
        let keyboard_button = on_button && !clicked.get();
        let mut a = app.borrow_mut();
        match e.key().as_str() {
            " " if (!typing && !keyboard_button) || is_range(&e) => {
                e.prevent_default();
                a.toggle_play();
            }
            "ArrowRight" if !typing => {
                e.prevent_default();
                a.pause();
                if e.shift_key() { a.step_epoch() } else { a.step() }
            }
            "r" | "R" if !typing => a.reset(),
            _ => {}
        }
    })
}

/// A fresh seed from the browser's cryptographic generator, below 2^53 so that it survives
/// JSON and JavaScript numbers exactly.
fn random_seed() -> Result<u64, getrandom::Error> {
    Ok(getrandom::u64()? & ((1 << 53) - 1))
}

fn is_range(e: &KeyboardEvent) -> bool {
    e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()).is_some_and(|i| i.type_() == "range")
}

fn wire_hover(app: &Shared) -> Result<(), String> {
    let tooltip: HtmlElement = by_id("tooltip")?;
    let canvases = [
        "canvas-x",
        "canvas-hidden",
        "canvas-output",
        "canvas-loss",
        "canvas-weights",
        "canvas-wy",
        "canvas-grad",
        "canvas-twin",
    ];
    for id in canvases {
        let canvas: HtmlElement = by_id(id)?;
        {
            let (app, tooltip) = (app.clone(), tooltip.clone());
            listen::<PointerEvent>(&canvas, "pointermove", move |e| {
                // A finger moving on a chart scrolls the page; a tap shows the value (below).
                if e.pointer_type() != "touch" {
                    show_cell(&mut app.borrow_mut(), &tooltip, id, &e, false);
                }
            })?;
        }
        {
            let (app, tooltip) = (app.clone(), tooltip.clone());
            listen::<PointerEvent>(&canvas, "pointerup", move |e| {
                if e.pointer_type() == "touch" {
                    show_cell(&mut app.borrow_mut(), &tooltip, id, &e, true);
                }
            })?;
        }
        let (app, tooltip) = (app.clone(), tooltip.clone());
        listen::<PointerEvent>(&canvas, "pointerleave", move |e| {
            if e.pointer_type() != "touch" {
                dom::set_hidden(&tooltip, true);
                app.borrow_mut().trace_source(None);
            }
        })?;
    }
    wire_code_hover(app, &tooltip)?;
    // A tapped value stays until the page scrolls.
    listen::<web_sys::Event>(&dom::window(), "scroll", move |_| dom::set_hidden(&tooltip, true))
}

/// The variable (`data-var`) an event in the code listing is on, with its element.
fn variable_at(e: &PointerEvent) -> Option<(Element, String)> {
    let el: Element = e.target()?.dyn_into().ok()?;
    let name = el.get_attribute("data-var")?;
    Some((el, name))
}

/// Hovering (or tapping) a variable in the code listing shows its shape and values, and
/// outlines the panel that draws it.
fn wire_code_hover(app: &Shared, tooltip: &HtmlElement) -> Result<(), String> {
    let listing: HtmlElement = by_id("equation")?;
    for event in ["pointerover", "pointerup"] {
        let (app, tooltip) = (app.clone(), tooltip.clone());
        listen::<PointerEvent>(&listing, event, move |e| {
            let touch = e.pointer_type() == "touch";
            if (event == "pointerup") != touch {
                return;
            }
            let Some((el, name)) = variable_at(&e) else {
                return;
            };
            let text = view::describe_variable(&app.borrow(), &name);
            let rect = el.get_bounding_client_rect();
            show_tooltip(&tooltip, &text, rect.left() as i32, rect.bottom() as i32 - 8, touch);
            link_panel(crate::page::listing::panel_of(&name));
        })?;
    }
    let tooltip = tooltip.clone();
    listen::<PointerEvent>(&listing, "pointerout", move |e| {
        if e.pointer_type() != "touch" && variable_at(&e).is_some() {
            dom::set_hidden(&tooltip, true);
            link_panel(None);
        }
    })
}

/// Outlines panel `id` (the one drawing the hovered variable), and no other.
fn link_panel(id: Option<&str>) {
    if let Ok(list) = dom::document().query_selector_all(".panel.linked") {
        for i in 0..list.length() {
            if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                let _ = el.class_list().remove_1("linked");
            }
        }
    }
    if let Some(el) = id.and_then(|id| dom::document().get_element_by_id(id)) {
        let _ = el.class_list().add_1("linked");
    }
}

/// Shows what the cell under the pointer holds (and follows its hidden unit); `above` puts
/// the tooltip above the point, where a finger does not cover it.
fn show_cell(a: &mut App, tooltip: &HtmlElement, id: &str, e: &MouseEvent, above: bool) {
    let (x, y) = (e.offset_x() as f64, e.offset_y() as f64);
    match a.hovered(id, x, y) {
        Some((source, row, col)) => {
            let traced = matches!(source, HoverSource::Gradient) && a.run().gradient_sources().is_some();
            a.trace_source(traced.then_some(col));
            let found = view::describe(a, source, row, col);
            if let Some(unit) = found.unit {
                a.follow_unit(unit);
            }
            show_tooltip(tooltip, &found.text, e.client_x(), e.client_y(), above);
        }
        None => {
            a.trace_source(None);
            dom::set_hidden(tooltip, true)
        }
    }
}

fn show_tooltip(tooltip: &HtmlElement, text: &str, x: i32, y: i32, above: bool) {
    if text.is_empty() {
        dom::set_hidden(tooltip, true);
        return;
    }
    tooltip.set_text_content(Some(text));
    dom::set_hidden(tooltip, false);
    let width = dom::window().inner_width().ok().and_then(|v| v.as_f64()).unwrap_or(1000.0);
    let left = (x as f64 + 14.0).min(width - tooltip.offset_width() as f64 - 8.0).max(4.0);
    // Above a finger (a fingertip is about 40 px across), else below the pointer.
    let over = y as f64 - tooltip.offset_height() as f64 - 36.0;
    let top = if above && over >= 4.0 {
        over
    } else if above {
        y as f64 + 36.0
    } else {
        y as f64 + 16.0
    };
    let style = tooltip.style();
    let _ = style.set_property("left", &format!("{left}px"));
    let _ = style.set_property("top", &format!("{top}px"));
}

/// The URL hash follows the settings; a hash typed or pasted by hand is applied.
fn wire_hash(app: &Shared) -> Result<(), String> {
    let app = app.clone();
    listen::<web_sys::Event>(&dom::window(), "hashchange", move |e| {
        // The hash this change brought: while playing, a frame may already have written the
        // page's own hash over it (replaceState) before this event is handled.
        let url = js_sys::Reflect::get(&e, &"newURL".into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
        let hash = url.split_once('#').map_or("", |(_, hash)| hash);
        app.borrow_mut().apply_hash(hash);
    })
}

/// Writes the settings into the URL hash (without adding history entries).
pub fn write_hash(app: &App) {
    let hash = url_hash::to_hash(&app.page_settings());
    let location = dom::window().location();
    if location.hash().unwrap_or_default().trim_start_matches('#') != hash
        && let Ok(history) = dom::window().history()
    {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("#{hash}")));
    }
}

/// Sets every control from the state (after a link, an import or a reset).
pub fn sync(app: &App) {
    let c = app.run().config();
    let set = |id: &str, v: f64| {
        if let Ok(el) = input(id)
            && el.value_as_number() != v
            && !is_dragged(id)
        {
            el.set_value_as_number(v);
        }
    };
    set("in-seq", c.seq_length as f64);
    set("in-input", c.input_size as f64);
    set("in-hidden", c.hidden_size as f64);
    set("in-lr", slider_from_lr(c.learning_rate));
    set("in-speed", app.speed_index() as f64);
    if let Ok(seed) = input("in-seed")
        && seed.value() != c.seed.to_string()
        && dom::document().active_element().is_none_or(|el| el.id() != "in-seed")
    {
        seed.set_value(&c.seed.to_string());
    }
    if let Ok(sel) = by_id::<HtmlSelectElement>("sel-training") {
        let v = if c.training == Training::Bptt { "bptt" } else { "seed" };
        if sel.value() != v {
            sel.set_value(v);
        }
    }
    if let Ok(b) = by_id::<Element>("btn-xview") {
        dom::set_attr(&b, "aria-pressed", if app.shows_x_as_lines() { "true" } else { "false" });
    }
    if let Ok(b) = by_id::<Element>("btn-code-expand") {
        dom::set_hidden(&b, !app.shows_code());
    }
    // The class view is the blog's loop's.
    if let Ok(b) = by_id::<Element>("btn-code-class") {
        dom::set_hidden(&b, !app.shows_code() || app.run().config().training != Training::BlogLoop);
        dom::set_attr(&b, "aria-pressed", if app.code_style() == Style::Class { "true" } else { "false" });
    }
    if let Ok(b) = by_id::<Element>("btn-code") {
        dom::set_attr(&b, "aria-pressed", if app.shows_code() { "true" } else { "false" });
    }
    super::task_controls::sync(app);
}

/// Value labels, the Play button's name, the notices and the divergence message.
pub fn sync_labels(app: &App) {
    // The phone's hidden-state panel grows with the rows it shows (CSS keeps each cell at least
    // 8 px tall): H, or a gated cell's gates (the LSTM's f, i, o; the GRU's z, r).
    if let Ok(panel) = by_id::<HtmlElement>("panel-hidden") {
        let c = app.run().config();
        let rows = c.hidden_size * chart_data::gate_blocks(c.cell()).1.len().max(1);
        let _ = panel.style().set_property("--hidden-units", &rows.to_string());
    }
    dom::set_text("out-speed", &app.speed_label());
    dom::set_text("btn-play", if app.is_playing() { t().pause } else { t().play });
    if let Ok(b) = by_id::<Element>("btn-play") {
        dom::set_attr(&b, "aria-pressed", if app.is_playing() { "true" } else { "false" });
    }
    if let Ok(box_) = by_id::<Element>("notices") {
        dom::set_hidden(&box_, app.notices().is_empty());
        let items: String = app.notices().iter().map(|n| format!("<li>{}</li>", dom::escape(&n.text()))).collect();
        dom::set_html("notice-list", &items);
    }
    if let Ok(note) = by_id::<Element>("loss-health") {
        let health = view::health_note(app);
        dom::set_hidden(&note, health.is_none());
        dom::set_text("loss-health", health.as_ref().map_or("", |h| h.text.as_str()));
    }
    if let Ok(alert) = by_id::<Element>("divergence") {
        let d = app.run().session().divergence();
        dom::set_hidden(&alert, d.is_none());
        if let Some(d) = d {
            dom::set_text("divergence-text", &view::divergence_text(d));
        }
    }
}

/// Saves the current run as a run file (the command line replays it to the same numbers).
fn download(app: &App) {
    let json = app.run().run_file().to_json();
    let name = format!("rnn-run-seed{}-epoch{}.json", app.run().config().seed, app.run().epochs_shown());
    if let Err(e) = save_text(&name, &json) {
        web_sys::console::warn_1(&format!("download failed: {e:?}").into());
    }
}

/// Copies the page's link (written afresh from the state) to the clipboard, and says so for a
/// few seconds beside the button; where the browser refuses, says where the link is instead.
fn copy_link(app: &App) {
    write_hash(app);
    let href = dom::window().location().href().unwrap_or_default();
    let said = |text: &'static str| {
        move |_: JsValue| {
            dom::set_text("copy-note", text);
            let clear = Closure::once(|| dom::set_text("copy-note", ""));
            let _ = dom::window()
                .set_timeout_with_callback_and_timeout_and_arguments_0(clear.as_ref().unchecked_ref(), 4000);
            clear.forget();
        }
    };
    // After Open run, or once the moment outgrew a link, the link holds the settings only.
    let copied_text = match (app.run().series_fits_link(), app.run().link_moment()) {
        (false, _) => t().link_copied_no_series,
        (true, Some(_)) => t().link_copied,
        (true, None) => t().link_copied_settings,
    };
    let (copied, refused) = (Closure::once(said(copied_text)), Closure::once(said(t().link_not_copied)));
    let clipboard = js_sys::Reflect::get(&dom::window().navigator(), &"clipboard".into()).ok();
    let write = clipboard.as_ref().and_then(|c| js_sys::Reflect::get(c, &"writeText".into()).ok());
    let promise = match (clipboard, write.and_then(|f| f.dyn_into::<js_sys::Function>().ok())) {
        (Some(clipboard), Some(write)) => {
            write.call1(&clipboard, &href.into()).ok().and_then(|p| p.dyn_into::<js_sys::Promise>().ok())
        }
        _ => None,
    };
    match promise {
        Some(promise) => {
            let _ = promise.then2(&copied, &refused);
        }
        None => said(t().link_not_copied)(JsValue::NULL),
    }
    copied.forget();
    refused.forget();
}

/// Saves the current run as a numpy script (the same one `rnn-playground export-numpy` writes).
fn download_python(app: &mut App) {
    let file = RunFile::of_session(app.run().session());
    // The comments follow the page's language, and the listing its shape, as the code panel's do.
    let comments = numpy_script::CommentLang::from_code(crate::page::text::lang().code()).unwrap_or_default();
    match numpy_script::script_in(&file, app.code_style(), comments) {
        Ok(text) => {
            if let Err(e) = save_text("run.py", &text) {
                web_sys::console::warn_1(&format!("download failed: {e:?}").into());
            }
        }
        Err(e) => app.add_notice(Notice::NoPython { problem: e.problem }),
    }
}

fn save_text(name: &str, text: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(if name.ends_with(".py") { "text/x-python" } else { "application/json" });
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: web_sys::HtmlAnchorElement = dom::document().create_element("a")?.dyn_into()?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    web_sys::Url::revoke_object_url(&url)?;
    Ok(())
}

/// "Open run…": loads a run file's settings, data and starting weights.
fn wire_open(app: &Shared) -> Result<(), String> {
    let file_input = input("file-open")?;
    let app = app.clone();
    let el = file_input.clone();
    listen::<web_sys::Event>(&file_input, "change", move |_| {
        let Some(file) = el.files().and_then(|f| f.get(0)) else {
            return;
        };
        let Ok(reader) = web_sys::FileReader::new() else {
            return;
        };
        let (app, reader2, name) = (app.clone(), reader.clone(), file.name());
        let onload = Closure::once(move || {
            let text = reader2.result().ok().and_then(|v| v.as_string()).unwrap_or_default();
            app.borrow_mut().open_run_file(&name, &text);
        });
        reader.set_onload(Some(onload.as_ref().unchecked_ref()));
        onload.forget();
        let _ = reader.read_as_text(&file);
        el.set_value("");
    })
}
