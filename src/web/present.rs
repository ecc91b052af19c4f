//! Present mode on the page: its buttons, the panel choice, Escape to leave, and the classes and grid that CSS lays it out by.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent, MouseEvent};

use super::controls::on_click;
use super::dom::{self, by_id, listen};
use crate::page::app::App;
use crate::page::present::{PANEL_COUNT, PANEL_IDS};

/// Present enters, Exit and Escape leave, each panel's chip shows or hides it.
pub fn wire(app: &Rc<RefCell<App>>) -> Result<(), String> {
    on_click(app, "btn-present", |a| {
        a.set_present(true);
        focus_after(true);
    })?;
    on_click(app, "btn-present-exit", |a| {
        a.set_present(false);
        focus_after(false);
    })?;
    for n in 1..=PANEL_COUNT {
        let app = app.clone();
        let chip: Element = by_id(&format!("btn-show-{n}"))?;
        listen::<MouseEvent>(&chip, "click", move |_| {
            app.borrow_mut().toggle_panel(n);
        })?;
    }
    let app = app.clone();
    listen::<KeyboardEvent>(&dom::document(), "keydown", move |e| {
        // Escape closes an open ⓘ or ends the tour first; only then does it leave Present mode.
        let busy = dom::document()
            .query_selector(
                ".about:not([hidden]), #tour:not([hidden]), #panel-eq.expanded, #lessons-menu:not([hidden])",
            )
            .ok()
            .flatten()
            .is_some();
        if e.key() == "Escape" && !busy && app.borrow().present() {
            app.borrow_mut().set_present(false);
            focus_after(false);
        }
    })
}

/// Keeps the keyboard's place: on Play when the mode starts, on Present when it ends.
fn focus_after(present: bool) {
    let id = if present { "btn-play" } else { "btn-present" };
    if let Ok(el) = by_id::<HtmlElement>(id) {
        let _ = el.focus();
    }
}

/// The page as the state says: the body's `present` class, each panel shown or not (`off`),
/// the grid's columns and rows (`--cols`, `--rows`), and the buttons' pressed states.
pub fn sync(app: &App) {
    let (present, panels) = (app.present(), app.panels());
    if let Some(body) = dom::document().body() {
        let _ = body.class_list().toggle_with_force("present", present);
    }
    for (i, id) in PANEL_IDS.iter().enumerate() {
        let shown = panels.shows(i + 1);
        if let Ok(panel) = by_id::<Element>(id) {
            let _ = panel.class_list().toggle_with_force("off", present && !shown);
        }
        if let Ok(chip) = by_id::<Element>(&format!("btn-show-{}", i + 1)) {
            dom::set_attr(&chip, "aria-pressed", if shown { "true" } else { "false" });
        }
    }
    let flow = dom::document().query_selector(".flow").ok().flatten().and_then(|f| f.dyn_into::<HtmlElement>().ok());
    if let Some(flow) = flow {
        let (columns, rows) = panels.grid();
        let _ = flow.style().set_property("--cols", &columns.to_string());
        let _ = flow.style().set_property("--rows", &rows.to_string());
    }
    if let Ok(button) = by_id::<Element>("btn-present") {
        dom::set_attr(&button, "aria-pressed", if present { "true" } else { "false" });
    }
}
