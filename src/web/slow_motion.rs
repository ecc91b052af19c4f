//! Slow motion on the page: its checkbox, and the panels each micro-step lights up in turn (CSS classes `lit`, `lit-a`, `lit-b`).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use web_sys::{Element, HtmlInputElement, HtmlSelectElement};

use super::dom::{self, by_id, listen};
use crate::page::app::App;
use crate::page::present::PANEL_IDS;
use crate::page::slow_motion::{beat_from_text, lit_panels};

thread_local! {
    /// The micro-step last lit (by the count of steps run) and which of the two classes it
    /// used: alternating `lit-a` and `lit-b` restarts the fade even on a panel lit twice in a row.
    static LIT: Cell<Option<(u64, bool)>> = const { Cell::new(None) };
}

/// The checkbox turns slow motion on and off; the beat's menu chooses its pace.
pub fn wire(app: &Rc<RefCell<App>>) -> Result<(), String> {
    let input: HtmlInputElement = by_id("in-slow")?;
    let (shared, el) = (app.clone(), input.clone());
    listen::<web_sys::Event>(&input, "change", move |_| shared.borrow_mut().set_slow_motion(el.checked()))?;
    let select: HtmlSelectElement = by_id("sel-beat")?;
    let (app, sel) = (app.clone(), select.clone());
    listen::<web_sys::Event>(&select, "change", move |_| {
        if let Some(beat) = beat_from_text(&sel.value()) {
            app.borrow_mut().set_beat(beat);
        }
    })
}

/// The checkbox and the beat from the state (after a link).
pub fn sync(app: &App) {
    if let Ok(el) = by_id::<HtmlInputElement>("in-slow")
        && el.checked() != app.slow_motion()
    {
        el.set_checked(app.slow_motion());
    }
    if let Ok(sel) = by_id::<HtmlSelectElement>("sel-beat") {
        if beat_from_text(&sel.value()) != Some(app.beat()) {
            sel.set_value(&app.beat().to_string());
        }
        // The beat is slow motion's: shown with it, leaving the row its room otherwise.
        dom::set_hidden(&sel, !app.slow_motion());
    }
}

/// Lights the panels of the micro-step just run, once per micro-step, while slow motion is on;
/// puts them out when it is turned off or the run starts over.
pub fn show(app: &App) {
    let steps = app.run().session().steps_run();
    let step = app.run().last_step().filter(|_| app.slow_motion());
    let last = LIT.with(Cell::get);
    match step {
        Some(step) if last.map(|(at, _)| at) != Some(steps) => {
            let flip = !last.is_some_and(|(_, flip)| flip);
            light(lit_panels(step), flip);
            LIT.with(|lit| lit.set(Some((steps, flip))));
        }
        None if last.is_some() => {
            light(&[], false);
            LIT.with(|lit| lit.set(None));
        }
        _ => {}
    }
}

/// Gives the panels `ids` the lit classes (`lit-b` when `flip`), and takes them from the others.
fn light(ids: &[&str], flip: bool) {
    // Every panel it may light, so that a beat puts out the last one's.
    for id in PANEL_IDS {
        if let Ok(el) = by_id::<Element>(id) {
            let on = ids.contains(&id);
            let list = el.class_list();
            let _ = list.toggle_with_force("lit", on);
            let _ = list.toggle_with_force("lit-a", on && !flip);
            let _ = list.toggle_with_force("lit-b", on && flip);
        }
    }
}
