//! Small DOM helpers: find elements, listen to events, set text. The only place closures are leaked.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, HtmlElement, Window};

pub fn window() -> Window {
    web_sys::window().expect("the page has a window")
}

pub fn document() -> Document {
    window().document().expect("the window has a document")
}

/// The element with `id`, as type `T`; an error naming the id if it is missing.
pub fn by_id<T: JsCast>(id: &str) -> Result<T, String> {
    document()
        .get_element_by_id(id)
        .ok_or_else(|| format!("the page has no element #{id}"))?
        .dyn_into::<T>()
        .map_err(|_| format!("#{id} is not the expected kind of element"))
}

/// Calls `handler` on every `event` at `target`. The closure lives as long as the page.
pub fn listen<E: JsCast + 'static>(
    target: &web_sys::EventTarget,
    event: &str,
    mut handler: impl FnMut(E) + 'static,
) -> Result<(), String> {
    let closure = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
        if let Ok(e) = e.dyn_into::<E>() {
            handler(e);
        }
    });
    target
        .add_event_listener_with_callback(event, closure.as_ref().unchecked_ref())
        .map_err(|e| format!("cannot listen to {event}: {e:?}"))?;
    // Page-long listener: leaking it is the intended lifetime.
    closure.forget();
    Ok(())
}

/// Sets the text of `#id` if it changed (writing the DOM only when needed keeps frames cheap).
pub fn set_text(id: &str, text: &str) {
    if let Some(el) = document().get_element_by_id(id)
        && el.text_content().as_deref() != Some(text)
    {
        el.set_text_content(Some(text));
    }
}

thread_local! {
    /// The markup last written by [`set_html`], by element id: the browser serialises
    /// `innerHTML` its own way (quotes, entities), so comparing with it would always differ.
    static LAST_HTML: std::cell::RefCell<Vec<(String, String)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Sets inner HTML of `#id` if it changed since the last call (rewriting it makes the browser
/// rebuild and lay out that part of the page). Only for markup built from our own strings, and
/// only for elements that nothing else writes (it trusts its memory of the last markup).
pub fn set_html(id: &str, html: &str) {
    let unchanged = LAST_HTML.with(|last| last.borrow().iter().any(|(k, v)| k == id && v == html));
    if unchanged {
        return;
    }
    if let Some(el) = document().get_element_by_id(id) {
        el.set_inner_html(html);
        LAST_HTML.with(|last| {
            let mut last = last.borrow_mut();
            match last.iter_mut().find(|(k, _)| k == id) {
                Some(entry) => entry.1 = html.to_string(),
                None => last.push((id.to_string(), html.to_string())),
            }
        });
    }
}

/// Shows or hides an element with the `hidden` attribute.
pub fn set_hidden(el: &Element, hidden: bool) {
    if el.has_attribute("hidden") != hidden {
        let _ = if hidden { el.set_attribute("hidden", "") } else { el.remove_attribute("hidden") };
    }
}

pub fn set_attr(el: &Element, name: &str, value: &str) {
    if el.get_attribute(name).as_deref() != Some(value) {
        let _ = el.set_attribute(name, value);
    }
}

/// Milliseconds since the page started, from `performance.now()`.
pub fn now_ms() -> f64 {
    window().performance().map(|p| p.now()).unwrap_or(0.0)
}

/// Escapes text for use inside HTML.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Shows a message that the page cannot go on (a panic or a missing element), on the page
/// itself rather than only in the console.
pub fn show_fatal(message: &str) {
    if let Ok(el) = by_id::<HtmlElement>("fatal") {
        let text = crate::page::text::fill(crate::page::text::t().fatal, &[("message", &message)]);
        el.set_text_content(Some(&text));
        set_hidden(&el, false);
    }
    // A page index.html hid until its Japanese text was written shows the message at once.
    reveal_page();
}

/// Shows a page that index.html hid (class `lang-pending` on `<html>`) until the wasm had
/// written its Japanese text.
pub fn reveal_page() {
    if let Some(root) = document().document_element() {
        let _ = root.class_list().remove_1("lang-pending");
    }
}

/// Scrolls the scrolling element `id` so that its first `selector` match sits a third of the
/// way down (the page itself does not move).
pub fn scroll_to_first(id: &str, selector: &str) {
    let Ok(container) = by_id::<HtmlElement>(id) else {
        return;
    };
    if let Ok(Some(target)) = container.query_selector(selector) {
        let offset = target.get_bounding_client_rect().top() - container.get_bounding_client_rect().top();
        let top = container.scroll_top() as f64 + offset - container.client_height() as f64 / 3.0;
        container.set_scroll_top(top.max(0.0) as i32);
    }
}
