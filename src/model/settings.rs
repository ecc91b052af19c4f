//! Every setting of a run once: its key, the values it takes on the command line and on the page, how links and the log of changes write it, and what the blog's loop allows.
//!
//! The run file's strict reading ([`Config::validate`], exit 2 naming the key), the page's
//! lenient one (`page::url_hash`: clamped, with a notice), the link's `key=value` pairs and the
//! log of changes' entries (`page::moment`) all come from [`SETTINGS`].

use super::config::{Activation, CellKind, MAX_KEEP_BIAS};
use super::config::{Config, DataMode, Init, MAX_DATA_OFFSET, MAX_EPOCHS, MAX_INIT_SCALE, MAX_LEARNING_RATE};
use super::config::{MAX_HIDDEN_SIZE, MAX_INPUT_SIZE, MAX_SEQ_LENGTH, Named, Task, Training};

/// Which setting: the rows of [`SETTINGS`], in its order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    SeqLength,
    InputSize,
    HiddenSize,
    LearningRate,
    Seed,
    Training,
    Task,
    Init,
    InitScale,
    ClipNorm,
    Truncation,
    Stateful,
    Epochs,
    Data,
    DataOffset,
    Cell,
    Activation,
    KeepBias,
}

impl Key {
    /// Its row of [`SETTINGS`].
    pub fn setting(self) -> &'static Setting {
        &SETTINGS[self as usize]
    }

    /// T, D or H.
    pub fn is_size(self) -> bool {
        self.setting().kind == Kind::Size
    }
}

/// A value of one setting.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    /// A whole number: a size, the seed, k of truncation, epochs, the data offset.
    Whole(u64),
    /// A real number: the learning rate, g, the clipping norm.
    Number(f64),
    Training(Training),
    Task(Task),
    Init(Init),
    Data(DataMode),
    Cell(CellKind),
    Activation(Activation),
    Bool(bool),
    /// An optional control turned off (clipping off, truncation through all steps).
    Off,
}

impl Value {
    /// The number it holds (whole or real), if it holds one.
    pub fn number(self) -> Option<f64> {
        match self {
            Value::Whole(v) => Some(v as f64),
            Value::Number(v) => Some(v),
            _ => None,
        }
    }

    /// A whole number it holds, if it holds one.
    pub fn whole(self) -> Option<usize> {
        match self {
            Value::Whole(v) => usize::try_from(v).ok(),
            _ => None,
        }
    }

    /// As a link writes it (`key=` this): numbers as Rust prints them, names as in run files,
    /// `true`/`false`; `off` for a control turned off.
    pub fn text(self) -> String {
        match self {
            Value::Whole(v) => v.to_string(),
            Value::Number(v) => v.to_string(),
            Value::Training(v) => v.name(),
            Value::Task(v) => v.name(),
            Value::Init(v) => v.name(),
            Value::Data(v) => v.name(),
            Value::Cell(v) => v.name(),
            Value::Activation(v) => v.name(),
            Value::Bool(v) => v.to_string(),
            Value::Off => "off".into(),
        }
    }

    /// The value of `key` that `text` names, for the choices: `"bptt"` is `Training::Bptt`.
    pub fn named(key: Key, text: &str) -> Option<Value> {
        match key {
            Key::Training => Training::from_name(text).map(Value::Training),
            Key::Task => Task::from_name(text).map(Value::Task),
            Key::Init => Init::from_name(text).map(Value::Init),
            Key::Data => DataMode::from_name(text).map(Value::Data),
            Key::Cell => CellKind::from_name(text).map(Value::Cell),
            Key::Activation => Activation::from_name(text).map(Value::Activation),
            _ => None,
        }
    }
}

/// What values a setting takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// T, D or H: a whole number from 1 (the log writes it glued to its letter, `T12`).
    Size,
    /// A whole number.
    Whole,
    /// A real number.
    Number,
    /// A real number, or off (none): the log writes off as this word.
    NumberOrOff(&'static str),
    /// A whole number from 1, or off (none): the log writes off as this word.
    WholeOrOff(&'static str),
    /// One of a fixed set of names.
    Choice,
    /// `true` or `false` (the log writes 1 or 0).
    Bool,
}

/// Where a link writes a setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Link {
    /// Always, before the page's own settings (and at the head of the log, unnamed).
    Always,
    /// When given and not its default (and then also at the head of the log, named).
    WhenGiven,
    /// Never: a run file's setting only.
    No,
}

/// What the blog's loop (`training: "seed"`) allows of a setting.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum BlogLoop {
    Any,
    /// Only this value in force.
    Must(Value),
    /// Not given at all; the text says why, when there is more to say.
    Never(&'static str),
}

/// One setting: the row of the table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Setting {
    pub key: Key,
    /// The key in run files (`config.` this) and in links.
    pub name: &'static str,
    /// Its name in the log of changes (`lr` in `~30_lr_0.1`); sizes are their letter.
    pub log: Option<&'static str>,
    pub kind: Kind,
    /// What the command line accepts (`lo..=hi`), where a range applies.
    pub range: Option<(f64, f64)>,
    /// What the page's controls reach (a link beyond them is clamped, with a notice).
    pub page_range: Option<(f64, f64)>,
    pub link: Link,
    /// Not written in links when it is this (the default a missing key means).
    pub default: Option<Value>,
    pub blog_loop: BlogLoop,
    /// Applies only while this other setting is in force with this value.
    pub needs: Option<(Key, Value)>,
    /// A new value at the same micro-step replaces the last (a slider being dragged): no
    /// number changes in between.
    pub drags: bool,
}

const ROW: Setting = Setting {
    key: Key::Seed,
    name: "",
    log: None,
    kind: Kind::Whole,
    range: None,
    page_range: None,
    link: Link::Always,
    default: None,
    blog_loop: BlogLoop::Any,
    needs: None,
    drags: false,
};

/// The page's limits, tighter than the command line's.
pub const PAGE_MAX_SEQ_LENGTH: usize = 100;
pub const PAGE_MAX_INPUT_SIZE: usize = 32;
pub const PAGE_MAX_HIDDEN_SIZE: usize = 128;
pub const PAGE_MIN_LEARNING_RATE: f64 = 1e-4;
/// High enough to show a learning rate that is too large: the default network diverges.
pub const PAGE_MAX_LEARNING_RATE: f64 = 10.0;
/// The clip slider's ends (the command line takes any norm above 0).
pub const PAGE_MIN_CLIP: f64 = 0.01;
pub const PAGE_MAX_CLIP: f64 = 100.0;

const fn size(key: Key, name: &'static str, letter: &'static str, max: usize, page_max: usize) -> Setting {
    Setting {
        key,
        name,
        log: Some(letter),
        kind: Kind::Size,
        range: Some((1.0, max as f64)),
        page_range: Some((1.0, page_max as f64)),
        ..ROW
    }
}

/// Every setting, in [`Key`]'s order: the order links write them in.
pub static SETTINGS: [Setting; 18] = [
    size(Key::SeqLength, "seq_length", "T", MAX_SEQ_LENGTH, PAGE_MAX_SEQ_LENGTH),
    size(Key::InputSize, "input_size", "D", MAX_INPUT_SIZE, PAGE_MAX_INPUT_SIZE),
    size(Key::HiddenSize, "hidden_size", "H", MAX_HIDDEN_SIZE, PAGE_MAX_HIDDEN_SIZE),
    Setting {
        key: Key::LearningRate,
        name: "learning_rate",
        log: Some("lr"),
        kind: Kind::Number,
        range: Some((0.0, MAX_LEARNING_RATE)),
        page_range: Some((PAGE_MIN_LEARNING_RATE, PAGE_MAX_LEARNING_RATE)),
        drags: true,
        ..ROW
    },
    Setting { key: Key::Seed, name: "seed", ..ROW },
    Setting { key: Key::Training, name: "training", log: Some("train"), kind: Kind::Choice, ..ROW },
    Setting {
        key: Key::Task,
        name: "task",
        log: Some("task"),
        kind: Kind::Choice,
        link: Link::WhenGiven,
        default: Some(Value::Task(Task::RandomTarget)),
        blog_loop: BlogLoop::Must(Value::Task(Task::RandomTarget)),
        ..ROW
    },
    Setting {
        key: Key::Init,
        name: "init",
        log: Some("init"),
        kind: Kind::Choice,
        link: Link::WhenGiven,
        blog_loop: BlogLoop::Must(Value::Init(Init::Unscaled)),
        ..ROW
    },
    Setting {
        key: Key::InitScale,
        name: "init_scale",
        log: Some("g"),
        kind: Kind::Number,
        range: Some((0.0, MAX_INIT_SCALE)),
        page_range: Some((0.0, MAX_INIT_SCALE)),
        link: Link::WhenGiven,
        blog_loop: BlogLoop::Never(""),
        needs: Some((Key::Init, Value::Init(Init::Scaled))),
        drags: true,
        ..ROW
    },
    Setting {
        key: Key::ClipNorm,
        name: "clip_norm",
        log: Some("clip"),
        kind: Kind::NumberOrOff("off"),
        page_range: Some((PAGE_MIN_CLIP, PAGE_MAX_CLIP)),
        link: Link::WhenGiven,
        blog_loop: BlogLoop::Never(""),
        drags: true,
        ..ROW
    },
    Setting {
        key: Key::Truncation,
        name: "truncation",
        log: Some("k"),
        kind: Kind::WholeOrOff("all"),
        page_range: Some((1.0, PAGE_MAX_SEQ_LENGTH as f64)),
        link: Link::WhenGiven,
        blog_loop: BlogLoop::Never(" (it always goes back 1 step)"),
        drags: true,
        ..ROW
    },
    Setting {
        key: Key::Stateful,
        name: "stateful",
        log: Some("carry"),
        kind: Kind::Bool,
        link: Link::WhenGiven,
        blog_loop: BlogLoop::Must(Value::Bool(true)),
        ..ROW
    },
    Setting { key: Key::Epochs, name: "epochs", range: Some((0.0, MAX_EPOCHS as f64)), link: Link::No, ..ROW },
    Setting {
        key: Key::Data,
        name: "data",
        kind: Kind::Choice,
        link: Link::No,
        blog_loop: BlogLoop::Must(Value::Data(DataMode::Fixed)),
        ..ROW
    },
    Setting {
        key: Key::DataOffset,
        name: "data_offset",
        range: Some((0.0, MAX_DATA_OFFSET as f64)),
        link: Link::No,
        needs: Some((Key::Data, Value::Data(DataMode::Fresh))),
        ..ROW
    },
    Setting {
        key: Key::Cell,
        name: "cell",
        log: Some("cell"),
        kind: Kind::Choice,
        link: Link::WhenGiven,
        default: Some(Value::Cell(CellKind::Rnn)),
        blog_loop: BlogLoop::Must(Value::Cell(CellKind::Rnn)),
        ..ROW
    },
    Setting {
        key: Key::Activation,
        name: "activation",
        log: Some("act"),
        kind: Kind::Choice,
        link: Link::WhenGiven,
        default: Some(Value::Activation(Activation::Tanh)),
        blog_loop: BlogLoop::Must(Value::Activation(Activation::Tanh)),
        needs: Some((Key::Cell, Value::Cell(CellKind::Rnn))),
        ..ROW
    },
    Setting {
        key: Key::KeepBias,
        name: "keep_bias",
        log: Some("keep"),
        kind: Kind::Number,
        range: Some((0.0, MAX_KEEP_BIAS)),
        page_range: Some((0.0, MAX_KEEP_BIAS)),
        link: Link::WhenGiven,
        default: Some(Value::Number(1.0)),
        blog_loop: BlogLoop::Never(" (the blog's loop is the plain RNN's)"),
        drags: true,
        ..ROW
    },
];

/// The setting a link or run file calls `name`.
pub fn named(name: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.name == name)
}

/// The setting the log of changes calls `log` (not the sizes, which are their letter).
pub fn logged(log: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.log == Some(log) && s.kind != Kind::Size)
}

impl Setting {
    /// Its key as the run file's messages name it: "config.hidden_size".
    pub fn file_key(&self) -> String {
        format!("config.{}", self.name)
    }

    /// Whether `v` is in the command line's range (no range: any).
    pub fn in_range(&self, v: f64) -> bool {
        self.range.is_none_or(|(lo, hi)| (lo..=hi).contains(&v))
    }

    /// Whether `value` is within the page's controls (no range, or not a number: yes).
    pub fn within_page(&self, value: Value) -> bool {
        match (self.page_range, value.number()) {
            (Some((lo, hi)), Some(v)) => (lo..=hi).contains(&v),
            _ => true,
        }
    }

    /// A value as the log of changes writes it: `off`/`all` for a control turned off, a
    /// choice's name, 1 or 0.
    pub fn log_text(&self, value: Value) -> String {
        match (self.kind, value) {
            (Kind::NumberOrOff(off) | Kind::WholeOrOff(off), Value::Off) => off.into(),
            (_, Value::Bool(on)) => u8::from(on).to_string(),
            (_, value) => value.text(),
        }
    }

    /// A value the log of changes wrote, read strictly: finite numbers, whole ones above 0
    /// where a size or k is meant, the word for off, a known name, 1 or 0.
    pub fn read_log(&self, text: &str) -> Option<Value> {
        let whole = || text.parse::<u64>().ok().filter(|v| *v > 0).map(Value::Whole);
        let number = || text.parse::<f64>().ok().filter(|v| v.is_finite()).map(Value::Number);
        match self.kind {
            Kind::Size | Kind::Whole => whole(),
            Kind::Number => number(),
            Kind::NumberOrOff(off) | Kind::WholeOrOff(off) if text == off => Some(Value::Off),
            Kind::NumberOrOff(_) => number(),
            Kind::WholeOrOff(_) => whole(),
            Kind::Choice => Value::named(self.key, text),
            Kind::Bool => match text {
                "1" => Some(Value::Bool(true)),
                "0" => Some(Value::Bool(false)),
                _ => None,
            },
        }
    }

    /// What a link writes for this setting of `c`: nothing when it is not given, is its
    /// default, or applies only with another setting that is not in force.
    pub fn in_link(&self, c: &Config) -> Option<Value> {
        let needs_met = self.needs.is_none_or(|(key, v)| c.in_force(key) == v);
        c.get(self.key).filter(|v| Some(*v) != self.default && needs_met && self.link != Link::No)
    }
}

impl Config {
    /// The setting `key` as given (`None`: not given, the default in force; an optional
    /// control turned off).
    pub fn get(&self, key: Key) -> Option<Value> {
        let whole = |v: usize| Value::Whole(v as u64);
        match key {
            Key::SeqLength => Some(whole(self.seq_length)),
            Key::InputSize => Some(whole(self.input_size)),
            Key::HiddenSize => Some(whole(self.hidden_size)),
            Key::LearningRate => Some(Value::Number(self.learning_rate)),
            Key::Seed => Some(Value::Whole(self.seed)),
            Key::Training => Some(Value::Training(self.training)),
            Key::Task => Some(Value::Task(self.task)),
            Key::Init => self.init.map(Value::Init),
            Key::InitScale => self.init_scale.map(Value::Number),
            Key::ClipNorm => self.clip_norm.map(Value::Number),
            Key::Truncation => self.truncation.map(whole),
            Key::Stateful => self.stateful.map(Value::Bool),
            Key::Epochs => Some(whole(self.epochs)),
            Key::Data => self.data.map(Value::Data),
            Key::DataOffset => Some(self.data_offset).filter(|v| *v != 0).map(Value::Whole),
            Key::Cell => self.cell.map(Value::Cell),
            Key::Activation => self.activation.map(Value::Activation),
            Key::KeepBias => self.keep_bias.map(Value::Number),
        }
    }

    /// The setting `key` in force: as given, or its default (off for the optional controls).
    pub fn in_force(&self, key: Key) -> Value {
        match key {
            Key::Init => Value::Init(self.init()),
            Key::InitScale => Value::Number(self.init_scale()),
            Key::Stateful => Value::Bool(self.stateful()),
            Key::Data => Value::Data(self.data()),
            Key::DataOffset => Value::Whole(self.data_offset),
            Key::Cell => Value::Cell(self.cell()),
            Key::Activation => Value::Activation(self.activation()),
            Key::KeepBias => Value::Number(self.keep_bias()),
            key => self.get(key).unwrap_or(Value::Off),
        }
    }

    /// Sets `key` to `value` (`None` or [`Value::Off`]: not given, or off); a value of the
    /// wrong kind leaves it as it was.
    pub fn set(&mut self, key: Key, value: Option<Value>) {
        let value = value.filter(|v| *v != Value::Off);
        let number = value.and_then(Value::number);
        let whole = value.and_then(Value::whole);
        match (key, value) {
            (Key::SeqLength, _) => self.seq_length = whole.unwrap_or(self.seq_length),
            (Key::InputSize, _) => self.input_size = whole.unwrap_or(self.input_size),
            (Key::HiddenSize, _) => self.hidden_size = whole.unwrap_or(self.hidden_size),
            (Key::LearningRate, _) => self.learning_rate = number.unwrap_or(self.learning_rate),
            (Key::Seed, Some(Value::Whole(seed))) => self.seed = seed,
            (Key::Training, Some(Value::Training(t))) => self.training = t,
            (Key::Task, Some(Value::Task(t))) => self.task = t,
            (Key::Task, None) => self.task = Task::RandomTarget,
            (Key::Init, Some(Value::Init(i))) => self.init = Some(i),
            (Key::Init, None) => self.init = None,
            (Key::InitScale, _) => self.init_scale = number,
            (Key::ClipNorm, _) => self.clip_norm = number,
            (Key::Truncation, _) => self.truncation = whole,
            (Key::Stateful, Some(Value::Bool(on))) => self.stateful = Some(on),
            (Key::Stateful, None) => self.stateful = None,
            (Key::Epochs, _) => self.epochs = whole.unwrap_or(self.epochs),
            (Key::Data, Some(Value::Data(d))) => self.data = Some(d),
            (Key::Data, None) => self.data = None,
            (Key::DataOffset, _) => self.data_offset = whole.map_or(0, |v| v as u64),
            (Key::Cell, Some(Value::Cell(cell))) => self.cell = Some(cell),
            (Key::Cell, None) => self.cell = None,
            (Key::Activation, Some(Value::Activation(a))) => self.activation = Some(a),
            (Key::Activation, None) => self.activation = None,
            (Key::KeepBias, _) => self.keep_bias = number,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rows_are_in_the_keys_order_and_named_once() {
        for (i, s) in SETTINGS.iter().enumerate() {
            assert_eq!(s.key as usize, i, "{}", s.name);
            assert_eq!(named(s.name), Some(s));
            if let Some(log) = s.log.filter(|_| s.kind != Kind::Size) {
                assert_eq!(logged(log), Some(s));
            }
        }
    }

    #[test]
    fn every_setting_reads_back_what_it_was_set_to() {
        let mut c = Config::default();
        let values = [
            (Key::SeqLength, Value::Whole(12)),
            (Key::InputSize, Value::Whole(2)),
            (Key::HiddenSize, Value::Whole(7)),
            (Key::LearningRate, Value::Number(0.3)),
            (Key::Seed, Value::Whole(9)),
            (Key::Training, Value::Training(Training::Bptt)),
            (Key::Task, Value::Task(Task::Adding)),
            (Key::Init, Value::Init(Init::Scaled)),
            (Key::InitScale, Value::Number(1.5)),
            (Key::ClipNorm, Value::Number(0.5)),
            (Key::Truncation, Value::Whole(3)),
            (Key::Stateful, Value::Bool(true)),
            (Key::Epochs, Value::Whole(7)),
            (Key::Data, Value::Data(DataMode::Fresh)),
            (Key::DataOffset, Value::Whole(4)),
            (Key::Cell, Value::Cell(CellKind::Gru)),
            (Key::KeepBias, Value::Number(3.0)),
        ];
        for (key, value) in values {
            c.set(key, Some(value));
            assert_eq!(c.get(key), Some(value), "{key:?}");
            let s = key.setting();
            if s.log.is_some() {
                assert_eq!(s.read_log(&s.log_text(value)), Some(value), "{key:?}");
            }
        }
        assert_eq!(c.validate(), Ok(()));
        for key in [Key::ClipNorm, Key::Truncation] {
            c.set(key, Some(Value::Off));
            assert_eq!((c.get(key), c.in_force(key)), (None, Value::Off));
            assert_eq!(key.setting().read_log(&key.setting().log_text(Value::Off)), Some(Value::Off));
        }
    }

    #[test]
    fn a_link_writes_only_what_is_given_and_in_force() {
        let c = Config { init_scale: Some(2.0), ..Config::default() };
        assert_eq!(Key::InitScale.setting().in_link(&c), None, "the scaled init is not in force");
        let c = Config { init: Some(Init::Scaled), ..c };
        assert_eq!(Key::InitScale.setting().in_link(&c), Some(Value::Number(2.0)));
        assert_eq!(Key::Task.setting().in_link(&c), None, "the default task");
        assert_eq!(Key::Epochs.setting().in_link(&c), None, "a run file's setting");
    }
}
