//! The page's two string tables: the same keys and placeholders in both, Japanese without English words, and index.html's English placeholders equal to the English table.

use std::collections::BTreeSet;

use rnn_playground::page::text::{Lang, PAGE_KEYS};

/// The `{name}` placeholders of a template.
fn placeholders(s: &str) -> BTreeSet<&str> {
    s.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect()
}

/// The text a reader sees: placeholders, markup, quoted code and `&nbsp;` left out.
fn visible(s: &str) -> String {
    let mut out = String::new();
    let (mut in_tag, mut in_placeholder, mut in_code) = (false, false, false);
    for c in s.replace("&nbsp;", " ").chars() {
        match c {
            // A value in straight quotes is code the reader types: "bptt".
            '"' => in_code = !in_code,
            _ if in_code => out.push(' '),
            '<' => in_tag = true,
            '>' => in_tag = false,
            '{' => in_placeholder = true,
            '}' => in_placeholder = false,
            _ if !in_tag && !in_placeholder => out.push(c),
            _ => out.push(' '),
        }
    }
    out
}

/// Words a Japanese string may keep in Latin letters: code (names, keys, values), symbols,
/// units, and names (of the page, programs, a book, keys on the keyboard).
const NOT_ENGLISH: &[&str] = &[
    // names: the page, the methods, a book, programs, keys on the keyboard
    "RNN",
    "GRU",
    "LSTM",
    "Playground",
    "BPTT",
    "SGD",
    "NaN",
    "Deep",
    "Learning",
    "Python",
    "numpy",
    "python3",
    "run",
    "py",
    "Space",
    "Esc",
    "Shift",
    // maths and code: functions, matrices, the link's keys
    "tanh",
    "Wx",
    "Wh",
    "Wy",
    "by",
    "dW",
    // the blog's backward: the gradients it names
    "da",
    "dx",
    "dh_prev",
    "bptt",
    "seq_length",
    "input_size",
    "init_scale",
    "truncation",
    "training",
    "task",
    "at",
];

#[test]
fn both_languages_have_every_key_with_the_same_placeholders() {
    let (en, ja) = (Lang::En.text().entries(), Lang::Ja.text().entries());
    assert_eq!(en.len(), ja.len());
    assert!(en.len() > 200, "the tables hold every visible string ({} keys)", en.len());
    for ((key, e), (key_ja, j)) in en.iter().zip(&ja) {
        assert_eq!(key, key_ja);
        assert!(!e.trim().is_empty() && !j.trim().is_empty(), "{key} is empty in a language");
        assert_eq!(placeholders(e), placeholders(j), "{key}: the placeholders differ");
        assert_eq!(key.ends_with("_html"), e.contains('<'), "{key}: only _html keys hold markup");
    }
}

#[test]
fn japanese_strings_have_no_english_words() {
    let mut english = Vec::new();
    for (key, value) in Lang::Ja.text().entries() {
        let text = visible(value);
        let words = text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'));
        for word in words.filter(|w| w.chars().filter(char::is_ascii_alphabetic).count() >= 2) {
            let word = word.trim_matches('-');
            // A subscripted symbol (h_T, ŷ_T) is maths, not a word.
            if word.split('_').next().is_some_and(|head| head.len() <= 1) {
                continue;
            }
            if !NOT_ENGLISH.contains(&word) {
                english.push(format!("ja.{key}: \"{word}\""));
            }
        }
    }
    assert!(english.is_empty(), "English words in the Japanese table: {english:#?}");
}

/// Every `data-t…="key"` in index.html with the English it shows before the page's code runs.
fn marked_text(html: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for (attr, _) in html.match_indices(" data-t") {
        let rest = &html[attr + 1..];
        let (name, rest) = rest.split_once("=\"").unwrap();
        if !["data-t", "data-th", "data-t-aria", "data-t-title"].contains(&name) {
            continue;
        }
        let key = rest.split('"').next().unwrap().to_string();
        let tag_start = html[..attr].rfind('<').unwrap();
        let tag_end = attr + html[attr..].find('>').unwrap();
        let tag = &html[tag_start..tag_end];
        let shown = match name {
            "data-t" | "data-th" => {
                let after = &html[tag_end + 1..];
                let element = &tag[1..tag.find(' ').unwrap()];
                after[..after.find(&format!("</{element}>")).unwrap()].to_string()
            }
            "data-t-aria" => tag.split(" aria-label=\"").nth(1).unwrap().split('"').next().unwrap().to_string(),
            "data-t-title" => tag.split(" title=\"").nth(1).unwrap().split('"').next().unwrap().to_string(),
            _ => unreachable!(),
        };
        out.push((name.to_string(), key, shown));
    }
    out
}

#[test]
fn the_html_shows_the_english_table_until_the_page_starts() {
    let html = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/www/index.html")).unwrap();
    let marked = marked_text(&html);
    assert!(marked.len() > 50, "only {} marked strings", marked.len());
    let en = Lang::En.text();
    for (attr, key, shown) in marked {
        let Some(value) = en.get(&key) else { panic!("{attr}=\"{key}\" is not in the tables") };
        assert!(PAGE_KEYS.contains(&key.as_str()), "{key} is in index.html: list it under `page` in text_keys!");
        let value = if attr == "data-th" { value.to_string() } else { value.replace('"', "&quot;") };
        assert_eq!(shown, value, "{attr}=\"{key}\" shows other text than the English table");
    }
}

#[test]
fn the_language_comes_from_the_browser_unless_the_link_says() {
    assert_eq!(Lang::from_browser("ja-JP"), Lang::Ja);
    assert_eq!(Lang::from_browser("JA"), Lang::Ja);
    assert_eq!(Lang::from_browser("en-GB"), Lang::En);
    assert_eq!(Lang::from_browser("de"), Lang::En);
    assert_eq!(Lang::from_browser(""), Lang::En);
    for lang in [Lang::En, Lang::Ja] {
        assert_eq!(Lang::from_code(lang.code()), Some(lang));
    }
}
