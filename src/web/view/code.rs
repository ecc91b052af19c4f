//! The code panel: the training loop as the numpy listing the learner knows, the lines the next Step runs lit.

use crate::model::numpy_script::{CommentLang, lines_run_by, listing};
use crate::page::app::App;
use crate::page::listing::mark_variables;
use crate::page::text::{lang, t};
use crate::web::dom::{self, escape};

/// The listing as markup, one `<span class=line>` per line, those the next micro-step runs
/// also `next`, its comments in the page's language. The same text `Download as Python` writes
/// after the run's numbers.
pub fn code_html(app: &App) -> String {
    let s = app.run().session();
    let lit = lines_run_by(s.phase(), s.config());
    let comments = CommentLang::from_code(lang().code()).unwrap_or_default();
    let lines: String = listing(s.config(), comments)
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let class = if lit.contains(&i) { "line next" } else { "line" };
            format!("<span class=\"{class}\">{}</span>", mark_variables(line, escape))
        })
        .collect();
    format!("<p class=why>{} {}</p><pre class=code><code>{lines}</code></pre>", t().code_lit, t().transposes_note)
}

/// The caption of the step just run, above the code (outside its scrolling box, so that it stays
/// in sight while the listing scrolls to its lit line): the same words as under the equation.
pub fn show_caption(app: &App) {
    if let Ok(el) = dom::by_id::<web_sys::Element>("code-why") {
        if app.shows_code() {
            dom::set_text("code-why", &crate::page::describe::caption(app));
        }
        dom::set_hidden(&el, !app.shows_code());
    }
}
