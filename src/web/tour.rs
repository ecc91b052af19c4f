//! The guided tour on the page: the Tour button, the first visit's offer, the card beside each stop's panel, and its highlights.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent};

use super::controls::on_click;
use super::dom::{self, by_id, listen};
use crate::page::app::App;
use crate::page::text::{Lang, fill, lang, t};
use crate::page::tour::{self, Progress, Rect, STOPS, STORAGE_KEY};

type Shared = Rc<RefCell<App>>;

/// The tour under way: the stop on show, the run's progress when it began, and the stop and
/// language the card last showed.
struct Tour {
    stop: usize,
    start: Progress,
    shown: Option<(usize, Lang, &'static str)>,
}

thread_local! {
    static TOUR: RefCell<Option<Tour>> = const { RefCell::new(None) };
    /// The first visit's offer is up.
    static OFFERED: Cell<bool> = const { Cell::new(false) };
}

fn progress(app: &App) -> Progress {
    Progress {
        steps_run: app.run().session().steps_run(),
        epoch: app.run().session().epoch(),
        last_step: app.run().last_step(),
    }
}

/// The browser's local storage; `None` where it is unavailable (then nothing is remembered).
fn storage() -> Option<web_sys::Storage> {
    dom::window().local_storage().ok().flatten()
}

fn remember(value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(STORAGE_KEY, value);
    }
}

/// The Tour button, the card's buttons, Escape, and the offer on a first visit (`hash` and
/// `search` are the page's URL: no offer on a link to a moment or in the benchmark).
pub fn wire(app: &Shared, hash: &str, search: &str) -> Result<(), String> {
    on_click(app, "btn-tour", start)?;
    on_click(app, "tour-offer-start", start)?;
    on_click(app, "tour-offer-no", |_| {
        remember("dismissed");
        hide("tour-offer");
    })?;
    on_click(app, "tour-next", next)?;
    on_click(app, "tour-back", back)?;
    on_click(app, "tour-skip", |_| end("dismissed"))?;
    listen::<KeyboardEvent>(&dom::document(), "keydown", |e| {
        if e.key() == "Escape" && TOUR.with(|t| t.borrow().is_some()) {
            end("dismissed");
        }
    })?;
    // Space on the card's buttons presses them (elsewhere it is Play).
    let card: Element = by_id("tour")?;
    listen::<KeyboardEvent>(&card, "keydown", |e| {
        if e.key() == " " {
            e.stop_propagation();
        }
    })?;
    listen::<web_sys::Event>(&dom::window(), "resize", |_| {
        if let Some(stop) = TOUR.with(|t| t.borrow().as_ref().map(|t| t.stop)) {
            place(STOPS[stop].target);
        }
    })?;
    let stored = storage().map(|s| s.get_item(STORAGE_KEY).ok().flatten());
    if tour::offer(stored, hash, search) {
        remember("seen");
        if let Ok(offer) = by_id::<Element>("tour-offer") {
            dom::set_hidden(&offer, false);
            OFFERED.with(|o| o.set(true));
        }
    }
    Ok(())
}

fn hide(id: &str) {
    if let Ok(el) = by_id::<Element>(id) {
        dom::set_hidden(&el, true);
    }
}

/// Starts the tour at its first stop (Play pauses: the tour goes at the learner's pace).
fn start(app: &mut App) {
    hide("tour-offer");
    if app.is_playing() {
        app.pause();
    }
    TOUR.with(|t| *t.borrow_mut() = Some(Tour { stop: 0, start: progress(app), shown: None }));
}

fn next(app: &mut App) {
    let last = TOUR.with(|t| t.borrow().as_ref().is_some_and(|t| t.stop + 1 == STOPS.len()));
    if last {
        end("done");
    } else {
        go(app, 1);
    }
}

fn back(app: &mut App) {
    go(app, -1);
}

/// To the stop `by` stops away; the card follows on the next frame.
fn go(app: &App, by: isize) {
    TOUR.with(|t| {
        if let Some(tour) = t.borrow_mut().as_mut() {
            tour.stop = tour.stop.saturating_add_signed(by).min(STOPS.len() - 1);
            tour.start = progress(app);
        }
    });
}

/// Ends the tour and remembers how (`done` or `dismissed`); focus goes back to the Tour button.
fn end(how: &str) {
    TOUR.with(|t| t.borrow_mut().take());
    remember(how);
    hide("tour");
    highlight(None, None);
    if let Ok(button) = by_id::<HtmlElement>("btn-tour") {
        let _ = button.focus();
    }
}

/// Each frame: moves on when the learner has done what the stop asks, and brings the card up
/// to date when the stop or the language changed.
pub fn on_frame(app: &App) {
    if OFFERED.with(Cell::get) && !tour::offer_stays(app.run().session().steps_run(), app.is_playing()) {
        OFFERED.with(|o| o.set(false));
        hide("tour-offer");
    }
    let now = progress(app);
    let changed = TOUR.with(|cell| {
        let mut cell = cell.borrow_mut();
        let tour = cell.as_mut()?;
        if STOPS[tour.stop].wait.done(tour.start, now) && tour.stop + 1 < STOPS.len() {
            tour.stop += 1;
            tour.start = now;
        }
        let moved = tour.shown.map(|(stop, ..)| stop) != Some(tour.stop);
        // The card is written again when its text changes too (an action it asked for is done).
        let key = Some((tour.stop, lang(), STOPS[tour.stop].text_at(t(), now)));
        (tour.shown != key).then(|| {
            tour.shown = key;
            (tour.stop, moved, key.map_or("", |(.., text)| text))
        })
    });
    if let Some((stop, moved, text)) = changed {
        show_stop(stop, moved, text);
    }
}

/// Shows stop `i`'s card, saying `text`, beside its target, with its highlights; `moved` (a
/// new stop, not a new language or text) moves the focus to the card.
fn show_stop(i: usize, moved: bool, text: &str) {
    let (w, stop) = (t(), &STOPS[i]);
    dom::set_text("tour-count", &fill(w.tour_count, &[("n", &(i + 1)), ("all", &STOPS.len())]));
    dom::set_text("tour-title", (stop.title)(w));
    dom::set_text("tour-text", text);
    dom::set_text("tour-next", if i + 1 == STOPS.len() { w.tour_done } else { w.tour_next });
    if let Ok(back) = by_id::<Element>("tour-back") {
        dom::set_hidden(&back, i == 0);
    }
    // The controls' stop shows them, unfolded on a phone.
    if stop.target == ".controls" {
        super::controls::show_settings(true);
    }
    highlight(Some(stop.target), stop.press);
    let Ok(card) = by_id::<HtmlElement>("tour") else {
        return;
    };
    dom::set_hidden(&card, false);
    place(stop.target);
    if moved {
        let _ = card.focus();
    }
}

/// Outlines the stop's target and the button it asks for; takes the outlines off the last ones.
fn highlight(target: Option<&str>, press: Option<&str>) {
    let doc = dom::document();
    if let Ok(lit) = doc.query_selector_all(".tour-target, .tour-press") {
        for i in 0..lit.length() {
            if let Some(el) = lit.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                let _ = el.class_list().remove_2("tour-target", "tour-press");
            }
        }
    }
    if let Some(el) = target.and_then(|s| doc.query_selector(s).ok().flatten()) {
        let _ = el.class_list().add_1("tour-target");
    }
    if let Some(el) = press.and_then(|id| doc.get_element_by_id(id)) {
        let _ = el.class_list().add_1("tour-press");
    }
}

/// Scrolls the target into view if it is not (a phone), then puts the card beside it, on screen.
fn place(selector: &str) {
    let doc = dom::document();
    let (Ok(card), Some(target)) = (by_id::<HtmlElement>("tour"), doc.query_selector(selector).ok().flatten()) else {
        return;
    };
    let win = dom::window();
    let width = doc.document_element().map_or(0.0, |e| e.client_width() as f64);
    let height = usable_height();
    let mut r = target.get_bounding_client_rect();
    if r.top() < 0.0 || r.bottom() > height {
        win.scroll_by_with_x_and_y(0.0, r.top() - 12.0);
        r = target.get_bounding_client_rect();
    }
    let target = Rect { left: r.left(), top: r.top(), width: r.width(), height: r.height() };
    let size = (card.offset_width() as f64, card.offset_height() as f64);
    let (x, y) = tour::place_card(target, size, (width, height));
    let style = card.style();
    let _ = style.set_property("left", &format!("{}px", x + win.scroll_x().unwrap_or(0.0)));
    let _ = style.set_property("top", &format!("{}px", y + win.scroll_y().unwrap_or(0.0)));
}

/// The viewport's height above the bar of Play, Step and Step epoch fixed to a phone's bottom edge.
fn usable_height() -> f64 {
    let height = dom::window().inner_height().ok().and_then(|v| v.as_f64()).unwrap_or(800.0);
    let bar = dom::document().query_selector(".stepbar").ok().flatten().map(|b| b.get_bounding_client_rect());
    match bar {
        Some(b) if b.height() > 0.0 && b.bottom() >= height - 1.0 && b.top() > height / 2.0 => b.top(),
        _ => height,
    }
}
