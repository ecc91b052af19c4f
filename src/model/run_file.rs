//! The run file `rnn-playground.run/1`: read a spec, run it, write the completed run (see docs/run-format.md).

use nalgebra::DVector;
use serde::{Deserialize, Serialize};

use super::config::{Config, Invalid};
use super::matrix::{from_rows, to_rows};
use super::rng::{Normal, Stream};
use super::rnn::{Grads, Params};
use super::session::Session;

/// The value of the `format` key.
pub const FORMAT: &str = "rnn-playground.run/1";

/// Weights (or their gradients) as the run file writes them: matrices as arrays of rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightsJson {
    /// H rows of D.
    pub wx: Vec<Vec<f64>>,
    /// H rows of H.
    pub wh: Vec<Vec<f64>>,
    /// H.
    pub b: Vec<f64>,
}

impl From<&Params> for WeightsJson {
    fn from(p: &Params) -> Self {
        Self { wx: to_rows(&p.wx), wh: to_rows(&p.wh), b: p.b.iter().copied().collect() }
    }
}

/// Gradients are written under the parameters' names (`grads.wx` is dWx).
impl From<&Grads> for WeightsJson {
    fn from(g: &Grads) -> Self {
        Self { wx: to_rows(&g.dwx), wh: to_rows(&g.dwh), b: g.db.iter().copied().collect() }
    }
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
    /// H.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<Vec<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init: Option<WeightsJson>,
    /// Seed training only: the hidden state the run starts from (H; default zeros). The page
    /// writes it when a run begins mid-way, with the state carried from before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub h0: Option<Vec<f64>>,
    /// Output: the loss of each epoch's forward pass, before its update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub losses: Option<Vec<f64>>,
    /// Output: the gradients applied in epoch 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grads: Option<WeightsJson>,
    /// Output: the weights after the last update.
    #[serde(default, rename = "final", skip_serializing_if = "Option::is_none")]
    pub final_weights: Option<WeightsJson>,
}

/// Parses a run file. The error names the key (a dotted path such as `config.hidden_size`)
/// and what is wrong with it.
pub fn parse(text: &str) -> Result<RunFile, Invalid> {
    if !text.trim_start().starts_with('{') {
        let problem = match serde_json::from_str::<serde_json::Value>(text) {
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
            losses: None,
            grads: None,
            final_weights: None,
        }
    }

    /// Checks the format, the settings and the shapes of whatever data and weights are given.
    pub fn validate(&self) -> Result<(), Invalid> {
        if self.format != FORMAT {
            return Err(Invalid::new("format", format!("must be \"{FORMAT}\", got \"{}\"", self.format)));
        }
        let c = &self.config;
        c.validate()?;
        let (t_len, d, h) = (c.seq_length, c.input_size, c.hidden_size);
        if let Some(x) = &self.x {
            check_matrix("x", x, t_len, d, "seq_length rows of input_size")?;
        }
        if let Some(y) = &self.y {
            check_vector("y", y, h, "hidden_size")?;
        }
        if let Some(w) = &self.init {
            check_matrix("init.wx", &w.wx, h, d, "hidden_size rows of input_size")?;
            check_matrix("init.wh", &w.wh, h, h, "hidden_size rows of hidden_size")?;
            check_vector("init.b", &w.b, h, "hidden_size")?;
        }
        if let Some(h0) = &self.h0 {
            if c.training != super::config::Training::BlogLoop {
                return Err(Invalid::new("h0", "applies to \"seed\" training only (BPTT starts every epoch from 0)"));
            }
            check_vector("h0", h0, h, "hidden_size")?;
        }
        Ok(())
    }

    /// The session this file describes: given x, y and init used exactly, the rest drawn
    /// from the seed (x then y from the data stream, Wx then Wh from the weights stream).
    /// Call [`RunFile::validate`] first.
    pub fn session(&self) -> Session {
        let c = &self.config;
        let (t_len, d, h) = (c.seq_length, c.input_size, c.hidden_size);
        let mut data_rng = Normal::new(c.seed, Stream::Data);
        let drawn_x = data_rng.matrix(t_len, d);
        let drawn_y = data_rng.vector(h);
        let x = self.x.as_deref().map_or(drawn_x, |rows| from_rows(rows, d));
        let y = self.y.as_ref().map_or(drawn_y, |v| DVector::from_column_slice(v));
        let params = match &self.init {
            Some(w) => Params { wx: from_rows(&w.wx, d), wh: from_rows(&w.wh, h), b: DVector::from_column_slice(&w.b) },
            None => Params::unscaled(h, d, &mut Normal::new(c.seed, Stream::Weights)),
        };
        let mut session = Session::with_data(c, x, y, params);
        if let Some(h0) = &self.h0 {
            session.set_initial_hidden(&DVector::from_column_slice(h0));
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
        let mut out = RunFile::from_config(config);
        out.x = Some(to_rows(&start.x));
        out.y = Some(start.y.iter().copied().collect());
        out.init = Some((&start.params).into());
        if start.h0.iter().any(|&v| v != 0.0) {
            out.h0 = Some(start.h0.iter().copied().collect());
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
        let mut session = self.session();
        let mut out = RunFile::from_config(self.config.clone());
        out.x = Some(to_rows(&session.x()));
        out.y = Some(session.y().iter().copied().collect());
        out.init = Some(session.params().into());
        out.h0 = self.h0.clone();
        let epochs = self.config.epochs;
        if epochs > 0 {
            session.finish_epoch();
            // Absent when epoch 1 diverged before its update: no gradient was applied.
            out.grads = session.run_start().first_grads.as_ref().map(Into::into);
            session.run_epochs(epochs - 1);
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
