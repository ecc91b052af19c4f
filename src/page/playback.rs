//! Play speeds: from one micro-step a second up to as many epochs per frame as the frame budget allows.

use super::text::{fill, t};

/// How fast Play advances.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Speed {
    /// This many micro-steps per second (so a person can follow each step).
    StepsPerSecond(f64),
    /// This many whole epochs every animation frame.
    EpochsPerFrame(usize),
    /// Whole epochs until the frame's training budget is spent.
    Max,
}

/// The speeds the slider offers, slowest first.
pub const SPEEDS: [Speed; 16] = [
    Speed::StepsPerSecond(1.0),
    Speed::StepsPerSecond(2.0),
    Speed::StepsPerSecond(5.0),
    Speed::StepsPerSecond(10.0),
    Speed::StepsPerSecond(30.0),
    Speed::EpochsPerFrame(1),
    Speed::EpochsPerFrame(2),
    Speed::EpochsPerFrame(5),
    Speed::EpochsPerFrame(10),
    Speed::EpochsPerFrame(20),
    Speed::EpochsPerFrame(50),
    Speed::EpochsPerFrame(100),
    Speed::EpochsPerFrame(200),
    Speed::EpochsPerFrame(500),
    Speed::EpochsPerFrame(1000),
    Speed::Max,
];

/// The slider position the page starts at: one epoch per frame.
pub const DEFAULT_SPEED_INDEX: usize = 5;

impl Speed {
    /// The slider position `i`, clamped to the last one.
    pub fn from_index(i: usize) -> Speed {
        SPEEDS[i.min(SPEEDS.len() - 1)]
    }

    /// A label such as "5 steps/s", "20 epochs/frame", "max".
    pub fn label(self) -> String {
        let w = t();
        match self {
            Speed::StepsPerSecond(1.0) => w.speed_one_step.into(),
            Speed::StepsPerSecond(r) => fill(w.speed_steps, &[("n", &r)]),
            Speed::EpochsPerFrame(1) => w.speed_one_epoch.into(),
            Speed::EpochsPerFrame(n) => fill(w.speed_epochs, &[("n", &n)]),
            Speed::Max => w.speed_max.into(),
        }
    }
}

/// Turns elapsed time into whole micro-steps at a steps-per-second speed, carrying the
/// remainder so that the average rate is exact.
#[derive(Clone, Copy, Debug, Default)]
pub struct StepClock {
    owed: f64,
}

impl StepClock {
    /// Micro-steps due after `elapsed_ms` at `rate` steps per second. A long pause (a hidden
    /// tab) never releases more than one second's worth at once.
    pub fn due(&mut self, elapsed_ms: f64, rate: f64) -> usize {
        self.owed = (self.owed + elapsed_ms.max(0.0) * rate / 1000.0).min(rate.max(1.0));
        // A hair of slack so that 60 frames of 1/60 s add up to a whole second.
        let whole = (self.owed + 1e-9).floor();
        self.owed = (self.owed - whole).max(0.0);
        whole as usize
    }

    pub fn reset(&mut self) {
        self.owed = 0.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speeds_run_from_one_step_a_second_to_the_frame_budget() {
        assert_eq!(Speed::from_index(0), Speed::StepsPerSecond(1.0));
        assert_eq!(Speed::from_index(99), Speed::Max);
        assert_eq!(Speed::from_index(DEFAULT_SPEED_INDEX).label(), "1 epoch/frame");
        assert_eq!(Speed::from_index(2).label(), "5 steps/s");
    }

    #[test]
    fn the_step_clock_keeps_the_average_rate_and_caps_long_pauses() {
        let mut clock = StepClock::default();
        let total: usize = (0..60).map(|_| clock.due(1000.0 / 60.0, 2.0)).sum();
        assert_eq!(total, 2, "two steps in one second of 60 frames");
        assert_eq!(clock.due(60_000.0, 5.0), 5, "a minute in a background tab is one second's worth");
    }
}
