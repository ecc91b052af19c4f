//! What the user chose: sizes, learning rate, seed, task, training mode and its controls, with their limits.

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::series::Series;
use super::settings::{BlogLoop, SETTINGS, Value};

/// A setting with a fixed set of values, each named in run files and links: the one table
/// that maps each value to its string (`Training::BlogLoop` is `"seed"`).
pub trait Named: Copy + PartialEq + 'static {
    /// Every value, in the order of [`Named::NAMES`].
    const VALUES: &'static [Self];
    /// The name of each value in [`Named::VALUES`].
    const NAMES: &'static [&'static str];

    /// The name in run files and links.
    fn name(self) -> String {
        self.name_str().to_owned()
    }

    /// [`Named::name`], borrowed.
    fn name_str(self) -> &'static str {
        Self::VALUES.iter().position(|v| *v == self).map_or("", |i| Self::NAMES[i])
    }

    /// The value of that name, if it is one.
    fn from_name(name: &str) -> Option<Self> {
        Self::NAMES.iter().position(|n| *n == name).map(|i| Self::VALUES[i])
    }
}

/// Reads a name of a [`Named`] setting as its index in the names: one visitor for every
/// such setting (serde's derive would write one per type, each in the wasm).
struct NameVisitor(&'static [&'static str]);

impl Visitor<'_> for NameVisitor {
    type Value = usize;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        let names: Vec<String> = self.0.iter().map(|n| format!("`{n}`")).collect();
        write!(f, "one of {}", names.join(", "))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        self.0.iter().position(|n| *n == v).ok_or_else(|| E::unknown_variant(v, self.0))
    }
}

/// Serde for a [`Named`] setting: written and read as its name.
macro_rules! by_name {
    ($($t:ty),*) => {$(
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.name_str())
            }
        }

        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_str(NameVisitor(Self::NAMES)).map(|i| Self::VALUES[i])
            }
        }
    )*};
}

by_name!(Training, Task, Init, DataMode, CellKind, Activation);

impl Named for Training {
    const VALUES: &'static [Self] = &[Training::BlogLoop, Training::Bptt];
    const NAMES: &'static [&'static str] = &["seed", "bptt"];
}
impl Named for Task {
    const VALUES: &'static [Self] = &[Task::RandomTarget, Task::SineNext, Task::RememberFirst, Task::Adding];
    const NAMES: &'static [&'static str] = &["random-target", "sine-next", "remember-first", "adding"];
}
impl Named for Init {
    const VALUES: &'static [Self] = &[Init::Unscaled, Init::Scaled];
    const NAMES: &'static [&'static str] = &["unscaled", "scaled"];
}
impl Named for DataMode {
    const VALUES: &'static [Self] = &[DataMode::Fixed, DataMode::Fresh];
    const NAMES: &'static [&'static str] = &["fixed", "fresh"];
}
impl Named for CellKind {
    const VALUES: &'static [Self] = &[CellKind::Rnn, CellKind::Lstm, CellKind::Gru];
    const NAMES: &'static [&'static str] = &["rnn", "lstm", "gru"];
}
impl Named for Activation {
    const VALUES: &'static [Self] = &[Activation::Tanh, Activation::Relu, Activation::Linear];
    const NAMES: &'static [&'static str] = &["tanh", "relu", "linear"];
}

/// Which recurrent cell the run trains (`config.cell`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CellKind {
    /// The plain RNN, `h_t = φ(Wx x_t + Wh h_{t-1} + b)` (`src/model/rnn.rs`).
    #[default]
    Rnn,
    /// The LSTM, gate blocks f, g, i, o and a cell state c (`src/model/lstm.rs`).
    Lstm,
    /// The GRU, blocks z, r, h̃ (`src/model/gru.rs`).
    Gru,
}

/// The plain RNN's activation φ (`config.activation`): `h_t = φ(a_t)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Activation {
    /// tanh, bounded in (−1, 1): φ′(a) = 1 − h².
    #[default]
    Tanh,
    /// max(a, 0): φ′(a) = 1 for a > 0, else 0 (ReLU′(0) = 0).
    Relu,
    /// a itself: φ′ = 1.
    Linear,
}

/// Which loop trains the network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Training {
    /// The blog's loop (`"seed"` in files and links: the seed document's code): h carried
    /// across epochs (h0 = 0 once), gradient `2 (h_T - y)`, backward through the last
    /// timestep only, plain SGD.
    #[default]
    BlogLoop,
    /// Textbook BPTT: h0 = 0 every epoch, the exact gradient of `mean((h_T - y)^2)` back
    /// through every timestep (or the last `truncation` of them).
    Bptt,
}

/// What the network is asked to learn. The tasks other than the seed's read the hidden state
/// through an output layer `ŷ_t = Wy h_t + by` (Wy O×H, by O).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Task {
    /// The seed's task: x ~ N(0, 1) (T×D), y ~ N(0, 1) (H), compared with h_T itself.
    #[default]
    RandomTarget,
    /// Predict the next value of a sine wave: D = O = 1, a loss at every step, y T×1.
    SineNext,
    /// Carry x_1 across T − 1 steps of small noise: O = D, the loss at the last step, y = x_1.
    RememberFirst,
    /// Hochreiter & Schmidhuber's adding problem: D = 2, O = 1, the loss at the last step, T ≥ 2.
    Adding,
}

/// Where the loss reads the network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LossAt {
    /// h_T itself against y (H): the seed's task.
    LastHidden,
    /// ŷ_T against y (O): `L = (1/O) Σ_o (ŷ_T,o − y_o)²`.
    LastOutput,
    /// ŷ_t against y_t at every step (y T×O): `L = (1/(T·O)) Σ_t Σ_o (ŷ_t,o − y_t,o)²`.
    EveryOutput,
}

impl Task {
    /// Where this task's loss reads the network.
    pub fn loss_at(self) -> LossAt {
        match self {
            Task::RandomTarget => LossAt::LastHidden,
            Task::RememberFirst | Task::Adding => LossAt::LastOutput,
            Task::SineNext => LossAt::EveryOutput,
        }
    }

    /// D, when the task fixes it (sine-next 1, adding 2).
    pub fn input_size(self) -> Option<usize> {
        match self {
            Task::SineNext => Some(1),
            Task::Adding => Some(2),
            Task::RandomTarget | Task::RememberFirst => None,
        }
    }

    /// Sizes (T, D, H) made fit for this task: D fixed where the task fixes it, T ≥ 2 for adding.
    pub fn fit_sizes(self, (t_len, d, h): (usize, usize, usize)) -> (usize, usize, usize) {
        let t_len = if self == Task::Adding { t_len.max(2) } else { t_len };
        (t_len, self.input_size().unwrap_or(d), h)
    }

    /// O, the outputs of the output layer for input size D: 0 for the seed's task (no layer).
    pub fn output_size(self, input_size: usize) -> usize {
        match self {
            Task::RandomTarget => 0,
            Task::SineNext | Task::Adding => 1,
            Task::RememberFirst => input_size,
        }
    }
}

/// How the starting weights are drawn from the weights stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Init {
    /// The blog's: Wx, Wh ~ N(0, 1), b = 0.
    Unscaled,
    /// Wx, Wh, Wy ~ N(0, 1) times 1/√D, g/√H and 1/√H (g = `init_scale`); biases 0.
    Scaled,
}

/// Whether every epoch sees the same sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataMode {
    /// The same x and y every epoch.
    Fixed,
    /// A new sequence every epoch: epoch e's is a function of (seed, e) alone.
    Fresh,
}

/// The settings of a run: the `config` object of the run file and the page's URL hash.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// T, timesteps: rows of x.
    pub seq_length: usize,
    /// D, features per timestep: columns of x.
    pub input_size: usize,
    /// H, hidden units.
    pub hidden_size: usize,
    pub learning_rate: f64,
    /// Epochs the command line runs (the page runs until paused).
    pub epochs: usize,
    /// Drives every random number not given explicitly.
    pub seed: u64,
    pub task: Task,
    pub training: Training,
    /// BPTT only: backpropagate through the last k timesteps (default: all T).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub truncation: Option<usize>,
    /// The starting weights' distribution (default: unscaled for random-target, else scaled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init: Option<Init>,
    /// g of the scaled init, 0 to 10 (default 1): Wh ~ N(0, g²/H), so ρ(Wh) ≈ g.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init_scale: Option<f64>,
    /// BPTT only: gradients whose global L2 norm exceeds this are scaled down to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clip_norm: Option<f64>,
    /// Carry h_T into the next epoch's h_0 (default: true in seed training, false in BPTT).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stateful: Option<bool>,
    /// Fixed or fresh data (default: fixed for random-target, fresh for the other tasks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<DataMode>,
    /// Fresh data only: the e of the run's first epoch (epoch e's data depends on (seed, e)).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub data_offset: u64,
    /// The recurrent cell (default the plain RNN).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<CellKind>,
    /// The plain RNN's activation (default tanh).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activation: Option<Activation>,
    /// A gated cell's starting bias toward keeping its state, 0 to 10 (default 1): the LSTM's
    /// forget block of b starts at +keep_bias, the GRU's update block at −keep_bias.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_bias: Option<f64>,
    /// The next-value task only: the learner's own sequence in place of the built-in waves,
    /// T + 1 to 10,000 values within ±1e6 (see [`Series`]); each epoch reads T + 1 of them in a row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<Series>,
}

fn is_zero(v: &u64) -> bool {
    *v == 0
}

impl Default for Config {
    /// The seed's setup: T = 10, D = 5, H = 10, learning rate 0.01, 100 epochs.
    fn default() -> Self {
        Self {
            seq_length: 10,
            input_size: 5,
            hidden_size: 10,
            learning_rate: 0.01,
            epochs: 100,
            seed: 42,
            task: Task::RandomTarget,
            training: Training::BlogLoop,
            truncation: None,
            init: None,
            init_scale: None,
            clip_norm: None,
            stateful: None,
            data: None,
            data_offset: 0,
            cell: None,
            activation: None,
            keep_bias: None,
            series: None,
        }
    }
}

/// Largest sizes the model accepts (the page's sliders stop lower).
pub const MAX_SEQ_LENGTH: usize = 1000;
pub const MAX_INPUT_SIZE: usize = 1000;
pub const MAX_HIDDEN_SIZE: usize = 1000;
pub const MAX_EPOCHS: usize = 1_000_000;
pub const MAX_LEARNING_RATE: f64 = 100.0;
pub const MAX_INIT_SCALE: f64 = 10.0;
pub const MAX_KEEP_BIAS: f64 = 10.0;
/// The largest `data_offset`: with [`MAX_EPOCHS`] more, e stays far below 2³⁶, where the fresh
/// data's word position (e · 2³², in ChaCha's 68-bit counter) would wrap around.
pub const MAX_DATA_OFFSET: u64 = 1_000_000_000;

/// A setting that is out of range: the key (as in the run file) and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    pub key: String,
    pub problem: String,
}

impl Invalid {
    pub fn new(key: impl Into<String>, problem: impl Into<String>) -> Self {
        Self { key: key.into(), problem: problem.into() }
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.key, self.problem)
    }
}

impl std::error::Error for Invalid {}

/// A value as a message names it: a choice's name in quotes, a number or `true` as it is.
fn quoted(v: Value) -> String {
    match v {
        Value::Bool(_) | Value::Whole(_) | Value::Number(_) => v.text(),
        _ => format!("\"{}\"", v.text()),
    }
}

fn check_size(key: &str, value: usize, max: usize) -> Result<(), Invalid> {
    if (1..=max).contains(&value) {
        Ok(())
    } else {
        Err(Invalid::new(key, format!("must be from 1 to {max}, got {value}")))
    }
}

impl Config {
    /// Sizes (T, D, H) made fit for this task ([`Task::fit_sizes`]) and for the learner's
    /// series, which must hold T + 1 values: T at most its length − 1.
    pub fn fit_sizes(&self, sizes: (usize, usize, usize)) -> (usize, usize, usize) {
        let (t_len, d, h) = self.task.fit_sizes(sizes);
        let most = self.series.as_ref().map_or(usize::MAX, |s| s.len().saturating_sub(1).max(1));
        (t_len.min(most), d, h)
    }

    /// Micro-steps in one epoch: T forward, the loss, the backward steps and the update.
    pub fn steps_per_epoch(&self) -> usize {
        self.seq_length + 1 + self.backprop_steps() + 1
    }

    /// Timesteps backpropagated: 1 in seed mode, `truncation` or T in BPTT.
    pub fn backprop_steps(&self) -> usize {
        match self.training {
            Training::BlogLoop => 1,
            Training::Bptt => self.truncation.unwrap_or(self.seq_length).min(self.seq_length),
        }
    }

    /// The init in force: `init`, or unscaled for random-target and scaled for the other tasks.
    pub fn init(&self) -> Init {
        self.init.unwrap_or(if self.task == Task::RandomTarget { Init::Unscaled } else { Init::Scaled })
    }

    /// g of the scaled init (default 1).
    pub fn init_scale(&self) -> f64 {
        self.init_scale.unwrap_or(1.0)
    }

    /// Whether h_T carries into the next epoch: `stateful`, or true in seed training, false in BPTT.
    pub fn stateful(&self) -> bool {
        self.stateful.unwrap_or(self.training == Training::BlogLoop)
    }

    /// The data mode in force: `data`, or fixed for random-target and fresh for the other tasks.
    pub fn data(&self) -> DataMode {
        self.data.unwrap_or(if self.task == Task::RandomTarget { DataMode::Fixed } else { DataMode::Fresh })
    }

    /// The cell in force: `cell`, or the plain RNN.
    pub fn cell(&self) -> CellKind {
        self.cell.unwrap_or_default()
    }

    /// The plain RNN's activation in force: `activation`, or tanh.
    pub fn activation(&self) -> Activation {
        self.activation.unwrap_or_default()
    }

    /// The gated cells' keep bias in force: `keep_bias`, or 1.
    pub fn keep_bias(&self) -> f64 {
        self.keep_bias.unwrap_or(1.0)
    }

    /// Where the loss reads the network.
    pub fn loss_at(&self) -> LossAt {
        self.task.loss_at()
    }

    /// O, outputs of the output layer (0: none, the seed's task).
    pub fn output_size(&self) -> usize {
        self.task.output_size(self.input_size)
    }

    /// Every setting in range and allowed with the others (the table in docs/run-format.md),
    /// or the first one that is not (keys as in the run file).
    pub fn validate(&self) -> Result<(), Invalid> {
        self.validate_ranges()?;
        if let Some(series) = &self.series {
            if self.task != Task::SineNext {
                return Err(Invalid::new("config.series", "applies to task \"sine-next\" only"));
            }
            series.check(self.seq_length + 1).map_err(|e| Invalid::new("config.series", e.to_string()))?;
        }
        match self.training {
            Training::BlogLoop => self.validate_blog_loop(),
            Training::Bptt => self.validate_bptt(),
        }
    }

    /// Each setting in its range (the table in [`super::settings`]), and given only where
    /// the setting it needs is in force.
    fn validate_ranges(&self) -> Result<(), Invalid> {
        for s in &SETTINGS {
            let Some(value) = self.get(s.key) else { continue };
            if let (Some((lo, hi)), Some(v)) = (s.range, value.number())
                && !(v.is_finite() && s.in_range(v))
            {
                return Err(Invalid::new(s.file_key(), format!("must be from {lo} to {hi}, got {v}")));
            }
            if let Some((needed, v)) = s.needs.filter(|(needed, v)| self.in_force(*needed) != *v) {
                let problem = format!("applies to {} {} only", needed.setting().name, quoted(v));
                return Err(Invalid::new(s.file_key(), problem));
            }
        }
        Ok(())
    }

    /// The blog's loop: its task, its init, its carried state, fixed data, no extra controls
    /// (each setting's [`BlogLoop`] rule).
    fn validate_blog_loop(&self) -> Result<(), Invalid> {
        let in_blog_loop = "in \"seed\" training (the blog's loop)";
        for s in &SETTINGS {
            let problem = match s.blog_loop {
                BlogLoop::Must(v) if self.in_force(s.key) != v => format!("must be {} {in_blog_loop}", quoted(v)),
                BlogLoop::Never(why) if self.get(s.key).is_some() => format!("is not allowed {in_blog_loop}{why}"),
                _ => continue,
            };
            return Err(Invalid::new(s.file_key(), problem));
        }
        Ok(())
    }

    fn validate_bptt(&self) -> Result<(), Invalid> {
        if self.keep_bias.is_some() && self.cell() == CellKind::Rnn {
            return Err(Invalid::new("config.keep_bias", "applies to cell \"lstm\" or \"gru\" only"));
        }
        if let Some(c) = self.clip_norm
            && !(c.is_finite() && c > 0.0)
        {
            return Err(Invalid::new("config.clip_norm", format!("must be a number above 0, got {c}")));
        }
        if let Some(k) = self.truncation {
            if self.loss_at() == LossAt::EveryOutput {
                return Err(Invalid::new(
                    "config.truncation",
                    format!("is not allowed with \"{}\" (its loss is at every step)", self.task.name()),
                ));
            }
            check_size("config.truncation", k, self.seq_length)?;
        }
        if self.task == Task::RandomTarget && self.data() != DataMode::Fixed {
            return Err(Invalid::new("config.data", "must be \"fixed\" for \"random-target\""));
        }
        if let Some(d) = self.task.input_size().filter(|&d| d != self.input_size) {
            return Err(Invalid::new(
                "config.input_size",
                format!("must be {d} for \"{}\", got {}", self.task.name(), self.input_size),
            ));
        }
        if self.task == Task::Adding && self.seq_length < 2 {
            return Err(Invalid::new("config.seq_length", "must be at least 2 for \"adding\""));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_the_seeds_setup_and_valid() {
        let c = Config::default();
        assert_eq!((c.seq_length, c.input_size, c.hidden_size), (10, 5, 10));
        assert_eq!(c.learning_rate, 0.01);
        assert_eq!(c.backprop_steps(), 1);
        assert_eq!(c.validate(), Ok(()));
    }

    /// A series of the numbers in `text`, as a run file gives it (unchecked).
    fn series(text: &str) -> Option<Series> {
        let json = format!("[{}]", text.split_whitespace().collect::<Vec<_>>().join(","));
        Some(serde_json::from_str(&json).unwrap())
    }

    #[test]
    fn a_series_is_the_next_value_tasks_and_holds_t_plus_one_values() {
        let sine = Config { task: Task::SineNext, input_size: 1, training: Training::Bptt, ..Config::default() };
        assert_eq!(
            Config { series: series(&"0.5 ".repeat(11)), ..sine.clone() }.validate(),
            Ok(()),
            "T = 10, 11 values"
        );
        let bad = [
            Config { series: series(&"0.5 ".repeat(10)), ..sine.clone() },
            Config { series: series("1 2 3e7"), seq_length: 2, ..sine.clone() },
            Config { series: series(&"0.5 ".repeat(11)), task: Task::RememberFirst, input_size: 3, ..sine },
        ];
        for config in bad {
            assert_eq!(config.validate().map_err(|e| e.key), Err("config.series".to_string()), "{config:?}");
        }
    }

    #[test]
    fn out_of_range_settings_name_their_key() {
        let bad = Config { hidden_size: 0, ..Config::default() };
        assert_eq!(bad.validate().unwrap_err().key, "config.hidden_size");
        let bad = Config { learning_rate: f64::NAN, ..Config::default() };
        assert_eq!(bad.validate().unwrap_err().key, "config.learning_rate");
        let bad = Config { truncation: Some(3), ..Config::default() };
        assert_eq!(bad.validate().unwrap_err().key, "config.truncation");
        let bad = Config { training: Training::Bptt, truncation: Some(11), ..Config::default() };
        assert_eq!(bad.validate().unwrap_err().key, "config.truncation");
    }

    /// The validity table of docs/run-format.md, one line of it per case.
    #[test]
    fn settings_the_table_forbids_name_their_key() {
        let bptt = Config { training: Training::Bptt, ..Config::default() };
        let sine = Config { task: Task::SineNext, input_size: 1, ..bptt.clone() };
        let seed = Config::default();
        let cases = [
            (Config { task: Task::Adding, input_size: 2, ..seed.clone() }, "config.task"),
            (Config { init: Some(Init::Scaled), ..seed.clone() }, "config.init"),
            (Config { clip_norm: Some(1.0), ..seed.clone() }, "config.clip_norm"),
            (Config { stateful: Some(false), ..seed.clone() }, "config.stateful"),
            (Config { data: Some(DataMode::Fresh), ..seed.clone() }, "config.data"),
            (Config { init_scale: Some(2.0), ..bptt.clone() }, "config.init_scale"),
            (Config { init_scale: Some(11.0), ..sine.clone() }, "config.init_scale"),
            (Config { clip_norm: Some(0.0), ..bptt.clone() }, "config.clip_norm"),
            (Config { truncation: Some(2), ..sine.clone() }, "config.truncation"),
            (Config { data: Some(DataMode::Fresh), ..bptt.clone() }, "config.data"),
            (Config { input_size: 3, ..sine.clone() }, "config.input_size"),
            (Config { task: Task::Adding, input_size: 2, seq_length: 1, ..bptt.clone() }, "config.seq_length"),
            (Config { data_offset: 5, ..bptt.clone() }, "config.data_offset"),
            (Config { data: Some(DataMode::Fixed), data_offset: 5, ..sine.clone() }, "config.data_offset"),
            (Config { data_offset: MAX_DATA_OFFSET + 1, ..sine.clone() }, "config.data_offset"),
            (Config { cell: Some(CellKind::Lstm), ..seed.clone() }, "config.cell"),
            (Config { activation: Some(Activation::Relu), ..seed.clone() }, "config.activation"),
            (Config { keep_bias: Some(1.0), ..seed.clone() }, "config.keep_bias"),
            (
                Config { cell: Some(CellKind::Gru), activation: Some(Activation::Linear), ..bptt.clone() },
                "config.activation",
            ),
            (Config { keep_bias: Some(2.0), ..sine.clone() }, "config.keep_bias"),
            (Config { cell: Some(CellKind::Gru), keep_bias: Some(10.5), ..sine.clone() }, "config.keep_bias"),
            (Config { cell: Some(CellKind::Lstm), keep_bias: Some(-1.0), ..bptt.clone() }, "config.keep_bias"),
        ];
        for (config, key) in cases {
            assert_eq!(config.validate().map_err(|e| e.key), Err(key.to_string()), "{config:?}");
        }
        let allowed = [
            sine.clone(),
            Config {
                init_scale: Some(3.0),
                clip_norm: Some(1.0),
                stateful: Some(true),
                data_offset: 9,
                ..sine.clone()
            },
            Config { task: Task::RememberFirst, truncation: Some(3), data: Some(DataMode::Fixed), ..bptt.clone() },
            Config { task: Task::Adding, input_size: 2, init: Some(Init::Unscaled), ..bptt.clone() },
            Config { init: Some(Init::Scaled), stateful: Some(true), clip_norm: Some(0.5), ..bptt.clone() },
            Config { stateful: Some(true), ..seed.clone() },
            Config { cell: Some(CellKind::Rnn), activation: Some(Activation::Tanh), ..seed },
            Config { cell: Some(CellKind::Lstm), keep_bias: Some(0.0), clip_norm: Some(1.0), ..bptt.clone() },
            Config { cell: Some(CellKind::Gru), keep_bias: Some(10.0), truncation: Some(3), ..bptt.clone() },
            Config { activation: Some(Activation::Relu), stateful: Some(true), ..bptt.clone() },
            Config { activation: Some(Activation::Linear), task: Task::Adding, input_size: 2, ..bptt },
        ];
        for config in allowed {
            assert_eq!(config.validate(), Ok(()), "{config:?}");
        }
    }

    #[test]
    fn defaults_follow_the_task_and_the_training() {
        let seed = Config::default();
        assert_eq!(
            (seed.init(), seed.data(), seed.stateful(), seed.output_size()),
            (Init::Unscaled, DataMode::Fixed, true, 0)
        );
        let adding = Config { task: Task::Adding, input_size: 2, training: Training::Bptt, ..seed };
        assert_eq!((adding.init(), adding.data(), adding.stateful()), (Init::Scaled, DataMode::Fresh, false));
        assert_eq!(adding.init_scale(), 1.0);
        let remember = Config { task: Task::RememberFirst, input_size: 3, ..adding };
        assert_eq!((remember.output_size(), remember.loss_at()), (3, LossAt::LastOutput));
    }

    #[test]
    fn settings_are_named_as_in_run_files_and_links() {
        assert_eq!(Training::BlogLoop.name(), "seed");
        assert_eq!(Training::Bptt.name(), "bptt");
        assert_eq!(Task::RandomTarget.name(), "random-target");
        assert_eq!(Task::SineNext.name(), "sine-next");
        assert_eq!(Task::RememberFirst.name(), "remember-first");
        assert_eq!(Task::Adding.name(), "adding");
        assert_eq!((Init::Scaled.name(), DataMode::Fresh.name()), ("scaled".into(), "fresh".into()));
        for t in [Training::BlogLoop, Training::Bptt] {
            assert_eq!(Training::from_name(&t.name()), Some(t));
        }
        assert_eq!(Training::from_name("BlogLoop"), None);
        assert_eq!(Training::from_name("adam"), None);
        assert_eq!(
            (CellKind::Lstm.name(), CellKind::Gru.name(), CellKind::Rnn.name()),
            ("lstm".into(), "gru".into(), "rnn".into())
        );
        assert_eq!((Activation::Relu.name(), Activation::Linear.name()), ("relu".into(), "linear".into()));
        assert_eq!(Activation::from_name("tanh"), Some(Activation::Tanh));
    }

    #[test]
    fn bptt_goes_back_through_every_step_unless_truncated() {
        let full = Config { training: Training::Bptt, ..Config::default() };
        assert_eq!(full.backprop_steps(), 10);
        let cut = Config { truncation: Some(3), ..full };
        assert_eq!(cut.backprop_steps(), 3);
    }
}
