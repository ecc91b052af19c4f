//! The learner's own sequence on the page: where the next-value task's data comes from, and what a paste or a drawing becomes.

use crate::model::Config;
use crate::model::series::{MAX_SERIES_LEN, MAX_SERIES_VALUE, Series, SeriesError};
use crate::page::notice::Notice;

/// Where the next-value task's sequences come from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Source {
    /// The built-in waves, a new sine each sequence.
    #[default]
    Builtin,
    /// A curve the learner draws.
    Draw,
    /// Numbers the learner pastes.
    Paste,
}

impl Source {
    const ALL: [(Source, &'static str); 3] =
        [(Source::Builtin, "builtin"), (Source::Draw, "draw"), (Source::Paste, "paste")];

    /// The value of its option in the page's selector.
    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|(s, _)| *s == self).map_or("builtin", |(_, n)| n)
    }

    pub fn from_name(name: &str) -> Option<Source> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(s, _)| *s)
    }

    /// The source on show for a run whose config is `c` when `chosen` was chosen: a series
    /// that came from a link or a file while the built-in waves were chosen shows as pasted
    /// numbers (they can be read and edited there).
    pub fn shown(chosen: Source, c: &Config) -> Source {
        if chosen == Source::Builtin && c.series.is_some() { Source::Paste } else { chosen }
    }
}

/// The numbers of a paste as a series for sequences of `t_len` steps (T + 1 values at least),
/// or the notice that refuses it, naming the first bad item: nothing changes then.
pub fn from_paste(text: &str, t_len: usize) -> Result<Series, Notice> {
    Series::parse(text, t_len + 1).map_err(|e| refusal(&e, t_len))
}

/// Why a paste was refused, in the tables' words.
pub fn refusal(e: &SeriesError, t_len: usize) -> Notice {
    match e {
        SeriesError::Empty => Notice::link(|w| w.series_empty, &[]),
        SeriesError::TooFew { got, need } => {
            Notice::link(|w| w.series_too_few, &[("got", got), ("need", need), ("t", &t_len)])
        }
        SeriesError::TooMany { got } => Notice::link(|w| w.series_too_many, &[("got", got), ("most", &MAX_SERIES_LEN)]),
        SeriesError::NotANumber { position, item } => {
            Notice::link(|w| w.series_not_number, &[("position", position), ("item", item)])
        }
        SeriesError::NotFinite { position, item } => {
            Notice::link(|w| w.series_not_finite, &[("position", position), ("item", item)])
        }
        SeriesError::TooLarge { position, item } => {
            Notice::link(|w| w.series_too_large, &[("position", position), ("item", item), ("most", &MAX_SERIES_VALUE)])
        }
    }
}

/// The series as the paste box shows it: the numbers as Rust prints them (reading them back
/// gives the same bits), comma-separated.
pub fn as_text(series: &Series) -> String {
    series.values().iter().map(f64::to_string).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::text::Lang;

    #[test]
    fn a_refused_paste_names_the_first_bad_item_in_both_languages() {
        for w in [Lang::En.text(), Lang::Ja.text()] {
            let said = from_paste("0.1, 0.2, wave, 0.4", 2).unwrap_err().text_in(w);
            assert!(said.contains('3') && said.contains("wave"), "{said}");
            let said = from_paste("0.1 0.2", 5).unwrap_err().text_in(w);
            assert!(said.contains('2') && said.contains('6') && said.contains('5'), "{said}");
        }
        assert_eq!(from_paste("1 2 3", 2).map(|s| s.len()), Ok(3));
    }

    #[test]
    fn the_paste_box_reads_back_the_same_bits() {
        let s = Series::parse("0.1 -2.5e-7 123456.789 1", 2).unwrap();
        assert_eq!(Series::parse(&as_text(&s), 2), Ok(s));
    }

    #[test]
    fn a_series_from_a_link_shows_as_pasted_numbers() {
        let with = Config { series: Series::parse("1 2 3", 2).ok(), ..Config::default() };
        assert_eq!(Source::shown(Source::Builtin, &with), Source::Paste);
        assert_eq!(Source::shown(Source::Draw, &with), Source::Draw);
        assert_eq!(Source::shown(Source::Builtin, &Config::default()), Source::Builtin);
        for s in [Source::Builtin, Source::Draw, Source::Paste] {
            assert_eq!(Source::from_name(s.name()), Some(s));
        }
    }
}
