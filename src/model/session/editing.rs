//! Changing a run: starting one, resetting it, new data, resizing in place and live settings.

use nalgebra::{DMatrix, DVector};

use super::{Phase, Session};
use crate::model::cell::{AnyCell, Cell};
use crate::model::config::{Activation, CellKind, Config, DataMode, Init, LossAt, Task, Training};
use crate::model::fast::output::OutputLayer;
use crate::model::fast::{FastCell, Workspace};
use crate::model::matrix::{resized, resized_normal, resized_vector};
use crate::model::params::{Grads, Params, Sizes};
use crate::model::rng::{Normal, Stream};
use crate::model::settings::{Key, Value};

use crate::model::tasks;

/// The sizes of a session's buffers before they are built.
const NO_SIZES: Sizes = Sizes { h: 0, d: 0, o: 0 };

/// Where the current run began: the last reset or the last change of a setting. A run file
/// of this start and the settings now reproduces every epoch since (see `run_file`).
#[derive(Clone, Debug)]
pub struct RunStart {
    /// x, T×D (with fresh data: the run's first epoch's).
    pub x: DMatrix<f64>,
    /// y, flat (see [`Session::y`]).
    pub y: DVector<f64>,
    pub params: Params,
    /// The hidden state the run started from (the blog's loop carries it), H.
    pub h0: DVector<f64>,
    /// The LSTM's cell state the run started from, H (empty for the other cells).
    pub c0: DVector<f64>,
    /// Epochs completed before the start.
    pub epoch: usize,
    /// The gradients applied in the run's first epoch, once it has run.
    pub first_grads: Option<Grads>,
}

impl Session {
    /// A new run with data and weights drawn from `config.seed`: fixed data from the data
    /// stream (x then y), fresh data from the epoch's own generator (see [`tasks::fresh`]).
    pub fn new(config: &Config) -> Self {
        let mut data_rng = Normal::new(config.seed, Stream::Data);
        let (x, y) = tasks::draw(config, &mut data_rng);
        let (x, y) = match config.data() {
            DataMode::Fixed => (x, y),
            DataMode::Fresh => tasks::fresh(config, config.data_offset),
        };
        Self::assemble(config, x, y, starting_weights(config), data_rng)
    }

    /// A run on the given data (x T×D, y flat as [`Session::y`]) and starting weights. The
    /// caller has checked the shapes against `config`. With fresh data, x and y are the first
    /// epoch's.
    pub fn with_data(config: &Config, x: DMatrix<f64>, y: DVector<f64>, params: Params) -> Self {
        // "New data" continues after the draws that x and y would have taken from the seed,
        // so it never hands back the seed's first x and y.
        let mut data_rng = Normal::new(config.seed, Stream::Data);
        tasks::draw(config, &mut data_rng);
        Self::assemble(config, x, y, params, data_rng)
    }

    /// Reset: new weights drawn from the seed (as a fresh session of these sizes has), on the
    /// same data, from h_0 = 0 and epoch 0. The data stream goes on where it was, so "New
    /// data" keeps giving new numbers; with fresh data the sequences go on from the one on show.
    pub fn reset_weights(&mut self) {
        let params = starting_weights(&self.config);
        let mut config = self.config.clone();
        if config.data() == DataMode::Fresh {
            // The new run's first epoch is the sequence on show, the old run's epoch E's, and its
            // epoch e reads (seed, E + e) on from there: what a run file of this moment says.
            config.data_offset += self.epoch as u64;
        }
        let mut fresh = Self::assemble(&config, self.x(), self.y.clone(), params, self.data_rng.clone());
        fresh.resize_rng = self.resize_rng.clone();
        fresh.steps_run = self.steps_run;
        *self = fresh;
    }

    fn assemble(config: &Config, x: DMatrix<f64>, y: DVector<f64>, params: Params, data_rng: Normal) -> Self {
        let (t_len, d, h) = (config.seq_length, config.input_size, config.hidden_size);
        assert_eq!(x.shape(), (t_len, d), "x must be T×D");
        assert_eq!(y.len(), tasks::target_len(config), "y must have H, O or T·O entries");
        let o = config.output_size();
        assert!(params.sizes() == Sizes { h, d, o }, "the weights must be for sizes (H, D, O)");
        let specs = AnyCell::of(config).params();
        assert!(std::ptr::eq(params.specs(), specs), "the weights must be the cell's");
        let mut session = Self {
            config: config.clone(),
            params,
            x_cols: x.transpose(),
            y,
            work: Workspace::new(0, 0),
            outputs: None,
            grads: Grads::zeros(specs, NO_SIZES),
            change: Params::zeros(specs, NO_SIZES),
            phase: Phase::Forward { t: 0 },
            epoch: 0,
            losses: Vec::new(),
            loss: None,
            diverged: None,
            steps_run: 0,
            holds_last_epoch: false,
            last_epoch_y: None,
            start: RunStart {
                x,
                y: DVector::zeros(0),
                params: Params::zeros(specs, NO_SIZES),
                h0: DVector::zeros(0),
                c0: DVector::zeros(0),
                epoch: 0,
                first_grads: None,
            },
            data_rng,
            resize_rng: Normal::new(config.seed, Stream::Resize),
        };
        session.build_buffers(&vec![0.0; h], None);
        session.mark_start();
        session
    }

    /// Sizes every buffer for the current config, starting from hidden state `h0` (H) and for
    /// the LSTM cell state `c0` (H; `None`: zeros).
    fn build_buffers(&mut self, h0: &[f64], c0: Option<&[f64]>) {
        let (t_len, d, h) = sizes(&self.config);
        let o = self.config.output_size();
        self.work = Workspace::for_cell(t_len, h, FastCell::of(&self.config));
        self.work.set_h0(h0);
        if let Some(c0) = c0.filter(|_| self.config.cell() == CellKind::Lstm) {
            self.work.set_c0(c0);
        }
        self.outputs = match self.config.loss_at() {
            LossAt::LastHidden => None,
            loss_at => Some(OutputLayer::new(t_len, o, loss_at)),
        };
        self.grads = Grads::zeros(self.params.specs(), Sizes { h, d, o });
        self.change = Params::zeros(self.params.specs(), Sizes { h, d, o });
    }

    /// Starts the current epoch again from its first forward step, keeping the weights and
    /// the loss history of completed epochs. In the blog's loop h_0 stays the carried state.
    pub fn restart_epoch(&mut self) {
        self.phase = Phase::Forward { t: 0 };
        self.holds_last_epoch = false;
        self.losses.truncate(self.epoch);
        self.loss = None;
        self.grads.fill_zero();
        self.work.restart();
    }

    /// Begins a new run here: the start of the current epoch (weights change only at an
    /// update, so the current weights are the ones this epoch started with).
    fn mark_start(&mut self) {
        self.start = RunStart {
            x: self.x(),
            y: self.y.clone(),
            params: self.params.clone(),
            h0: self.hidden_states().column(0).into_owned(),
            c0: self.cell_states().column(0).into_owned(),
            epoch: self.epoch,
            first_grads: None,
        };
    }

    /// Starts from hidden state `h0` (H) instead of zeros. A stateful run carries it on; others
    /// start every later epoch from zeros. Call before the first step.
    pub fn set_initial_hidden(&mut self, h0: &DVector<f64>) {
        self.work.set_h0(h0.as_slice());
        self.start.h0 = h0.clone();
    }

    /// Starts the LSTM from cell state `c0` (H) instead of zeros, as [`Session::set_initial_hidden`]
    /// does for h. Nothing for the cells without one. Call before the first step.
    pub fn set_initial_cell_state(&mut self, c0: &DVector<f64>) {
        if self.config.cell() == CellKind::Lstm {
            self.work.set_c0(c0.as_slice());
            self.start.c0 = c0.clone();
        }
    }

    /// Moves the cell's twin weight (the plain RNN's Wh[0, 0]: [`Cell::twin_weight`]) by `by`,
    /// for the twin run (see [`crate::model::twin`]). Nothing else changes: the run goes on
    /// from where it is with the moved weight.
    pub fn shift_first_recurrent_weight(&mut self, by: f64) {
        if by != 0.0 {
            let (k, row, col) = self.cell().twin_weight();
            self.params.values_mut()[k][(row, col)] += by;
            self.work.weights_changed();
        }
    }

    /// Sets these settings as the page's controls do, each through its own method below; sizes
    /// set together (T, D and H) are one [`Session::resize`]. Settings the page does not change
    /// (the seed, epochs, the data mode) are left alone.
    pub fn set(&mut self, settings: &[(Key, Value)]) {
        if settings.iter().any(|(key, _)| key.is_size()) {
            debug_assert!(settings.iter().all(|(key, _)| key.is_size()), "a change of sizes sets sizes only");
            let mut c = self.config.clone();
            for &(key, value) in settings {
                c.set(key, Some(value));
            }
            return self.resize(c.seq_length, c.input_size, c.hidden_size);
        }
        for &(key, value) in settings {
            match (key, value) {
                (Key::LearningRate, Value::Number(lr)) => self.set_learning_rate(lr),
                (Key::Training, Value::Training(training)) => self.set_training(training, None),
                (Key::Task, Value::Task(task)) => self.set_task(task),
                (Key::Init, Value::Init(init)) => self.set_init(init, self.config.init_scale()),
                (Key::InitScale, Value::Number(g)) => self.set_init(Init::Scaled, g),
                (Key::ClipNorm, clip) => self.set_clip_norm(clip.number()),
                (Key::Truncation, k) => self.set_training(Training::Bptt, k.whole()),
                (Key::Stateful, Value::Bool(on)) => self.set_stateful(on),
                (Key::Cell, Value::Cell(cell)) => self.set_cell(cell),
                (Key::Activation, Value::Activation(activation)) => self.set_activation(activation),
                (Key::KeepBias, Value::Number(keep)) => self.set_keep_bias(keep),
                _ => {}
            }
        }
    }

    /// The learning rate used from the next update on; nothing is reset, a new run begins.
    pub fn set_learning_rate(&mut self, learning_rate: f64) {
        self.config.learning_rate = learning_rate;
        self.mark_start();
    }

    /// Switches the training loop; the current epoch restarts (BPTT from h_0 = 0 unless
    /// stateful). The blog's loop takes only its own task and the tanh RNN, so it is refused for the others;
    /// switching to it drops the controls it does not have (clipping, truncation, carried
    /// state, the scaled init).
    pub fn set_training(&mut self, training: Training, truncation: Option<usize>) {
        let tanh_rnn = self.config.cell() == CellKind::Rnn && self.config.activation() == Activation::Tanh;
        if training == Training::BlogLoop && (self.config.task != Task::RandomTarget || !tanh_rnn) {
            return; // the blog's loop is the tanh RNN's, on its own task
        }
        self.config.training = training;
        self.config.truncation = truncation;
        if training == Training::BlogLoop {
            let c = &mut self.config;
            (c.clip_norm, c.stateful, c.init, c.init_scale) = (None, None, None, None);
        }
        if !self.config.stateful() {
            self.work.zero_h0();
        }
        self.restart_epoch();
        self.mark_start();
    }

    /// Switches the task: full BPTT (the blog's loop has only its task), the task's D (and
    /// T ≥ 2 for adding), its data mode, a fresh output layer, and new weights drawn from the
    /// seed with the task's init, on the task's data. The loss history and the epoch count go
    /// on; the current epoch restarts.
    pub fn set_task(&mut self, task: Task) {
        if task == self.config.task {
            return;
        }
        let c = &mut self.config;
        c.task = task;
        if task != Task::RandomTarget {
            c.training = Training::Bptt;
        }
        (c.seq_length, c.input_size, c.hidden_size) = task.fit_sizes(sizes(c));
        if task.loss_at() == LossAt::EveryOutput {
            c.truncation = None;
        }
        if let Some(k) = c.truncation {
            c.truncation = Some(k.min(c.seq_length));
        }
        (c.data, c.data_offset) = (None, 0);
        if task != Task::SineNext {
            c.series = None; // the learner's sequence is the next-value task's
        }
        self.params = starting_weights(&self.config);
        self.redraw_data();
        let h = self.config.hidden_size;
        self.build_buffers(&vec![0.0; h], None);
        self.restart_epoch();
        self.mark_start();
    }

    /// The init, and g for the scaled one (ignored for the unscaled): new weights drawn from
    /// the seed with it (as a fresh run of these settings has), on the same data; the current
    /// epoch restarts. BPTT only.
    pub fn set_init(&mut self, init: Init, init_scale: f64) {
        if self.config.training == Training::BlogLoop {
            return;
        }
        self.config.init = Some(init);
        self.config.init_scale = (init == Init::Scaled).then_some(init_scale);
        self.new_weights();
    }

    /// New weights drawn from the seed for the settings now (as a fresh run of them has), on
    /// the same data, from h_0 = 0 (and c_0 = 0); the current epoch restarts.
    fn new_weights(&mut self) {
        self.params = starting_weights(&self.config);
        let h = self.config.hidden_size;
        self.build_buffers(&vec![0.0; h], None);
        self.restart_epoch();
        self.mark_start();
    }

    /// Switches the cell (BPTT only: the blog's loop is the tanh RNN's): new weights drawn from
    /// the seed for its list, as changing the init does. The plain RNN's activation and the gated
    /// cells' keep bias stay with the cell they apply to.
    pub fn set_cell(&mut self, cell: CellKind) {
        if self.config.training == Training::BlogLoop || cell == self.config.cell() {
            return;
        }
        let c = &mut self.config;
        c.cell = (cell != CellKind::Rnn).then_some(cell);
        if cell == CellKind::Rnn {
            c.keep_bias = None;
        } else {
            c.activation = None;
        }
        self.new_weights();
    }

    /// The plain RNN's activation (BPTT only): the weights stay, the current epoch restarts.
    pub fn set_activation(&mut self, activation: Activation) {
        if self.config.training == Training::BlogLoop || self.config.cell() != CellKind::Rnn {
            return;
        }
        self.config.activation = (activation != Activation::Tanh).then_some(activation);
        let h0 = self.hidden_states().column(0).into_owned();
        self.build_buffers(h0.as_slice(), None);
        self.restart_epoch();
        self.mark_start();
    }

    /// A gated cell's keep bias: new weights drawn from the seed with it, as changing the init does.
    pub fn set_keep_bias(&mut self, keep_bias: f64) {
        if self.config.cell() == CellKind::Rnn {
            return;
        }
        self.config.keep_bias = Some(keep_bias);
        self.new_weights();
    }

    /// Gradient clipping from the next update on (`None`: off); BPTT only.
    pub fn set_clip_norm(&mut self, clip_norm: Option<f64>) {
        if self.config.training == Training::Bptt {
            self.config.clip_norm = clip_norm;
            self.mark_start();
        }
    }

    /// Whether h_T carries into the next epoch; BPTT only (the blog's loop always carries).
    /// Turning it off starts the current epoch again from h_0 = 0.
    pub fn set_stateful(&mut self, stateful: bool) {
        if self.config.training == Training::BlogLoop {
            return;
        }
        self.config.stateful = Some(stateful);
        if !stateful {
            self.work.zero_h0();
        }
        self.restart_epoch();
        self.mark_start();
    }

    /// Resizes T, D and H in place: every number in the overlapping block of x, y, each
    /// parameter's gate blocks and the carried h_0 is kept; new entries of x and y, then of the
    /// parameters that start from N(0, 1), in the list's order, are drawn from the seeded
    /// generator; new entries of the others (biases) and of h_0 are 0. The tasks other than random-target
    /// draw a new sequence instead (their x and y belong together). The current epoch restarts.
    pub fn resize(&mut self, seq_length: usize, input_size: usize, hidden_size: usize) {
        let (t_len, d, h) = self.config.fit_sizes((seq_length, input_size, hidden_size));
        let o = self.config.task.output_size(d);
        let rng = &mut self.resize_rng;
        let x = resized_normal(&self.x_cols.transpose(), t_len, d, rng);
        self.y = resized_vector(&self.y, h, || rng.draw());
        self.params = self.params.resized(Sizes { h, d, o }, self.config.keep_bias(), rng);
        let h0 = resized(&self.hidden_states().columns(0, 1).into_owned(), h, 1, || 0.0);
        let c0 = resized(&self.cell_states().columns(0, 1).into_owned(), h, 1, || 0.0);
        self.x_cols = x.transpose();
        self.config.seq_length = t_len;
        self.config.input_size = d;
        self.config.hidden_size = h;
        if let Some(k) = self.config.truncation {
            self.config.truncation = Some(k.min(t_len));
        }
        if self.config.task != Task::RandomTarget {
            self.redraw_data();
        }
        self.build_buffers(h0.as_slice(), Some(c0.as_slice()));
        self.restart_epoch();
        self.mark_start();
    }

    /// Draws a new x and y from the data stream (the next draws, not the first ones again).
    /// Weights are kept; the current epoch restarts. With fresh data (a new sequence every
    /// epoch already) this does nothing.
    pub fn new_data(&mut self) {
        if self.config.data() == DataMode::Fresh {
            return;
        }
        self.redraw_data();
        self.restart_epoch();
        self.mark_start();
    }

    /// The next fixed sequence from the data stream, or the current epoch's fresh one.
    fn redraw_data(&mut self) {
        let (x, y) = match self.config.data() {
            DataMode::Fixed => tasks::draw(&self.config, &mut self.data_rng),
            DataMode::Fresh => tasks::fresh(&self.config, self.config.data_offset + self.epoch as u64),
        };
        self.x_cols = x.transpose();
        self.last_epoch_y = Some(std::mem::replace(&mut self.y, y));
    }

    /// Fresh data: the sequence of the epoch about to start.
    pub(super) fn draw_fresh_data(&mut self) {
        let (x, y) = tasks::fresh(&self.config, self.config.data_offset + self.epoch as u64);
        self.x_cols = x.transpose();
        self.last_epoch_y = Some(std::mem::replace(&mut self.y, y));
    }
}

/// (T, D, H) of a config.
fn sizes(c: &Config) -> (usize, usize, usize) {
    (c.seq_length, c.input_size, c.hidden_size)
}

/// The starting weights a config draws from its seed's weights stream (`Params::init`) for its
/// cell's list: N(0, 1) draws for Wx, Wh, then Wy, each row by row over all its gate blocks; the
/// gated cells' keep block of b at ± `keep_bias`.
pub fn starting_weights(c: &Config) -> Params {
    let sizes = Sizes { h: c.hidden_size, d: c.input_size, o: c.output_size() };
    let specs = AnyCell::of(c).params();
    Params::init(specs, c.init(), c.init_scale(), c.keep_bias(), sizes, &mut Normal::new(c.seed, Stream::Weights))
}
