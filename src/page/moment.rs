//! A moment of the page as a link: the settings the run started from, each change made on the way with the micro-step it came at, and the micro-step now.
//!
//! Training is deterministic, so replaying the changes from the seed at the same micro-steps
//! gives the same numbers. In the URL hash this is two keys, next to the settings:
//! `log=10_5_10_0.01_seed~120_lr_0.1~350_H12~_H13~400_data~500_reset~600_train_bptt` and `at=1234`:
//! the starting T, D, H, learning rate and training, then one `step_change` entry per change
//! (an empty step is the step before; a size change names only the sizes that changed, since
//! a slider being dragged makes one change per position, and every one of them counts: each
//! draws its new weights from the seeded generator).

use super::text::{fill, t};
use crate::model::config::Named;
use crate::model::settings::{self, Key, Link, SETTINGS, Setting, Value};
use crate::model::{Config, Session, Task, Training};

/// Longest `log` value a link carries; past it the link keeps only the settings.
pub const MAX_LOG_CHARS: usize = 2000;
/// Most multiply-adds a replay may take (a few seconds of the page's training); past it the
/// link keeps only the settings.
pub const MAX_REPLAY_WORK: f64 = 3e9;

/// One change a person made to the run: settings set (one setting, or several sizes at once,
/// which is one pass over the resize stream: two changes would draw other numbers), new data,
/// or new weights from the seed on the same data.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    Set(Vec<(Key, Value)>),
    NewData,
    Reset,
}

const SIZES: [Key; 3] = [Key::SeqLength, Key::InputSize, Key::HiddenSize];

impl Edit {
    /// One setting set.
    pub fn set(key: Key, value: Value) -> Edit {
        Edit::Set(vec![(key, value)])
    }

    /// T, D and H set at once.
    pub fn sizes(seq_length: usize, input_size: usize, hidden_size: usize) -> Edit {
        let values = [seq_length, input_size, hidden_size].map(|v| Value::Whole(v as u64));
        Edit::Set(SIZES.into_iter().zip(values).collect())
    }

    /// The settings this change sets (none for new data and Reset).
    pub fn settings(&self) -> &[(Key, Value)] {
        match self {
            Edit::Set(settings) => settings,
            _ => &[],
        }
    }

    /// The one setting this change sets, unless it sets sizes.
    pub fn setting(&self) -> Option<(Key, Value)> {
        match self.settings() {
            [(key, value)] if !key.is_size() => Some((*key, *value)),
            _ => None,
        }
    }

    fn sets_sizes(&self) -> bool {
        self.settings().iter().any(|(key, _)| key.is_size())
    }

    /// Makes this change to `session`, as the page does.
    pub fn apply(&self, session: &mut Session) {
        match self {
            Edit::Set(settings) => session.set(settings),
            Edit::NewData => session.new_data(),
            Edit::Reset => session.reset_weights(),
        }
    }

    /// Whether `self` and `next`, made at the same step, leave the run as `next` alone would:
    /// a dragged slider then stays one entry.
    fn replaced_by(&self, next: &Edit) -> bool {
        matches!((self.setting(), next.setting()), (Some((a, _)), Some((b, _))) if a == b && a.setting().drags)
    }

    /// The sizes a change of sizes changes, from (T, D, H) before it: ("T", "D" or "H", from,
    /// to) for each that differs; nothing for the other changes.
    pub fn size_changes(&self, before: (usize, usize, usize)) -> Vec<(&'static str, usize, usize)> {
        if !self.sets_sizes() {
            return Vec::new();
        }
        let (t, d, h) = self.sizes_after(before);
        let named = [("T", before.0, t), ("D", before.1, d), ("H", before.2, h)];
        named.into_iter().filter(|(_, from, to)| from != to).collect()
    }

    /// The entry's text after its step; `sizes` are (T, D, H) before the change.
    fn encode(&self, sizes: (usize, usize, usize)) -> String {
        if self.sets_sizes() {
            let changed: Vec<String> = self.size_changes(sizes).iter().map(|(n, _, to)| format!("{n}{to}")).collect();
            return if changed.is_empty() { format!("T{}", self.sizes_after(sizes).0) } else { changed.join("_") };
        }
        match self {
            Edit::NewData => "data".into(),
            Edit::Reset => "reset".into(),
            Edit::Set(settings) => {
                let each: Vec<String> = settings
                    .iter()
                    .map(|(key, value)| {
                        let s = key.setting();
                        format!("{}_{}", s.log.unwrap_or(s.name), s.log_text(*value))
                    })
                    .collect();
                each.join("_")
            }
        }
    }

    /// The change an entry's fields name; `sizes` are (T, D, H) before it.
    fn decode(fields: &[&str], sizes: (usize, usize, usize)) -> Option<Edit> {
        Some(match fields {
            ["data"] => Edit::NewData,
            ["reset"] => Edit::Reset,
            [name, value] if settings::logged(name).is_some() => {
                let s = settings::logged(name)?;
                Edit::set(s.key, s.read_log(value)?)
            }
            [] => return None,
            named => {
                let (mut t, mut d, mut h) = sizes;
                for field in named {
                    let (letter, value) = field.split_at_checked(1)?;
                    let s = SIZES.iter().map(|k| k.setting()).find(|s| s.log == Some(letter))?;
                    let value = s.read_log(value)?.whole()?;
                    match s.key {
                        Key::SeqLength => t = value,
                        Key::InputSize => d = value,
                        _ => h = value,
                    }
                }
                Edit::sizes(t, d, h)
            }
        })
    }

    /// The sizes (T, D, H) after this change, from those before (a task fits them to itself).
    fn sizes_after(&self, sizes: (usize, usize, usize)) -> (usize, usize, usize) {
        let mut c = Config { seq_length: sizes.0, input_size: sizes.1, hidden_size: sizes.2, ..Config::default() };
        for (key, value) in self.settings() {
            match (key, value) {
                (Key::Task, Value::Task(task)) => return task.fit_sizes(sizes),
                (key, value) => c.set(*key, Some(*value)),
            }
        }
        (c.seq_length, c.input_size, c.hidden_size)
    }
}

fn finite(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// The settings a log's head names after T, D, H, the rate and the training: those a link
/// writes when given, in the table's order. Unlike [`Setting::in_link`], a setting whose need is
/// not in force is named too (a g the session remembers from a scaled task): the replay must
/// remember it as well.
fn start_settings(c: &Config) -> impl Iterator<Item = (&'static Setting, Value)> + '_ {
    SETTINGS
        .iter()
        .filter(|s| s.link == Link::WhenGiven)
        .filter_map(|s| c.get(s.key).filter(|v| Some(*v) != s.default).map(|v| (s, v)))
}

/// The run since its last new start (a new seed, a link, an opened run file): where it began
/// and what changed when.
#[derive(Clone, Debug, PartialEq)]
pub struct Journal {
    start: Config,
    /// (micro-steps run before the change, the change), in order.
    edits: Vec<(u64, Edit)>,
}

impl Journal {
    pub fn new(start: &Config) -> Self {
        Self { start: start.clone(), edits: Vec::new() }
    }

    /// Notes a change made after `at` micro-steps. A setting whose row `drags` (the rate, g,
    /// clipping, k) replaces one of the same setting made at the same step, so a dragged slider
    /// stays short.
    pub fn record(&mut self, at: u64, edit: Edit) {
        if let Some((last_at, last)) = self.edits.last()
            && *last_at == at
            && last.replaced_by(&edit)
        {
            self.edits.pop();
        }
        self.edits.push((at, edit));
    }

    fn start_sizes(&self) -> (usize, usize, usize) {
        (self.start.seq_length, self.start.input_size, self.start.hidden_size)
    }

    /// The `log` value of the hash.
    pub fn encode(&self) -> String {
        let c = &self.start;
        let mut out =
            format!("{}_{}_{}_{}_{}", c.seq_length, c.input_size, c.hidden_size, c.learning_rate, c.training.name());
        for (s, value) in start_settings(c) {
            out.push_str(&format!("_{}_{}", s.log.unwrap_or(s.name), s.log_text(value)));
        }
        let (mut sizes, mut previous) = (self.start_sizes(), None);
        for (at, edit) in &self.edits {
            let step = if previous == Some(*at) { String::new() } else { at.to_string() };
            out.push_str(&format!("~{step}_{}", edit.encode(sizes)));
            (sizes, previous) = (edit.sizes_after(sizes), Some(*at));
        }
        out
    }

    /// Reads a `log` value over `base` (which gives the seed and everything a log does not
    /// carry). The error says what is wrong, for a notice.
    pub fn decode(text: &str, base: &Config) -> Result<Journal, String> {
        let mut entries = text.split('~');
        let start: Vec<&str> = entries.next().unwrap_or("").split('_').collect();
        let bad = || fill(t().moment_bad_log, &[("log", &quote(text))]);
        let start = match start[..] {
            [t, d, h, lr, training, ref settings @ ..] if settings.len() % 2 == 0 => {
                let mut start = Config {
                    seq_length: t.parse().map_err(|_| bad())?,
                    input_size: d.parse().map_err(|_| bad())?,
                    hidden_size: h.parse().map_err(|_| bad())?,
                    learning_rate: finite(lr).ok_or_else(bad)?,
                    training: Training::from_name(training).ok_or_else(bad)?,
                    seed: base.seed,
                    epochs: base.epochs,
                    ..Config::default()
                };
                for pair in settings.chunks(2) {
                    let s = settings::logged(pair[0]).filter(|s| s.link == Link::WhenGiven).ok_or_else(bad)?;
                    start.set(s.key, Some(s.read_log(pair[1]).ok_or_else(bad)?));
                }
                // The link's series (its own key) is the start's, for the task that has one.
                start.series = base.series.clone().filter(|_| start.task == Task::SineNext);
                start.validate().map_err(|_| bad())?;
                start
            }
            _ => return Err(bad()),
        };
        let mut journal = Journal { start, edits: Vec::new() };
        let mut sizes = journal.start_sizes();
        for entry in entries {
            let fields: Vec<&str> = entry.split('_').collect();
            let previous = journal.edits.last().map(|(at, _)| *at);
            let at = match fields[0] {
                "" => previous.ok_or_else(bad)?,
                step => step.parse().ok().filter(|at| previous.is_none_or(|p| p <= *at)).ok_or_else(bad)?,
            };
            let edit = Edit::decode(&fields[1..], sizes).ok_or_else(bad)?;
            sizes = edit.sizes_after(sizes);
            journal.edits.push((at, edit));
        }
        Ok(journal)
    }

    /// The settings the run started from.
    pub fn start(&self) -> &Config {
        &self.start
    }

    /// About how many multiply-adds replaying to micro-step `now` takes, each micro-step
    /// costing [`work_per_step`] at the sizes in force then.
    pub fn replay_work(&self, now: u64) -> f64 {
        let mut sizes = self.start_sizes();
        let (mut work, mut from) = (0.0, 0);
        for (at, edit) in &self.edits {
            work += (*at - from) as f64 * work_per_step(sizes.2, sizes.1);
            from = *at;
            sizes = edit.sizes_after(sizes);
        }
        work + now.saturating_sub(from) as f64 * work_per_step(sizes.2, sizes.1)
    }

    /// Whether a link can carry this moment: a short enough log and a quick enough replay.
    pub fn fits_in_link(&self, now: u64) -> bool {
        self.encode().len() <= MAX_LOG_CHARS && self.replay_work(now) <= MAX_REPLAY_WORK
    }

    /// A replay of this journal up to micro-step `now`, to run in slices.
    pub fn replay(&self, now: u64) -> Replay {
        Replay { journal: self.clone(), next: 0, target: now }
    }

    /// The changes, each with the micro-step it came after.
    pub fn edits(&self) -> &[(u64, Edit)] {
        &self.edits
    }
}

/// About how many multiply-adds one micro-step takes with H units and D inputs: H (H + D).
pub fn work_per_step(hidden_size: usize, input_size: usize) -> f64 {
    (hidden_size * (hidden_size + input_size)) as f64
}

/// At most the first 40 characters of `text`, with "…" if there were more: enough to recognise
/// a bad value in a notice, never a whole pasted page.
pub fn quote(text: &str) -> String {
    const MOST: usize = 40;
    match text.char_indices().nth(MOST) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// A replay under way: which change comes next, and the micro-step it ends at. The page runs
/// it a slice per frame, making each change through the same function a person's change takes.
#[derive(Clone, Debug)]
pub struct Replay {
    journal: Journal,
    next: usize,
    target: u64,
}

/// What a replay asks for next.
#[derive(Clone, Debug, PartialEq)]
pub enum ReplayAction {
    /// Run the session until it has run this many micro-steps.
    RunTo(u64),
    /// Make this change now.
    Apply(Edit),
    /// This slice's steps are spent: go on in the next one.
    Pause,
    /// The moment is reached.
    Done,
}

impl Replay {
    /// The settings the replayed session starts from.
    pub fn start(&self) -> &Config {
        &self.journal.start
    }

    /// The next action for a session that has run `steps_run` micro-steps, in a slice that may
    /// run up to micro-step `slice_end`.
    pub fn next_action(&mut self, steps_run: u64, slice_end: u64) -> ReplayAction {
        let due = self.journal.edits.get(self.next);
        if let Some((at, edit)) = due
            && *at <= steps_run
        {
            self.next += 1;
            return ReplayAction::Apply(edit.clone());
        }
        let goal = due.map_or(self.target, |(at, _)| *at).min(slice_end);
        if steps_run < goal {
            ReplayAction::RunTo(goal)
        } else if steps_run >= self.target && due.is_none() {
            ReplayAction::Done
        } else {
            ReplayAction::Pause
        }
    }

    /// How far the replay has come, from 0 to 1, for a session at `steps_run`.
    pub fn progress(&self, steps_run: u64) -> f64 {
        if self.target == 0 { 1.0 } else { (steps_run as f64 / self.target as f64).min(1.0) }
    }

    /// Runs one slice of at most `steps` micro-steps on `session`, making the changes with
    /// [`Edit::apply`]; true once the moment is reached (or training went bad on the way).
    pub fn advance(&mut self, session: &mut Session, steps: u64) -> bool {
        let slice_end = session.steps_run() + steps;
        loop {
            if session.divergence().is_some() {
                return true;
            }
            match self.next_action(session.steps_run(), slice_end) {
                ReplayAction::RunTo(n) => session.run_until(n),
                ReplayAction::Apply(edit) => edit.apply(session),
                ReplayAction::Pause => return false,
                ReplayAction::Done => return true,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Init, Task};

    /// A page session driven by hand: steps, with changes between them, noted in a journal.
    fn drive(config: &Config, plan: &[(u64, Edit)], end: u64) -> (Session, Journal) {
        let mut session = Session::new(config);
        let mut journal = Journal::new(config);
        for (at, edit) in plan {
            while session.steps_run() < *at {
                session.step();
            }
            edit.apply(&mut session);
            journal.record(*at, edit.clone());
        }
        while session.steps_run() < end {
            session.step();
        }
        (session, journal)
    }

    fn plan() -> Vec<(u64, Edit)> {
        vec![
            (30, Edit::set(Key::LearningRate, Value::Number(0.1))),
            (57, Edit::sizes(12, 5, 8)),
            (57, Edit::NewData),
            (200, Edit::set(Key::Training, Value::Training(Training::Bptt))),
            (333, Edit::Reset),
            (400, Edit::set(Key::LearningRate, Value::Number(0.3))),
        ]
    }

    #[test]
    fn a_replayed_link_reaches_the_same_numbers_as_the_session_it_came_from() {
        let config = Config::default();
        let (session, journal) = drive(&config, &plan(), 1234);
        let decoded = Journal::decode(&journal.encode(), &config).unwrap();
        assert_eq!(decoded, journal);
        let mut replay = decoded.replay(1234);
        let mut replayed = Session::new(replay.start());
        let mut slices = 0;
        while !replay.advance(&mut replayed, 100) {
            slices += 1;
            assert!(replay.progress(replayed.steps_run()) < 1.0);
        }
        assert!(slices > 5, "the replay ran in slices");
        assert_eq!(replayed.steps_run(), 1234);
        assert_eq!(replayed.phase(), session.phase());
        assert_eq!(replayed.config(), session.config());
        assert_eq!(replayed.losses(), session.losses());
        assert_eq!(replayed.params(), session.params());
        assert_eq!(replayed.hidden_states(), session.hidden_states());
    }

    fn task_plan() -> Vec<(u64, Edit)> {
        vec![
            (30, Edit::set(Key::Training, Value::Training(Training::Bptt))),
            (40, Edit::set(Key::ClipNorm, Value::Number(0.5))),
            (41, Edit::set(Key::Truncation, Value::Whole(3))),
            (60, Edit::set(Key::Task, Value::Task(Task::Adding))),
            (90, Edit::set(Key::InitScale, Value::Number(1.5))),
            (90, Edit::set(Key::InitScale, Value::Number(2.5))),
            (120, Edit::set(Key::Stateful, Value::Bool(true))),
            (150, Edit::set(Key::Task, Value::Task(Task::SineNext))),
            (151, Edit::sizes(7, 1, 6)),
            (200, Edit::set(Key::Init, Value::Init(Init::Unscaled))),
            (260, Edit::set(Key::Task, Value::Task(Task::RememberFirst))),
            (261, Edit::set(Key::Truncation, Value::Off)),
            (300, Edit::set(Key::ClipNorm, Value::Off)),
            (330, Edit::set(Key::Task, Value::Task(Task::RandomTarget))),
            (400, Edit::set(Key::Training, Value::Training(Training::BlogLoop))),
        ]
    }

    #[test]
    fn every_task_setting_replays_to_the_same_numbers_and_stays_valid() {
        let config = Config::default();
        let mut session = Session::new(&config);
        for (at, edit) in task_plan() {
            session.run_until(at);
            edit.apply(&mut session);
            assert_eq!(session.config().validate(), Ok(()), "after {edit:?}");
        }
        let (session, journal) = drive(&config, &task_plan(), 700);
        assert!(journal.encode().contains("~90_g_2.5~120_carry_1~150_task_sine-next"), "{}", journal.encode());
        let decoded = Journal::decode(&journal.encode(), &config).unwrap();
        assert_eq!(decoded, journal);
        let mut replayed = Session::new(decoded.start());
        assert!(decoded.replay(700).advance(&mut replayed, 10_000));
        assert_eq!(replayed.config(), session.config());
        assert_eq!(replayed.losses(), session.losses());
        assert_eq!(replayed.params(), session.params());
    }

    #[test]
    fn a_log_starting_from_a_task_names_its_settings() {
        let start = Config {
            task: Task::Adding,
            input_size: 2,
            training: Training::Bptt,
            init_scale: Some(2.0),
            init: Some(Init::Scaled),
            clip_norm: Some(1.0),
            truncation: Some(4),
            stateful: Some(true),
            ..Config::default()
        };
        let journal = Journal::new(&start);
        assert_eq!(journal.encode(), "10_2_10_0.01_bptt_task_adding_init_scaled_g_2_clip_1_k_4_carry_1");
        assert_eq!(Journal::decode(&journal.encode(), &Config::default()).unwrap(), journal);
        for bad in ["10_5_10_0.01_seed_task_adding", "10_2_10_0.01_bptt_task", "10_2_10_0.01_bptt_lr_1"] {
            assert!(Journal::decode(bad, &Config::default()).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_log_is_compact_text() {
        let (_, journal) = drive(&Config::default(), &plan(), 500);
        assert_eq!(journal.encode(), "10_5_10_0.01_seed~30_lr_0.1~57_T12_H8~_data~200_train_bptt~333_reset~400_lr_0.3");
        let mut dragged = Journal::new(&Config::default());
        for h in 11..=128 {
            dragged.record(5, Edit::sizes(10, 5, h));
        }
        for k in 0..400 {
            dragged.record(9, Edit::set(Key::LearningRate, Value::Number(0.01 + k as f64 / 1000.0)));
        }
        assert!(dragged.encode().len() < 1000, "a dragged slider stays short: {}", dragged.encode().len());
        assert_eq!(Journal::decode(&dragged.encode(), &Config::default()).unwrap(), dragged);
    }

    #[test]
    fn a_bad_log_is_refused_with_a_short_quote() {
        let base = Config::default();
        for bad in [
            "",
            "10_5_10",
            "10_5_10_0.01_adam",
            "10_5_10_NaN_seed",
            "10_5_10_0.01_seed~x_lr_1",
            "10_5_10_0.01_seed~5_fly",
        ] {
            assert!(Journal::decode(bad, &base).is_err(), "{bad}");
        }
        assert!(Journal::decode("10_5_10_0.01_seed~9_reset~3_reset", &base).is_err(), "out of order");
        let long = format!("10_5_10_0.01_seed~{}", "9".repeat(100_000));
        let message = Journal::decode(&long, &base).unwrap_err();
        assert!(message.len() < 120, "{message}");
    }

    #[test]
    fn long_or_slow_moments_do_not_fit_in_a_link() {
        let config = Config::default();
        let journal = Journal::new(&config);
        assert!(journal.fits_in_link(100_000));
        assert!(!journal.fits_in_link(100_000_000), "too much to replay");
        let big = Config { seq_length: 100, input_size: 32, hidden_size: 128, ..config.clone() };
        assert!(!Journal::new(&big).fits_in_link(200_000));
        let mut chatty = Journal::new(&config);
        for k in 0..400 {
            chatty.record(k, Edit::set(Key::LearningRate, Value::Number(0.01 + k as f64 * 1e-5)));
        }
        assert_eq!(chatty.edits().len(), 400, "rates set at different steps all count");
        assert!(!chatty.fits_in_link(400), "too long a log");
    }

    #[test]
    fn quotes_keep_a_few_dozen_characters() {
        assert_eq!(quote("short"), "short");
        let q = quote(&"あ".repeat(1000));
        assert_eq!(q.chars().count(), 41);
    }
}
