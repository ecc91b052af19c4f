//! A moment of the page as a link: the settings the run started from, each change made on the way with the micro-step it came at, and the micro-step now.
//!
//! Training is deterministic, so replaying the changes from the seed at the same micro-steps
//! gives the same numbers. In the URL hash this is two keys, next to the settings:
//! `log=10_5_10_0.01_seed~120_lr_0.1~350_size_12_5_10~400_data~500_reset~600_train_bptt`
//! (the starting T, D, H, learning rate and training, then `step_change` entries) and `at=1234`.

use crate::model::config::Named;
use crate::model::{Config, Session, Training};

/// Longest `log` value a link carries; past it the link keeps only the settings.
pub const MAX_LOG_CHARS: usize = 2000;
/// Most multiply-adds a replay may take (a few seconds of the page's training); past it the
/// link keeps only the settings.
pub const MAX_REPLAY_WORK: f64 = 3e9;

/// One change a person made to the run.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    LearningRate(f64),
    Sizes {
        seq_length: usize,
        input_size: usize,
        hidden_size: usize,
    },
    NewData,
    /// New weights from the seed, same data.
    Reset,
    Training(Training),
}

impl Edit {
    /// Makes this change to `session`, as the page does.
    pub fn apply(&self, session: &mut Session) {
        match *self {
            Edit::LearningRate(lr) => session.set_learning_rate(lr),
            Edit::Sizes { seq_length, input_size, hidden_size } => session.resize(seq_length, input_size, hidden_size),
            Edit::NewData => session.new_data(),
            Edit::Reset => session.reset_weights(),
            Edit::Training(training) => session.set_training(training, None),
        }
    }

    fn encode(&self) -> String {
        match self {
            Edit::LearningRate(lr) => format!("lr_{lr}"),
            Edit::Sizes { seq_length, input_size, hidden_size } => {
                format!("size_{seq_length}_{input_size}_{hidden_size}")
            }
            Edit::NewData => "data".into(),
            Edit::Reset => "reset".into(),
            Edit::Training(t) => format!("train_{}", t.name()),
        }
    }

    fn decode(fields: &[&str]) -> Option<Edit> {
        Some(match fields {
            ["lr", lr] => Edit::LearningRate(finite(lr)?),
            ["size", t, d, h] => {
                Edit::Sizes { seq_length: t.parse().ok()?, input_size: d.parse().ok()?, hidden_size: h.parse().ok()? }
            }
            ["data"] => Edit::NewData,
            ["reset"] => Edit::Reset,
            ["train", name] => Edit::Training(Training::from_name(name)?),
            _ => return None,
        })
    }
}

fn finite(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().filter(|v| v.is_finite())
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

    /// Notes a change made after `at` micro-steps.
    pub fn record(&mut self, at: u64, edit: Edit) {
        self.edits.push((at, edit));
    }

    /// The `log` value of the hash.
    pub fn encode(&self) -> String {
        let c = &self.start;
        let mut out =
            format!("{}_{}_{}_{}_{}", c.seq_length, c.input_size, c.hidden_size, c.learning_rate, c.training.name());
        for (at, edit) in &self.edits {
            out.push_str(&format!("~{at}_{}", edit.encode()));
        }
        out
    }

    /// Reads a `log` value over `base` (which gives the seed and everything a log does not
    /// carry). The error says what is wrong, for a notice.
    pub fn decode(text: &str, base: &Config) -> Result<Journal, String> {
        let mut entries = text.split('~');
        let start: Vec<&str> = entries.next().unwrap_or("").split('_').collect();
        let bad = || format!("the log \"{}\" is not one this page wrote", quote(text));
        let start = match start[..] {
            [t, d, h, lr, training] => Config {
                seq_length: t.parse().map_err(|_| bad())?,
                input_size: d.parse().map_err(|_| bad())?,
                hidden_size: h.parse().map_err(|_| bad())?,
                learning_rate: finite(lr).ok_or_else(bad)?,
                training: Training::from_name(training).ok_or_else(bad)?,
                truncation: None,
                ..base.clone()
            },
            _ => return Err(bad()),
        };
        let mut edits = Vec::new();
        for entry in entries {
            let fields: Vec<&str> = entry.split('_').collect();
            let at: u64 = fields.first().and_then(|f| f.parse().ok()).ok_or_else(bad)?;
            let edit = Edit::decode(&fields[1..]).ok_or_else(bad)?;
            if edits.last().is_some_and(|(last, _)| *last > at) {
                return Err(bad());
            }
            edits.push((at, edit));
        }
        Ok(Journal { start, edits })
    }

    /// The settings the run started from.
    pub fn start(&self) -> &Config {
        &self.start
    }

    /// About how many multiply-adds replaying to micro-step `now` takes: each micro-step costs
    /// about H (H + D) of them at the sizes in force then.
    pub fn replay_work(&self, now: u64) -> f64 {
        let (mut h, mut d) = (self.start.hidden_size as f64, self.start.input_size as f64);
        let (mut work, mut from) = (0.0, 0);
        for (at, edit) in &self.edits {
            work += (*at - from) as f64 * h * (h + d);
            from = *at;
            if let Edit::Sizes { input_size, hidden_size, .. } = edit {
                (h, d) = (*hidden_size as f64, *input_size as f64);
            }
        }
        work + now.saturating_sub(from) as f64 * h * (h + d)
    }

    /// Whether a link can carry this moment: a short enough log and a quick enough replay.
    pub fn fits_in_link(&self, now: u64) -> bool {
        self.encode().len() <= MAX_LOG_CHARS && self.replay_work(now) <= MAX_REPLAY_WORK
    }

    /// A replay of this journal up to micro-step `now`, to run in slices.
    pub fn replay(&self, now: u64) -> Replay {
        Replay { session: Session::new(&self.start), journal: self.clone(), next: 0, target: now }
    }
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

/// A replay under way: the session so far, which change comes next, and where it ends.
#[derive(Clone, Debug)]
pub struct Replay {
    session: Session,
    journal: Journal,
    next: usize,
    target: u64,
}

impl Replay {
    /// Runs at most `steps` more micro-steps (and the changes due among them); true once the
    /// replay has reached its micro-step (or training went bad on the way).
    pub fn advance(&mut self, steps: u64) -> bool {
        let stop = (self.session.steps_run() + steps).min(self.target);
        loop {
            let due = self.journal.edits.get(self.next).map(|(at, _)| *at).filter(|at| *at <= stop);
            self.session.run_until(due.unwrap_or(stop));
            match due {
                Some(at) if self.session.steps_run() == at => {
                    self.journal.edits[self.next].1.apply(&mut self.session);
                    self.next += 1;
                }
                _ => break,
            }
        }
        self.is_done()
    }

    pub fn is_done(&self) -> bool {
        let reached = self.session.steps_run() >= self.target && self.next == self.journal.edits.len();
        reached || self.session.divergence().is_some()
    }

    /// How far the replay has come, from 0 to 1.
    pub fn progress(&self) -> f64 {
        if self.target == 0 { 1.0 } else { self.session.steps_run() as f64 / self.target as f64 }
    }

    /// The changes replayed so far, with the micro-step each came at.
    pub fn edits_done(&self) -> &[(u64, Edit)] {
        &self.journal.edits[..self.next]
    }

    /// The session (finished once [`Replay::advance`] has returned true).
    pub fn into_session(self) -> Session {
        self.session
    }

    pub fn session(&self) -> &Session {
        &self.session
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            (30, Edit::LearningRate(0.1)),
            (57, Edit::Sizes { seq_length: 12, input_size: 5, hidden_size: 8 }),
            (57, Edit::NewData),
            (200, Edit::Training(Training::Bptt)),
            (333, Edit::Reset),
            (400, Edit::LearningRate(0.3)),
        ]
    }

    #[test]
    fn a_replayed_link_reaches_the_same_numbers_as_the_session_it_came_from() {
        let config = Config::default();
        let (session, journal) = drive(&config, &plan(), 1234);
        let decoded = Journal::decode(&journal.encode(), &config).unwrap();
        assert_eq!(decoded, journal);
        let mut replay = decoded.replay(1234);
        let mut slices = 0;
        while !replay.advance(100) {
            slices += 1;
            assert!(replay.progress() < 1.0);
        }
        assert!(slices > 5, "the replay ran in slices");
        let replayed = replay.into_session();
        assert_eq!(replayed.steps_run(), 1234);
        assert_eq!(replayed.phase(), session.phase());
        assert_eq!(replayed.config(), session.config());
        assert_eq!(replayed.losses(), session.losses());
        assert_eq!(replayed.params(), session.params());
        assert_eq!(replayed.hidden_states(), session.hidden_states());
    }

    #[test]
    fn the_log_is_compact_text() {
        let (_, journal) = drive(&Config::default(), &plan(), 500);
        assert_eq!(
            journal.encode(),
            "10_5_10_0.01_seed~30_lr_0.1~57_size_12_5_8~57_data~200_train_bptt~333_reset~400_lr_0.3"
        );
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
            chatty.record(k, Edit::LearningRate(0.01 + k as f64 * 1e-5));
        }
        assert!(!chatty.fits_in_link(400), "too long a log");
    }

    #[test]
    fn quotes_keep_a_few_dozen_characters() {
        assert_eq!(quote("short"), "short");
        let q = quote(&"あ".repeat(1000));
        assert_eq!(q.chars().count(), 41);
    }
}
