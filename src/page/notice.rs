//! Messages for the person as data (a bad value in a link, a file opened or refused), put in words in the language on show.

use crate::page::text::{Lang, Text, fill, t};
use crate::page::url_hash::{PAGE_MAX_HIDDEN_SIZE, PAGE_MAX_INPUT_SIZE, PAGE_MAX_SEQ_LENGTH};

/// A message for the person, kept as what happened and put in words only when shown, so that
/// it follows a change of language.
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    /// The link outgrew what it can carry: from now on it keeps only the settings.
    LinkTooLong,
    /// A seed field that does not hold a whole number; the seed `kept` stays.
    BadSeed { typed: String, kept: u64 },
    /// The browser's random generator failed.
    NoRandomSeed { error: String },
    /// The run cannot be written as a numpy script.
    NoPython { problem: String },
    /// A run file with sizes beyond the page's limits.
    TooBigToOpen { name: String },
    /// A run file that could not be read.
    NotOpened { name: String, error: String },
    /// A run file opened, and how its replay went.
    Opened { name: String, replay: Opened },
    /// A link's log that this page did not write: the run starts at the beginning instead.
    MomentRefused { log: String },
    /// What a link's value came to (clamped, ignored, made to fit).
    Link(Said),
}

/// How a run file's replay went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Opened {
    /// A spec without results: it starts at its beginning.
    Spec,
    /// `epochs` of its `all` replayed (the rest is too long for the page).
    Part { epochs: usize, all: usize },
    /// Every epoch replayed, the losses bit for bit the file's.
    Same { epochs: usize },
    /// Every epoch replayed, the losses the file's until epoch `at` (1-based).
    Differ { epochs: usize, at: usize },
}

/// A text of the tables (chosen by a function of [`Text`]) with its `{name}` values.
#[derive(Clone, Debug)]
pub struct Said {
    text: fn(&Text) -> &'static str,
    args: Vec<(&'static str, String)>,
}

impl Said {
    pub fn new(text: fn(&Text) -> &'static str, args: &[(&'static str, &dyn std::fmt::Display)]) -> Said {
        Said { text, args: args.iter().map(|(name, value)| (*name, value.to_string())).collect() }
    }

    pub fn text_in(&self, w: &Text) -> String {
        let args: Vec<(&str, &dyn std::fmt::Display)> =
            self.args.iter().map(|(name, value)| (*name, value as &dyn std::fmt::Display)).collect();
        fill((self.text)(w), &args)
    }
}

/// The same text with the same values (compared by their English words: a function's address
/// says nothing).
impl PartialEq for Said {
    fn eq(&self, other: &Said) -> bool {
        self.args == other.args && (self.text)(Lang::En.text()) == (other.text)(Lang::En.text())
    }
}

impl Notice {
    /// A link's notice: `text` of the tables filled with `args`.
    pub fn link(text: fn(&Text) -> &'static str, args: &[(&'static str, &dyn std::fmt::Display)]) -> Notice {
        Notice::Link(Said::new(text, args))
    }

    /// The notice in the language on show.
    pub fn text(&self) -> String {
        self.text_in(t())
    }

    /// The notice in the language of `w`.
    pub fn text_in(&self, w: &Text) -> String {
        match self {
            Notice::LinkTooLong => w.link_too_long.into(),
            Notice::BadSeed { typed, kept } => fill(w.bad_seed, &[("typed", typed), ("kept", kept)]),
            Notice::NoRandomSeed { error } => fill(w.no_random_seed, &[("error", error)]),
            Notice::NoPython { problem } => fill(w.no_python, &[("problem", problem)]),
            Notice::TooBigToOpen { name } => {
                let limits =
                    format!("T = {PAGE_MAX_SEQ_LENGTH}, D = {PAGE_MAX_INPUT_SIZE}, H = {PAGE_MAX_HIDDEN_SIZE}");
                fill(w.too_big_to_open, &[("name", name), ("limits", &limits)])
            }
            Notice::NotOpened { name, error } => fill(w.not_opened, &[("name", name), ("error", error)]),
            Notice::Opened { name, replay } => opened_text(w, name, *replay),
            Notice::MomentRefused { log } => {
                let error = fill(w.moment_bad_log, &[("log", log)]);
                fill(w.moment_refused, &[("error", &error)])
            }
            Notice::Link(said) => said.text_in(w),
        }
    }
}

fn opened_text(w: &Text, name: &str, replay: Opened) -> String {
    match replay {
        Opened::Spec => fill(w.opened_spec, &[("name", &name)]),
        Opened::Part { epochs, all } => fill(w.opened_part, &[("name", &name), ("epochs", &epochs), ("all", &all)]),
        Opened::Same { epochs } => fill(w.opened_same, &[("name", &name), ("epochs", &epochs)]),
        Opened::Differ { epochs, at } => fill(w.opened_differ, &[("name", &name), ("epochs", &epochs), ("at", &at)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_is_put_in_words_in_either_language() {
        let n = Notice::BadSeed { typed: "abc".into(), kept: 42 };
        assert_eq!(
            n.text_in(Lang::En.text()),
            "Seed \"abc\" is not a whole number from 0 to 18446744073709551615; kept 42."
        );
        assert!(n.text_in(Lang::Ja.text()).contains("abc") && n.text_in(Lang::Ja.text()).contains("42"));
        assert_ne!(n.text_in(Lang::Ja.text()), n.text_in(Lang::En.text()));
    }

    #[test]
    fn link_notices_compare_by_their_text_and_values() {
        let a = Notice::link(|w| w.hash_bad_lang, &[("shown", &"lang=fr")]);
        assert_eq!(a, Notice::link(|w| w.hash_bad_lang, &[("shown", &"lang=fr")]));
        assert_ne!(a, Notice::link(|w| w.hash_bad_lang, &[("shown", &"lang=de")]));
        assert_ne!(a, Notice::link(|w| w.hash_unknown, &[("shown", &"lang=fr")]));
    }
}
