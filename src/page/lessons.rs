//! The Lessons menu as data: each lesson's settings (a page link's hash), the epoch its claim is measured at and what it shows, with the words in both languages.
//!
//! Every run here is checked at its exact settings for seeds 1 to 5 and 42 by `tests/lessons.rs`,
//! which reads this table itself, so the menu and its proof cannot drift apart.

use super::numbers::compact;
use super::text::{Text, fill};
use crate::model::health::VANISHED_BELOW;

/// What a run of a lesson shows, measured on the mean losses of its first and last 100 epochs
/// (of the first and last 10 for [`Expect::Falls`]), or on its last backward pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// It learns: the mean loss of the last 100 epochs is at most [`LEARNS_BELOW`] (0.3) × that of the first 100.
    Learns,
    /// It fails: the mean loss of the last 100 epochs is at least [`FAILS_ABOVE`] (0.8) × that of the first 100.
    Fails,
    /// The loss falls, if slowly: the mean of the last 10 epochs is below that of the first 10
    /// (for the blog's 100 epochs, where the first and last 100 are the same).
    Falls,
    /// The gradient explodes: in the last epoch's backward pass ‖∂L/∂h_1‖ ≥ [`GROWS_ABOVE`]
    /// (1,000) × ‖∂L/∂h_T‖.
    GradientGrows,
    /// The gradient vanishes: in the last epoch's backward pass ‖∂L/∂h_1‖ < [`VANISHED_BELOW`]
    /// (10⁻⁶) × ‖∂L/∂h_T‖, where the page says it has vanished.
    GradientVanishes,
}

/// [`Expect::Learns`]: the last 100 epochs' mean loss over the first 100's at most this.
pub const LEARNS_BELOW: f64 = 0.3;
/// [`Expect::Fails`]: the last 100 epochs' mean loss over the first 100's at least this.
pub const FAILS_ABOVE: f64 = 0.8;
/// [`Expect::GradientGrows`]: ‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ at least this.
pub const GROWS_ABOVE: f64 = 1e3;

/// The two numbers a claim compares: (first, last) mean losses, or (‖∂L/∂h_T‖, ‖∂L/∂h_1‖) for the
/// gradient's claims; [`Measured::ratio`] is last / first.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Measured {
    pub first: f64,
    pub last: f64,
}

impl Measured {
    pub fn ratio(self) -> f64 {
        self.last / self.first
    }
}

impl Expect {
    /// The numbers this claim compares, from a run's losses (one per epoch) and its last backward
    /// pass's ‖∂L/∂h_t‖ (t = 1 … T); `None` while there are too few epochs to say. A loss that
    /// is not finite makes the means NaN, so no claim holds on a run that diverged.
    pub fn measure(self, losses: &[f64], dh_norms: &[f64]) -> Option<Measured> {
        let mean = |l: &[f64]| l.iter().sum::<f64>() / l.len() as f64;
        let window = match self {
            Expect::Learns | Expect::Fails => 100,
            Expect::Falls => 10,
            Expect::GradientGrows | Expect::GradientVanishes => {
                let (&first, &last) = (dh_norms.first()?, dh_norms.last()?);
                return (dh_norms.len() > 1).then_some(Measured { first: last, last: first });
            }
        };
        (losses.len() >= window)
            .then(|| Measured { first: mean(&losses[..window]), last: mean(&losses[losses.len() - window..]) })
    }

    /// Whether the claim holds for these numbers.
    pub fn holds(self, m: Measured) -> bool {
        let ratio = m.ratio();
        match self {
            Expect::Learns => ratio <= LEARNS_BELOW,
            Expect::Fails => ratio >= FAILS_ABOVE,
            Expect::Falls => ratio < 1.0,
            Expect::GradientGrows => ratio >= GROWS_ABOVE,
            Expect::GradientVanishes => ratio < VANISHED_BELOW,
        }
    }
}

/// One run of a lesson: its settings, the epoch its claim is measured at, and the claim.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LessonRun {
    /// A page link's hash without `#` (every setting the run needs, seed 42, and `speed`, the
    /// play-speed slider's position), read by `url_hash::from_hash` over the default settings
    /// without a notice, and written back the same by `url_hash::to_hash`.
    pub hash: &'static str,
    /// The epoch the claim is measured at: within 60 s of Play at the hash's speed.
    pub epochs: usize,
    pub expect: Expect,
}

/// One entry of the menu: runs A, B (and C), each set up by one click, differing only in the
/// setting the lesson names.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lesson {
    pub id: &'static str,
    pub runs: &'static [LessonRun],
}

/// A lesson's words in one language: its title, its claim and a short label per run.
#[derive(Clone, Debug, PartialEq)]
pub struct LessonText {
    pub title: &'static str,
    pub claim: &'static str,
    pub runs: Vec<&'static str>,
}

const fn run(hash: &'static str, epochs: usize, expect: Expect) -> LessonRun {
    LessonRun { hash, epochs, expect }
}

/// The menu, in the order it shows. Remember-first's runs share D = 3, H = 16 and scaled init.
pub const LESSONS: &[Lesson] = &[
    Lesson {
        id: "blog-loop",
        runs: &[run(
            "seq_length=10&input_size=5&hidden_size=10&learning_rate=0.01&seed=42&training=seed&speed=5",
            100,
            Expect::Falls,
        )],
    },
    Lesson {
        id: "short-long-memory",
        runs: &[
            run(
                "seq_length=5&input_size=3&hidden_size=16&learning_rate=0.01&seed=42&training=bptt&speed=6&task=remember-first&init=scaled&init_scale=1&clip_norm=1",
                2000,
                Expect::Learns,
            ),
            run(
                "seq_length=100&input_size=3&hidden_size=16&learning_rate=0.01&seed=42&training=bptt&speed=6&task=remember-first&init=scaled&init_scale=1&clip_norm=1",
                2000,
                Expect::Fails,
            ),
        ],
    },
    Lesson {
        id: "exploding-vanishing",
        runs: &[
            run(
                "seq_length=30&input_size=3&hidden_size=16&learning_rate=0.002&seed=42&training=bptt&speed=5&task=remember-first&init=scaled&init_scale=0.5&clip_norm=1&activation=linear",
                100,
                Expect::GradientVanishes,
            ),
            run(
                "seq_length=30&input_size=3&hidden_size=16&learning_rate=0.002&seed=42&training=bptt&speed=5&task=remember-first&init=scaled&init_scale=1.5&clip_norm=1&activation=linear",
                100,
                Expect::GradientGrows,
            ),
        ],
    },
    Lesson {
        id: "learning-rate",
        runs: &[
            run(
                "seq_length=5&input_size=3&hidden_size=16&learning_rate=0.0001&seed=42&training=bptt&speed=5&task=remember-first&init=scaled&init_scale=1&clip_norm=1",
                1000,
                Expect::Fails,
            ),
            run(
                "seq_length=5&input_size=3&hidden_size=16&learning_rate=0.05&seed=42&training=bptt&speed=5&task=remember-first&init=scaled&init_scale=1&clip_norm=1",
                1000,
                Expect::Learns,
            ),
            run(
                "seq_length=5&input_size=3&hidden_size=16&learning_rate=2&seed=42&training=bptt&speed=5&task=remember-first&init=scaled&init_scale=1&clip_norm=1",
                1000,
                Expect::Fails,
            ),
        ],
    },
    Lesson {
        id: "clipping",
        runs: &[
            run(
                "seq_length=15&input_size=3&hidden_size=16&learning_rate=0.05&seed=42&training=bptt&speed=7&task=remember-first&init=scaled&init_scale=1",
                5000,
                Expect::Fails,
            ),
            run(
                "seq_length=15&input_size=3&hidden_size=16&learning_rate=0.05&seed=42&training=bptt&speed=7&task=remember-first&init=scaled&init_scale=1&clip_norm=1",
                5000,
                Expect::Learns,
            ),
        ],
    },
    Lesson {
        id: "gated-cells",
        runs: &[
            run(
                "seq_length=80&input_size=3&hidden_size=16&learning_rate=0.3&seed=42&training=bptt&speed=7&task=remember-first&init=scaled&init_scale=1&clip_norm=1",
                3000,
                Expect::Fails,
            ),
            run(
                "seq_length=80&input_size=3&hidden_size=16&learning_rate=0.3&seed=42&training=bptt&speed=7&task=remember-first&init=scaled&init_scale=1&clip_norm=1&cell=gru&keep_bias=5",
                3000,
                Expect::Learns,
            ),
        ],
    },
];

/// Where the run a lesson set up stands: the epochs run since, what its claim compares so far
/// and whether it holds (once its epoch is reached), or that a setting has changed since.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Progress {
    pub lesson: usize,
    pub run: usize,
    /// Epochs since the lesson set the page up.
    pub epoch: usize,
    /// The claim's numbers so far, once there are enough epochs.
    pub measured: Option<Measured>,
    /// Whether the claim holds, at or after its epoch.
    pub holds: Option<bool>,
    /// A setting differs from the lesson's: the claim is not about this run any more.
    pub changed: bool,
}

impl Progress {
    /// The progress of run `run` of lesson `lesson` from its losses since it was set up and its
    /// last backward pass's ‖∂L/∂h_t‖; `changed` when its settings are no longer the lesson's.
    pub fn of(lesson: usize, run: usize, losses: &[f64], dh_norms: &[f64], changed: bool) -> Progress {
        let lesson_run = LESSONS[lesson].runs[run];
        // Once due, measured at the claim's epoch (Play may go on past it).
        let due = losses.len() >= lesson_run.epochs;
        let measured = lesson_run.expect.measure(&losses[..losses.len().min(lesson_run.epochs)], dh_norms);
        let holds = measured.filter(|_| due && !changed).map(|m| lesson_run.expect.holds(m));
        Progress { lesson, run, epoch: losses.len(), measured, holds, changed }
    }

    /// One line for the lesson's bar, in `w`'s language: the epoch against the claim's, what the
    /// claim compares so far, and the verdict once due.
    pub fn text(&self, w: &Text) -> String {
        let lesson_run = LESSONS[self.lesson].runs[self.run];
        if self.changed {
            return w.lesson_changed.into();
        }
        let at = fill(w.lesson_epoch, &[("epoch", &self.epoch), ("of", &lesson_run.epochs)]);
        let Some(m) = self.measured else { return at };
        if !m.ratio().is_finite() {
            return format!("{at} · {}", w.lesson_diverged);
        }
        let template = match lesson_run.expect {
            Expect::Learns | Expect::Fails => w.lesson_loss_ratio,
            Expect::Falls => w.lesson_loss_ratio_10,
            Expect::GradientGrows | Expect::GradientVanishes => w.lesson_gradient_ratio,
        };
        let ratio = compact(m.ratio());
        let numbers = fill(template, &[("first", &compact(m.first)), ("last", &compact(m.last)), ("ratio", &ratio)]);
        let verdict = match self.holds {
            Some(true) => w.lesson_holds,
            Some(false) => w.lesson_does_not_hold,
            None => "",
        };
        [at, numbers, verdict.to_string()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ")
    }
}

/// The words of [`LESSONS`]`[index]` in `w`'s language.
pub fn text(index: usize, w: &Text) -> LessonText {
    let (title, claim, runs) = match LESSONS[index].id {
        "blog-loop" => (w.lesson_blog_title, w.lesson_blog_claim, vec![w.lesson_blog_a]),
        "short-long-memory" => {
            (w.lesson_memory_title, w.lesson_memory_claim, vec![w.lesson_memory_a, w.lesson_memory_b])
        }
        "exploding-vanishing" => {
            (w.lesson_explode_title, w.lesson_explode_claim, vec![w.lesson_explode_a, w.lesson_explode_b])
        }
        "learning-rate" => {
            (w.lesson_rate_title, w.lesson_rate_claim, vec![w.lesson_rate_a, w.lesson_rate_b, w.lesson_rate_c])
        }
        "clipping" => (w.lesson_clip_title, w.lesson_clip_claim, vec![w.lesson_clip_a, w.lesson_clip_b]),
        "gated-cells" => (w.lesson_gated_title, w.lesson_gated_claim, vec![w.lesson_gated_a, w.lesson_gated_b]),
        // Every lesson has its words (tested); an id without them shows its id.
        id => (id, "", Vec::new()),
    };
    LessonText { title, claim, runs }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Once due, the claim is measured at its epoch, however long Play goes on; a run that
    /// diverged says so.
    #[test]
    fn the_verdict_is_measured_at_the_claims_epoch_and_a_diverged_run_says_so() {
        use crate::page::text::Lang;
        let lesson = LESSONS.iter().position(|l| l.id == "learning-rate").unwrap();
        let epochs = LESSONS[lesson].runs[1].epochs;
        let mut losses: Vec<f64> = (0..epochs).map(|e| 1.0 / (1.0 + e as f64 / 10.0)).collect();
        let at_epoch = Progress::of(lesson, 1, &losses, &[], false);
        assert_eq!(at_epoch.holds, Some(true));
        losses.extend(std::iter::repeat_n(5.0, 500));
        let later = Progress::of(lesson, 1, &losses, &[], false);
        assert_eq!((later.measured, later.holds, later.epoch), (at_epoch.measured, Some(true), epochs + 500));
        losses[10] = f64::NAN;
        let diverged = Progress::of(lesson, 1, &losses, &[], false);
        assert_eq!(diverged.holds, Some(false));
        assert!(diverged.text(Lang::En.text()).ends_with(Lang::En.text().lesson_diverged));
    }

    #[test]
    fn a_claim_compares_the_first_and_last_windows_and_no_claim_holds_on_a_diverged_run() {
        let falling: Vec<f64> = (0..300).map(|e| 1.0 / (1.0 + e as f64 / 10.0)).collect();
        let m = Expect::Learns.measure(&falling, &[]).unwrap();
        assert!(Expect::Learns.holds(m) && !Expect::Fails.holds(m), "{m:?}");
        assert_eq!(Expect::Learns.measure(&falling[..99], &[]), None, "too few epochs to say");
        let mut diverged = falling.clone();
        diverged[250] = f64::NAN;
        let m = Expect::Fails.measure(&diverged, &[]).unwrap();
        assert!(!Expect::Fails.holds(m) && !Expect::Learns.holds(m));
        let fading = [1e-7, 1e-3, 1.0];
        assert!(Expect::GradientVanishes.holds(Expect::GradientVanishes.measure(&[], &fading).unwrap()));
        let growing = [1e4, 10.0, 1.0];
        assert!(Expect::GradientGrows.holds(Expect::GradientGrows.measure(&[], &growing).unwrap()));
        assert!(!Expect::GradientGrows.holds(Expect::GradientGrows.measure(&[], &fading).unwrap()));
    }
}
