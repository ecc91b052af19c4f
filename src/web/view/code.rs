//! The code panel: the training loop as the numpy listing the learner knows, the lines the step just run lit and those the next Step runs marked.

use crate::model::numpy_script::{CommentLang, lines_run_by_in, listing_in};
use crate::page::app::App;
use crate::page::listing::mark_variables;
use crate::page::text::{lang, t};
use crate::web::dom::{self, escape};

/// The listing as markup, one `<span class=line>` per line: those the micro-step just run ran
/// also `ran` (what the panel's title and caption describe), those the next one runs `next`;
/// its comments in the page's language. The same text `Download as Python` writes after the
/// run's numbers. The legend sits above it, in view while it scrolls.
pub fn code_html(app: &App) -> String {
    let s = app.run().session();
    let style = app.code_style();
    let ran = app.run().last_step().map_or_else(Vec::new, |step| lines_run_by_in(step, s.config(), style));
    let next = lines_run_by_in(s.phase(), s.config(), style);
    let comments = CommentLang::from_code(lang().code()).unwrap_or_default();
    let lines: String = listing_in(s.config(), style, comments)
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let class = match (ran.contains(&i), next.contains(&i)) {
                (true, true) => "line ran next",
                (true, false) => "line ran",
                (false, true) => "line next",
                (false, false) => "line",
            };
            format!("<span class=\"{class}\">{}</span>", mark_variables(line, escape))
        })
        .collect();
    format!(
        "<p class=\"why code-legend\"><span class=key-ran></span>{} <span class=key-next></span>{}</p>\
         <p class=why>{}</p><pre class=code><code>{lines}</code></pre>",
        t().code_ran,
        t().code_next,
        t().transposes_note
    )
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
