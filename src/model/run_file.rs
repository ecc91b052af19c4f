//! The run file `rnn-playground.run/1`: read a spec, run it, write the completed run (see docs/run-format.md).

use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};

use super::cell::{AnyCell, Cell};
use super::config::{CellKind, Config, DataMode, Init, Invalid, LossAt};
use super::matrix::{from_rows, to_rows};
use super::params::{Dim, ParamSpec, Params, Sizes};
use super::rng::{Normal, Stream};
use super::rnn;
use super::session::{Session, starting_weights};
use super::tasks;

/// How often [`RunFile::complete_with_progress`] reports, in epochs.
pub const PROGRESS_EVERY: usize = 100;

/// The value of the `format` key.
pub const FORMAT: &str = "rnn-playground.run/1";

/// Weights (or their gradients) as the run file writes them: one key per parameter of the
/// cell's list, in its order (`wx`, `wh`, `b`, then `wy`, `by` where there is an output layer);
/// matrices as arrays of rows, vectors flat.
#[derive(Clone, Debug, PartialEq)]
pub struct WeightsJson {
    /// One entry per parameter of `specs`, in its order.
    entries: Vec<WeightsEntry>,
    specs: &'static [ParamSpec],
}

/// One parameter's numbers in the run file.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
enum WeightsEntry {
    /// A matrix, as rows.
    Matrix(Vec<Vec<f64>>),
    /// A vector.
    Vector(Vec<f64>),
}

impl WeightsEntry {
    fn is_empty(&self) -> bool {
        match self {
            WeightsEntry::Matrix(rows) => rows.is_empty(),
            WeightsEntry::Vector(v) => v.is_empty(),
        }
    }
}

/// Parameters and gradients alike: gradients are written under the parameters' names
/// (`grads.wx` is dWx).
impl From<&Params> for WeightsJson {
    fn from(p: &Params) -> Self {
        let mut entries = Vec::with_capacity(p.specs().len());
        for (spec, m) in p.iter() {
            entries.push(if spec.is_vector() {
                WeightsEntry::Vector(m.as_slice().to_vec())
            } else {
                WeightsEntry::Matrix(to_rows(m))
            });
        }
        Self { entries, specs: p.specs() }
    }
}

impl WeightsJson {
    /// The parameters, for sizes D and H and the task's O (shapes checked by [`RunFile::validate`]).
    pub fn params(&self, sizes: Sizes) -> Params {
        let mut values = Vec::with_capacity(self.specs.len());
        for (spec, entry) in self.iter() {
            values.push(match entry {
                WeightsEntry::Matrix(rows) => from_rows(rows, spec.shape(sizes).1),
                WeightsEntry::Vector(v) => DMatrix::from_column_slice(v.len(), 1, v),
            });
        }
        Params::from_values(self.specs, sizes, values)
    }

    /// The same numbers read as the parameters of `specs`: a cell's list has the same names in
    /// the same order as the plain RNN's ([`rnn::PARAM_NAMES`]), which the run file is read by.
    fn for_cell(mut self, specs: &'static [ParamSpec]) -> Self {
        debug_assert!(specs.iter().map(|s| s.name).eq(self.specs.iter().map(|s| s.name)));
        self.specs = specs;
        self
    }

    fn iter(&self) -> impl Iterator<Item = (&'static ParamSpec, &WeightsEntry)> {
        self.specs.iter().zip(&self.entries)
    }

    /// Checks every parameter's shape for sizes `s`; the error names `{key}.{name}`.
    fn validate(&self, key: &str, s: Sizes) -> Result<(), Invalid> {
        for (spec, entry) in self.iter() {
            let (name, (rows, cols)) = (format!("{key}.{}", spec.name), spec.shape(s));
            match entry {
                WeightsEntry::Matrix(m) => {
                    // "hidden_size rows of input_size", "the task's outputs, rows of hidden_size"
                    let comma = if spec.rows == Dim::Output { "," } else { "" };
                    let what = format!("{}{comma} rows of {}", spec.rows.described(), spec.cols.described());
                    check_matrix(&name, m, rows, cols, &what)?
                }
                WeightsEntry::Vector(v) => check_vector(&name, v, rows, spec.rows.described())?,
            }
        }
        Ok(())
    }
}

impl Serialize for WeightsJson {
    /// The output layer's keys are left out where there is none.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let written = self.iter().filter(|(spec, e)| !(spec.is_output() && e.is_empty()));
        let mut map = serializer.serialize_map(None)?;
        for (spec, entry) in written {
            map.serialize_entry(spec.name, entry)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for WeightsJson {
    /// Every parameter of the cell's list by its name; the output layer's may be left out.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(WeightsVisitor { specs: &rnn::PARAMS, names: &rnn::PARAM_NAMES })
    }
}

struct WeightsVisitor {
    specs: &'static [ParamSpec],
    /// The specs' names, for serde's messages.
    names: &'static [&'static str],
}

impl<'de> serde::de::Visitor<'de> for WeightsVisitor {
    type Value = WeightsJson;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object with the parameters by name")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<WeightsJson, A::Error> {
        use serde::de::Error;
        let mut entries: Vec<Option<WeightsEntry>> = vec![None; self.specs.len()];
        while let Some(key) = map.next_key::<String>()? {
            let Some(i) = self.specs.iter().position(|s| s.name == key) else {
                return Err(A::Error::unknown_field(&key, self.names));
            };
            if entries[i].is_some() {
                return Err(A::Error::duplicate_field(self.specs[i].name));
            }
            entries[i] = Some(if self.specs[i].is_vector() {
                WeightsEntry::Vector(map.next_value()?)
            } else {
                WeightsEntry::Matrix(map.next_value()?)
            });
        }
        let mut filled = Vec::with_capacity(self.specs.len());
        for (spec, entry) in self.specs.iter().zip(entries) {
            filled.push(match entry {
                Some(e) => e,
                None if spec.is_output() && spec.is_vector() => WeightsEntry::Vector(Vec::new()),
                None if spec.is_output() => WeightsEntry::Matrix(Vec::new()),
                None => return Err(A::Error::missing_field(spec.name)),
            });
        }
        Ok(WeightsJson { entries: filled, specs: self.specs })
    }
}

/// One entry of `y`: a number (the target vector's entries), or a row of O numbers (a target
/// at every step, T rows).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged, expecting = "a number, or for a target at every step a row of numbers")]
pub enum TargetEntry {
    Value(f64),
    Row(Vec<f64>),
}

/// A sequence as the run file writes it: x (T rows of D) and y.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataJson {
    pub x: Vec<Vec<f64>>,
    pub y: Vec<TargetEntry>,
}

/// `y` flat as the session keeps it, in the run file's layout for a loss read at `loss_at`.
fn target_json(y: &DVector<f64>, loss_at: LossAt, output_size: usize) -> Vec<TargetEntry> {
    match loss_at {
        LossAt::EveryOutput => y.as_slice().chunks(output_size.max(1)).map(|r| TargetEntry::Row(r.to_vec())).collect(),
        _ => y.iter().map(|&v| TargetEntry::Value(v)).collect(),
    }
}

fn data_json(x: &DMatrix<f64>, y: &DVector<f64>, c: &Config) -> DataJson {
    DataJson { x: to_rows(x), y: target_json(y, c.loss_at(), c.output_size()) }
}

/// One run: its settings, optionally its data and starting weights, and once run, its results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunFile {
    pub format: String,
    pub config: Config,
    /// T rows of D.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<Vec<Vec<f64>>>,
    /// The target: H numbers (random-target), O (a loss at the last step) or T rows of O (a
    /// loss at every step).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<Vec<TargetEntry>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init: Option<WeightsJson>,
    /// Stateful runs only: the hidden state the run starts from (H; default zeros). The page
    /// writes it when a run begins mid-way, with the state carried from before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub h0: Option<Vec<f64>>,
    /// Stateful LSTM runs only: the cell state the run starts from (H; default zeros), beside `h0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub c0: Option<Vec<f64>>,
    /// How many epochs had run before this file's first (the page counts on from there: a run
    /// saved at epoch 646 opens at 646); 0 when absent. No number depends on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epochs_before: Option<u64>,
    /// Output: the loss of each epoch's forward pass, before its update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub losses: Option<Vec<f64>>,
    /// Output: the gradients applied in epoch 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grads: Option<WeightsJson>,
    /// Output: the weights after the last update.
    #[serde(default, rename = "final", skip_serializing_if = "Option::is_none")]
    pub final_weights: Option<WeightsJson>,
    /// Output, fresh data only: the first epoch's x and y.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_epoch_data: Option<DataJson>,
}

/// Parses a run file. The error names the key (a dotted path such as `config.hidden_size`)
/// and what is wrong with it.
pub fn parse(text: &str) -> Result<RunFile, Invalid> {
    if !text.trim_start().starts_with('{') {
        // IgnoredAny reads any JSON and keeps nothing: only whether it parses matters here.
        let problem = match serde_json::from_str::<serde::de::IgnoredAny>(text) {
            Err(e) => format!("not valid JSON: {e}"),
            Ok(_) => "must be a JSON object { \"format\": ..., \"config\": {...} }".to_string(),
        };
        return Err(Invalid::new("run file", problem));
    }
    let de = &mut serde_json::Deserializer::from_str(text);
    let run: RunFile = serde_path_to_error::deserialize(de).map_err(|e| {
        let key = e.path().to_string();
        let inner = e.into_inner();
        let problem =
            if inner.is_syntax() || inner.is_eof() { format!("not valid JSON: {inner}") } else { inner.to_string() };
        // serde's messages about a missing or unknown key name it themselves.
        Invalid::new(if key == "." { "run file".to_string() } else { key }, problem)
    })?;
    let specs = AnyCell::of(&run.config).params();
    let mut run = run;
    for w in [&mut run.init, &mut run.grads, &mut run.final_weights] {
        *w = w.take().map(|w| w.for_cell(specs));
    }
    run.validate()?;
    Ok(run)
}

fn check_matrix(key: &str, rows: &[Vec<f64>], n_rows: usize, n_cols: usize, what: &str) -> Result<(), Invalid> {
    if rows.len() != n_rows {
        return Err(Invalid::new(key, format!("must have {n_rows} rows ({what}), got {}", rows.len())));
    }
    match rows.iter().position(|r| r.len() != n_cols) {
        Some(i) => {
            Err(Invalid::new(format!("{key}[{i}]"), format!("must have {n_cols} numbers, got {}", rows[i].len())))
        }
        None => Ok(()),
    }
}

fn check_vector(key: &str, v: &[f64], n: usize, what: &str) -> Result<(), Invalid> {
    if v.len() == n {
        Ok(())
    } else {
        Err(Invalid::new(key, format!("must have {n} numbers ({what}), got {}", v.len())))
    }
}

/// The most epochs a run file may say ran before it (`epochs_before`).
pub const MAX_EPOCHS_BEFORE: u64 = 1_000_000_000;

impl RunFile {
    /// A spec with only settings: everything else comes from the seed.
    pub fn from_config(config: Config) -> Self {
        Self {
            format: FORMAT.into(),
            config,
            x: None,
            y: None,
            init: None,
            h0: None,
            c0: None,
            epochs_before: None,
            losses: None,
            grads: None,
            final_weights: None,
            first_epoch_data: None,
        }
    }

    /// `y` flat, as the session keeps it (rows of a target at every step one after another).
    pub fn y_flat(&self) -> Option<Vec<f64>> {
        let entry = |e: &TargetEntry| match e {
            TargetEntry::Value(v) => vec![*v],
            TargetEntry::Row(r) => r.clone(),
        };
        self.y.as_ref().map(|y| y.iter().flat_map(entry).collect())
    }

    /// Checks the format, the settings and the shapes of whatever data and weights are given.
    pub fn validate(&self) -> Result<(), Invalid> {
        if self.format != FORMAT {
            return Err(Invalid::new("format", format!("must be \"{FORMAT}\", got \"{}\"", self.format)));
        }
        let c = &self.config;
        c.validate()?;
        let (t_len, d, h, o) = (c.seq_length, c.input_size, c.hidden_size, c.output_size());
        if c.data() == DataMode::Fresh {
            for (key, given) in [("x", self.x.is_some()), ("y", self.y.is_some())] {
                if given {
                    return Err(Invalid::new(key, "not allowed with \"fresh\" data (each epoch draws its own)"));
                }
            }
        }
        if let Some(x) = &self.x {
            check_matrix("x", x, t_len, d, "seq_length rows of input_size")?;
        }
        if let Some(y) = &self.y {
            self.validate_y(y)?;
        }
        if let Some(w) = &self.init {
            w.validate("init", Sizes { h, d, o })?;
        }
        if let Some(h0) = &self.h0 {
            if !c.stateful() {
                return Err(Invalid::new("h0", "applies to stateful runs only (the others start every epoch from 0)"));
            }
            check_vector("h0", h0, h, "hidden_size")?;
        }
        if let Some(c0) = &self.c0 {
            if c.cell() != CellKind::Lstm {
                return Err(Invalid::new("c0", "applies to cell \"lstm\" only (the other cells have no cell state)"));
            }
            if !c.stateful() {
                return Err(Invalid::new("c0", "applies to stateful runs only (the others start every epoch from 0)"));
            }
            check_vector("c0", c0, h, "hidden_size")?;
        }
        if let Some(n) = self.epochs_before.filter(|n| *n > MAX_EPOCHS_BEFORE) {
            return Err(Invalid::new("epochs_before", format!("must be from 0 to {MAX_EPOCHS_BEFORE}, got {n}")));
        }
        Ok(())
    }

    /// `y`: H numbers (random-target), O numbers (a loss at the last step) or T rows of O.
    fn validate_y(&self, y: &[TargetEntry]) -> Result<(), Invalid> {
        let c = &self.config;
        let rows: Option<Vec<Vec<f64>>> = y
            .iter()
            .map(|e| match e {
                TargetEntry::Row(r) => Some(r.clone()),
                TargetEntry::Value(_) => None,
            })
            .collect();
        match (c.loss_at(), rows) {
            (LossAt::EveryOutput, Some(rows)) => {
                check_matrix("y", &rows, c.seq_length, c.output_size(), "seq_length rows of the task's outputs")
            }
            (LossAt::EveryOutput, None) => Err(Invalid::new("y", "must be seq_length rows of the task's outputs")),
            (loss_at, _) => match self.y_flat() {
                Some(flat) if y.iter().all(|e| matches!(e, TargetEntry::Value(_))) => {
                    let n = if loss_at == LossAt::LastHidden { c.hidden_size } else { c.output_size() };
                    check_vector("y", &flat, n, if n == c.hidden_size { "hidden_size" } else { "the task's outputs" })
                }
                _ => Err(Invalid::new("y", "must be a flat array of numbers for this task")),
            },
        }
    }

    /// The session this file describes: given x, y and init used exactly, the rest drawn
    /// from the seed (x then y from the data stream, or with fresh data the epoch's own; the
    /// weights from the weights stream). Call [`RunFile::validate`] first.
    pub fn session(&self) -> Session {
        let c = &self.config;
        let (d, h) = (c.input_size, c.hidden_size);
        let (drawn_x, drawn_y) = match c.data() {
            DataMode::Fixed => tasks::draw(c, &mut Normal::new(c.seed, Stream::Data)),
            DataMode::Fresh => tasks::fresh(c, c.data_offset),
        };
        let x = self.x.as_deref().map_or(drawn_x, |rows| from_rows(rows, d));
        let y = self.y_flat().map_or(drawn_y, DVector::from_vec);
        let sizes = Sizes { h, d, o: c.output_size() };
        let specs = AnyCell::of(c).params();
        let params = self.init.clone().map_or_else(|| starting_weights(c), |w| w.for_cell(specs).params(sizes));
        let mut session = Session::with_data(c, x, y, params);
        if let Some(h0) = &self.h0 {
            session.set_initial_hidden(&DVector::from_column_slice(h0));
        }
        if let Some(c0) = &self.c0 {
            session.set_initial_cell_state(&DVector::from_column_slice(c0));
        }
        session
    }

    /// The run file of a session's current run (since its last reset or change of setting):
    /// the settings now, the data, weights and hidden state the run began with, and every
    /// completed epoch's results. Running it again gives the same numbers.
    pub fn of_session(session: &Session) -> RunFile {
        let start = session.run_start();
        let mut config = session.config().clone();
        config.epochs = session.epoch() - start.epoch;
        if config.init() != Init::Scaled {
            // A g the session remembers from a scaled task before: not in force, and not valid
            // beside an unscaled init.
            config.init_scale = None;
        }
        let fresh = config.data() == DataMode::Fresh;
        if fresh {
            // The run's first epoch is epoch `start.epoch` of the session.
            config.data_offset += start.epoch as u64;
        }
        let mut out = RunFile::from_config(config);
        let data = data_json(&start.x, &start.y, &out.config);
        if fresh {
            out.first_epoch_data = Some(data);
        } else {
            (out.x, out.y) = (Some(data.x), Some(data.y));
        }
        out.init = Some((&start.params).into());
        if start.h0.iter().any(|&v| v != 0.0) {
            out.h0 = Some(start.h0.iter().copied().collect());
        }
        if start.c0.iter().any(|&v| v != 0.0) {
            out.c0 = Some(start.c0.iter().copied().collect());
        }
        out.losses = Some(session.run_losses().to_vec());
        out.grads = start.first_grads.as_ref().map(Into::into);
        out.final_weights = Some(session.params().into());
        out
    }

    /// Runs `config.epochs` epochs and returns the completed run file: the x, y and init it
    /// used, the losses, the gradients of epoch 1 and the final weights. Training stops early
    /// if a number goes bad; the error says which and where, with the run so far.
    pub fn complete(&self) -> Result<RunFile, (Box<RunFile>, String)> {
        self.complete_with_progress(|_| {})
    }

    /// [`RunFile::complete`], calling `progress` with the number of epochs done every
    /// [`PROGRESS_EVERY`] epochs (for a progress bar).
    pub fn complete_with_progress(&self, mut progress: impl FnMut(usize)) -> Result<RunFile, (Box<RunFile>, String)> {
        let mut session = self.session();
        let mut out = RunFile::from_config(self.config.clone());
        let data = data_json(&session.x(), session.y(), &self.config);
        if self.config.data() == DataMode::Fresh {
            out.first_epoch_data = Some(data);
        } else {
            (out.x, out.y) = (Some(data.x), Some(data.y));
        }
        out.init = Some(session.params().into());
        out.h0 = self.h0.clone();
        out.c0 = self.c0.clone();
        out.epochs_before = self.epochs_before;
        let epochs = self.config.epochs;
        if epochs > 0 {
            session.finish_epoch();
            // Absent when epoch 1 diverged before its update: no gradient was applied.
            out.grads = session.run_start().first_grads.as_ref().map(Into::into);
            let mut done = 1;
            while done < epochs && session.divergence().is_none() {
                let n = PROGRESS_EVERY.min(epochs - done);
                session.run_epochs(n);
                done += n;
                progress(done);
            }
        }
        out.losses = Some(session.losses().to_vec());
        out.final_weights = Some(session.params().into());
        match session.divergence() {
            Some(d) => Err((Box::new(out), d.to_string())),
            None => Ok(out),
        }
    }

    /// The run as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a run file always serialises")
    }
}
