//! The page in the chosen language: the static text marked `data-t` in index.html, `<html lang>`, and the language switch.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Element, MouseEvent};

use super::dom::{self, by_id, listen};
use crate::page::app::App;
use crate::page::text::{Lang, by_key, lang};

thread_local! {
    /// The language the static text was last written in (`None`: as index.html has it).
    static SHOWN: Cell<Option<Lang>> = const { Cell::new(None) };
}

/// The browser's preferred language as one of ours (`ja*` is Japanese, anything else English).
pub fn browser_lang() -> Lang {
    Lang::from_browser(&dom::window().navigator().language().unwrap_or_default())
}

/// Rewrites the page's static text in the language now in use, when it changed: every element
/// with `data-t` (text), `data-th` (markup), `data-t-aria` (accessible name) or `data-t-title`
/// (tooltip) gets the table's string for that key. Then the page is shown (see index.html).
pub fn show() {
    let now = lang();
    if SHOWN.with(|shown| shown.replace(Some(now))) == Some(now) {
        return;
    }
    // Every element carrying `attribute`: its key's string, set by `set`.
    let each = |attribute: &str, set: &dyn Fn(&Element, &'static str)| {
        let Ok(list) = dom::document().query_selector_all(&format!("[{attribute}]")) else {
            return;
        };
        for i in 0..list.length() {
            let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
                continue;
            };
            let key = el.get_attribute(attribute).unwrap_or_default();
            match by_key(&key) {
                Some(value) => set(&el, value),
                None => web_sys::console::warn_1(&format!("no text for the key \"{key}\"").into()),
            }
        }
    };
    each("data-t", &|el, v| el.set_text_content(Some(v)));
    each("data-th", &|el, v| el.set_inner_html(v));
    each("data-t-aria", &|el, v| dom::set_attr(el, "aria-label", v));
    each("data-t-title", &|el, v| dom::set_attr(el, "title", v));
    if let Some(root) = dom::document().document_element() {
        dom::set_attr(&root, "lang", now.code());
    }
    dom::reveal_page();
    for l in [Lang::Ja, Lang::En] {
        if let Ok(button) = by_id::<Element>(&format!("btn-lang-{}", l.code())) {
            dom::set_attr(&button, "aria-pressed", if l == now { "true" } else { "false" });
        }
    }
}

/// The two buttons of the language switch.
pub fn wire(app: &Rc<RefCell<App>>) -> Result<(), String> {
    for l in [Lang::Ja, Lang::En] {
        let button: Element = by_id(&format!("btn-lang-{}", l.code()))?;
        let app = app.clone();
        listen::<MouseEvent>(&button, "click", move |_| app.borrow_mut().set_lang(l))?;
    }
    Ok(())
}
