//! What the user chose: sizes, learning rate, seed, task and training mode, with their limits.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// A setting with a fixed set of values, named in run files and links by serde (the one place
/// each value is mapped to its string, e.g. `Training::BlogLoop` is `"seed"`).
pub trait Named: Serialize + DeserializeOwned + Copy {
    /// The name in run files and links.
    fn name(self) -> String {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(name)) => name,
            _ => unreachable!("a Named setting serialises as a string"),
        }
    }

    /// The value of that name, if it is one.
    fn from_name(name: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
    }
}

impl Named for Training {}
impl Named for Task {}

/// Which loop trains the network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Training {
    /// The blog's loop (`"seed"` in files and links: the seed document's code): h carried
    /// across epochs (h0 = 0 once), gradient `2 (h_T - y)`, backward through the last
    /// timestep only, plain SGD.
    #[default]
    #[serde(rename = "seed")]
    BlogLoop,
    /// Textbook BPTT: h0 = 0 every epoch, the exact gradient of `mean((h_T - y)^2)` back
    /// through every timestep (or the last `truncation` of them).
    Bptt,
}

/// What the network is asked to learn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Task {
    /// The seed's task: x ~ N(0, 1) (T×D), y ~ N(0, 1) (H), compared with h_T itself.
    #[default]
    RandomTarget,
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
        }
    }
}

/// Largest sizes the model accepts (the page's sliders stop lower).
pub const MAX_SEQ_LENGTH: usize = 1000;
pub const MAX_INPUT_SIZE: usize = 1000;
pub const MAX_HIDDEN_SIZE: usize = 1000;
pub const MAX_EPOCHS: usize = 1_000_000;
pub const MAX_LEARNING_RATE: f64 = 100.0;

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

fn check_size(key: &str, value: usize, max: usize) -> Result<(), Invalid> {
    if (1..=max).contains(&value) {
        Ok(())
    } else {
        Err(Invalid::new(key, format!("must be from 1 to {max}, got {value}")))
    }
}

impl Config {
    /// Timesteps backpropagated: 1 in seed mode, `truncation` or T in BPTT.
    pub fn backprop_steps(&self) -> usize {
        match self.training {
            Training::BlogLoop => 1,
            Training::Bptt => self.truncation.unwrap_or(self.seq_length).min(self.seq_length),
        }
    }

    /// Every setting in range, or the first one that is not (keys as in the run file).
    pub fn validate(&self) -> Result<(), Invalid> {
        check_size("config.seq_length", self.seq_length, MAX_SEQ_LENGTH)?;
        check_size("config.input_size", self.input_size, MAX_INPUT_SIZE)?;
        check_size("config.hidden_size", self.hidden_size, MAX_HIDDEN_SIZE)?;
        let lr = self.learning_rate;
        if !(lr.is_finite() && (0.0..=MAX_LEARNING_RATE).contains(&lr)) {
            return Err(Invalid::new(
                "config.learning_rate",
                format!("must be from 0 to {MAX_LEARNING_RATE}, got {lr}"),
            ));
        }
        if self.epochs > MAX_EPOCHS {
            return Err(Invalid::new("config.epochs", format!("must be from 0 to {MAX_EPOCHS}, got {}", self.epochs)));
        }
        if let Some(k) = self.truncation {
            if self.training != Training::Bptt {
                return Err(Invalid::new(
                    "config.truncation",
                    "applies to \"bptt\" training only (seed training always goes back 1 step)",
                ));
            }
            check_size("config.truncation", k, self.seq_length)?;
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

    #[test]
    fn settings_are_named_as_in_run_files_and_links() {
        assert_eq!(Training::BlogLoop.name(), "seed");
        assert_eq!(Training::Bptt.name(), "bptt");
        assert_eq!(Task::RandomTarget.name(), "random-target");
        for t in [Training::BlogLoop, Training::Bptt] {
            assert_eq!(Training::from_name(&t.name()), Some(t));
        }
        assert_eq!(Training::from_name("BlogLoop"), None);
        assert_eq!(Training::from_name("adam"), None);
    }

    #[test]
    fn bptt_goes_back_through_every_step_unless_truncated() {
        let full = Config { training: Training::Bptt, ..Config::default() };
        assert_eq!(full.backprop_steps(), 10);
        let cut = Config { truncation: Some(3), ..full };
        assert_eq!(cut.backprop_steps(), 3);
    }
}
