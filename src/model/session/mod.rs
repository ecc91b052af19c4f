//! The epoch as a state machine: a cursor that runs one micro-step at a time, on the speed layer.
//!
//! One epoch is `Forward t = 1..T → Loss → Backward t = T..T-k+1 → Update`, each arrow one
//! call of [`Session::step`]. Whole epochs run the very same arithmetic, so stepping one at a
//! time gives bit-identical numbers. Changing the run (resizing, new data, settings) is in
//! [`editing`].

mod editing;
mod gradient_parts;

use nalgebra::{DMatrix, DVector};

pub use editing::{RunStart, starting_weights};

use super::cell::AnyCell;
use super::config::{Config, DataMode, Training};
use super::fast::output::OutputLayer;
use super::fast::{self, WeightGradients, Workspace};
use super::rng::Normal;
use super::rnn::{self, Grads, Params, Target};
use super::tasks;

/// The next micro-step (timesteps `t` are 0-based here; the page shows them 1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Compute `h_t` from `x_t` and `h_{t-1}`.
    Forward { t: usize },
    /// Compare `h_T` (or the outputs) with `y`, record the loss, start the gradient.
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
    /// What went bad: a symbol ("a_3", "dWx"), or [`THE_LOSS`] or [`A_WEIGHT`] in words.
    pub quantity: String,
    pub epoch: usize,
    pub phase: Phase,
}

/// [`Divergence::quantity`] when the loss itself went bad (the page says it in its language).
pub const THE_LOSS: &str = "the loss";
/// [`Divergence::quantity`] when a weight went bad and no parameter could be named.
pub const A_WEIGHT: &str = "a weight";

impl std::fmt::Display for Divergence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = match self.phase {
            Phase::Forward { t } | Phase::Backward { t } => format!(" at t = {}", t + 1),
            Phase::Loss | Phase::Update => String::new(),
        };
        write!(f, "{} became NaN or infinite in epoch {}, {} step{}", self.quantity, self.epoch, self.phase.name(), at)
    }
}

/// A training run that can be advanced one micro-step at a time.
#[derive(Clone, Debug)]
pub struct Session {
    config: Config,
    params: Params,
    /// Inputs, one column per timestep: D×T (the run file shows the transpose, T×D).
    x_cols: DMatrix<f64>,
    /// Target, flat: H (random-target), O (loss at the last step) or T·O (at every step).
    y: DVector<f64>,
    /// The current epoch's hidden states, pre-activations and backward buffers.
    work: Workspace,
    /// The output layer's buffers, for the tasks that have one.
    outputs: Option<OutputLayer>,
    /// Gradients accumulated in the current epoch.
    grads: Grads,
    /// What the last update changed: `-lr · dW`.
    change: Params,
    phase: Phase,
    /// Completed epochs (updates applied).
    epoch: usize,
    /// Loss of each epoch's forward pass, before its update.
    losses: Vec<f64>,
    /// Loss of the current epoch's forward pass, once computed.
    loss: Option<f64>,
    diverged: Option<Divergence>,
    /// The buffers still hold the last completed epoch (until a change restarts the epoch).
    holds_last_epoch: bool,
    /// With fresh data, the last completed epoch's target (`y` is already the next epoch's).
    last_epoch_y: Option<DVector<f64>>,
    /// Micro-steps run since the session was made, across epochs, restarts and resets: the
    /// clock a page link uses to say when each change happened.
    steps_run: u64,
    data_rng: Normal,
    resize_rng: Normal,
    start: RunStart,
}

impl Session {
    /// Runs the micro-step at the cursor and moves the cursor on; returns the step it ran.
    /// Does nothing once a number has gone bad (see [`Session::divergence`]).
    pub fn step(&mut self) -> Phase {
        self.step_with(WeightGradients::AtEachStep)
    }

    /// Steps until the current epoch's update has been applied. Backward steps leave their
    /// weight gradients to one summed sweep at the end of the pass: the same sums in the same
    /// order as [`Session::step`] adds them, so the same bits.
    pub fn finish_epoch(&mut self) {
        if self.phase == (Phase::Forward { t: 0 }) && self.outputs.is_none() && self.diverged.is_none() {
            self.forward_pass();
            if self.phase == Phase::Loss && self.blog_tail() {
                return;
            }
        }
        let first = self.first_backward_step();
        // Steps already taken one at a time have added their own weight gradients.
        let pass_end = match self.phase {
            Phase::Backward { t } => t + 1,
            _ => self.config.seq_length,
        };
        while self.diverged.is_none() {
            match self.step_with(WeightGradients::Summed) {
                Phase::Backward { t } if t == first => {
                    self.work.add_weight_gradients(&mut self.grads, &self.x_cols, first..pass_end);
                }
                Phase::Update => return,
                _ => {}
            }
        }
    }

    /// Runs micro-steps until [`Session::steps_run`] is `target` (whole epochs where it can:
    /// the same numbers as stepping, faster). Stops early if a number goes bad.
    pub fn run_until(&mut self, target: u64) {
        let per_epoch = self.config.steps_per_epoch() as u64;
        while self.steps_run < target && self.diverged.is_none() {
            if self.phase == (Phase::Forward { t: 0 }) && target - self.steps_run >= per_epoch {
                self.finish_epoch();
            } else {
                self.step();
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

    /// Inlined, so that each caller's `weights` is a constant.
    #[inline(always)]
    fn step_with(&mut self, weights: WeightGradients) -> Phase {
        let now = self.phase;
        if self.diverged.is_some() {
            return now;
        }
        let t_len = self.config.seq_length;
        self.steps_run += 1;
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
                self.backward(t, weights);
                if t > self.first_backward_step() { Phase::Backward { t: t - 1 } } else { Phase::Update }
            }
            Phase::Update => {
                self.update();
                Phase::Forward { t: 0 }
            }
        };
        now
    }

    /// The 0-based timestep where the backward pass stops: T − k.
    fn first_backward_step(&self) -> usize {
        self.config.seq_length - self.config.backprop_steps()
    }

    /// The epoch's forward steps in one call where the speed layer has them for this layer
    /// ([`Workspace::forward_pass`]): what T `step`s from `Forward { t: 0 }` do, for the seed's
    /// task (no output layer). A bad a_t stops the pass where stepping would stop.
    fn forward_pass(&mut self) {
        let t_len = self.config.seq_length;
        let ran = match self.work.forward_pass(&self.params, &self.x_cols) {
            None => return,
            Some(Ok(())) => t_len,
            Some(Err(t)) => {
                self.phase = Phase::Forward { t };
                self.diverge(format!("a_{}", t + 1));
                t + 1
            }
        };
        self.steps_run += ran as u64;
        self.phase = if ran < t_len { Phase::Forward { t: ran } } else { Phase::Loss };
    }

    /// The blog's Loss, Backward and Update micro-steps in one call, where the speed layer has
    /// them for this layer ([`Workspace::blog_tail`]); false, with nothing done, where not.
    fn blog_tail(&mut self) -> bool {
        if self.config.training != Training::BlogLoop || self.config.clip_norm.is_some() {
            return false;
        }
        let lr = self.config.learning_rate;
        let tail = self.work.blog_tail(
            &mut self.params,
            &self.x_cols,
            self.y.as_slice(),
            &mut self.grads,
            lr,
            &mut self.change,
        );
        let Some((loss, finite)) = tail else { return false };
        self.steps_run += 3;
        self.losses.push(loss);
        self.phase = Phase::Update;
        self.updated(finite);
        self.phase = Phase::Forward { t: 0 };
        true
    }

    fn forward(&mut self, t: usize) {
        if !self.work.forward_step(&self.params, fast::column(&self.x_cols, t), t) {
            self.diverge(format!("a_{}", t + 1));
        }
        if let Some(out) = &mut self.outputs
            && !out.forward_step(&self.params, self.work.hidden_state(t + 1), self.y.as_slice(), t)
        {
            self.diverge(format!("ŷ_{}", t + 1));
        }
    }

    fn start_backward(&mut self) {
        if let Some(out) = &mut self.outputs {
            self.work.start_backward_from_outputs();
            let loss = out.start_backward(self.y.as_slice());
            return self.record_loss(loss);
        }
        // The blog's gradient is 2 (h_T - y), not divided by H: it is the gradient of the
        // *sum* of squares, H times the gradient of the mean it reports as the loss.
        // BPTT uses the exact gradient of the loss shown, 2 (h_T - y) / H.
        let divisor = match self.config.training {
            Training::BlogLoop => 1.0,
            Training::Bptt => self.y.len() as f64,
        };
        let loss = self.work.start_backward(&self.y, divisor);
        self.record_loss(loss);
    }

    fn record_loss(&mut self, loss: f64) {
        self.loss = Some(loss);
        self.losses.push(loss);
        self.grads.fill_zero();
        if !loss.is_finite() {
            self.diverge(THE_LOSS.into());
        }
    }

    fn backward(&mut self, t: usize, weights: WeightGradients) {
        // The blog sends nothing further back (it computes dh_prev but never uses it).
        let send_back = self.config.training == Training::Bptt;
        if let Some(out) = &self.outputs {
            let (h_t, dh) = self.work.output_backward_buffers(t);
            out.backward_step(&self.params, h_t, dh, &mut self.grads, t);
        }
        let (da_finite, dh_finite) =
            self.work.backward_step(&self.params, &self.x_cols, t, &mut self.grads, send_back, weights);
        if !da_finite {
            self.diverge(format!("∂L/∂a_{}", t + 1));
        } else if !dh_finite {
            self.diverge(format!("∂L/∂h_{}", t));
        }
    }

    fn update(&mut self) {
        if let Some(c) = self.config.clip_norm {
            rnn::clip(&mut self.grads, c);
        }
        let finite = fast::sgd(&mut self.params, &self.grads, self.config.learning_rate, &mut self.change);
        self.updated(finite);
    }

    /// What follows SGD: the epoch ends (`finite`: every weight is still finite).
    fn updated(&mut self, finite: bool) {
        self.work.weights_changed();
        // A bad gradient always spoils the weights (even NaN × 0 is NaN), so one check of the
        // weights finds both; only then is it worth telling which came first.
        if !finite {
            let name = self.grads.first_non_finite(true).or_else(|| self.params.first_non_finite(false));
            self.diverge(name.unwrap_or(A_WEIGHT).into());
        }
        if self.start.first_grads.is_none() {
            self.start.first_grads = Some(self.grads.clone());
        }
        self.epoch += 1;
        self.loss = None;
        self.holds_last_epoch = true;
        // The blog sets h0 = 0 once and carries the hidden state across epochs (stateful);
        // BPTT starts every epoch from 0 unless asked to carry it.
        if self.config.stateful() {
            self.work.carry_last_state();
        } else {
            self.work.zero_h0();
        }
        if self.config.data() == DataMode::Fresh {
            self.draw_fresh_data();
        }
    }

    fn diverge(&mut self, quantity: String) {
        if self.diverged.is_none() {
            // Called while the step at `self.phase` runs, before its epoch is counted.
            self.diverged = Some(Divergence { quantity, epoch: self.epoch + 1, phase: self.phase });
        }
    }

    // --- what the page and the command line read ---------------------------------------

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The next micro-step.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// The micro-step before the one to run next, as `step` ran it (`None` before the first):
    /// the forward step before, the last forward step before the loss, the loss before the
    /// first backward step, the step after (in time) before a backward step, the last backward
    /// step before the update, the update before an epoch's first step.
    pub fn phase_before(&self) -> Option<Phase> {
        let t_len = self.config.seq_length;
        (self.steps_run > 0).then(|| match self.phase {
            Phase::Forward { t: 0 } => Phase::Update,
            Phase::Forward { t } => Phase::Forward { t: t - 1 },
            Phase::Loss => Phase::Forward { t: t_len - 1 },
            Phase::Backward { t } if t + 1 == t_len => Phase::Loss,
            Phase::Backward { t } => Phase::Backward { t: t + 1 },
            Phase::Update => Phase::Backward { t: self.first_backward_step() },
        })
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

    /// The cell the run trains (`config.cell`, and the plain RNN's activation): what the page
    /// asks for its recurrent matrix and its equation's terms.
    pub fn cell(&self) -> AnyCell {
        AnyCell::of(&self.config)
    }

    pub fn params(&self) -> &Params {
        &self.params
    }

    /// Gradients of the current epoch, as far as its backward pass has gone.
    pub fn grads(&self) -> &Grads {
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

    /// Target y, flat: H for random-target, O for a loss at the last step, T·O (step by step)
    /// for a loss at every step.
    pub fn y(&self) -> &DVector<f64> {
        &self.y
    }

    /// The target as the readable model takes it.
    pub fn target(&self) -> Target {
        tasks::target(self.config.loss_at(), &self.y, self.config.output_size())
    }

    /// ŷ_1 … ŷ_T of the current epoch (O×T; columns past the cursor hold the previous
    /// epoch's), for the tasks with an output layer.
    pub fn y_hat(&self) -> Option<&DMatrix<f64>> {
        self.outputs.as_ref().map(OutputLayer::y_hat)
    }

    /// h_0 … h_T, H×(T+1). Columns past the cursor still hold the previous epoch's states
    /// (the page hides them); column 0 is the current epoch's start.
    pub fn hidden_states(&self) -> &DMatrix<f64> {
        self.work.hidden_states()
    }

    /// a_1 … a_T of the current epoch, H×T (for a gated cell its blocks stacked: 4H×T for the
    /// LSTM's f, g, i, o, 3H×T for the GRU's z, r, h̃).
    pub fn pre_activations(&self) -> &DMatrix<f64> {
        self.work.pre_activations()
    }

    /// The LSTM's cell states c_0 … c_T, H×(T+1), as [`Session::hidden_states`] (0 rows for
    /// the cells without one).
    pub fn cell_states(&self) -> &DMatrix<f64> {
        self.work.cell_states()
    }

    /// ‖∂L/∂h_t‖ per timestep for the current backward pass; NaN where it has not arrived.
    pub fn gradient_norms(&self) -> &[f64] {
        self.work.dh_norms()
    }

    /// The LSTM's ‖∂L/∂c_t‖ per timestep for the current backward pass (NaN where it has not
    /// arrived); empty for the cells without a cell state.
    pub fn cell_gradient_norms(&self) -> &[f64] {
        self.work.dc_norms()
    }

    /// The gradient arriving at the next backward step, ∂L/∂h_t (H).
    pub fn dh(&self) -> &DVector<f64> {
        self.work.dh()
    }

    /// ∂L/∂a_t of the current backward pass at timestep `t` (H, or blocks·H); meaningful once the
    /// backward pass has been through `t`.
    pub fn da_at(&self, t: usize) -> &[f64] {
        self.work.da(t)
    }

    /// Where the current run began.
    pub fn run_start(&self) -> &RunStart {
        &self.start
    }

    /// Losses of the epochs completed since the run began.
    pub fn run_losses(&self) -> &[f64] {
        &self.losses[self.start.epoch.min(self.epoch)..self.epoch]
    }

    /// Between epochs, before the next forward step: the hidden states, gradient norms and
    /// gradients on show are the epoch just completed (a change of setting clears them).
    pub fn shows_last_epoch(&self) -> bool {
        self.holds_last_epoch && self.phase == (Phase::Forward { t: 0 })
    }

    /// Micro-steps run since the session was made (a reset keeps counting).
    pub fn steps_run(&self) -> u64 {
        self.steps_run
    }

    /// The first number that went bad, if any; the session stops stepping then.
    pub fn divergence(&self) -> Option<&Divergence> {
        self.diverged.as_ref()
    }
}
