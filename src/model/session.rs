//! The step-by-step session: model, data and a cursor that advances one micro-step at a time.
//!
//! One epoch is `Forward t = 1..T → Loss → Backward t = T..T-k+1 → Update`, each arrow one
//! call of [`Session::step`]. Whole epochs run the very same steps, so stepping one at a time
//! gives bit-identical numbers.

use nalgebra::{DMatrix, DVector};

use super::config::{Config, Training};
use super::kernels;
use super::matrix::{resized, resized_normal, resized_vector};
use super::rng::{Normal, Stream};
use super::rnn::{self, ForwardScratch, Params, all_finite};

/// The next micro-step (timesteps `t` are 0-based here; the page shows them 1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Compute `h_t` from `x_t` and `h_{t-1}`.
    Forward { t: usize },
    /// Compare `h_T` with `y`, record the loss, start the gradient.
    Loss,
    /// Send the gradient back through timestep `t`.
    Backward { t: usize },
    /// Apply SGD; the epoch ends.
    Update,
}

impl Phase {
    /// A short name: "forward", "loss", "backward", "update".
    pub fn name(self) -> &'static str {
        match self {
            Phase::Forward { .. } => "forward",
            Phase::Loss => "loss",
            Phase::Backward { .. } => "backward",
            Phase::Update => "update",
        }
    }
}

/// The first number that went bad: what it was, in which epoch (1-based) and at which step.
#[derive(Clone, Debug, PartialEq)]
pub struct Divergence {
    pub quantity: String,
    pub epoch: usize,
    pub phase: Phase,
}

impl std::fmt::Display for Divergence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = match self.phase {
            Phase::Forward { t } | Phase::Backward { t } => format!(" at t = {}", t + 1),
            Phase::Loss | Phase::Update => String::new(),
        };
        write!(f, "{} became NaN or infinite in epoch {}, {} step{}", self.quantity, self.epoch, self.phase.name(), at)
    }
}

/// Where the current run began: the last reset or the last change of a setting. A run file
/// of this start and the settings now reproduces every epoch since (see `run_file`).
#[derive(Clone, Debug)]
pub struct RunStart {
    /// x, T×D.
    pub x: DMatrix<f64>,
    /// y, H.
    pub y: DVector<f64>,
    pub params: Params,
    /// The hidden state the run started from (seed training carries it), H.
    pub h0: DVector<f64>,
    /// Epochs completed before the start.
    pub epoch: usize,
    /// The gradients applied in the run's first epoch, once it has run.
    pub first_grads: Option<Params>,
}

/// A training run that can be advanced one micro-step at a time.
#[derive(Clone, Debug)]
pub struct Session {
    config: Config,
    params: Params,
    /// Inputs, one column per timestep: D×T (the run file shows the transpose, T×D).
    x_cols: DMatrix<f64>,
    /// Target, H.
    y: DVector<f64>,
    /// h_0 … h_T of the current epoch, H×(T+1); column 0 is the epoch's starting state.
    hs: DMatrix<f64>,
    /// a_1 … a_T of the current epoch, H×T.
    pre: DMatrix<f64>,
    /// Gradient arriving at the timestep being sent back, ∂L/∂h_t (H).
    dh: DVector<f64>,
    dh_prev: DVector<f64>,
    /// ∂L/∂a_t of the current backward pass, one column per timestep, H×T.
    das: DMatrix<f64>,
    /// Whᵀ for the backward pass to run along contiguous columns; `None` once Wh has changed
    /// (refreshed when BPTT next needs it, so seed training never pays for it).
    w_h_t: Option<DMatrix<f64>>,
    /// ‖∂L/∂h_t‖ for each timestep reached by the current backward pass (NaN if not reached).
    dh_norms: Vec<f64>,
    /// Gradients accumulated in the current epoch.
    grads: Params,
    /// What the last update changed: `-lr · dW`.
    change: Params,
    scratch: ForwardScratch,
    phase: Phase,
    /// Completed epochs (updates applied).
    epoch: usize,
    /// Loss of each epoch's forward pass, before its update.
    losses: Vec<f64>,
    /// Loss of the current epoch's forward pass, once computed.
    loss: Option<f64>,
    diverged: Option<Divergence>,
    data_rng: Normal,
    resize_rng: Normal,
    start: RunStart,
}

impl Session {
    /// A new run with data and weights drawn from `config.seed`.
    pub fn new(config: &Config) -> Self {
        let mut data_rng = Normal::new(config.seed, Stream::Data);
        let x = data_rng.matrix(config.seq_length, config.input_size);
        let y = data_rng.vector(config.hidden_size);
        let mut weights_rng = Normal::new(config.seed, Stream::Weights);
        let params = Params::seeded(config.hidden_size, config.input_size, &mut weights_rng);
        Self::assemble(config, x, y, params, data_rng)
    }

    /// A run on the given data (x T×D, y H) and starting weights. The caller has checked the
    /// shapes against `config`.
    pub fn with_data(config: &Config, x: DMatrix<f64>, y: DVector<f64>, params: Params) -> Self {
        // "New data" continues after the draws that x and y would have taken from the seed,
        // so it never hands back the seed's first x and y.
        let mut data_rng = Normal::new(config.seed, Stream::Data);
        for _ in 0..config.seq_length * config.input_size + config.hidden_size {
            data_rng.draw();
        }
        Self::assemble(config, x, y, params, data_rng)
    }

    /// Reset: new weights drawn from the seed (as a fresh session of these sizes has), on the
    /// same data, from h_0 = 0 and epoch 0. The data stream goes on where it was, so "New
    /// data" keeps giving new numbers.
    pub fn reset_weights(&mut self) {
        let c = &self.config;
        let params = Params::seeded(c.hidden_size, c.input_size, &mut Normal::new(c.seed, Stream::Weights));
        let mut fresh = Self::assemble(&self.config, self.x(), self.y.clone(), params, self.data_rng.clone());
        fresh.resize_rng = self.resize_rng.clone();
        *self = fresh;
    }

    fn assemble(config: &Config, x: DMatrix<f64>, y: DVector<f64>, params: Params, data_rng: Normal) -> Self {
        let (t_len, d, h) = (config.seq_length, config.input_size, config.hidden_size);
        assert_eq!(x.shape(), (t_len, d), "x must be T×D");
        assert_eq!(y.len(), h, "y must have H entries");
        assert_eq!(params.dims(), (h, d), "Wx must be H×D");
        let mut session = Self {
            config: config.clone(),
            params,
            x_cols: x.transpose(),
            y,
            hs: DMatrix::zeros(h, t_len + 1),
            pre: DMatrix::zeros(h, t_len),
            dh: DVector::zeros(h),
            dh_prev: DVector::zeros(h),
            das: DMatrix::zeros(h, t_len),
            w_h_t: None,
            dh_norms: vec![f64::NAN; t_len],
            grads: Params::zeros(h, d),
            change: Params::zeros(h, d),
            scratch: ForwardScratch::new(h),
            phase: Phase::Forward { t: 0 },
            epoch: 0,
            losses: Vec::new(),
            loss: None,
            diverged: None,
            start: RunStart {
                x: x.clone(),
                y: DVector::zeros(0),
                params: Params::zeros(0, 0),
                h0: DVector::zeros(h),
                epoch: 0,
                first_grads: None,
            },
            data_rng,
            resize_rng: Normal::new(config.seed, Stream::Resize),
        };
        session.mark_start();
        session
    }

    /// Runs the micro-step at the cursor and moves the cursor on; returns the step it ran.
    /// Does nothing once a number has gone bad (see [`Session::divergence`]).
    pub fn step(&mut self) -> Phase {
        let now = self.phase;
        if self.diverged.is_some() {
            return now;
        }
        let t_len = self.config.seq_length;
        self.phase = match now {
            Phase::Forward { t } => {
                self.forward(t);
                if t + 1 < t_len { Phase::Forward { t: t + 1 } } else { Phase::Loss }
            }
            Phase::Loss => {
                self.start_backward();
                Phase::Backward { t: t_len - 1 }
            }
            Phase::Backward { t } => {
                self.backward(t);
                let last = t_len - self.config.backprop_steps();
                if t > last { Phase::Backward { t: t - 1 } } else { Phase::Update }
            }
            Phase::Update => {
                self.update();
                Phase::Forward { t: 0 }
            }
        };
        now
    }

    /// Steps until the current epoch's update has been applied.
    pub fn finish_epoch(&mut self) {
        // The forward steps first, without the step-by-step bookkeeping: the same calls in
        // the same order as `step`, so the same bits.
        let t_len = self.config.seq_length;
        while let Phase::Forward { t } = self.phase {
            if self.diverged.is_some() {
                return;
            }
            self.forward(t);
            self.phase = if t + 1 < t_len { Phase::Forward { t: t + 1 } } else { Phase::Loss };
        }
        loop {
            if self.step() == Phase::Update || self.diverged.is_some() {
                return;
            }
        }
    }

    /// Runs `n` whole epochs (stopping early if a number goes bad).
    pub fn run_epochs(&mut self, n: usize) {
        for _ in 0..n {
            self.finish_epoch();
            if self.diverged.is_some() {
                return;
            }
        }
    }

    fn forward(&mut self, t: usize) {
        let h = self.y.len();
        let d = self.config.input_size;
        // h_{t-1} is column t of hs and h_t column t+1: split the storage between them.
        let (before, after) = self.hs.as_mut_slice().split_at_mut((t + 1) * h);
        let a = &mut self.pre.as_mut_slice()[t * h..(t + 1) * h];
        let x_t = &self.x_cols.as_slice()[t * d..(t + 1) * d];
        rnn::forward_step(&self.params, x_t, &before[t * h..], &mut self.scratch, a, &mut after[..h]);
        if !all_finite(a) {
            self.diverge(format!("a_{}", t + 1));
        }
    }

    fn start_backward(&mut self) {
        let t_len = self.config.seq_length;
        let h_last = self.hs.column(t_len);
        let loss = rnn::loss(h_last.as_slice(), self.y.as_slice());
        self.loss = Some(loss);
        self.losses.push(loss);
        // The seed's gradient is 2 (h_T - y), not divided by H: it is the gradient of the
        // *sum* of squares, H times the gradient of the mean it reports as the loss.
        // BPTT uses the exact gradient of the loss shown, 2 (h_T - y) / H.
        let h = self.y.len() as f64;
        for i in 0..self.dh.len() {
            let diff = 2.0 * (h_last[i] - self.y[i]);
            self.dh[i] = match self.config.training {
                Training::BlogLoop => diff,
                Training::Bptt => diff / h,
            };
        }
        self.grads.fill(0.0);
        self.dh_norms.fill(f64::NAN);
        if !loss.is_finite() {
            self.diverge("the loss".into());
        }
    }

    fn backward(&mut self, t: usize) {
        self.dh_norms[t] = self.dh.norm();
        let h = self.y.len();
        let h_t = &self.hs.as_slice()[(t + 1) * h..(t + 2) * h];
        let da = &mut self.das.as_mut_slice()[t * h..(t + 1) * h];
        rnn::backward_through_tanh(self.dh.as_slice(), h_t, da, &mut self.grads);
        let seed = self.config.training == Training::BlogLoop;
        if !seed {
            // The seed sends nothing further back (it computes dh_prev but never uses it).
            let w_h_t = self.w_h_t.get_or_insert_with(|| self.params.wh.transpose());
            kernels::mat_vec(w_h_t.as_slice(), da, self.dh_prev.as_mut_slice());
            std::mem::swap(&mut self.dh, &mut self.dh_prev);
        }
        let finite = all_finite(da);
        let dh_finite = all_finite(self.dh.as_slice());
        let first = self.config.seq_length - self.config.backprop_steps();
        if t == first {
            self.sum_weight_gradients(first);
        }
        if !finite {
            self.diverge(format!("∂L/∂a_{}", t + 1));
        } else if !dh_finite {
            self.diverge(format!("∂L/∂h_{}", t));
        }
    }

    /// dWx = Σ_t da_t x_tᵀ and dWh = Σ_t da_t h_{t-1}ᵀ over the timesteps just sent back,
    /// summed from t = T down, as step-by-step accumulation would, but in one cache-friendly pass.
    fn sum_weight_gradients(&mut self, first: usize) {
        let h = self.y.len();
        let ts = first..self.config.seq_length;
        let das = self.das.as_slice();
        kernels::add_outer_sum_desc(self.grads.wx.as_mut_slice(), h, das, self.x_cols.as_slice(), ts.clone());
        kernels::add_outer_sum_desc(self.grads.wh.as_mut_slice(), h, das, self.hs.as_slice(), ts);
    }

    fn update(&mut self) {
        let finite = self.params.sgd(&self.grads, self.config.learning_rate, &mut self.change);
        self.w_h_t = None;
        // A bad gradient always spoils the weights (even NaN × 0 is NaN), so one check of the
        // weights finds both; only then is it worth telling which came first.
        if !finite {
            let name = self.grads.first_non_finite(["dWx", "dWh", "db"]);
            let name = name.or_else(|| self.params.first_non_finite(["Wx", "Wh", "b"])).unwrap_or("a weight");
            self.diverge(name.into());
        }
        if self.start.first_grads.is_none() {
            self.start.first_grads = Some(self.grads.clone());
        }
        self.epoch += 1;
        self.loss = None;
        let t_len = self.config.seq_length;
        match self.config.training {
            // The seed sets h0 = 0 once and carries the hidden state across epochs.
            Training::BlogLoop => {
                let h = self.y.len();
                self.hs.as_mut_slice().copy_within(t_len * h..(t_len + 1) * h, 0);
            }
            Training::Bptt => self.hs.column_mut(0).fill(0.0),
        }
    }

    fn diverge(&mut self, quantity: String) {
        if self.diverged.is_none() {
            // Called while the step at `self.phase` runs, before its epoch is counted.
            self.diverged = Some(Divergence { quantity, epoch: self.epoch + 1, phase: self.phase });
        }
    }

    /// Starts the current epoch again from its first forward step, keeping the weights and
    /// the loss history of completed epochs. In seed mode h_0 stays the carried state.
    pub fn restart_epoch(&mut self) {
        self.phase = Phase::Forward { t: 0 };
        self.losses.truncate(self.epoch);
        self.loss = None;
        self.dh_norms.fill(f64::NAN);
        self.grads.fill(0.0);
        let h0 = self.hs.column(0).into_owned();
        self.hs.fill(0.0);
        self.hs.set_column(0, &h0);
        self.pre.fill(0.0);
    }

    /// Begins a new run here: the start of the current epoch (weights change only at an
    /// update, so the current weights are the ones this epoch started with).
    fn mark_start(&mut self) {
        self.start = RunStart {
            x: self.x(),
            y: self.y.clone(),
            params: self.params.clone(),
            h0: self.hs.column(0).into_owned(),
            epoch: self.epoch,
            first_grads: None,
        };
    }

    /// Starts from hidden state `h0` (H) instead of zeros. Seed training carries it on;
    /// BPTT starts every epoch from zeros. Call before the first step.
    pub fn set_initial_hidden(&mut self, h0: &DVector<f64>) {
        self.hs.set_column(0, h0);
        self.start.h0 = h0.clone();
    }

    /// The learning rate used from the next update on; nothing is reset, a new run begins.
    pub fn set_learning_rate(&mut self, learning_rate: f64) {
        self.config.learning_rate = learning_rate;
        self.mark_start();
    }

    /// Switches the training loop; the current epoch restarts (BPTT from h_0 = 0).
    pub fn set_training(&mut self, training: Training, truncation: Option<usize>) {
        self.config.training = training;
        self.config.truncation = truncation;
        if training == Training::Bptt {
            self.hs.column_mut(0).fill(0.0);
        }
        self.restart_epoch();
        self.mark_start();
    }

    /// Resizes T, D and H in place: every number in the overlapping block of x, y, Wx, Wh, b
    /// and the carried h_0 is kept; new entries of x, y, Wx, Wh are drawn from the seeded
    /// generator, new entries of b and h_0 are 0. The current epoch restarts.
    pub fn resize(&mut self, seq_length: usize, input_size: usize, hidden_size: usize) {
        let (t_len, d, h) = (seq_length, input_size, hidden_size);
        let rng = &mut self.resize_rng;
        let x = resized_normal(&self.x_cols.transpose(), t_len, d, rng);
        self.y = resized_vector(&self.y, h, || rng.draw());
        self.params = Params {
            wx: resized_normal(&self.params.wx, h, d, rng),
            wh: resized_normal(&self.params.wh, h, h, rng),
            b: resized_vector(&self.params.b, h, || 0.0),
        };
        let h0 = resized(&self.hs.columns(0, 1).into_owned(), h, 1, || 0.0);
        self.x_cols = x.transpose();
        self.config.seq_length = t_len;
        self.config.input_size = d;
        self.config.hidden_size = h;
        if let Some(k) = self.config.truncation {
            self.config.truncation = Some(k.min(t_len));
        }
        self.hs = DMatrix::zeros(h, t_len + 1);
        self.hs.set_column(0, &h0.column(0));
        self.pre = DMatrix::zeros(h, t_len);
        self.das = DMatrix::zeros(h, t_len);
        self.dh = DVector::zeros(h);
        self.dh_prev = DVector::zeros(h);
        self.dh_norms = vec![f64::NAN; t_len];
        self.grads = Params::zeros(h, d);
        self.change = Params::zeros(h, d);
        self.scratch = ForwardScratch::new(h);
        self.w_h_t = None;
        self.restart_epoch();
        self.mark_start();
    }

    /// Draws a new x and y from the data stream (the next draws, not the first ones again).
    /// Weights are kept; the current epoch restarts.
    pub fn new_data(&mut self) {
        let x = self.data_rng.matrix(self.config.seq_length, self.config.input_size);
        self.y = self.data_rng.vector(self.config.hidden_size);
        self.x_cols = x.transpose();
        self.restart_epoch();
        self.mark_start();
    }

    // --- what the page and the command line read ---------------------------------------

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The next micro-step.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// Completed epochs.
    pub fn epoch(&self) -> usize {
        self.epoch
    }

    /// Loss of each epoch's forward pass, before its update (plus the current epoch's, once
    /// its loss step has run).
    pub fn losses(&self) -> &[f64] {
        &self.losses
    }

    /// The current epoch's loss, once its loss step has run.
    pub fn loss(&self) -> Option<f64> {
        self.loss
    }

    pub fn params(&self) -> &Params {
        &self.params
    }

    /// Gradients of the current epoch: db grows step by step; dWx and dWh are summed when
    /// the backward pass reaches its last timestep (in the step-by-step order).
    pub fn grads(&self) -> &Params {
        &self.grads
    }

    /// What the last update changed each parameter by, `-lr · dW`.
    pub fn last_change(&self) -> &Params {
        &self.change
    }

    /// Inputs x, T×D (row t is x_{t+1}).
    pub fn x(&self) -> DMatrix<f64> {
        self.x_cols.transpose()
    }

    /// Inputs one column per timestep, D×T.
    pub fn x_columns(&self) -> &DMatrix<f64> {
        &self.x_cols
    }

    /// Target y, H.
    pub fn y(&self) -> &DVector<f64> {
        &self.y
    }

    /// h_0 … h_T, H×(T+1). Columns past the cursor still hold the previous epoch's states
    /// (the page hides them); column 0 is the current epoch's start.
    pub fn hidden_states(&self) -> &DMatrix<f64> {
        &self.hs
    }

    /// a_1 … a_T of the current epoch, H×T.
    pub fn pre_activations(&self) -> &DMatrix<f64> {
        &self.pre
    }

    /// ‖∂L/∂h_t‖ per timestep for the current backward pass; NaN where it has not arrived.
    pub fn gradient_norms(&self) -> &[f64] {
        &self.dh_norms
    }

    /// The gradient arriving at the next backward step, ∂L/∂h_t (H).
    pub fn dh(&self) -> &DVector<f64> {
        &self.dh
    }

    /// ∂L/∂a_t of the current backward pass at timestep `t` (H); meaningful once the
    /// backward pass has been through `t`.
    pub fn da_at(&self, t: usize) -> &[f64] {
        let h = self.y.len();
        &self.das.as_slice()[t * h..(t + 1) * h]
    }

    /// Where the current run began.
    pub fn run_start(&self) -> &RunStart {
        &self.start
    }

    /// Losses of the epochs completed since the run began.
    pub fn run_losses(&self) -> &[f64] {
        &self.losses[self.start.epoch.min(self.epoch)..self.epoch]
    }

    /// The first number that went bad, if any; the session stops stepping then.
    pub fn divergence(&self) -> Option<&Divergence> {
        self.diverged.as_ref()
    }
}
