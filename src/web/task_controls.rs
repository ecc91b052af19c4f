//! The task selector, full BPTT's controls (init, init scale with ρ(Wh), clipping, truncation, carried h), the twin run and the gradient check: wiring, values and hints.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement, MouseEvent};

use super::controls::{dragged_label, is_dragged, on_setting_slider};
use super::dom::{self, by_id, listen};
use crate::model::check::{self, ParamCheck, Verdict};
use crate::model::config::Named;
use crate::model::{Activation, CellKind, Init, Task};
use crate::page::app::App;
use crate::page::controls::scale_from_slider;
use crate::page::controls::{Off, blog_loop_allowed, clip_from_slider, controls_off, hints, rho_text, rho_title};
use crate::page::controls::{slider_from_clip, slider_from_scale, value_labels};
use crate::page::text::{fill, t};

type Shared = Rc<RefCell<App>>;

fn input(id: &str) -> Result<HtmlInputElement, String> {
    by_id(id)
}

/// A checkbox: `f` when it is ticked or unticked.
fn on_checkbox(app: &Shared, id: &str, f: impl Fn(&mut App, &HtmlInputElement) + 'static) -> Result<(), String> {
    let el = input(id)?;
    let (app, el2) = (app.clone(), el.clone());
    listen::<web_sys::Event>(&el, "change", move |_| f(&mut app.borrow_mut(), &el2))
}

fn on_select(app: &Shared, id: &str, f: impl Fn(&mut App, &str) + 'static) -> Result<(), String> {
    let select: HtmlSelectElement = by_id(id)?;
    let (app, sel) = (app.clone(), select.clone());
    listen::<web_sys::Event>(&select, "change", move |_| f(&mut app.borrow_mut(), &sel.value()))
}

/// Wires the task selector, the BPTT controls and the Check gradients button to `app`.
pub fn wire(app: &Shared) -> Result<(), String> {
    on_select(app, "sel-task", |a, v| {
        if let Some(task) = Task::from_name(v) {
            a.set_task(task);
        }
    })?;
    wire_cell(app)?;
    on_select(app, "sel-init", |a, v| {
        if let Some(init) = Init::from_name(v) {
            a.set_init(init);
        }
    })?;
    // One drag is one change (see `on_setting_slider`).
    on_setting_slider(
        app,
        "in-init-scale",
        |a, v| a.set_init_scale(scale_from_slider(v)),
        |c, v| c.init_scale = Some(scale_from_slider(v)),
    )?;
    on_setting_slider(
        app,
        "in-clip",
        |a, v| a.set_clip_norm(clip_from_slider(v)),
        |c, v| c.clip_norm = clip_from_slider(v),
    )?;
    on_setting_slider(
        app,
        "in-trunc",
        |a, v| a.set_truncation(Some(v as usize)),
        |c, v| c.truncation = Some(v as usize).filter(|k| *k < c.seq_length),
    )?;
    on_checkbox(app, "in-stateful", |a, el| a.set_stateful(el.checked()))?;
    on_checkbox(app, "in-twin", |a, el| a.set_twin(el.checked()))?;
    let button: Element = by_id("btn-check")?;
    let shared = app.clone();
    listen::<MouseEvent>(&button, "click", move |_| shared.borrow_mut().check_gradients())?;
    // The banner's Close button is written with the banner: one listener on the banner hears it.
    let banner: Element = by_id("check-result")?;
    let app = app.clone();
    listen::<MouseEvent>(&banner, "click", move |e| {
        let target = e.target().and_then(|t| t.dyn_into::<Element>().ok());
        if target.is_some_and(|el| el.id() == "btn-check-close") {
            app.borrow_mut().close_gradient_check();
        }
    })
}

/// The cell selector, the plain RNN's activation and the gated cells' keep bias.
fn wire_cell(app: &Shared) -> Result<(), String> {
    on_select(app, "sel-cell", |a, v| {
        if let Some(cell) = CellKind::from_name(v) {
            a.set_cell(cell);
        }
    })?;
    on_select(app, "sel-activation", |a, v| {
        if let Some(activation) = Activation::from_name(v) {
            a.set_activation(activation);
        }
    })?;
    on_setting_slider(
        app,
        "in-keep-bias",
        |a, v| a.set_keep_bias(scale_from_slider(v)),
        |c, v| c.keep_bias = Some(scale_from_slider(v)),
    )
}

fn set_disabled(id: &str, disabled: bool, why: &str) {
    if let Ok(el) = by_id::<Element>(id)
        && el.has_attribute("disabled") != disabled
    {
        if disabled {
            dom::set_attr(&el, "disabled", "");
            dom::set_attr(&el, "title", why);
        } else {
            let _ = el.remove_attribute("disabled");
        }
    }
}

/// Moves slider `id` to `v`, unless it is being dragged.
fn set_value(id: &str, v: f64) {
    if let Ok(el) = input(id)
        && el.value_as_number() != v
        && !is_dragged(id)
    {
        el.set_value_as_number(v);
    }
}

/// Sets these controls' values from the state (after a link, an import or a refused value).
pub fn sync(app: &App) {
    let c = app.run().config();
    let selected = [
        ("sel-task", c.task.name()),
        ("sel-init", c.init().name()),
        ("sel-cell", c.cell().name()),
        ("sel-activation", c.activation().name()),
    ];
    for (id, value) in selected {
        if let Ok(sel) = by_id::<HtmlSelectElement>(id)
            && sel.value() != value
        {
            sel.set_value(&value);
        }
    }
    set_value("in-init-scale", slider_from_scale(c.init_scale()));
    set_value("in-clip", slider_from_clip(c.clip_norm));
    set_value("in-keep-bias", slider_from_scale(c.keep_bias()));
    if let Ok(el) = input("in-stateful") {
        el.set_checked(c.stateful());
    }
    if let Ok(el) = input("in-twin") {
        el.set_checked(app.run().twin().is_some());
    }
}

/// What is disabled and why, and the truncation slider's range (T can change any time).
fn sync_state(app: &App) {
    let c = app.run().config();
    if let Ok(el) = input("in-trunc")
        && el.max() != c.seq_length.to_string()
    {
        el.set_max(&c.seq_length.to_string());
    }
    set_value("in-trunc", c.truncation.unwrap_or(c.seq_length) as f64);
    let seed_option = dom::document().query_selector("#sel-training option[value=seed]").ok().flatten();
    if let Some(option) = seed_option {
        if !blog_loop_allowed(c) {
            dom::set_attr(&option, "disabled", "")
        } else {
            let _ = option.remove_attribute("disabled");
        }
    }
    for Off { id, off, why } in controls_off(c, t()) {
        set_disabled(id, off, why);
    }
    // No hints still keep the line (a no-break space), so that the panels below never jump.
    let hints = hints(c, t()).join(" ");
    dom::set_text("task-hints", if hints.is_empty() { "\u{a0}" } else { &hints });
}

/// The value labels: g, ρ(Wh) (kept up to date a few times a second), the clip norm and k;
/// and the last gradient check.
pub fn sync_labels(app: &mut App, now: f64) {
    sync_state(app);
    let c = app.run().config().clone();
    for (id, text) in value_labels(&c, t()) {
        dom::set_text(id, &dragged_label(id).unwrap_or(text));
    }
    let rho = if c.cell() == CellKind::Rnn { app.spectral_radius(now) } else { f64::NAN };
    dom::set_text("out-rho", &rho_text(rho));
    if let Ok(el) = by_id::<Element>("out-rho") {
        dom::set_attr(&el, "title", rho_title(&c, t()));
    }
    if let Ok(el) = by_id::<Element>("check-result") {
        dom::set_hidden(&el, app.run().gradient_check().is_none());
        if let Some((epoch, checks)) = app.run().gradient_check() {
            dom::set_html("check-result", &check_html(*epoch, checks));
        }
    }
    if let Ok(el) = by_id::<Element>("canvas-wy") {
        dom::set_hidden(&el, c.output_size() == 0);
    }
    // Wy may sit beside the weights in a short panel only while its H columns stay legible.
    if let Ok(panel) = by_id::<Element>("panel-weights") {
        let _ = panel.class_list().toggle_with_force("narrow-wy", c.hidden_size <= 16);
    }
}

/// The check as a one-row table, the sentence saying what the numbers mean, the verdict and a
/// button that closes it.
fn check_html(epoch: usize, checks: &[ParamCheck]) -> String {
    let head: String = checks.iter().map(|c| format!("<th>{}</th>", dom::escape(c.symbol))).collect();
    let cells: String = checks
        .iter()
        .map(|c| {
            let v = if c.checked == 0 { t().check_none.to_string() } else { format!("{:.1e}", c.max_relative_error) };
            format!("<td>{v}</td>")
        })
        .collect();
    let verdict = match check::verdict(checks) {
        Verdict::Agrees => t().check_agrees,
        Verdict::Close => t().check_close,
        Verdict::Disagrees => t().check_disagrees,
    };
    format!(
        "<div><strong>{}</strong><table><tr>{head}</tr><tr>{cells}</tr></table><p>{}</p><p class=verdict>{verdict}</p></div>\
         <button id=btn-check-close class=small type=button>{}</button>",
        fill(t().check_heading, &[("epoch", &(epoch + 1))]),
        t().check_meaning,
        t().dismiss,
    )
}
