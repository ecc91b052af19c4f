//! Settings in the page's URL hash (`#seq_length=10&...&training=seed`), read leniently: bad values become notices.

use super::moment::{Journal, quote};
use super::notice::Notice;
use super::playback::{DEFAULT_SPEED_INDEX, SPEEDS};
use super::present::Panels;
use super::slow_motion::{DEFAULT_BEAT, beat_from_text};
use super::text::Lang;
use crate::model::config::{CellKind, Init, LossAt, Named, Task};
use crate::model::series::Series;
use crate::model::settings::{self, BlogLoop, Key, Kind, Link, SETTINGS, Value};
use crate::model::{Config, Training};

pub use crate::model::settings::{
    PAGE_MAX_CLIP, PAGE_MAX_HIDDEN_SIZE, PAGE_MAX_INPUT_SIZE, PAGE_MAX_LEARNING_RATE, PAGE_MAX_SEQ_LENGTH,
    PAGE_MIN_CLIP, PAGE_MIN_LEARNING_RATE,
};

/// Everything a link carries: the run's settings (under the run file's key names), the page's
/// play speed (`speed`, the slider position) and, when it fits, the moment (`log` and `at`).
#[derive(Clone, Debug, PartialEq)]
pub struct PageSettings {
    pub config: Config,
    pub speed: usize,
    /// The page's language, when chosen (the link's `lang`); otherwise the browser's decides.
    pub lang: Option<Lang>,
    /// Play in slow motion (`slow=true`): one micro-step a second, each lighting its panels.
    pub slow: bool,
    /// Seconds per micro-step in slow motion (`beat=0.5`, one of [`super::slow_motion::BEATS`]; written only in
    /// slow motion and when not a second).
    pub beat: f64,
    /// Train a twin one weight apart beside the run and chart their distance (`twin=true`): a
    /// view of the run, not a change to it, so a link's replay leaves it out (the twin starts
    /// anew from wherever the run is when it is turned on, after a change, or after a replay).
    pub twin: bool,
    /// Present mode (`present=true`): large type, the controls in one row, only `panels` shown.
    pub present: bool,
    /// The panels Present mode shows (`panels=2,4,6,7`, written only in Present mode).
    pub panels: Panels,
    /// The changes since the run's start and the micro-step now.
    pub moment: Option<(Journal, u64)>,
}

impl Default for PageSettings {
    fn default() -> Self {
        Self {
            config: Config::default(),
            speed: DEFAULT_SPEED_INDEX,
            lang: None,
            slow: false,
            beat: DEFAULT_BEAT,
            twin: false,
            present: false,
            panels: Panels::default(),
            moment: None,
        }
    }
}

/// The hash for these settings, without the leading `#`: the run's settings that are always
/// written, the speed, the run's settings that are given (each as [`SETTINGS`] says), then the
/// page's own.
pub fn to_hash(settings: &PageSettings) -> String {
    let c = &settings.config;
    let mut pairs = Vec::new();
    for s in SETTINGS.iter().filter(|s| s.link == Link::Always) {
        pairs.extend(c.get(s.key).map(|v| format!("{}={}", s.name, v.text())));
    }
    pairs.push(format!("speed={}", settings.speed));
    for s in SETTINGS.iter().filter(|s| s.link == Link::WhenGiven) {
        pairs.extend(s.in_link(c).map(|v| format!("{}={}", s.name, v.text())));
    }
    if let Some(series) = c.series.as_ref().and_then(Series::to_link) {
        pairs.push(format!("series={series}"));
    }
    if settings.slow {
        pairs.push("slow=true".into());
        if settings.beat != DEFAULT_BEAT {
            pairs.push(format!("beat={}", settings.beat));
        }
    }
    if settings.twin {
        pairs.push("twin=true".into());
    }
    if settings.present {
        pairs.push("present=true".into());
        if settings.panels != Panels::default() {
            pairs.push(format!("panels={}", settings.panels.text()));
        }
    }
    if let Some(lang) = settings.lang {
        pairs.push(format!("lang={}", lang.code()));
    }
    if let Some((journal, at)) = &settings.moment {
        pairs.push(format!("log={}&at={at}", journal.encode()));
    }
    pairs.join("&")
}

/// Reads a hash (with or without `#`) over `base`: every good setting applied, every bad one
/// clamped or ignored, each with a notice a person can read.
pub fn from_hash(hash: &str, base: &PageSettings) -> (PageSettings, Vec<Notice>) {
    let mut c = base.config.clone();
    let mut speed = base.speed;
    let mut lang = base.lang;
    let (mut slow, mut beat, mut twin) = (base.slow, base.beat, base.twin);
    let (mut present, mut panels) = (base.present, base.panels);
    let mut notices = Vec::new();
    let (mut log, mut at) = (None, None);
    let mut asked = Vec::new();
    for (key, value) in form_urlencoded::parse(hash.trim_start_matches('#').as_bytes()) {
        let (key, value) = (key.trim(), value.trim());
        asked.push(key.to_string());
        let shown = format!("{}={}", quote(key), quote(value));
        if read_config_key(&mut c, key, value, &shown, &mut notices) {
            continue;
        }
        match key {
            "speed" => match value.parse::<usize>() {
                Ok(v) if v < SPEEDS.len() => speed = v,
                _ => notices.push(Notice::link(
                    |w| w.hash_bad_speed,
                    &[("shown", &shown), ("max", &(SPEEDS.len() - 1)), ("kept", &speed)],
                )),
            },
            "slow" => slow = read_bool(value, &shown, &mut notices).unwrap_or(slow),
            "beat" => match beat_from_text(value) {
                Some(b) => beat = b,
                None => notices.push(Notice::link(|w| w.hash_bad_beat, &[("shown", &shown), ("kept", &beat)])),
            },
            "twin" => twin = read_bool(value, &shown, &mut notices).unwrap_or(twin),
            "present" => present = read_bool(value, &shown, &mut notices).unwrap_or(present),
            "panels" => match Panels::from_text(value) {
                Some(p) => panels = p,
                None => {
                    notices.push(Notice::link(|w| w.hash_bad_panels, &[("shown", &shown), ("kept", &panels.text())]))
                }
            },
            "lang" => match Lang::from_code(value) {
                Some(l) => lang = Some(l),
                None => notices.push(Notice::link(|w| w.hash_bad_lang, &[("shown", &shown)])),
            },
            "series" => match Series::from_link(value, 2) {
                Ok(series) => c.series = Some(series),
                Err(_) => notices.push(Notice::link(|w| w.hash_bad_series, &[])),
            },
            "log" => log = Some(value.to_string()),
            "at" => at = Some(value.to_string()),
            _ => notices.push(Notice::link(|w| w.hash_unknown, &[("key", &quote(key))])),
        }
    }
    make_valid(&mut c, &asked, &mut notices);
    let moment = read_moment(log, at, &c, &mut notices);
    (PageSettings { config: c, speed, lang, slow, beat, twin, present, panels, moment }, notices)
}

/// Reads `key` if it is one of the run's settings in links (true), leniently: a number beyond
/// the page's controls is clamped to them, a size rounded, and a bad value kept out, each with
/// a notice.
fn read_config_key(c: &mut Config, key: &str, value: &str, shown: &str, notices: &mut Vec<Notice>) -> bool {
    let Some(s) = settings::named(key).filter(|s| s.link != Link::No) else { return false };
    let kept = c.get(s.key).map_or(String::new(), Value::text);
    let clamped = |v: f64, notices: &mut Vec<Notice>| {
        let (lo, hi) = s.page_range.unwrap_or((f64::MIN, f64::MAX));
        let mut used = v.clamp(lo, hi);
        if matches!(s.kind, Kind::Size | Kind::WholeOrOff(_)) {
            used = used.round().clamp(lo, hi);
        }
        if used != v {
            notices.push(out_of_range(shown, lo, hi, used));
        }
        used
    };
    let whole = |v: f64| Value::Whole(v as u64);
    let read = match (s.kind, parse_number(value)) {
        (Kind::NumberOrOff(off) | Kind::WholeOrOff(off), _) if ["off", off, ""].contains(&value) => Some(Value::Off),
        (Kind::Size | Kind::WholeOrOff(_), Some(v)) => Some(whole(clamped(v, notices))),
        (Kind::Number | Kind::NumberOrOff(_), Some(v)) => Some(Value::Number(clamped(v, notices))),
        (Kind::Size | Kind::Number, None) => {
            notices.push(Notice::link(|w| w.hash_not_number_kept, &[("shown", &shown), ("kept", &kept)]));
            None
        }
        (Kind::NumberOrOff(_) | Kind::WholeOrOff(_), None) => {
            notices.push(Notice::link(|w| w.hash_not_number_ignored, &[("shown", &shown)]));
            None
        }
        (Kind::Whole, _) => {
            let read = value.parse::<u64>().ok().map(Value::Whole);
            if read.is_none() {
                notices.push(Notice::link(|w| w.hash_bad_seed, &[("shown", &shown), ("kept", &kept)]));
            }
            read
        }
        (Kind::Choice, _) => {
            let read = Value::named(s.key, value);
            if read.is_none() {
                notices.push(bad_choice(s.key, shown));
            }
            read
        }
        (Kind::Bool, _) => read_bool(value, shown, notices).map(Value::Bool),
    };
    if read.is_some() {
        c.set(s.key, read);
    }
    true
}

/// "training=adam is not "seed" or "bptt"; kept the current mode".
fn bad_choice(key: Key, shown: &str) -> Notice {
    match key {
        Key::Training => Notice::link(|w| w.hash_bad_training, &[("shown", &shown)]),
        Key::Task => Notice::link(|w| w.hash_bad_task, &[("shown", &shown)]),
        _ => Notice::link(|w| w.hash_bad_init, &[("shown", &shown)]),
    }
}

/// Settles settings a link asked for that do not go together (the table in
/// docs/run-format.md), each with a notice when the link `asked` for the key: the task decides
/// the training, D and what truncation allows; the blog's loop drops the controls it does not have.
fn make_valid(c: &mut Config, asked: &[String], notices: &mut Vec<Notice>) {
    let task = c.task.name();
    let asked_for = |key: &str| asked.iter().any(|k| k == key);
    if c.task != Task::RandomTarget && c.training == Training::BlogLoop && asked_for("training") {
        notices.push(Notice::link(|w| w.hash_task_needs_bptt, &[("task", &task)]));
    }
    if c.task != Task::RandomTarget {
        c.training = Training::Bptt;
    }
    let (t_len, d, _) = c.task.fit_sizes((c.seq_length, c.input_size, c.hidden_size));
    if d != c.input_size && asked_for("input_size") {
        notices.push(Notice::link(|w| w.hash_input_fit, &[("asked", &c.input_size), ("task", &task), ("d", &d)]));
    }
    if t_len != c.seq_length {
        notices.push(Notice::link(|w| w.hash_too_short, &[("asked", &c.seq_length), ("task", &task), ("t", &t_len)]));
    }
    (c.seq_length, c.input_size) = (t_len, d);
    fit_series(c, notices);
    if c.training == Training::BlogLoop {
        // The blog's loop keeps only what it allows; what it would refuse was asked for in vain.
        for s in SETTINGS.iter().filter(|s| s.link == Link::WhenGiven) {
            let asked = match s.blog_loop {
                BlogLoop::Any => continue,
                BlogLoop::Must(v) => c.get(s.key).filter(|given| *given != v),
                BlogLoop::Never(_) => c.get(s.key),
            };
            if s.key != Key::Task {
                c.set(s.key, None);
            }
            if asked.is_some() {
                notices.push(Notice::link(|w| w.hash_bptt_only, &[("key", &s.name)]));
            }
        }
    }
    if c.truncation.is_some() && c.loss_at() == LossAt::EveryOutput {
        notices.push(Notice::link(|w| w.hash_truncation_every_step, &[("task", &task)]));
        c.truncation = None;
    }
    if let Some(k) = c.truncation.filter(|k| *k > c.seq_length) {
        notices.push(Notice::link(|w| w.hash_truncation_long, &[("k", &k), ("t", &c.seq_length)]));
        c.truncation = None;
    }
    if c.init_scale.is_some() && c.init() != Init::Scaled {
        if c.init.is_none() {
            c.init = Some(Init::Scaled);
        } else {
            notices.push(Notice::link(|w| w.hash_scale_needs_scaled, &[]));
            c.init_scale = None;
        }
    }
    keep_cells_own(c, &asked_for, notices);
    if let Err(e) = c.validate() {
        notices.push(Notice::link(|w| w.hash_invalid, &[("error", &e)]));
        *c = Config { seed: c.seed, ..Config::default() };
    }
}

/// The learner's series only with the next-value task, and T short enough for it (T + 1 values).
fn fit_series(c: &mut Config, notices: &mut Vec<Notice>) {
    if c.task != Task::SineNext {
        c.series = None;
    } else if let Some(n) = c.series.as_ref().map(Series::len).filter(|n| c.seq_length >= *n) {
        notices.push(Notice::link(|w| w.hash_series_short, &[("asked", &c.seq_length), ("n", &n), ("t", &(n - 1))]));
        c.seq_length = n - 1;
    }
}

/// Each cell's own setting only with that cell (the plain RNN's activation, the gated cells'
/// keep bias): dropped otherwise, and said when the link asked for it.
fn keep_cells_own(c: &mut Config, asked_for: &impl Fn(&str) -> bool, notices: &mut Vec<Notice>) {
    let plain = c.cell() == CellKind::Rnn;
    if plain && c.keep_bias.take().is_some() && asked_for("keep_bias") {
        notices.push(Notice::link(|w| w.hint_keep_bias, &[]));
    }
    if !plain && c.activation.take().is_some() && asked_for("activation") {
        notices.push(Notice::link(|w| w.hint_activation, &[]));
    }
}

/// "true" or "false"; anything else is refused with a notice.
fn read_bool(value: &str, shown: &str, notices: &mut Vec<Notice>) -> Option<bool> {
    match value {
        "true" => Some(true),
        "false" => Some(false),
        _ => {
            notices.push(Notice::link(|w| w.hash_bad_bool, &[("shown", &shown)]));
            None
        }
    }
}

/// "seq_length=500 is out of range (1–100); using 100".
fn out_of_range(
    shown: &str,
    lo: impl std::fmt::Display,
    hi: impl std::fmt::Display,
    used: impl std::fmt::Display,
) -> Notice {
    Notice::link(|w| w.hash_out_of_range, &[("shown", &shown), ("lo", &lo), ("hi", &hi), ("used", &used)])
}

/// The moment a link carries (`log` and `at` together), if it is one this page can replay:
/// sizes and rates within the page's limits, a replay of a few seconds at most.
fn read_moment(
    log: Option<String>,
    at: Option<String>,
    c: &Config,
    notices: &mut Vec<Notice>,
) -> Option<(Journal, u64)> {
    let (log, at) = match (log, at) {
        (None, None) => return None,
        (Some(log), Some(at)) => (log, at),
        _ => {
            notices.push(Notice::link(|w| w.moment_needs_both, &[]));
            return None;
        }
    };
    let Some(at) = at.parse::<u64>().ok() else {
        notices.push(Notice::link(|w| w.moment_bad_at, &[("at", &quote(&at))]));
        return None;
    };
    let journal = match Journal::decode(&log, c) {
        Ok(j) => j,
        Err(_) => {
            // The log's words are said when shown (in the language then on show).
            notices.push(Notice::MomentRefused { log: quote(&log) });
            return None;
        }
    };
    if !within_page_limits(&journal) || !journal.fits_in_link(at) {
        notices.push(Notice::link(|w| w.moment_beyond, &[]));
        return None;
    }
    Some((journal, at))
}

/// Whether every setting the journal starts from or changes is within the page's controls.
fn within_page_limits(journal: &Journal) -> bool {
    let start = journal.start();
    SETTINGS.iter().all(|s| start.get(s.key).is_none_or(|v| s.within_page(v)))
        && journal.edits().iter().all(|(_, edit)| edit.settings().iter().all(|(k, v)| k.setting().within_page(*v)))
}

/// A finite number, or None.
fn parse_number(s: &str) -> Option<f64> {
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::config::MAX_INIT_SCALE;

    /// The notices in English, as the page shows them in English.
    fn english(notices: &[Notice]) -> Vec<String> {
        notices.iter().map(|n| n.text_in(Lang::En.text())).collect()
    }

    #[test]
    fn a_hash_round_trips_every_setting() {
        let config = Config {
            seq_length: 37,
            input_size: 3,
            hidden_size: 64,
            learning_rate: 0.003,
            seed: 7,
            training: Training::Bptt,
            ..Config::default()
        };
        let settings = PageSettings {
            config,
            speed: 9,
            lang: None,
            slow: false,
            beat: DEFAULT_BEAT,
            twin: false,
            present: false,
            panels: Panels::default(),
            moment: None,
        };
        let hash = to_hash(&settings);
        assert_eq!(hash, "seq_length=37&input_size=3&hidden_size=64&learning_rate=0.003&seed=7&training=bptt&speed=9");
        let (back, notices) = from_hash(&format!("#{hash}"), &PageSettings::default());
        assert_eq!(back, settings);
        assert!(notices.is_empty());
    }

    #[test]
    fn bad_values_are_clamped_or_ignored_with_a_notice() {
        let (page, notices) = from_hash(
            "#seq_length=5000&input_size=abc&hidden_size=-4&learning_rate=NaN&seed=-1&training=adam&colour=red&task=random-target&speed=99",
            &PageSettings::default(),
        );
        let c = page.config;
        assert_eq!(c.seq_length, 100);
        assert_eq!(c.input_size, 5);
        assert_eq!(c.hidden_size, 1);
        assert_eq!(c.learning_rate, 0.01);
        assert_eq!(c.seed, 42);
        assert_eq!(c.training, Training::BlogLoop);
        assert_eq!(page.speed, DEFAULT_SPEED_INDEX);
        assert_eq!(notices.len(), 8, "{notices:?}");
        assert!(english(&notices).iter().any(|n| n.contains("colour")));
        assert!(c.validate().is_ok());
    }

    #[test]
    fn the_language_round_trips_and_a_bad_one_is_refused() {
        let settings = PageSettings { lang: Some(Lang::Ja), ..PageSettings::default() };
        let hash = to_hash(&settings);
        assert!(hash.ends_with("&lang=ja"), "{hash}");
        assert_eq!(from_hash(&hash, &PageSettings::default()), (settings, vec![]));
        let (page, notices) = from_hash("lang=fr", &PageSettings::default());
        assert_eq!(page.lang, None);
        assert_eq!(english(&notices), vec!["lang=fr is not \"ja\" or \"en\"; kept the current language".to_string()]);
    }

    #[test]
    fn a_task_and_its_controls_round_trip() {
        let config = Config {
            seq_length: 12,
            input_size: 2,
            task: Task::Adding,
            training: Training::Bptt,
            init: Some(Init::Scaled),
            init_scale: Some(1.5),
            clip_norm: Some(0.3),
            truncation: Some(4),
            stateful: Some(true),
            ..Config::default()
        };
        let settings = PageSettings {
            config,
            speed: 3,
            lang: None,
            slow: false,
            beat: DEFAULT_BEAT,
            twin: false,
            present: false,
            panels: Panels::default(),
            moment: None,
        };
        let hash = to_hash(&settings);
        assert!(
            hash.ends_with("&task=adding&init=scaled&init_scale=1.5&clip_norm=0.3&truncation=4&stateful=true"),
            "{hash}"
        );
        let (back, notices) = from_hash(&hash, &PageSettings::default());
        assert_eq!((back, notices), (settings, vec![]));
    }

    #[test]
    fn a_task_link_that_asks_the_impossible_is_settled_with_notices() {
        let (page, notices) = from_hash(
            "task=sine-next&training=seed&input_size=4&truncation=3&init_scale=99&clip_norm=0",
            &PageSettings::default(),
        );
        let c = page.config;
        assert_eq!((c.task, c.training, c.input_size, c.truncation), (Task::SineNext, Training::Bptt, 1, None));
        assert_eq!((c.init_scale, c.clip_norm), (Some(MAX_INIT_SCALE), Some(PAGE_MIN_CLIP)));
        assert_eq!(notices.len(), 5, "{notices:?}");
        assert!(c.validate().is_ok());
        let (page, notices) = from_hash("clip_norm=1&stateful=false&task=bogus", &PageSettings::default());
        assert_eq!((page.config.clip_norm, page.config.stateful), (None, None), "the seed code has neither");
        assert_eq!(notices.len(), 3, "{notices:?}");
        let (page, notices) = from_hash("task=adding&seq_length=1&truncation=50", &PageSettings::default());
        assert_eq!((page.config.seq_length, page.config.input_size, page.config.truncation), (2, 2, None));
        assert_eq!(notices.len(), 2, "{notices:?}");
        let (page, notices) = from_hash("task=adding", &PageSettings::default());
        assert_eq!((page.config.training, page.config.input_size), (Training::Bptt, 2));
        assert_eq!(notices, Vec::<Notice>::new(), "a task alone asks nothing impossible");
    }

    #[test]
    fn sizes_are_rounded_and_rates_clamped() {
        let (page, notices) = from_hash("hidden_size=12.6&learning_rate=50&seq_length=", &PageSettings::default());
        assert_eq!(page.config.hidden_size, 13);
        assert_eq!(page.config.learning_rate, 10.0);
        assert_eq!(page.config.seq_length, 10);
        assert_eq!(notices.len(), 3);
    }

    #[test]
    fn keys_and_values_are_decoded_alike() {
        let (page, notices) = from_hash("learning%5Frate=0%2E5&%3Cimg%20src=1", &PageSettings::default());
        assert_eq!(page.config.learning_rate, 0.5);
        assert_eq!(english(&notices), ["ignored the unknown setting \"<img src\""]);
        let (_, notices) = from_hash("seed=%3Cb%3E", &PageSettings::default());
        assert!(english(&notices)[0].starts_with("seed=<b> is not"), "{notices:?}");
    }

    #[test]
    fn notices_quote_a_few_dozen_characters_of_a_bad_key_or_value() {
        let long = "x".repeat(100_000);
        let (_, notices) = from_hash(&format!("{long}=1&seed={long}"), &PageSettings::default());
        assert_eq!(notices.len(), 2);
        assert!(english(&notices).iter().all(|n| n.len() < 160), "{notices:?}");
    }

    #[test]
    fn the_twin_run_goes_in_the_link_only_when_on() {
        let on = PageSettings { twin: true, ..PageSettings::default() };
        assert!(to_hash(&on).ends_with("&twin=true"));
        assert!(!to_hash(&PageSettings::default()).contains("twin"));
        assert_eq!(from_hash(&to_hash(&on), &PageSettings::default()), (on, vec![]));
        let (kept, notices) = from_hash("twin=maybe", &PageSettings::default());
        assert!(!kept.twin && notices.len() == 1, "a bad value is refused with a notice: {notices:?}");
    }

    #[test]
    fn a_cells_own_setting_asked_for_another_cell_is_dropped_with_a_notice() {
        let (page, notices) =
            from_hash("training=bptt&cell=lstm&activation=relu&keep_bias=3", &PageSettings::default());
        let c = &page.config;
        assert_eq!((c.cell(), c.activation, c.keep_bias), (CellKind::Lstm, None, Some(3.0)));
        assert_eq!(english(&notices), [crate::page::text::Lang::En.text().hint_activation]);
        let (page, notices) = from_hash("training=bptt&keep_bias=3", &PageSettings::default());
        assert_eq!((page.config.cell(), page.config.keep_bias), (CellKind::Rnn, None));
        assert_eq!(english(&notices), [crate::page::text::Lang::En.text().hint_keep_bias]);
    }

    #[test]
    fn present_mode_and_its_panels_go_in_the_link_only_when_on() {
        let on = PageSettings { present: true, ..PageSettings::default() };
        assert!(to_hash(&on).ends_with("&present=true"), "the default panels are not written");
        let some = PageSettings { present: true, panels: Panels::of(&[1, 4]), ..PageSettings::default() };
        assert!(to_hash(&some).ends_with("&present=true&panels=1,4"));
        let off = PageSettings { panels: Panels::of(&[1, 4]), ..PageSettings::default() };
        assert!(!to_hash(&off).contains("present") && !to_hash(&off).contains("panels"));
        for settings in [on, some] {
            assert_eq!(from_hash(&to_hash(&settings), &PageSettings::default()), (settings, vec![]));
        }
        let (kept, notices) = from_hash("present=true&panels=2,9", &PageSettings::default());
        assert!(kept.present && kept.panels == Panels::default() && notices.len() == 1, "{notices:?}");
        assert!(english(&notices)[0].contains("2,4,6,7"), "{notices:?}");
    }

    #[test]
    fn a_moment_round_trips_and_a_bad_one_is_refused() {
        let mut journal = Journal::new(&Config::default());
        journal.record(30, super::super::moment::Edit::set(Key::LearningRate, Value::Number(0.5)));
        let settings = PageSettings { moment: Some((journal, 77)), ..PageSettings::default() };
        let (back, notices) = from_hash(&to_hash(&settings), &PageSettings::default());
        assert_eq!((back, notices.len()), (settings, 0));
        for bad in ["log=10_5_10_0.01_seed", "at=5", "log=1_2_3&at=5", "log=10_5_10_0.01_seed&at=-1"] {
            let (page, notices) = from_hash(bad, &PageSettings::default());
            assert_eq!((page.moment, notices.len()), (None, 1), "{bad}");
        }
        let (page, notices) = from_hash("log=10_5_999_0.01_seed&at=5", &PageSettings::default());
        assert_eq!((page.moment, notices.len()), (None, 1), "beyond the page's sizes");
    }
}
