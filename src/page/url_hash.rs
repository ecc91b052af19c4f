//! Settings in the page's URL hash (`#seq_length=10&...&training=seed`), read leniently: bad values become notices.

use super::playback::{DEFAULT_SPEED_INDEX, SPEEDS};
use crate::model::{Config, Training};

/// The page's limits, tighter than the command line's.
pub const PAGE_MAX_SEQ_LENGTH: usize = 100;
pub const PAGE_MAX_INPUT_SIZE: usize = 32;
pub const PAGE_MAX_HIDDEN_SIZE: usize = 128;
pub const PAGE_MIN_LEARNING_RATE: f64 = 1e-4;
pub const PAGE_MAX_LEARNING_RATE: f64 = 1.0;

/// Everything a link carries: the run's settings (under the run file's key names) and the
/// page's play speed (`speed`, the slider position).
#[derive(Clone, Debug, PartialEq)]
pub struct PageSettings {
    pub config: Config,
    pub speed: usize,
}

impl Default for PageSettings {
    fn default() -> Self {
        Self { config: Config::default(), speed: DEFAULT_SPEED_INDEX }
    }
}

/// The hash for these settings, without the leading `#`.
pub fn to_hash(settings: &PageSettings) -> String {
    let c = &settings.config;
    let training = match c.training {
        Training::BlogLoop => "seed",
        Training::Bptt => "bptt",
    };
    format!(
        "seq_length={}&input_size={}&hidden_size={}&learning_rate={}&seed={}&training={}&speed={}",
        c.seq_length, c.input_size, c.hidden_size, c.learning_rate, c.seed, training, settings.speed
    )
}

/// Reads a hash (with or without `#`) over `base`: every good setting applied, every bad one
/// clamped or ignored, each with a notice a person can read.
pub fn from_hash(hash: &str, base: &PageSettings) -> (PageSettings, Vec<String>) {
    let mut c = base.config.clone();
    let mut speed = base.speed;
    let mut notices = Vec::new();
    for pair in hash.trim_start_matches('#').split('&').filter(|p| !p.is_empty()) {
        let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
        let value = decode(raw);
        let value = value.trim();
        let mut size = |field: &mut usize, max: usize| match parse_number(value) {
            Some(v) => {
                let clamped = v.round().clamp(1.0, max as f64) as usize;
                if clamped as f64 != v {
                    notices.push(format!("{key}={value} is out of range (1–{max}); using {clamped}"));
                }
                *field = clamped;
            }
            None => notices.push(format!("{key}={value} is not a number; kept {field}")),
        };
        match key {
            "seq_length" => size(&mut c.seq_length, PAGE_MAX_SEQ_LENGTH),
            "input_size" => size(&mut c.input_size, PAGE_MAX_INPUT_SIZE),
            "hidden_size" => size(&mut c.hidden_size, PAGE_MAX_HIDDEN_SIZE),
            "learning_rate" => match parse_number(value) {
                Some(v) => {
                    let clamped = v.clamp(PAGE_MIN_LEARNING_RATE, PAGE_MAX_LEARNING_RATE);
                    if clamped != v {
                        notices.push(format!(
                            "learning_rate={value} is out of range ({PAGE_MIN_LEARNING_RATE}–{PAGE_MAX_LEARNING_RATE}); using {clamped}"
                        ));
                    }
                    c.learning_rate = clamped;
                }
                None => notices.push(format!("learning_rate={value} is not a number; kept {}", c.learning_rate)),
            },
            "seed" => match value.parse::<u64>() {
                Ok(v) => c.seed = v,
                Err(_) => notices.push(format!("seed={value} is not a whole number from 0 to 2^64−1; kept {}", c.seed)),
            },
            "training" => match value {
                "seed" => c.training = Training::BlogLoop,
                "bptt" => c.training = Training::Bptt,
                _ => notices.push(format!("training={value} is not \"seed\" or \"bptt\"; kept the current mode")),
            },
            "task" if value == "random-target" => {}
            "speed" => match value.parse::<usize>() {
                Ok(v) if v < SPEEDS.len() => speed = v,
                _ => notices.push(format!(
                    "speed={value} is not a slider position from 0 to {}; kept {speed}",
                    SPEEDS.len() - 1
                )),
            },
            _ => notices.push(format!("ignored the unknown setting \"{key}\"")),
        }
    }
    c.truncation = None;
    (PageSettings { config: c, speed }, notices)
}

/// A finite number, or None.
fn parse_number(s: &str) -> Option<f64> {
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A value with its `%xx` escapes decoded (invalid ones left as they are) and `+` as a space,
/// by the form-encoding rules. Keys are matched as written, so only values are decoded.
fn decode(raw: &str) -> String {
    // `parse` reads `name=value` pairs: behind an empty name, all of `raw` (an `=` in it too) is the value.
    form_urlencoded::parse(format!("={raw}").as_bytes()).next().map(|(_, value)| value.into_owned()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let settings = PageSettings { config, speed: 9 };
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
        assert!(notices.iter().any(|n| n.contains("colour")));
        assert!(c.validate().is_ok());
    }

    #[test]
    fn sizes_are_rounded_and_rates_clamped() {
        let (page, notices) = from_hash("hidden_size=12.6&learning_rate=5&seq_length=", &PageSettings::default());
        assert_eq!(page.config.hidden_size, 13);
        assert_eq!(page.config.learning_rate, 1.0);
        assert_eq!(page.config.seq_length, 10);
        assert_eq!(notices.len(), 3);
    }

    #[test]
    fn escapes_are_decoded() {
        assert_eq!(decode("0%2E5"), "0.5");
        assert_eq!(decode("a%zz%"), "a%zz%");
        assert_eq!(decode("1+%2B+2=3"), "1 + 2=3");
        let (page, _) = from_hash("learning_rate=0%2E5", &PageSettings::default());
        assert_eq!(page.config.learning_rate, 0.5);
    }
}
