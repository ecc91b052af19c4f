//! One run as a value: its session, its log of changes, its markers, answers, twin and gradient check, and the values derived from it at a micro-step.

use std::collections::VecDeque;

use nalgebra::DVector;

use crate::model::cell::Cell;
use crate::model::check::{self, ParamCheck};
use crate::model::run_file::RunFile;
use crate::model::series::{MAX_LINK_VALUES, Series};
use crate::model::settings::Key;
use crate::model::twin::{TWIN_SHIFT, Twin};
use crate::model::{CellKind, Config, Init, LossAt, Phase, Session, Task, Training, health};
use crate::page::marker::Marker;
use crate::page::moment::{Edit, Journal, Replay, ReplayAction};
use crate::page::text::{fill, t};

/// Epochs of answers kept for the running measure of success.
pub const RECENT_EPOCHS: usize = 100;

/// How long a derived value stands while Play is on and training changes what it is derived from.
pub const DERIVED_EVERY_MS: f64 = 250.0;

/// The most T² H² for which the gradient panel breaks the gradient down by source step.
const MOST_SOURCE_WORK: usize = 1 << 20;

/// Micro-steps a link's replay runs between looks at the clock.
const REPLAY_CHUNK: u64 = 2000;

/// `norms[t][s]`: the part of ‖∂L/∂h_t‖ that the loss at step s sent back.
pub type SourceNorms = Vec<Vec<f64>>;

/// A value computed from a run at one micro-step (`at_step`), at `computed_ms` on the page's
/// clock. It goes stale by itself once the run steps on.
#[derive(Clone, Debug, PartialEq)]
pub struct Derived<T> {
    pub at_step: u64,
    pub computed_ms: f64,
    pub value: T,
}

impl<T> Derived<T> {
    /// Whether it still stands at micro-step `steps_run` and time `now`: nothing has run since,
    /// or Play is on and it is less than [`DERIVED_EVERY_MS`] old (an eigenvalue solve at
    /// H = 128 takes milliseconds: not every frame).
    pub fn stands(&self, steps_run: u64, now: f64, playing: bool) -> bool {
        self.at_step == steps_run || (playing && (self.computed_ms..self.computed_ms + DERIVED_EVERY_MS).contains(&now))
    }
}

/// `slot`'s value, computed again by `compute` unless it still stands.
fn derived<T>(
    slot: &mut Option<Derived<T>>,
    (steps_run, now, playing): (u64, f64, bool),
    compute: impl FnOnce() -> T,
) -> &T {
    if !slot.as_ref().is_some_and(|d| d.stands(steps_run, now, playing)) {
        *slot = Some(Derived { at_step: steps_run, computed_ms: now, value: compute() });
    }
    &slot.as_ref().expect("just computed").value
}

/// What a change did to a run, for the page around it (ordered: the most a group of changes did).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Changed {
    /// Nothing: the change changed nothing, or a link's replay is under way.
    Nothing,
    /// A live setting (learning rate, clipping): training goes on from here.
    Live,
    /// The epoch (or the whole run) started again: what was drawn may have changed shape.
    Restarted,
}

/// How a link's replay went this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replaying {
    /// No replay under way.
    No,
    /// Under way; it goes on next frame. What its changes so far did.
    Going(Changed),
    /// Done this frame: the run is at the link's moment, with its settings.
    Done,
}

/// One run: a session with everything the page keeps about it.
pub struct Run {
    session: Session,
    /// The micro-step run last (what the equation panel explains).
    last_step: Option<Phase>,
    /// (epoch, change) where a setting changed.
    markers: Vec<(usize, Marker)>,
    /// The loss curve of the run before the last Reset (or change of task).
    previous_losses: Vec<f64>,
    /// The session's epoch the loss curve and the epoch shown start from: 0, or the epoch of
    /// the last change of task (a new task is a new curve; the session's epoch, which indexes
    /// fresh data, goes on).
    curve_from: usize,
    /// Epochs shown before the curve's first: those a run file was saved after
    /// (`epochs_before`), so that an opened run shows the epoch it was saved at.
    epochs_before: usize,
    /// The changes since the run's start, for links that reproduce the moment; `None` after a
    /// run file was opened (a link cannot carry its numbers).
    journal: Option<Journal>,
    /// A link's moment being replayed, a slice per frame.
    replay: Option<Replay>,
    /// The settings a replayed link ends with, applied once the replay is done.
    replay_settings: Option<Config>,
    /// The link outgrew what it can carry (and the person was told).
    link_too_long: bool,
    /// Said in the status once, after a change restarted the current epoch.
    restart_note: Option<Marker>,
    /// ρ(Wh) at a micro-step.
    spectral: Option<Derived<f64>>,
    /// The gradient broken down by source step at a micro-step (`None` inside: not on show).
    sources: Option<Derived<Option<SourceNorms>>>,
    /// The last gradient check, and the epoch it was run at.
    gradient_check: Option<(usize, Vec<ParamCheck>)>,
    /// (target, prediction) pairs at the last step of recent epochs, oldest first, for the
    /// tasks with a loss at the last step.
    answers: VecDeque<Vec<(f64, f64)>>,
    /// The twin run, while it is on: a copy one weight apart, following every micro-step, made
    /// anew from the session after every change (and after a link's replay).
    twin: Option<Twin>,
}

impl Run {
    /// A new run with `config`, at its start.
    pub fn new(config: &Config) -> Run {
        Run {
            session: Session::new(config),
            last_step: None,
            markers: Vec::new(),
            previous_losses: Vec::new(),
            curve_from: 0,
            epochs_before: 0,
            journal: Some(Journal::new(config)),
            replay: None,
            replay_settings: None,
            link_too_long: false,
            restart_note: None,
            spectral: None,
            sources: None,
            gradient_check: None,
            answers: VecDeque::new(),
            twin: None,
        }
    }

    /// A run that replays a link's `journal` to micro-step `at` (a slice per frame, see
    /// [`Run::advance_replay`]), then takes `settings`.
    pub fn replaying(journal: &Journal, at: u64, settings: &Config) -> Run {
        let mut run = Run::new(journal.start());
        run.start_replay(journal, at, settings);
        run.previous_losses.clear();
        run
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    pub fn config(&self) -> &Config {
        self.session.config()
    }

    /// The micro-step run last (what the equation panel explains).
    pub fn last_step(&self) -> Option<Phase> {
        self.last_step
    }

    /// (epoch, change) where a setting changed.
    pub fn markers(&self) -> &[(usize, Marker)] {
        &self.markers
    }

    /// (epoch, words) of every marker, in the language on show: the epoch counted as the
    /// curve's points are (0 at its first).
    pub fn marker_labels(&self) -> Vec<(usize, String)> {
        self.markers.iter().map(|(epoch, m)| (epoch.saturating_sub(self.curve_from), m.label())).collect()
    }

    /// The loss curve on show: each epoch's loss since the run began or its task last changed
    /// (and the current epoch's once its loss step has run).
    pub fn curve(&self) -> &[f64] {
        let losses = self.session.losses();
        &losses[self.curve_from.min(losses.len())..]
    }

    /// The epochs shown before the curve's first point (a run file's `epochs_before`).
    pub fn epochs_before(&self) -> usize {
        self.epochs_before
    }

    /// Completed epochs, as the page counts them: since the run began or its task last
    /// changed, after those a run file was saved after.
    pub fn epochs_shown(&self) -> usize {
        self.epochs_before + self.session.epoch().saturating_sub(self.curve_from)
    }

    /// The run file of the run since its last change (see [`RunFile::of_session`]), with the
    /// epochs shown before its first, so that it opens at the epoch it was saved at.
    pub fn run_file(&self) -> RunFile {
        let mut file = RunFile::of_session(&self.session);
        let before = self.epochs_before + self.session.run_start().epoch.saturating_sub(self.curve_from);
        file.epochs_before = (before > 0).then_some(before as u64);
        file
    }

    /// The loss curve of the run before the last Reset (or change of task).
    pub fn previous_losses(&self) -> &[f64] {
        &self.previous_losses
    }

    /// Said once after a change restarted the current epoch, in the language on show.
    pub fn restart_note(&self) -> Option<String> {
        self.restart_note.as_ref().map(|m| fill(t().restarted, &[("change", &m.label())]))
    }

    /// Recent epochs' answers at the last step, oldest first.
    pub fn answers(&self) -> &VecDeque<Vec<(f64, f64)>> {
        &self.answers
    }

    /// The twin run, while it is on.
    pub fn twin(&self) -> Option<&Twin> {
        self.twin.as_ref()
    }

    /// Turns the twin run on (a twin of the session as it is now) or off.
    pub fn set_twin(&mut self, on: bool) {
        self.twin = on.then(|| Twin::new(&self.session, TWIN_SHIFT));
    }

    /// A new twin of the session as it is now, after a change (the old one's distances go).
    fn restart_twin(&mut self) {
        if self.twin.is_some() {
            self.set_twin(true);
        }
    }

    /// The last gradient check and the epoch it ran at.
    pub fn gradient_check(&self) -> Option<&(usize, Vec<ParamCheck>)> {
        self.gradient_check.as_ref()
    }

    /// Puts the gradient check's result away.
    pub fn close_gradient_check(&mut self) {
        self.gradient_check = None;
    }

    /// Runs the gradient check at the current weights and the current epoch's data.
    pub fn check_gradients(&mut self) {
        self.gradient_check = Some((self.session.epoch(), check::check(&self.session)));
    }

    /// How far a link's replay has come (0 to 1), while one runs.
    pub fn replay_progress(&self) -> Option<f64> {
        self.replay.as_ref().map(|r| r.progress(self.session.steps_run()))
    }

    /// Whether it stands still: diverged, or a link's replay is making its changes.
    fn held(&self) -> bool {
        self.session.divergence().is_some() || self.replay.is_some()
    }

    /// One micro-step (none once diverged: the equation keeps showing where it went bad).
    pub fn step(&mut self) {
        if self.held() {
            return;
        }
        let y = self.session.y().clone();
        let ran = self.session.step();
        self.follow_twin();
        self.last_step = Some(ran);
        self.restart_note = None;
        if ran == Phase::Loss {
            self.record_answers(&y);
        }
    }

    /// To the end of the current epoch.
    pub fn step_epoch(&mut self) {
        if self.held() {
            return;
        }
        self.restart_note = None;
        let loss_to_come = matches!(self.session.phase(), Phase::Forward { .. } | Phase::Loss);
        let y = self.session.y().clone();
        self.session.finish_epoch();
        self.follow_twin();
        if loss_to_come && self.session.divergence().is_none() {
            self.record_answers(&y);
        }
        if self.session.divergence().is_none() {
            self.last_step = Some(Phase::Update);
        }
    }

    /// The twin catches up with the session's micro-step (it trains as much again).
    fn follow_twin(&mut self) {
        if let Some(twin) = &mut self.twin {
            twin.follow(&self.session);
        }
    }

    /// Notes the answers of the epoch whose loss step just ran on target `y`, for the tasks
    /// with a loss at the last step (ŷ_T against y, output by output).
    fn record_answers(&mut self, y: &DVector<f64>) {
        let Some(y_hat) = self.session.y_hat().filter(|_| self.config().loss_at() == LossAt::LastOutput) else {
            return;
        };
        let last = y_hat.ncols() - 1;
        let pairs = y.iter().enumerate().map(|(o, &target)| (target, y_hat[(o, last)])).collect();
        if self.answers.len() == RECENT_EPOCHS {
            self.answers.pop_front();
        }
        self.answers.push_back(pairs);
    }

    /// ρ(Wh), computed again after training or a change, at most every [`DERIVED_EVERY_MS`]
    /// while `playing`.
    pub fn spectral_radius(&mut self, now: f64, playing: bool) -> f64 {
        let at = (self.session.steps_run(), now, playing);
        *derived(&mut self.spectral, at, || {
            health::spectral_radius(&self.session.cell().recurrent(self.session.params()))
        })
    }

    /// ρ(Wh) as last computed, with the micro-step it belongs to.
    pub fn spectral(&self) -> Option<&Derived<f64>> {
        self.spectral.as_ref()
    }

    /// For a loss at every step, the gradient broken down by the step whose loss sent it
    /// (RNNbow): computed again after a step, at most every [`DERIVED_EVERY_MS`] while playing,
    /// and only up to [`MOST_SOURCE_WORK`] (it costs T² H² multiply-adds).
    pub fn refresh_gradient_sources(&mut self, now: f64, playing: bool) {
        let at = (self.session.steps_run(), now, playing);
        let c = self.session.config();
        let small = (c.seq_length * c.hidden_size).pow(2) <= MOST_SOURCE_WORK;
        derived(&mut self.sources, at, || if small { self.session.gradient_sources() } else { None });
    }

    /// `norms[t][s]`: the part of ‖∂L/∂h_t‖ the loss at step s sent back, when on show.
    pub fn gradient_sources(&self) -> Option<&[Vec<f64>]> {
        self.sources.as_ref()?.value.as_deref()
    }

    /// Forgets what was derived from the run: a change of setting may have changed it.
    fn forget_derived(&mut self) {
        self.spectral = None;
        self.sources = None;
    }

    /// What a link carries of this run: its log and micro-step, while a link can carry them.
    pub fn link_moment(&self) -> Option<(Journal, u64)> {
        let now = self.session.steps_run();
        // Once too long, always too long: the log and the steps only grow.
        let carried = self.journal.as_ref().filter(|j| !self.link_too_long && j.fits_in_link(now));
        carried.filter(|_| self.series_fits_link()).map(|j| (j.clone(), now))
    }

    /// Whether a link can carry the run's series (none, or at most [`MAX_LINK_VALUES`] values).
    pub fn series_fits_link(&self) -> bool {
        self.config().series.as_ref().is_none_or(|s| s.len() <= MAX_LINK_VALUES)
    }

    /// True once, when the link has just stopped carrying the moment (the person is to be told).
    pub fn outgrew_link(&mut self) -> bool {
        if self.link_too_long || self.replay.is_some() {
            return false;
        }
        let now = self.session.steps_run();
        self.link_too_long = !self.journal.as_ref().is_some_and(|j| j.fits_in_link(now));
        self.link_too_long
    }

    /// The sizes edit for (T, D, H), as far as the task allows (it may fix D, and T ≥ 2 for adding).
    pub fn sizes_edit(&self, seq_length: usize, input_size: usize, hidden_size: usize) -> Edit {
        let (seq_length, input_size, hidden_size) = self.config().fit_sizes((seq_length, input_size, hidden_size));
        Edit::sizes(seq_length, input_size, hidden_size)
    }

    /// Every change to the run goes through here, a person's or a replayed link's: it is
    /// made, noted in the journal, marked on the loss curve, and said in the status when it
    /// restarted the epoch. A change that changes nothing is ignored.
    pub fn apply_edit(&mut self, edit: Edit) -> Changed {
        if self.replay.is_some() {
            return Changed::Nothing; // a link's replay is under way: it makes the changes
        }
        let Some(marker) = Marker::of_edit(self.config(), &edit) else {
            return Changed::Nothing;
        };
        let mid_epoch = self.session.phase() != (Phase::Forward { t: 0 });
        if let Some(journal) = &mut self.journal {
            journal.record(self.session.steps_run(), edit.clone());
        }
        self.forget_derived();
        let key = edit.settings().first().map(|(key, _)| *key);
        if edit == Edit::Reset || key.is_some_and(|key| key == Key::Task || key.is_size()) {
            self.answers.clear();
        }
        match edit {
            Edit::Reset => {
                self.start_over(Session::reset_weights);
                Changed::Restarted
            }
            // Live settings: they change no number until the next update.
            _ if matches!(key, Some(Key::LearningRate | Key::ClipNorm)) => {
                edit.apply(&mut self.session);
                self.restart_twin();
                self.mark(marker);
                Changed::Live
            }
            // A new task is a new curve, the old one kept faintly, and the epoch shown starts
            // again; the session's epoch (which indexes fresh data) goes on.
            _ if key == Some(Key::Task) => {
                edit.apply(&mut self.session);
                self.restart_note = mid_epoch.then(|| marker.clone());
                self.new_curve();
                self.after_restart();
                Changed::Restarted
            }
            _ => {
                edit.apply(&mut self.session);
                self.restart_note = mid_epoch.then(|| marker.clone());
                self.mark(marker);
                self.after_restart();
                Changed::Restarted
            }
        }
    }

    /// A marker on the loss curve at the current epoch. Changes in quick succession (a
    /// slider being dragged) at the same epoch merge into one marker.
    fn mark(&mut self, marker: Marker) {
        let epoch = self.session.epoch();
        if let Some((at, last)) = self.markers.last_mut()
            && *at == epoch
            && last.merge(&marker)
        {
            return;
        }
        if epoch > 0 || !self.session.losses().is_empty() {
            self.markers.push((epoch, marker));
        }
    }

    /// Everything anew from `seed`: data and weights.
    pub fn set_seed(&mut self, seed: u64) -> Changed {
        if seed == self.config().seed {
            return Changed::Nothing;
        }
        let config = Config { seed, ..self.config().clone() };
        self.start_over(|session| *session = Session::new(&config));
        self.journal = Some(Journal::new(&config));
        self.link_too_long = false;
        Changed::Restarted
    }

    /// The learner's own series for the next-value task (`None`: the built-in waves): a new
    /// run from the seed on it, as a new seed is, with T cut to fit the series (T + 1 values).
    pub fn set_series(&mut self, series: Option<Series>) -> Changed {
        if series == self.config().series || self.config().task != Task::SineNext {
            return Changed::Nothing;
        }
        let mut config = Config { series, ..self.config().clone() };
        (config.seq_length, config.input_size, config.hidden_size) =
            config.fit_sizes((config.seq_length, config.input_size, config.hidden_size));
        self.start_fresh(&config);
        Changed::Restarted
    }

    /// Replaces the session with one loaded from a run file saved after `epochs_before` epochs
    /// (its `epochs_before`), at its end: the epoch shown and the step just run are the file's.
    pub fn load(&mut self, session: Session, epochs_before: usize) {
        self.start_over(|current| *current = session);
        self.epochs_before = epochs_before;
        self.last_step = self.session.phase_before();
        // A link cannot carry a file's numbers: from here it keeps only the settings.
        self.journal = None;
        self.link_too_long = true;
    }

    /// A new run from `config`, as a link without a moment would start it, the current run's
    /// curve kept faintly beside it (a lesson's runs A and B).
    pub fn start_fresh(&mut self, config: &Config) {
        self.start_over(|session| *session = Session::new(config));
        self.journal = Some(Journal::new(config));
        (self.replay, self.replay_settings) = (None, None);
        self.link_too_long = false;
    }

    /// A new run: `change` makes the new session (from the current one or in its place); the
    /// current run's curve stays faintly and its markers go.
    fn start_over(&mut self, change: impl FnOnce(&mut Session)) {
        self.answers.clear();
        self.forget_derived();
        self.previous_losses = self.curve().to_vec();
        change(&mut self.session);
        self.markers.clear();
        (self.curve_from, self.epochs_before) = (0, 0);
        self.after_restart();
    }

    /// The loss curve starts anew at the session's epoch, the one before kept faintly, without
    /// markers.
    fn new_curve(&mut self) {
        self.previous_losses = self.curve().to_vec();
        (self.curve_from, self.epochs_before) = (self.session.epoch(), 0);
        self.markers.clear();
    }

    fn after_restart(&mut self) {
        self.last_step = None;
        self.restart_twin();
    }

    /// Takes a link's run: its moment to replay (unless it is this run's own), or else its seed
    /// (everything anew, exactly as opening the link would) and its settings. Returns the most
    /// its changes did.
    pub fn follow_link(&mut self, config: &Config, moment: Option<&(Journal, u64)>) -> Changed {
        let own = |j: &Journal| {
            self.journal
                .as_ref()
                .is_some_and(|mine| mine.encode() == j.encode() && mine.start().series == j.start().series)
        };
        if let Some((journal, at)) = moment.filter(|(j, _)| !own(j)) {
            self.start_replay(journal, *at, config);
            return Changed::Restarted;
        }
        let mut changed = Changed::Nothing;
        if config.seed != self.config().seed || config.series != self.config().series {
            self.start_over(|session| *session = Session::new(config));
            self.journal = Some(Journal::new(config));
            changed = Changed::Restarted;
        }
        changed.max(self.apply_settings(config))
    }

    /// Applies each of `config`'s settings in force as a change (those it shares change
    /// nothing): the task first, then the sizes it allows, the rate and the training, then the
    /// controls of full BPTT.
    fn apply_settings(&mut self, config: &Config) -> Changed {
        let mut keys = vec![Key::Task, Key::SeqLength, Key::LearningRate, Key::Training];
        if config.training == Training::Bptt {
            keys.extend([Key::Cell, Key::Activation, Key::KeepBias]);
            keys.extend([Key::Init, Key::InitScale, Key::ClipNorm, Key::Truncation, Key::Stateful]);
        }
        let mut changed = Changed::Nothing;
        for key in keys {
            let plain = config.cell() == CellKind::Rnn;
            let edit = match key {
                Key::SeqLength => self.sizes_edit(config.seq_length, config.input_size, config.hidden_size),
                Key::InitScale if config.init() != Init::Scaled => continue,
                // Each cell's own setting only with that cell.
                Key::Activation if !plain => continue,
                Key::KeepBias if plain => continue,
                key => Edit::set(key, config.in_force(key)),
            };
            changed = changed.max(self.apply_edit(edit));
        }
        changed
    }

    /// Replays `journal` to micro-step `at` from its start, then applies `settings` (which
    /// a link written by the page already has).
    fn start_replay(&mut self, journal: &Journal, at: u64, settings: &Config) {
        self.start_over(|session| *session = Session::new(journal.start()));
        self.journal = Some(Journal::new(journal.start()));
        self.replay = Some(journal.replay(at));
        self.replay_settings = Some(settings.clone());
        self.link_too_long = false;
    }

    /// Runs a link's replay for up to `budget_ms` after `now` (by `clock`).
    pub fn advance_replay(&mut self, now: f64, budget_ms: f64, clock: &impl Fn() -> f64) -> Replaying {
        let Some(mut replay) = self.replay.take() else {
            return Replaying::No;
        };
        let mut changed = Changed::Nothing;
        let mut slice_end = self.session.steps_run() + REPLAY_CHUNK;
        loop {
            if self.session.divergence().is_some() {
                break;
            }
            match replay.next_action(self.session.steps_run(), slice_end) {
                ReplayAction::RunTo(n) => {
                    self.session.run_until(n);
                    // What the equation panel explains, as after stepping there by hand.
                    self.last_step = self.session.phase_before();
                }
                ReplayAction::Apply(edit) => changed = changed.max(self.apply_edit(edit)),
                ReplayAction::Pause if clock() - now < budget_ms => slice_end += REPLAY_CHUNK,
                ReplayAction::Pause => {
                    self.replay = Some(replay);
                    return Replaying::Going(changed);
                }
                ReplayAction::Done => break,
            }
        }
        if let Some(settings) = self.replay_settings.take() {
            self.apply_settings(&settings);
        }
        self.restart_twin();
        Replaying::Done
    }
}
