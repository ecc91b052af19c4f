//! The page's state around its run: play and speed, the views, notices, hover and what to redraw. Its methods change it and mark what to redraw.

use crate::model::numpy_script::Style;
use crate::model::series::Series;
use crate::model::settings::{Key, Value};
use crate::model::{Activation, CellKind, Config, Init, Session, Task, Training};
use crate::page::chart_data::View;
use crate::page::hit::{self, HitArea};
use crate::page::lessons;
use crate::page::marker;
use crate::page::moment::Edit;
use crate::page::notice::Notice;
use crate::page::own_series::{self, Source};
use crate::page::playback::{Speed, StepClock};
use crate::page::present::Panels;
use crate::page::run::{Changed, Replaying, Run};
use crate::page::slow_motion::BEATS;
use crate::page::text::{self, Lang, fill, t};
use crate::page::url_hash::{self, PageSettings};

/// What the next frame must bring up to date.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Redraw {
    /// The panels, value labels, status line, equation and URL hash.
    pub page: bool,
    /// The controls' own values, set from the state (after a link, an import or a refused value).
    pub controls: bool,
}

const EVERYTHING: Redraw = Redraw { page: true, controls: true };

/// The page's state. Every change goes through a method, which also marks what to redraw.
pub struct App {
    /// The run on show. (A second one, to compare, would sit beside it.)
    main: Run,
    playing: bool,
    speed_index: usize,
    /// Play one micro-step a second, lighting the panels each one changes.
    slow_motion: bool,
    /// Seconds per micro-step in slow motion (one of [`BEATS`]).
    beat: f64,
    /// Present mode: large type, the controls in one row, only [`App::panels`] shown.
    present: bool,
    panels: Panels,
    redraw: Redraw,
    /// What the charts show beside the run's numbers: x as lines, the gradient traced.
    view: View,
    /// Panel 7 shows the numpy listing instead of the equation.
    shows_code: bool,
    /// The listing's shape: the loop, or (the blog's loop only) a cell class and its loop.
    code_style: Style,
    /// Messages for the person (bad link values, imports), put in words when shown.
    notices: Vec<Notice>,
    clock: StepClock,
    last_frame_ms: Option<f64>,
    /// The hoverable grids, as last drawn.
    hit_areas: Vec<HitArea>,
    /// The hidden unit the equation panel follows (the last one hovered).
    followed_unit: usize,
    /// Set while the in-page benchmark runs: the frame loop stays out of its way.
    benchmark_running: bool,
    /// The lesson (index, run) that set the page up, with the settings it set: its bar shows
    /// how its claim stands, and Play stops at the epoch the claim is measured at.
    lesson: Option<(usize, usize, Config)>,
    /// The Lessons menu is open.
    lessons_open: bool,
    /// Where the next-value task's data comes from, as last chosen.
    series_source: Source,
}

impl App {
    /// The page opened with `hash` (may be empty): settings from the link, bad ones noted, in
    /// the link's language or else the browser's.
    pub fn from_hash(hash: &str, browser_lang: Lang) -> App {
        let (page, notices) = url_hash::from_hash(hash, &PageSettings::default());
        text::set_lang(page.lang.unwrap_or(browser_lang));
        let mut main = match &page.moment {
            Some((journal, at)) => Run::replaying(journal, *at, &page.config),
            None => Run::new(&page.config),
        };
        main.set_twin(page.twin);
        App {
            main,
            playing: false,
            speed_index: page.speed,
            slow_motion: page.slow,
            beat: page.beat,
            present: page.present,
            panels: page.panels,
            redraw: EVERYTHING,
            view: View::default(),
            shows_code: false,
            code_style: Style::Loop,
            notices,
            clock: StepClock::default(),
            last_frame_ms: None,
            hit_areas: Vec::new(),
            followed_unit: 0,
            benchmark_running: false,
            lesson: None,
            lessons_open: false,
            series_source: Source::Builtin,
        }
    }

    /// The run on show: every view draws it.
    pub fn run(&self) -> &Run {
        &self.main
    }

    fn config(&self) -> &Config {
        self.main.config()
    }

    /// Turns the twin run on (a twin of the session as it is now) or off.
    pub fn set_twin(&mut self, on: bool) {
        self.main.set_twin(on);
        self.redraw = EVERYTHING;
    }

    /// What the URL hash carries: the settings, and the moment while a link can carry it.
    pub fn page_settings(&self) -> PageSettings {
        PageSettings {
            config: self.config().clone(),
            speed: self.speed_index,
            lang: Some(text::lang()),
            slow: self.slow_motion,
            beat: self.beat,
            twin: self.main.twin().is_some(),
            present: self.present,
            panels: self.panels,
            moment: self.main.link_moment(),
        }
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
        self.redraw = EVERYTHING;
    }

    /// Seconds per micro-step in slow motion.
    pub fn beat(&self) -> f64 {
        self.beat
    }

    /// Chooses the beat of slow motion, one of [`BEATS`] (any other is ignored).
    pub fn set_beat(&mut self, seconds: f64) {
        if BEATS.contains(&seconds) {
            self.beat = seconds;
            self.clock.reset();
            self.redraw = EVERYTHING;
        }
    }

    /// What Play does, in words beside the speed slider: the speed, or in slow motion the beat.
    pub fn speed_label(&self) -> String {
        if self.slow_motion { fill(text::t().speed_beat, &[("s", &self.beat)]) } else { self.speed().label() }
    }

    /// Whether the page is in Present mode.
    pub fn present(&self) -> bool {
        self.present
    }

    /// The panels Present mode shows.
    pub fn panels(&self) -> Panels {
        self.panels
    }

    /// Enters or leaves Present mode.
    pub fn set_present(&mut self, on: bool) {
        self.present = on;
        self.redraw = EVERYTHING;
    }

    /// Shows panel `n` (1 … 7) in Present mode, or hides it; the last one shown stays.
    pub fn toggle_panel(&mut self, n: usize) {
        self.panels = self.panels.toggled(n);
        self.redraw = EVERYTHING;
    }

    /// The view settings every run's charts are drawn with.
    pub fn view(&self) -> View {
        self.view
    }

    pub fn shows_x_as_lines(&self) -> bool {
        self.view.x_as_lines
    }

    pub fn shows_code(&self) -> bool {
        self.shows_code
    }

    /// Switches panel 7 between the equation of the step just run and the code.
    pub fn toggle_code(&mut self) {
        self.shows_code = !self.shows_code;
        self.redraw = EVERYTHING;
    }

    /// The listing's shape as it shows now: a cell class only for the blog's loop.
    pub fn code_style(&self) -> Style {
        if self.config().training == Training::BlogLoop { self.code_style } else { Style::Loop }
    }

    /// Switches the listing between the loop and the cell class (Download as Python follows).
    pub fn toggle_code_style(&mut self) {
        self.code_style = if self.code_style == Style::Class { Style::Loop } else { Style::Class };
        self.redraw = EVERYTHING;
    }

    /// Switches x between the heatmap and the seed's line view.
    pub fn toggle_x_view(&mut self) {
        self.view.x_as_lines = !self.view.x_as_lines;
        self.redraw = EVERYTHING;
    }

    pub fn notices(&self) -> &[Notice] {
        &self.notices
    }

    /// A message for the person.
    pub fn add_notice(&mut self, notice: Notice) {
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
        self.notices.push(Notice::BadSeed { typed: typed.to_string(), kept: self.config().seed });
        self.redraw = EVERYTHING;
    }

    /// The hidden unit (0-based) the equation panel follows.
    pub fn followed_unit(&self) -> usize {
        self.followed_unit
    }

    /// The equation panel follows hidden unit `unit` (0-based) from now on.
    pub fn follow_unit(&mut self, unit: usize) {
        if self.followed_unit != unit {
            self.followed_unit = unit;
            self.redraw.page = true;
        }
    }

    /// Traces the gradient the loss at step `s` sent back (the gradient panel lights it).
    pub fn trace_source(&mut self, s: Option<usize>) {
        if self.view.traced_source != s {
            self.view.traced_source = s;
            self.redraw.page = true;
        }
    }

    pub fn benchmark_running(&self) -> bool {
        self.benchmark_running
    }

    pub fn start_benchmark(&mut self) {
        self.benchmark_running = true;
    }

    pub fn finish_benchmark(&mut self) {
        self.benchmark_running = false;
    }

    /// The hovered cell under (`x`, `y`) (CSS pixels) of `canvas`, as last drawn: what it
    /// shows, its row and its column.
    pub fn hovered(&self, canvas: &str, x: f64, y: f64) -> Option<(hit::HoverSource, usize, usize)> {
        hit::hovered(&self.hit_areas, canvas, x, y)
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

    /// What to redraw since the last call; the marks are cleared.
    pub fn take_redraw(&mut self) -> Redraw {
        std::mem::take(&mut self.redraw)
    }

    /// Asks for the page to be drawn again on the next frame.
    pub fn request_redraw(&mut self) {
        self.redraw.page = true;
    }

    /// Shows the page in `lang` from now on; the run goes on untouched, and everything said
    /// (notices, markers, the status) is said again in it.
    pub fn set_lang(&mut self, lang: Lang) {
        if lang != text::lang() {
            text::set_lang(lang);
            self.redraw = EVERYTHING;
        }
    }

    pub fn toggle_play(&mut self) {
        self.playing = !self.playing && self.main.session().divergence().is_none();
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

    /// One micro-step.
    pub fn step(&mut self) {
        self.main.step();
        self.redraw.page = true;
    }

    /// To the end of the current epoch.
    pub fn step_epoch(&mut self) {
        self.main.step_epoch();
        self.redraw.page = true;
    }

    /// ρ(Wh) of the run, computed again at most every 250 ms while playing.
    pub fn spectral_radius(&mut self, now: f64) -> f64 {
        self.main.spectral_radius(now, self.playing)
    }

    /// The gradient of the run by source step, brought up to date (see [`Run::refresh_gradient_sources`]).
    pub fn refresh_gradient_sources(&mut self, now: f64) {
        self.main.refresh_gradient_sources(now, self.playing);
    }

    /// Runs the gradient check at the current weights and the current epoch's data.
    pub fn check_gradients(&mut self) {
        self.main.check_gradients();
        self.redraw.page = true;
    }

    /// Closes the gradient check's banner.
    pub fn close_gradient_check(&mut self) {
        self.main.close_gradient_check();
        self.redraw.page = true;
    }

    /// What the page does after its run changed: a live change is drawn; a restart also
    /// forgets the hover areas (sizes may have changed), restarts the step clock and stops a
    /// diverged run. A restart also sets the controls from the run: a change of one setting
    /// may change others (full BPTT stops carrying h; a task fixes D), and every control must
    /// show what the run does.
    fn changed(&mut self, changed: Changed) {
        if changed == Changed::Nothing {
            return;
        }
        self.redraw.page = true;
        if self.main.twin().is_some() || changed == Changed::Restarted {
            self.redraw.controls = true;
        }
        if changed == Changed::Restarted {
            self.followed_unit = self.followed_unit.min(self.config().hidden_size - 1);
            self.hit_areas.clear();
            self.clock.reset();
            if self.main.session().divergence().is_some() {
                self.playing = false;
            }
        }
    }

    fn apply_edit(&mut self, edit: Edit) {
        let changed = self.main.apply_edit(edit);
        self.changed(changed);
    }

    /// New weights from the seed on the same data; the old curve stays faintly.
    pub fn reset(&mut self) {
        self.apply_edit(Edit::Reset);
    }

    /// Everything anew from `seed`: data and weights.
    pub fn set_seed(&mut self, seed: u64) {
        let changed = self.main.set_seed(seed);
        if changed != Changed::Nothing {
            self.changed(changed);
            self.redraw.controls = true;
        }
    }

    pub fn new_data(&mut self) {
        self.apply_edit(Edit::NewData);
    }

    /// New sizes, as far as the task allows (it may fix D, and T ≥ 2 for adding).
    pub fn set_sizes(&mut self, seq_length: usize, input_size: usize, hidden_size: usize) {
        self.apply_edit(self.main.sizes_edit(seq_length, input_size, hidden_size));
    }

    pub fn set_learning_rate(&mut self, lr: f64) {
        self.apply_edit(Edit::set(Key::LearningRate, Value::Number(lr)));
    }

    pub fn set_training(&mut self, training: Training) {
        self.apply_edit(Edit::set(Key::Training, Value::Training(training)));
    }

    pub fn set_task(&mut self, task: Task) {
        self.apply_edit(Edit::set(Key::Task, Value::Task(task)));
        self.redraw.controls = true;
    }

    pub fn set_init(&mut self, init: Init) {
        self.apply_edit(Edit::set(Key::Init, Value::Init(init)));
    }

    pub fn set_init_scale(&mut self, g: f64) {
        self.apply_edit(Edit::set(Key::InitScale, Value::Number(g)));
        self.redraw.controls = true;
    }

    pub fn set_clip_norm(&mut self, clip_norm: Option<f64>) {
        self.apply_edit(Edit::set(Key::ClipNorm, clip_norm.map_or(Value::Off, Value::Number)));
    }

    /// Truncation to the last `k` steps; `None` (or k = T) backpropagates through all of them.
    pub fn set_truncation(&mut self, k: Option<usize>) {
        let k = k.filter(|k| *k < self.config().seq_length);
        self.apply_edit(Edit::set(Key::Truncation, k.map_or(Value::Off, |k| Value::Whole(k as u64))));
    }

    pub fn set_stateful(&mut self, on: bool) {
        self.apply_edit(Edit::set(Key::Stateful, Value::Bool(on)));
    }

    /// Another cell, with new weights from the seed. The blog's loop is the tanh RNN's only:
    /// a gated cell chosen there switches to full BPTT first, and says so.
    pub fn set_cell(&mut self, cell: CellKind) {
        if cell != CellKind::Rnn && self.config().training == Training::BlogLoop {
            self.set_training(Training::Bptt);
            let name = marker::cell_label(cell, t());
            self.add_notice(Notice::link(|w| w.cell_needs_bptt, &[("cell", &name)]));
        }
        self.apply_edit(Edit::set(Key::Cell, Value::Cell(cell)));
        self.redraw.controls = true;
    }

    /// The plain RNN's φ (the gated cells have their own).
    pub fn set_activation(&mut self, activation: Activation) {
        self.apply_edit(Edit::set(Key::Activation, Value::Activation(activation)));
    }

    /// The gated cells' starting bias toward keeping the state (new weights from the seed).
    pub fn set_keep_bias(&mut self, keep_bias: f64) {
        self.apply_edit(Edit::set(Key::KeepBias, Value::Number(keep_bias)));
    }

    /// Where the next-value task's data comes from, as the selector shows it.
    pub fn series_source(&self) -> Source {
        Source::shown(self.series_source, self.config())
    }

    /// Another source: the built-in waves at once; drawing or pasting once there is something
    /// to use (the run keeps its data until then).
    pub fn set_series_source(&mut self, source: Source) {
        self.series_source = source;
        if source == Source::Builtin {
            self.set_series(None);
        }
        self.redraw.controls = true;
    }

    /// The learner's series (`None`: the built-in waves): a new run on it from the seed.
    /// Values beyond ±1 are used as given, with a word on how a tanh network follows them.
    pub fn set_series(&mut self, series: Option<Series>) {
        if series.as_ref().is_some_and(Series::leaves_unit_range) {
            self.add_notice(Notice::link(|w| w.series_wide, &[]));
        }
        let changed = self.main.set_series(series);
        self.changed(changed);
        self.redraw.controls = true;
    }

    /// Numbers pasted and Use pressed: the series, or a notice naming the first bad item
    /// (nothing else changes).
    pub fn use_pasted(&mut self, text: &str) {
        match own_series::from_paste(text, self.config().seq_length) {
            Ok(series) => {
                self.series_source = Source::Paste;
                self.set_series(Some(series));
            }
            Err(refused) => self.add_notice(refused),
        }
    }

    /// A curve drawn, as points (x, value upward) in the order drawn (see
    /// [`Series::from_drawing`]); a dot or a vertical stroke asks for a curve instead.
    pub fn use_drawing(&mut self, points: &[(f64, f64)]) {
        match Series::from_drawing(points) {
            Some(series) => {
                self.series_source = Source::Draw;
                self.set_series(Some(series));
            }
            None => self.add_notice(Notice::link(|w| w.series_draw_wider, &[])),
        }
    }

    /// Replaces the run's session with one loaded from a run file saved after `epochs_before`
    /// epochs.
    pub fn load(&mut self, session: Session, epochs_before: usize) {
        self.main.load(session, epochs_before);
        self.changed(Changed::Restarted);
        self.redraw.controls = true;
    }

    /// Opens a run file's text (see [`crate::page::opening::open`]); a bad file becomes a
    /// notice and changes nothing.
    pub fn open_run_file(&mut self, name: &str, text: &str) {
        match crate::page::opening::open(name, text) {
            Ok(opened) => {
                self.load(opened.session, opened.epochs_before);
                self.add_notice(opened.notice);
            }
            Err(note) => self.add_notice(note),
        }
    }

    /// Sets the page up for run `run` of lesson `lesson` ([`lessons::LESSONS`]): a new run from
    /// its settings (the one before faint beside it), its speed, and Play. Play stops at the
    /// epoch its claim is measured at.
    pub fn start_lesson(&mut self, lesson: usize, run: usize) {
        let Some(lesson_run) = lessons::LESSONS.get(lesson).and_then(|l| l.runs.get(run)) else { return };
        let (page, _) = url_hash::from_hash(lesson_run.hash, &PageSettings::default());
        self.speed_index = page.speed;
        self.slow_motion = false;
        // The lesson's speed is the claim's: no twin doubling the work, no old check standing.
        self.main.set_twin(false);
        self.main.close_gradient_check();
        self.main.start_fresh(&page.config);
        self.changed(Changed::Restarted);
        self.redraw = EVERYTHING;
        self.lesson = Some((lesson, run, page.config));
        self.lessons_open = false;
        self.playing = true;
    }

    /// How the lesson on show stands, if one set the page up: changed once any setting has
    /// changed since (a marker), even if changed back.
    pub fn lesson_progress(&self) -> Option<lessons::Progress> {
        let (lesson, run, config) = self.lesson.as_ref()?;
        let changed = config != self.config() || !self.main.markers().is_empty();
        Some(lessons::Progress::of(*lesson, *run, self.main.curve(), self.main.session().gradient_norms(), changed))
    }

    /// Leaves the lesson: its bar goes, the run stays.
    pub fn close_lesson(&mut self) {
        self.lesson = None;
        self.redraw.controls = true;
    }

    pub fn lessons_open(&self) -> bool {
        self.lessons_open
    }

    pub fn set_lessons_open(&mut self, open: bool) {
        self.lessons_open = open;
        self.redraw.controls = true;
    }

    /// Epochs Play may still run before the lesson's claim is measured (no limit without a
    /// lesson, once its settings changed, or from its epoch on: Play again goes on).
    fn lesson_epochs_left(&self) -> Option<usize> {
        let (lesson, run, config) = self.lesson.as_ref()?;
        let epochs = lessons::LESSONS[*lesson].runs[*run].epochs;
        let done = self.main.curve().len();
        (config == self.config() && self.main.markers().is_empty() && done < epochs).then(|| epochs - done)
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
        self.beat = page.beat;
        (self.present, self.panels) = (page.present, page.panels);
        if page.twin != self.main.twin().is_some() {
            self.set_twin(page.twin);
        }
        if let Some(lang) = page.lang {
            self.set_lang(lang);
        }
        self.redraw.controls = true;
        let changed = self.main.follow_link(&page.config, page.moment.as_ref());
        self.changed(changed);
    }

    /// Advances training for one animation frame at the current speed; `now` and `budget_ms`
    /// come from the page's clock. Returns how many micro-steps (or whole epochs, at epoch speeds) ran.
    pub fn advance(&mut self, now: f64, budget_ms: f64, clock: impl Fn() -> f64) -> usize {
        match self.main.advance_replay(now, budget_ms, &clock) {
            Replaying::Going(changed) => {
                self.changed(changed);
                self.redraw.page = true;
                return 0;
            }
            Replaying::Done => {
                self.changed(Changed::Restarted);
                self.redraw = EVERYTHING;
            }
            Replaying::No => {}
        }
        if self.main.outgrew_link() {
            self.add_notice(Notice::LinkTooLong);
        }
        if !self.playing {
            self.last_frame_ms = None;
            return 0;
        }
        let elapsed = self.last_frame_ms.map_or(0.0, |last| now - last);
        self.last_frame_ms = Some(now);
        let left = self.lesson_epochs_left();
        let speed = if self.slow_motion { Speed::StepsPerSecond(1.0 / self.beat) } else { self.speed() };
        let ran = match speed {
            Speed::StepsPerSecond(rate) => {
                let due = self.clock.due(elapsed, rate);
                for _ in 0..due {
                    self.step();
                    if left.is_some() && self.lesson_epochs_left().is_none() {
                        break;
                    }
                }
                due
            }
            Speed::EpochsPerFrame(n) => self.epochs_within_budget(n, now, budget_ms, clock),
            Speed::Max => self.epochs_within_budget(usize::MAX, now, budget_ms, clock),
        };
        // A lesson's Play stops where its claim is measured, once (Play again goes on).
        let lesson_due = left.is_some() && self.lesson_epochs_left().is_none();
        if self.main.session().divergence().is_some() || lesson_due {
            self.playing = false;
            self.redraw.controls = true;
        }
        if ran > 0 {
            self.redraw.page = true;
        }
        ran
    }

    /// Whole epochs, at most `most` of them, until the frame's training budget is spent or
    /// training diverges. Returns the epochs run.
    fn epochs_within_budget(&mut self, most: usize, now: f64, budget_ms: f64, clock: impl Fn() -> f64) -> usize {
        // A lesson's Play stops where its claim is measured.
        let most = self.lesson_epochs_left().map_or(most, |left| most.min(left));
        let mut ran = 0;
        while ran < most {
            self.step_epoch();
            ran += 1;
            if clock() - now > budget_ms || self.main.session().divergence().is_some() {
                break;
            }
        }
        ran
    }
}
