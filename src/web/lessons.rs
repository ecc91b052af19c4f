//! The Lessons menu and the bar of the lesson on show: one click sets the page up for a claim, the bar says how it stands.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent, MouseEvent, ScrollIntoViewOptions, ScrollLogicalPosition};

use super::controls::on_click;
use super::dom::{self, by_id, listen};
use crate::page::app::App;
use crate::page::lessons::{self, LESSONS};
use crate::page::text::t;

type Shared = Rc<RefCell<App>>;

/// Lessons opens and closes the menu; a run's button (in the menu or the bar) sets the page up
/// for it; Close ends the lesson; Escape closes the menu.
pub fn wire(app: &Shared) -> Result<(), String> {
    on_click(app, "btn-lessons", |a| {
        let open = !a.lessons_open();
        a.set_lessons_open(open);
    })?;
    for id in ["lessons-menu", "lesson-bar"] {
        let el: Element = by_id(id)?;
        let app = app.clone();
        listen::<MouseEvent>(&el, "click", move |e| {
            let Some(button) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
            let Some(button) = button.closest("button").ok().flatten() else { return };
            let number = |name: &str| button.get_attribute(name).and_then(|v| v.parse::<usize>().ok());
            if button.id() == "btn-lesson-close" {
                app.borrow_mut().close_lesson();
            } else if let (Some(lesson), Some(run)) = (number("data-lesson"), number("data-run")) {
                app.borrow_mut().start_lesson(lesson, run);
                focus("btn-play");
                // The claim in sight (at 150 % zoom the bar sits below the first screen).
                sync(&app.borrow());
                if let Ok(bar) = by_id::<Element>("lesson-bar") {
                    let options = ScrollIntoViewOptions::new();
                    options.set_block(ScrollLogicalPosition::Start);
                    bar.scroll_into_view_with_scroll_into_view_options(&options);
                }
            }
        })?;
    }
    let app = app.clone();
    listen::<KeyboardEvent>(&dom::document(), "keydown", move |e| {
        // An open ⓘ or the tour closes first.
        let busy = dom::document().query_selector(".about:not([hidden]), #tour:not([hidden])").ok().flatten().is_some();
        if e.key() == "Escape" && !busy && app.borrow().lessons_open() {
            app.borrow_mut().set_lessons_open(false);
            focus("btn-lessons");
        }
    })
}

fn focus(id: &str) {
    if let Ok(el) = by_id::<HtmlElement>(id) {
        let _ = el.focus();
    }
}

/// The buttons of lesson `index`'s runs, the one on show pressed.
fn run_buttons(index: usize, labels: &[&str], on_show: Option<(usize, usize)>) -> String {
    let button = |(run, label): (usize, &&str)| {
        let pressed = on_show == Some((index, run));
        format!(
            "<button class=\"small toggle\" data-lesson={index} data-run={run} aria-pressed={pressed}>{}</button>",
            dom::escape(label)
        )
    };
    labels.iter().enumerate().map(button).collect()
}

/// The menu (while open) and the lesson's bar (while a lesson is on show), as the state says.
pub fn sync(app: &App) {
    let progress = app.lesson_progress();
    let on_show = progress.map(|p| (p.lesson, p.run));
    if let Ok(b) = by_id::<Element>("btn-lessons") {
        dom::set_attr(&b, "aria-expanded", if app.lessons_open() { "true" } else { "false" });
    }
    if let Ok(menu) = by_id::<Element>("lessons-menu") {
        dom::set_hidden(&menu, !app.lessons_open());
        if app.lessons_open() {
            let entries: String = (0..LESSONS.len())
                .map(|i| {
                    let words = lessons::text(i, t());
                    format!(
                        "<section class=lesson><h2>{}</h2><p>{}</p><div class=lesson-runs>{}</div></section>",
                        dom::escape(words.title),
                        dom::escape(words.claim),
                        run_buttons(i, &words.runs, on_show)
                    )
                })
                .collect();
            dom::set_html("lessons-menu", &entries);
        }
    }
    let Ok(bar) = by_id::<Element>("lesson-bar") else { return };
    dom::set_hidden(&bar, progress.is_none());
    let Some(p) = progress else {
        dom::set_text("lesson-verdict", "");
        return;
    };
    let words = lessons::text(p.lesson, t());
    // The bar is written again only when the lesson, its run or the language changes (its
    // buttons must not be replaced under a pointer); its status line changes every frame.
    dom::set_html(
        "lesson-bar",
        &format!(
            "<div class=lesson-words><strong>{}</strong> {}<br><span id=lesson-status></span></div>\
             <div class=lesson-runs>{}</div><button id=btn-lesson-close class=small type=button>{}</button>",
            dom::escape(words.title),
            dom::escape(words.claim),
            run_buttons(p.lesson, &words.runs, on_show),
            t().lesson_close,
        ),
    );
    dom::set_text("lesson-status", &p.text(t()));
    // Said to a screen reader once: the verdict, not every frame's numbers.
    let verdict = match p.holds {
        Some(true) => format!("{}: {}", words.title, t().lesson_holds),
        Some(false) => format!("{}: {}", words.title, t().lesson_does_not_hold),
        None => String::new(),
    };
    dom::set_text("lesson-verdict", &verdict);
}
