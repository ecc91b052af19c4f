//! The page's state: the session, play/pause, speed, markers and notices. Its methods change it and mark what to redraw.

use std::collections::VecDeque;

use nalgebra::DVector;

use crate::model::cell::Cell;
use crate::model::check::{self, ParamCheck};
use crate::model::config::Named;
use crate::model::rnn::Rnn;
use crate::model::twin::{TWIN_SHIFT, Twin};
use crate::model::{Config, Init, LossAt, Phase, Session, Task, Training, health};
use crate::page::moment::{Edit, Journal, Replay, ReplayAction};
use crate::page::playback::{Speed, StepClock};
use crate::page::slow_motion::BEATS_PER_SECOND;
use crate::page::text::{self, Lang, fill, t};
use crate::page::url_hash::{self, PageSettings};

use super::charts::Grid;

/// What a hovered cell shows: which panel's matrix or curve it is a cell of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HoverSource {
    X,
    HiddenNow,
    HiddenHistory,
    Output,
    Loss,
    /// A weight of the cell, by its index in the parameter list.
    Weight(usize),
    /// The change the last update made to the parameter at this index in the list.
    Change(usize),
    Gradient,
    /// A label on the loss chart standing for `.1` change markers from index `.0`.
    Markers(usize, usize),
    /// The sine's sequence: read for T steps, then run free for T more.
    Sequence,
    /// A parameter of the output layer (Wy or by), by its index in the parameter list.
    OutputWeights(usize),
    /// The twin run's distance per epoch.
    Twin,
}

/// A hoverable grid on one canvas.
#[derive(Clone, Debug)]
pub struct HitArea {
    pub canvas: &'static str,
    pub grid: Grid,
    pub source: HoverSource,
}

/// What the next frame must bring up to date.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Redraw {
    /// The panels, value labels, status line, equation and URL hash.
    pub page: bool,
    /// The controls' own values, set from the state (after a link, an import or a refused value).
    pub controls: bool,
}

/// The page's state. Every change goes through a method, which also marks what to redraw.
pub struct App {
    session: Session,
    playing: bool,
    speed_index: usize,
    /// Play one micro-step a second, lighting the panels each one changes.
    slow_motion: bool,
    redraw: Redraw,
    /// Draw x as the seed's line view instead of a heatmap.
    x_as_lines: bool,
    /// Panel 7 shows the numpy listing instead of the equation.
    shows_code: bool,
    /// The micro-step run last (what the equation panel explains).
    last_step: Option<Phase>,
    /// (epoch, label) where a setting changed.
    markers: Vec<(usize, String)>,
    /// The loss curve of the run before the last Reset.
    previous_losses: Vec<f64>,
    /// Messages for the person (bad link values, imports).
    notices: Vec<String>,
    clock: StepClock,
    last_frame_ms: Option<f64>,
    /// The hoverable grids, as last drawn.
    hit_areas: Vec<HitArea>,
    /// The hidden unit the equation panel follows (the last one hovered).
    followed_unit: usize,
    /// Set while the in-page benchmark runs: the frame loop stays out of its way.
    benchmark_running: bool,
    /// The changes since the run's start, for links that reproduce the moment; `None` after a
    /// run file was opened (a link cannot carry its numbers).
    journal: Option<Journal>,
    /// A link's moment being replayed, a slice per frame.
    replay: Option<Replay>,
    /// The link outgrew what it can carry, and the person was told.
    told_link_too_long: bool,
    /// Said in the status once, after a change restarted the current epoch.
    restart_note: Option<String>,
    /// The settings a replayed link ends with, applied once the replay is done.
    replay_settings: Option<Config>,
    /// ρ(Wh) as last computed: when (page clock, ms), at which micro-step, and its value.
    /// `None` once a change of setting may have changed Wh.
    spectral: Option<(f64, u64, f64)>,
    /// The gradient broken down by source step (see [`App::refresh_gradient_sources`]): when
    /// computed (ms), at which micro-step, and the norms.
    sources: Option<(f64, u64, Option<SourceNorms>)>,
    /// The loss step whose gradient the gradient panel traces (hovered).
    traced_source: Option<usize>,
    /// The last gradient check, and the epoch it was run at.
    gradient_check: Option<(usize, Vec<ParamCheck>)>,
    /// (target, prediction) pairs at the last step of recent epochs, oldest first, for the
    /// tasks with a loss at the last step.
    answers: VecDeque<Vec<(f64, f64)>>,
    /// The twin run, while it is on: a copy one weight apart, following every micro-step, made
    /// anew from the session after every change (and after a link's replay).
    twin: Option<Twin>,
}

/// Epochs of answers kept for the running measure of success.
pub const RECENT_EPOCHS: usize = 100;

/// How often ρ(Wh) is computed again while training changes Wh.
const SPECTRAL_EVERY_MS: f64 = 250.0;

/// `norms[t][s]`: the part of ‖∂L/∂h_t‖ that the loss at step s sent back.
type SourceNorms = Vec<Vec<f64>>;

/// The most T² H² for which the gradient panel breaks the gradient down by source step.
const MOST_SOURCE_WORK: usize = 1 << 20;

/// Micro-steps a link's replay runs between looks at the clock.
const REPLAY_CHUNK: u64 = 2000;

/// The loss-curve marker for a change from `before`, or `None` when it changes nothing.
fn edit_label(before: &Config, edit: &Edit) -> Option<String> {
    match *edit {
        Edit::LearningRate(lr) => (lr != before.learning_rate).then(|| format!("η {}→{lr}", before.learning_rate)),
        Edit::Sizes { seq_length, input_size, hidden_size } => {
            let named = [
                ("T", before.seq_length, seq_length),
                ("D", before.input_size, input_size),
                ("H", before.hidden_size, hidden_size),
            ];
            let changes: Vec<String> = named
                .iter()
                .filter(|(_, from, to)| from != to)
                .map(|(n, from, to)| format!("{n} {from}→{to}"))
                .collect();
            (!changes.is_empty()).then(|| changes.join(", "))
        }
        Edit::NewData => Some(t().mark_new_data.into()),
        Edit::Reset => Some(t().mark_reset.into()),
        Edit::Training(Training::BlogLoop) if before.task != Task::RandomTarget => None,
        Edit::Training(training) => (training != before.training).then(|| {
            match training {
                Training::BlogLoop => t().mark_seed_code,
                Training::Bptt => t().mark_bptt,
            }
            .into()
        }),
        _ if before.training == Training::BlogLoop && !matches!(edit, Edit::Task(_)) => None,
        _ => setting_label(before, edit),
    }
}

/// The marker for a change of the task or of a BPTT control (`None`: it changes nothing).
fn setting_label(before: &Config, edit: &Edit) -> Option<String> {
    let w = t();
    let off = |v: Option<f64>| v.map_or(w.off.to_string(), |v| v.to_string());
    let all = |k: Option<usize>| k.map_or(w.all.to_string(), |k| k.to_string());
    match *edit {
        Edit::Task(task) => (task != before.task).then(|| fill(w.mark_task, &[("name", &task.name())])),
        Edit::Init(init) => (init != before.init()).then(|| fill(w.mark_init, &[("name", &init.name())])),
        Edit::InitScale(g) => (before.init() != Init::Scaled || g != before.init_scale())
            .then(|| format!("g {}→{g}", before.init_scale())),
        Edit::ClipNorm(c) => {
            (c != before.clip_norm).then(|| fill(w.mark_clip, &[("from", &off(before.clip_norm)), ("to", &off(c))]))
        }
        Edit::Truncation(k) => (k != before.truncation && before.loss_at() != LossAt::EveryOutput)
            .then(|| format!("k {}→{}", all(before.truncation), all(k))),
        Edit::Stateful(on) => {
            (on != before.stateful()).then(|| if on { w.mark_carry_on } else { w.mark_carry_off }.into())
        }
        _ => None,
    }
}

impl App {
    /// The page opened with `hash` (may be empty): settings from the link, bad ones noted.
    pub fn from_hash(hash: &str, browser_lang: Lang) -> App {
        // The language first, so that the link's notices are in it.
        let lang = url_hash::from_hash(hash, &PageSettings::default()).0.lang;
        text::set_lang(lang.unwrap_or(browser_lang));
        let (page, notices) = url_hash::from_hash(hash, &PageSettings::default());
        App {
            session: Session::new(&page.config),
            playing: false,
            speed_index: page.speed,
            slow_motion: page.slow,
            redraw: Redraw { page: true, controls: true },
            x_as_lines: false,
            shows_code: false,
            last_step: None,
            markers: Vec::new(),
            previous_losses: Vec::new(),
            notices,
            clock: StepClock::default(),
            last_frame_ms: None,
            hit_areas: Vec::new(),
            followed_unit: 0,
            benchmark_running: false,
            journal: Some(Journal::new(&page.config)),
            replay: None,
            told_link_too_long: false,
            restart_note: None,
            replay_settings: None,
            spectral: None,
            sources: None,
            traced_source: None,
            gradient_check: None,
            answers: VecDeque::new(),
            twin: None,
        }
        .with_moment(&page)
        .with_twin(page.twin)
    }

    fn with_twin(mut self, on: bool) -> App {
        self.set_twin(on);
        self
    }

    /// Turns the twin run on (a twin of the session as it is now) or off.
    pub fn set_twin(&mut self, on: bool) {
        self.twin = on.then(|| Twin::new(&self.session, TWIN_SHIFT));
        self.redraw = Redraw { page: true, controls: true };
    }

    /// The twin run, while it is on.
    pub fn twin(&self) -> Option<&Twin> {
        self.twin.as_ref()
    }

    /// A new twin of the session as it is now, after a change (the old one's distances go).
    fn restart_twin(&mut self) {
        if self.twin.is_some() {
            self.set_twin(true);
        }
    }

    /// The twin catches up with the session's micro-step (it trains as much again).
    fn follow_twin(&mut self) {
        if let Some(twin) = &mut self.twin {
            twin.follow(&self.session);
        }
    }

    /// Starts replaying a link's moment, if it carries one: from the log's start, with the
    /// link's seed.
    fn with_moment(mut self, page: &PageSettings) -> App {
        if let Some((journal, at)) = &page.moment {
            self.start_replay(journal, *at, &page.config);
            self.previous_losses.clear();
        }
        self
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    pub fn config(&self) -> &Config {
        self.session.config()
    }

    /// What the URL hash carries: the settings, and the moment while a link can carry it.
    pub fn page_settings(&self) -> PageSettings {
        let now = self.session.steps_run();
        // Once too long, always too long: the log and the steps only grow.
        let carried = self.journal.as_ref().filter(|j| !self.told_link_too_long && j.fits_in_link(now));
        let moment = carried.map(|j| (j.clone(), now));
        PageSettings {
            config: self.config().clone(),
            speed: self.speed_index,
            lang: Some(text::lang()),
            slow: self.slow_motion,
            twin: self.twin.is_some(),
            moment,
        }
    }

    /// Tells the person, once, when the link stops carrying the moment.
    fn check_link_length(&mut self) {
        if self.told_link_too_long {
            return;
        }
        let now = self.session.steps_run();
        let fits = self.journal.as_ref().is_some_and(|j| j.fits_in_link(now));
        if !fits && !self.told_link_too_long && self.replay.is_none() {
            self.told_link_too_long = true;
            self.notices.push(t().link_too_long.into());
            self.redraw.page = true;
        }
    }

    /// How far a link's replay has come (0 to 1), while one runs.
    pub fn replay_progress(&self) -> Option<f64> {
        self.replay.as_ref().map(|r| r.progress(self.session.steps_run()))
    }

    /// Said once after a change restarted the current epoch.
    pub fn restart_note(&self) -> Option<&str> {
        self.restart_note.as_deref()
    }

    pub fn is_playing(&self) -> bool {
        self.playing
    }

    /// The speed slider's position.
    pub fn speed_index(&self) -> usize {
        self.speed_index
    }

    pub fn speed(&self) -> Speed {
        Speed::from_index(self.speed_index)
    }

    pub fn slow_motion(&self) -> bool {
        self.slow_motion
    }

    /// Turns slow motion on or off: Play then runs one micro-step a beat.
    pub fn set_slow_motion(&mut self, on: bool) {
        self.slow_motion = on;
        self.clock.reset();
        self.redraw = Redraw { page: true, controls: true };
    }

    pub fn shows_x_as_lines(&self) -> bool {
        self.x_as_lines
    }

    pub fn shows_code(&self) -> bool {
        self.shows_code
    }

    /// Switches panel 7 between the equation of the step just run and the code.
    pub fn toggle_code(&mut self) {
        self.shows_code = !self.shows_code;
        self.redraw = Redraw { page: true, controls: true };
    }

    pub fn last_step(&self) -> Option<Phase> {
        self.last_step
    }

    /// (epoch, label) where a setting changed.
    pub fn markers(&self) -> &[(usize, String)] {
        &self.markers
    }

    /// The loss curve of the run before the last Reset.
    pub fn previous_losses(&self) -> &[f64] {
        &self.previous_losses
    }

    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    /// The hidden unit (0-based) the equation panel follows.
    pub fn followed_unit(&self) -> usize {
        self.followed_unit
    }

    pub fn benchmark_running(&self) -> bool {
        self.benchmark_running
    }

    /// The hovered cell under (`x`, `y`) (CSS pixels) of `canvas`, as last drawn: what it
    /// shows, its row and its column.
    pub fn hovered(&self, canvas: &str, x: f64, y: f64) -> Option<(HoverSource, usize, usize)> {
        self.hit_areas
            .iter()
            .filter(|h| h.canvas == canvas)
            .find_map(|h| h.grid.cell_at(x, y).map(|(row, col)| (h.source, row, col)))
    }

    /// What to redraw since the last call; the marks are cleared.
    pub fn take_redraw(&mut self) -> Redraw {
        std::mem::take(&mut self.redraw)
    }

    /// The hoverable grids just drawn.
    pub fn set_hit_areas(&mut self, hit_areas: Vec<HitArea>) {
        self.hit_areas = hit_areas;
    }

    /// The hoverable grids of one panel just drawn, in place of that panel's old ones.
    pub fn add_hit_areas(&mut self, hit_areas: Vec<HitArea>) {
        let canvases: Vec<&str> = hit_areas.iter().map(|h| h.canvas).collect();
        self.hit_areas.retain(|h| !canvases.contains(&h.canvas));
        self.hit_areas.extend(hit_areas);
    }

    /// Asks for the page to be drawn again on the next frame.
    pub fn request_redraw(&mut self) {
        self.redraw.page = true;
    }

    pub fn start_benchmark(&mut self) {
        self.benchmark_running = true;
    }

    pub fn finish_benchmark(&mut self) {
        self.benchmark_running = false;
    }

    /// Shows the page in `lang` from now on; the run goes on untouched.
    pub fn set_lang(&mut self, lang: Lang) {
        if lang != text::lang() {
            text::set_lang(lang);
            self.redraw = Redraw { page: true, controls: true };
        }
    }

    pub fn toggle_play(&mut self) {
        self.playing = !self.playing && self.session.divergence().is_none();
        self.clock.reset();
        self.last_frame_ms = None;
        self.redraw.page = true;
    }

    pub fn pause(&mut self) {
        self.playing = false;
        self.redraw.page = true;
    }

    /// The speed slider moved to position `index`.
    pub fn set_speed_index(&mut self, index: usize) {
        self.speed_index = index;
        self.clock.reset();
        self.redraw.page = true;
    }

    /// Switches x between the heatmap and the seed's line view.
    pub fn toggle_x_view(&mut self) {
        self.x_as_lines = !self.x_as_lines;
        self.redraw = Redraw { page: true, controls: true };
    }

    /// A message for the person.
    pub fn add_notice(&mut self, notice: String) {
        self.notices.push(notice);
        self.redraw.page = true;
    }

    pub fn clear_notices(&mut self) {
        self.notices.clear();
        self.redraw.page = true;
    }

    /// A seed field that does not hold a whole number: the seed is kept, the person told, and
    /// the field shows the kept seed again.
    pub fn refuse_seed(&mut self, typed: &str) {
        let kept = self.config().seed;
        self.notices.push(fill(t().bad_seed, &[("typed", &typed), ("kept", &kept)]));
        self.redraw = Redraw { page: true, controls: true };
    }

    /// One micro-step.
    pub fn step(&mut self) {
        // A diverged session does not step: the equation keeps showing where it went bad.
        if self.session.divergence().is_none() && self.replay.is_none() {
            let y = self.session.y().clone();
            let ran = self.session.step();
            self.follow_twin();
            self.last_step = Some(ran);
            self.restart_note = None;
            if ran == Phase::Loss {
                self.record_answers(&y);
            }
        }
        self.redraw.page = true;
    }

    /// To the end of the current epoch.
    pub fn step_epoch(&mut self) {
        if self.session.divergence().is_none() && self.replay.is_none() {
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
        self.redraw.page = true;
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

    /// Recent epochs' answers at the last step, oldest first.
    pub fn answers(&self) -> &VecDeque<Vec<(f64, f64)>> {
        &self.answers
    }

    /// New weights from the seed on the same data; the old curve stays faintly.
    pub fn reset(&mut self) {
        self.apply_edit(Edit::Reset);
    }

    /// Everything anew from `seed`: data and weights.
    pub fn set_seed(&mut self, seed: u64) {
        if seed == self.config().seed {
            return;
        }
        let config = Config { seed, ..self.config().clone() };
        self.start_over(|session| *session = Session::new(&config));
        self.journal = Some(Journal::new(&config));
        self.told_link_too_long = false;
        self.redraw.controls = true;
    }

    pub fn new_data(&mut self) {
        self.apply_edit(Edit::NewData);
    }

    /// New sizes, as far as the task allows (it may fix D, and T ≥ 2 for adding).
    pub fn set_sizes(&mut self, seq_length: usize, input_size: usize, hidden_size: usize) {
        let (seq_length, input_size, hidden_size) = self.config().task.fit_sizes((seq_length, input_size, hidden_size));
        self.apply_edit(Edit::Sizes { seq_length, input_size, hidden_size });
    }

    pub fn set_learning_rate(&mut self, lr: f64) {
        self.apply_edit(Edit::LearningRate(lr));
    }

    pub fn set_training(&mut self, training: Training) {
        self.apply_edit(Edit::Training(training));
    }

    pub fn set_task(&mut self, task: Task) {
        self.apply_edit(Edit::Task(task));
        self.redraw.controls = true;
    }

    pub fn set_init(&mut self, init: Init) {
        self.apply_edit(Edit::Init(init));
    }

    pub fn set_init_scale(&mut self, g: f64) {
        self.apply_edit(Edit::InitScale(g));
        self.redraw.controls = true;
    }

    pub fn set_clip_norm(&mut self, clip_norm: Option<f64>) {
        self.apply_edit(Edit::ClipNorm(clip_norm));
    }

    /// Truncation to the last `k` steps; `None` (or k = T) backpropagates through all of them.
    pub fn set_truncation(&mut self, k: Option<usize>) {
        let k = k.filter(|k| *k < self.config().seq_length);
        self.apply_edit(Edit::Truncation(k));
    }

    pub fn set_stateful(&mut self, on: bool) {
        self.apply_edit(Edit::Stateful(on));
    }

    /// ρ(Wh), computed again after training or a change, at most every
    /// [`SPECTRAL_EVERY_MS`] while playing (an eigenvalue solve at H = 128 takes milliseconds).
    pub fn spectral_radius(&mut self, now: f64) -> f64 {
        match self.spectral {
            Some((at, at_steps, rho)) if self.still_fresh(at, at_steps, now) => rho,
            _ => {
                let rho = health::spectral_radius(Rnn.recurrent(self.session.params()));
                self.spectral = Some((now, self.session.steps_run(), rho));
                rho
            }
        }
    }

    /// Whether a value computed at `at` ms, after `at_steps` micro-steps, still stands: nothing
    /// has run since, or Play is on and it is less than [`SPECTRAL_EVERY_MS`] old.
    fn still_fresh(&self, at: f64, at_steps: u64, now: f64) -> bool {
        at_steps == self.session.steps_run() || (self.playing && (at..at + SPECTRAL_EVERY_MS).contains(&now))
    }

    /// For a loss at every step, the gradient broken down by the step whose loss sent it
    /// (RNNbow): computed again after a step, at most every [`SPECTRAL_EVERY_MS`] while playing,
    /// and only up to [`MOST_SOURCE_WORK`] (it costs T² H² multiply-adds).
    pub fn refresh_gradient_sources(&mut self, now: f64) {
        let up_to_date = self.sources.as_ref().is_some_and(|(at, at_steps, _)| self.still_fresh(*at, *at_steps, now));
        if !up_to_date {
            let c = self.config();
            let small = (c.seq_length * c.hidden_size).pow(2) <= MOST_SOURCE_WORK;
            let sources = if small { self.session.gradient_sources() } else { None };
            self.sources = Some((now, self.session.steps_run(), sources));
        }
    }

    /// `norms[t][s]`: the part of ‖∂L/∂h_t‖ the loss at step s sent back, when on show.
    pub fn gradient_sources(&self) -> Option<&[Vec<f64>]> {
        self.sources.as_ref()?.2.as_deref()
    }

    /// Traces the gradient the loss at step `s` sent back (the gradient panel lights it).
    pub fn trace_source(&mut self, s: Option<usize>) {
        if self.traced_source != s {
            self.traced_source = s;
            self.redraw.page = true;
        }
    }

    pub fn traced_source(&self) -> Option<usize> {
        self.traced_source
    }

    /// Runs the gradient check at the current weights and the current epoch's data.
    pub fn check_gradients(&mut self) {
        self.gradient_check = Some((self.session.epoch(), check::check(&self.session)));
        self.redraw.page = true;
    }

    /// The last gradient check and the epoch it ran at.
    pub fn gradient_check(&self) -> Option<&(usize, Vec<ParamCheck>)> {
        self.gradient_check.as_ref()
    }

    /// Every change to the run goes through here, a person's or a replayed link's: it is
    /// made, noted in the journal, marked on the loss curve, and said in the status when it
    /// restarted the epoch. A change that changes nothing is ignored.
    fn apply_edit(&mut self, edit: Edit) {
        if self.replay.is_some() {
            return; // a link's replay is under way: it makes the changes
        }
        let before = self.config().clone();
        let Some(label) = edit_label(&before, &edit) else {
            return;
        };
        let mid_epoch = self.session.phase() != (Phase::Forward { t: 0 });
        let at = self.session.steps_run();
        if let Some(journal) = &mut self.journal {
            journal.record(at, edit.clone());
        }
        self.spectral = None;
        self.sources = None;
        if matches!(edit, Edit::Task(_) | Edit::Sizes { .. } | Edit::Reset) {
            self.answers.clear();
        }
        match edit {
            Edit::Reset => self.start_over(Session::reset_weights),
            Edit::LearningRate(_) | Edit::ClipNorm(_) => {
                edit.apply(&mut self.session);
                self.restart_twin();
                self.mark(label);
                self.redraw.page = true;
            }
            _ => {
                edit.apply(&mut self.session);
                let h = self.config().hidden_size;
                self.followed_unit = self.followed_unit.min(h - 1);
                self.restart_note = mid_epoch.then(|| fill(t().restarted, &[("change", &label)]));
                self.mark(label);
                self.after_restart();
            }
        }
    }

    /// Applies a hash typed or pasted by hand, noting its bad values; the hash the page wrote
    /// itself changes nothing.
    pub fn apply_hash(&mut self, hash: &str) {
        if hash.trim_start_matches('#') == url_hash::to_hash(&self.page_settings()) {
            return;
        }
        let (page, notices) = url_hash::from_hash(hash, &self.page_settings());
        self.notices.extend(notices);
        self.apply(&page);
    }

    /// Applies every setting of a link: a moment to replay (unless it is the page's own), or
    /// the seed, sizes, rate, mode and speed.
    fn apply(&mut self, page: &PageSettings) {
        self.speed_index = page.speed;
        self.slow_motion = page.slow;
        if page.twin != self.twin.is_some() {
            self.set_twin(page.twin);
        }
        if let Some(lang) = page.lang {
            self.set_lang(lang);
        }
        self.redraw.controls = true;
        let own = |j: &Journal| self.journal.as_ref().is_some_and(|mine| mine.encode() == j.encode());
        if let Some((journal, at)) = page.moment.as_ref().filter(|(j, _)| !own(j)) {
            self.start_replay(journal, *at, &page.config);
            return;
        }
        let config = &page.config;
        if config.seed != self.config().seed {
            // A new seed: everything from the link at once, exactly as opening it would.
            self.start_over(|session| *session = Session::new(config));
            self.journal = Some(Journal::new(config));
        }
        self.apply_settings(config);
    }

    fn apply_settings(&mut self, config: &Config) {
        self.set_task(config.task);
        self.set_sizes(config.seq_length, config.input_size, config.hidden_size);
        self.set_learning_rate(config.learning_rate);
        self.set_training(config.training);
        if config.training == Training::Bptt {
            self.apply_edit(Edit::Init(config.init()));
            if config.init() == Init::Scaled {
                self.apply_edit(Edit::InitScale(config.init_scale()));
            }
            self.apply_edit(Edit::ClipNorm(config.clip_norm));
            self.apply_edit(Edit::Truncation(config.truncation));
            self.apply_edit(Edit::Stateful(config.stateful()));
        }
    }

    /// Replays `journal` to micro-step `at` from its start, then applies `settings` (which
    /// a link written by the page already has).
    fn start_replay(&mut self, journal: &Journal, at: u64, settings: &Config) {
        self.start_over(|session| *session = Session::new(journal.start()));
        self.journal = Some(Journal::new(journal.start()));
        self.replay = Some(journal.replay(at));
        self.replay_settings = Some(settings.clone());
        self.told_link_too_long = false;
    }

    /// Runs the link's replay for up to `budget_ms` of this frame; true while it goes on.
    fn advance_replay(&mut self, now: f64, budget_ms: f64, clock: &impl Fn() -> f64) -> bool {
        let Some(mut replay) = self.replay.take() else {
            return false;
        };
        let mut slice_end = self.session.steps_run() + REPLAY_CHUNK;
        loop {
            if self.session.divergence().is_some() {
                break;
            }
            match replay.next_action(self.session.steps_run(), slice_end) {
                ReplayAction::RunTo(n) => self.session.run_until(n),
                ReplayAction::Apply(edit) => self.apply_edit(edit),
                ReplayAction::Pause if clock() - now < budget_ms => slice_end += REPLAY_CHUNK,
                ReplayAction::Pause => {
                    self.replay = Some(replay);
                    self.redraw.page = true;
                    return true;
                }
                ReplayAction::Done => break,
            }
        }
        if let Some(settings) = self.replay_settings.take() {
            self.apply_settings(&settings);
        }
        self.restart_twin();
        self.last_step = None;
        self.redraw = Redraw { page: true, controls: true };
        false
    }

    /// Replaces the session with one loaded from a run file.
    pub fn load(&mut self, session: Session) {
        self.start_over(|current| *current = session);
        // A link cannot carry a file's numbers: from here it keeps only the settings.
        self.journal = None;
        self.told_link_too_long = true;
        self.redraw.controls = true;
    }

    /// The equation panel follows hidden unit `unit` (0-based) from now on.
    pub fn follow_unit(&mut self, unit: usize) {
        if self.followed_unit != unit {
            self.followed_unit = unit;
            self.redraw.page = true;
        }
    }

    /// A marker on the loss curve at the current epoch. Changes in quick succession (a
    /// slider being dragged) at the same epoch merge into one marker.
    fn mark(&mut self, label: String) {
        let epoch = self.session.epoch();
        let kind = |l: &str| l.split(' ').next().unwrap_or("").to_string();
        if let Some(last) = self.markers.last_mut() {
            // Only single changes merge ("T 10→8, D 5→3" stays as it is).
            let single = |l: &str| !l.contains(',');
            if last.0 == epoch && kind(&last.1) == kind(&label) && single(&last.1) && single(&label) {
                // Keep the first "from" of the drag: "H 10→12" then "H 12→16" becomes "H 10→16".
                let from = last.1.split('→').next().unwrap_or("").to_string();
                let to = label.rsplit('→').next().unwrap_or("");
                last.1 = if label.contains('→') { format!("{from}→{to}") } else { label };
                return;
            }
        }
        if epoch > 0 || !self.session.losses().is_empty() {
            self.markers.push((epoch, label));
        }
    }

    /// A new run: `change` makes the new session (from the current one or in its place); the
    /// current run's curve stays faintly and its markers go.
    fn start_over(&mut self, change: impl FnOnce(&mut Session)) {
        self.answers.clear();
        self.spectral = None;
        self.sources = None;
        self.previous_losses = self.session.losses().to_vec();
        change(&mut self.session);
        self.markers.clear();
        self.after_restart();
    }

    fn after_restart(&mut self) {
        self.last_step = None;
        self.restart_twin();
        // Hover areas describe the matrices as last drawn; sizes may have changed since.
        self.hit_areas.clear();
        self.clock.reset();
        self.redraw.page = true;
        if self.session.divergence().is_some() {
            self.playing = false;
        }
    }

    /// Advances training for one animation frame at the current speed; `now` and `budget_ms`
    /// come from the page's clock. Returns how many micro-steps (or whole epochs, at epoch speeds) ran.
    pub fn advance(&mut self, now: f64, budget_ms: f64, clock: impl Fn() -> f64) -> usize {
        if self.advance_replay(now, budget_ms, &clock) {
            return 0;
        }
        self.check_link_length();
        if !self.playing {
            self.last_frame_ms = None;
            return 0;
        }
        let elapsed = self.last_frame_ms.map_or(0.0, |last| now - last);
        self.last_frame_ms = Some(now);
        let speed = if self.slow_motion { Speed::StepsPerSecond(BEATS_PER_SECOND) } else { self.speed() };
        let ran = match speed {
            Speed::StepsPerSecond(rate) => {
                let due = self.clock.due(elapsed, rate);
                for _ in 0..due {
                    self.step();
                }
                due
            }
            Speed::EpochsPerFrame(n) => self.epochs_within_budget(n, now, budget_ms, clock),
            Speed::Max => self.epochs_within_budget(usize::MAX, now, budget_ms, clock),
        };
        if self.session.divergence().is_some() {
            self.playing = false;
        }
        if ran > 0 {
            self.redraw.page = true;
        }
        ran
    }

    /// Whole epochs, at most `most` of them, until the frame's training budget is spent or
    /// training diverges. Returns the epochs run.
    fn epochs_within_budget(&mut self, most: usize, now: f64, budget_ms: f64, clock: impl Fn() -> f64) -> usize {
        let mut ran = 0;
        while ran < most {
            self.step_epoch();
            ran += 1;
            if clock() - now > budget_ms || self.session.divergence().is_some() {
                break;
            }
        }
        ran
    }
}
