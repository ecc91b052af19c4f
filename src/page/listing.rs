//! The code panel's listing as markup: each variable a learner can hover marked, with the panel that draws it.

/// The listing's variables a learner can hover, with the panel that draws each.
const VARIABLES: [(&str, &str); 33] = [
    ("x", "panel-x"),
    ("x_t", "panel-x"),
    ("h0", "panel-hidden"),
    ("h", "panel-hidden"),
    ("hs", "panel-hidden"),
    ("a", "panel-eq"),
    ("A", "panel-eq"),
    ("c", "panel-hidden"),
    ("cs", "panel-hidden"),
    ("f", "panel-hidden"),
    ("g", "panel-hidden"),
    ("i", "panel-hidden"),
    ("o", "panel-hidden"),
    ("z", "panel-hidden"),
    ("r", "panel-hidden"),
    ("h_hat", "panel-hidden"),
    ("dA", "panel-grad"),
    ("y", "panel-output"),
    ("y_hat", "panel-output"),
    ("loss", "panel-loss"),
    ("dh", "panel-grad"),
    ("da", "panel-grad"),
    ("Wx", "panel-weights"),
    ("Wh", "panel-weights"),
    ("b", "panel-weights"),
    ("Wy", "panel-weights"),
    ("by", "panel-weights"),
    ("dWx", "panel-weights"),
    ("dWh", "panel-weights"),
    ("db", "panel-weights"),
    ("dWy", "panel-weights"),
    ("dby", "panel-weights"),
    ("learning_rate", "panel-weights"),
];

/// The id of the panel that draws variable `name`, if it is one the listing marks.
pub fn panel_of(name: &str) -> Option<&'static str> {
    VARIABLES.iter().find(|(n, _)| *n == name).map(|(_, panel)| *panel)
}

/// One line of code (a comment left as it is) with every variable wrapped in
/// `<span class=var data-var=…>`; `escape` makes the rest HTML.
pub fn mark_variables(line: &str, escape: impl Fn(&str) -> String) -> String {
    let (code, comment) = line.split_once('#').map_or((line, None), |(c, rest)| (c, Some(rest)));
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if panel_of(word).is_some() {
            out.push_str(&format!("<span class=var data-var={word}>{word}</span>"));
        } else {
            out.push_str(&escape(word));
        }
        word.clear();
    };
    // A name is a run of letters, digits and `_`; `.` keeps `np.tanh` and `hs.append` whole.
    let mut after_dot = false;
    for c in code.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            if after_dot {
                out.push_str(&escape(&word));
                word.clear();
            } else {
                flush(&mut word, &mut out);
            }
            after_dot = c == '.';
            out.push_str(&escape(&c.to_string()));
        }
    }
    flush(&mut word, &mut out);
    if let Some(comment) = comment {
        out.push_str(&escape(&format!("#{comment}")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_marked_in_code_but_not_in_comments_or_attributes() {
        let escape = |s: &str| s.replace('<', "&lt;");
        let line = "    h = np.tanh(a)   # h_t = tanh(a_t), h";
        let marked = mark_variables(line, escape);
        assert!(marked.contains("<span class=var data-var=h>h</span> = np.tanh(<span class=var data-var=a>a</span>)"));
        assert!(marked.ends_with("# h_t = tanh(a_t), h"));
        assert!(mark_variables("hs.append(h)", escape).starts_with("<span class=var data-var=hs>hs</span>.append("));
    }
}
