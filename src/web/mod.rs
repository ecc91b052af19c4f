//! The page (wasm32 only): one shared `App` (src/page/app.rs), the controls wired to it, one animation-frame loop that trains then draws.

mod about;
mod bench;
mod canvas;
mod charts;
mod controls;
mod dom;
mod language;
mod lessons;
mod present;
mod series_input;
mod slow_motion;
mod task_controls;
mod tour;
mod view;

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

pub use crate::page::app::App;

/// Milliseconds of training a frame may spend at the fastest speeds, leaving time to draw.
const TRAIN_BUDGET_MS: f64 = 10.0;

/// Starts the page: panic hook, state from the URL hash, controls, and the frame loop.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&message.clone().into());
        dom::show_fatal(&message);
    }));
    if let Err(e) = run() {
        web_sys::console::error_1(&e.clone().into());
        dom::show_fatal(&e);
    }
}

fn run() -> Result<(), String> {
    let search = dom::window().location().search().unwrap_or_default();
    let hash = dom::window().location().hash().unwrap_or_default();
    let app = Rc::new(RefCell::new(App::from_hash(&hash, language::browser_lang())));
    controls::wire(&app)?;
    language::wire(&app)?;
    slow_motion::wire(&app)?;
    present::wire(&app)?;
    lessons::wire(&app)?;
    series_input::wire(&app)?;
    tour::wire(&app, &hash, &search)?;
    about::wire(&app)?;
    if search.contains("bench") {
        bench::schedule(app.clone());
    }
    start_frames(app);
    Ok(())
}

/// The animation-frame callback: it asks for the next frame itself, so it holds a handle to itself.
type FrameClosure = Closure<dyn FnMut(f64)>;

/// One requestAnimationFrame loop for the life of the page: train at the chosen speed, then
/// draw whatever changed.
fn start_frames(app: Rc<RefCell<App>>) {
    let next: Rc<RefCell<Option<FrameClosure>>> = Rc::new(RefCell::new(None));
    let again = next.clone();
    // The first frames draw one panel each (see `view::draw_one`), then every frame draws all.
    let mut warming_up = 0..view::PANEL_COUNT;
    *again.borrow_mut() = Some(Closure::new(move |now: f64| {
        let panel = warming_up.next();
        frame(&mut app.borrow_mut(), now, panel);
        // The first frame that has drawn everything.
        if panel == Some(view::PANEL_COUNT - 1) {
            let body = dom::document().body();
            if let Some(body) = body {
                let _ = body.set_attribute("data-first-frame-ms", &format!("{:.1}", dom::now_ms()));
            }
        }
        request_frame(next.borrow().as_ref().expect("the frame closure is set"));
    }));
    request_frame(again.borrow().as_ref().expect("the frame closure is set"));
}

fn request_frame(f: &Closure<dyn FnMut(f64)>) {
    let _ = dom::window().request_animation_frame(f.as_ref().unchecked_ref());
}

/// One frame: train, then draw if anything changed (only panel `only_panel`, while the page
/// starts: the rest follow on the next frames).
pub fn frame(app: &mut App, now: f64, only_panel: Option<usize>) {
    if app.benchmark_running() {
        return;
    }
    app.advance(now, TRAIN_BUDGET_MS, dom::now_ms);
    let redraw = app.take_redraw();
    if redraw.controls {
        language::show();
        controls::sync(app);
        slow_motion::sync(app);
        present::sync(app);
        lessons::sync(app);
        series_input::sync(app);
    }
    if redraw.page {
        controls::write_hash(app);
        controls::sync_labels(app);
        lessons::sync(app);
        task_controls::sync_labels(app, now);
        app.refresh_gradient_sources(now);
        dom::set_text("status", &view::status_line(app));
        about::refresh(app);
        view::show_code_caption(app);
        if app.shows_code() {
            dom::set_html("equation", &view::code_html(app));
            dom::scroll_to_first("equation", ".line.ran, .line.next");
        } else {
            dom::set_html("equation", &view::equation_html(app));
        }
        let drawn = match only_panel {
            Some(index) => {
                app.request_redraw();
                view::draw_one(app, index)
            }
            None => view::draw_all(app),
        };
        if let Err(e) = drawn {
            web_sys::console::warn_1(&e.to_string().into());
        }
        slow_motion::show(app);
    }
    tour::on_frame(app);
    publish_memory();
}

/// The wasm memory size on the body (`data-wasm-bytes`), for the page's memory test.
fn publish_memory() {
    let bytes = wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| m.buffer().dyn_into::<js_sys::ArrayBuffer>().map(|b| b.byte_length()).unwrap_or(0))
        .unwrap_or(0);
    if let Some(body) = dom::document().body() {
        dom::set_attr(&body, "data-wasm-bytes", &bytes.to_string());
    }
}
